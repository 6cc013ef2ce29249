package imaging

import (
	"runtime"
	"sync"
)

// DecodeBudget is the memory, in bytes, that the images being decoded and the decoded images not yet collected
// may take together across the process: a decode waits for its estimate (decodeBytes, at most MaxDecodeBytes)
// before it allocates anything. It admits one image of MaxPixels and a few phone photos at once; a burst of
// uploads of large-dimension images (a few hundred KB each that decode to hundreds of MB) queues instead of
// taking the server's memory.
const DecodeBudget = 512 << 20

var decodeBudget = newBudget(DecodeBudget)

// budget is a weighted semaphore over bytes whose released bytes count until a collection has freed them: a
// decoded image dropped by its user is garbage, not free memory, until the collector runs, and with a high GOGC
// (beian serve runs at 400) that can be long after a burst. A decode that has to wait while released bytes are
// pending runs the collector once and then takes them.
type budget struct {
	mu      sync.Mutex
	cond    *sync.Cond
	total   int64
	free    int64 // neither held nor pending
	pending int64 // released, perhaps not yet collected
	// collect frees pending memory; runtime.GC, or a stand-in in tests.
	collect func()
}

func newBudget(n int64) *budget {
	b := &budget{total: n, free: n, collect: runtime.GC}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// acquire waits until n bytes (at most the total) are free and takes them; it returns what it took.
func (b *budget) acquire(n int64) int64 {
	n = min(n, b.total)
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.free < n {
		if b.pending > 0 && b.free+b.pending >= n {
			b.collect()
			b.free += b.pending
			b.pending = 0
			continue
		}
		b.cond.Wait()
	}
	b.free -= n
	return n
}

// release gives back n bytes taken by acquire, once the caller no longer references what it decoded.
func (b *budget) release(n int64) {
	b.mu.Lock()
	b.pending += n
	b.cond.Broadcast()
	b.mu.Unlock()
}
