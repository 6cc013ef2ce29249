package sqldb

import (
	"os"
	"path/filepath"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The advice reads a file dropped from the cache back into it, and a database's Prefetch opens its file.
func TestPrefetchFillsTheCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	const size = 16 << 20
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 7)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Sync()
	unix.Fadvise(int(f.Fd()), 0, size, unix.FADV_DONTNEED)
	m, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	if r := resident(t, m); r > 0.5 {
		t.Skipf("%.0f %% of the file stays in the cache after FADV_DONTNEED: nothing to see here", 100*r)
	}
	db := &DB{URL: "sqlite:" + path}
	p := db.Prefetch()
	if p == nil {
		t.Fatal("no Prefetch for an SQLite file")
	}
	defer p.Close()
	p.Progress(1, 1)
	deadline := time.Now().Add(10 * time.Second)
	for resident(t, m) < 0.99 {
		if time.Now().After(deadline) {
			t.Fatalf("%.0f %% of the file in the cache after 10 s", 100*resident(t, m))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if (&DB{URL: "postgres://x/y"}).Prefetch() != nil || (&DB{URL: "sqlite:" + path + ".missing"}).Prefetch() != nil {
		t.Fatal("a Prefetch for PostgreSQL or a missing file")
	}
}

// resident is the fraction of m's pages in the file cache.
func resident(t *testing.T, m []byte) float64 {
	vec := make([]byte, (len(m)+os.Getpagesize()-1)/os.Getpagesize())
	if _, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)),
		uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		t.Fatal(e)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return float64(n) / float64(len(vec))
}
