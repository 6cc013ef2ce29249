package main

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// What goes through dropBehind is written whole, and the steps written before the last two are no longer in
// the file cache; a file that is not a regular one is written to as it is.
func TestDropBehind(t *testing.T) {
	const step = 1 << 20
	path := filepath.Join(t.TempDir(), "out")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := dropBehind(f, step)
	want := bytes.Repeat([]byte("0123456789abcdef"), 4*step/16+1000)
	for b := want; len(b) > 0; b = b[min(len(b), 100_000):] {
		if _, err := w.Write(b[:min(len(b), 100_000)]); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("read back %d bytes of %d: %v", len(got), len(want), err)
	}
	// ReadFile brought the pages back: write again, and look at what the cache holds before reading.
	f.Seek(0, 0)
	w = dropBehind(f, step)
	if _, err := w.Write(want); err != nil {
		t.Fatal(err)
	}
	m, err := unix.Mmap(int(f.Fd()), 0, len(want), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	resident := make([]byte, (len(want)+os.Getpagesize()-1)/os.Getpagesize())
	if _, _, e := syscall.Syscall(syscall.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)),
		uintptr(unsafe.Pointer(&resident[0]))); e != 0 {
		t.Fatal(e)
	}
	held := 0
	for _, r := range resident[:2*step/os.Getpagesize()] { // the first two of four steps
		held += int(r & 1)
	}
	if held > 0 {
		t.Errorf("%d pages of the first two steps still in the file cache", held)
	}
	r, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer pw.Close()
	if w, ok := dropBehind(pw, step).(*os.File); !ok || w != pw {
		t.Errorf("a pipe wrapped: %T", w)
	}
}
