package imaging

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// Released bytes are taken again only after a collection, which runs once, when a decode has to wait for them.
func TestBudgetCountsReleasedUntilCollected(t *testing.T) {
	b := newBudget(100)
	collections := 0
	b.collect = func() { collections++ }
	if got := b.acquire(500); got != 100 {
		t.Fatalf("acquire over the total took %d, want the total", got)
	}
	b.release(100)
	if collections != 0 || b.free != 0 || b.pending != 100 {
		t.Fatalf("release made memory free before a collection: free %d, pending %d", b.free, b.pending)
	}
	b.acquire(30)
	b.acquire(70)
	if collections != 1 || b.free != 0 || b.pending != 0 {
		t.Fatalf("after two acquisitions: collections %d, free %d, pending %d", collections, b.free, b.pending)
	}
	done := make(chan int64)
	go func() { done <- b.acquire(50) }()
	select {
	case <-done:
		t.Fatal("acquire did not wait for memory held by others")
	case <-time.After(20 * time.Millisecond):
	}
	b.release(30)
	b.release(70)
	if got := <-done; got != 50 || collections != 2 {
		t.Fatalf("waiting acquire took %d after %d collections", got, collections)
	}
}

// rgbPNG is a w×h 8-bit RGB PNG of a horizontal gradient that compresses to a small file but decodes to 4·w·h bytes.
func rgbPNG(w, h int) []byte {
	var idat bytes.Buffer
	z, _ := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	row := make([]byte, 1+3*w)
	row[0] = 2 // the Up filter: every row repeats the first, a gradient
	for x := 1; x < len(row); x++ {
		row[x] = byte(x)
	}
	z.Write(row)
	clear(row[1:])
	for range h - 1 {
		z.Write(row)
	}
	z.Close()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	return cat(sigPNG, pngChunk("IHDR", ihdr), pngChunk("IDAT", idat.Bytes()), pngChunk("IEND", nil))
}

// heapPeak samples the heap's object bytes (live and not yet swept) every millisecond until stop is closed.
func heapPeak(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return out
}

// A burst of concurrent uploads of large-dimension images, each a small file, takes no more heap than the decode
// budget (plus the test's own few MB), with the collector as lax as beian serve runs it (GOGC=400). Without the
// budget counting dropped images until they are collected, the heap grows to several times the budget.
func TestConcurrentDecodesStayWithinBudget(t *testing.T) {
	const side, uploads, budgetBytes, slack = 3000, 8, 80 << 20, 24 << 20 // each decodes to 36 MB
	file := rgbPNG(side, side)
	if len(file) > 200_000 {
		t.Fatalf("test image is %d bytes, not small", len(file))
	}
	saved := decodeBudget
	decodeBudget = newBudget(budgetBytes)
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	defer func() { decodeBudget = saved }()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)

	stop := make(chan struct{})
	peak := heapPeak(stop)
	var wg sync.WaitGroup
	for range uploads {
		wg.Go(func() {
			if _, err := Check(file, Upload); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	close(stop)
	got, limit := <-peak, base.HeapAlloc+budgetBytes+slack
	t.Logf("heap peak %d MiB (%d MiB before), file %d bytes", got>>20, base.HeapAlloc>>20, len(file))
	if got > limit {
		t.Fatalf("%d concurrent decodes of %d×%d took the heap to %d MiB, over the %d MiB budget (+%d MiB)",
			uploads, side, side, got>>20, budgetBytes>>20, slack>>20)
	}
}
