package sqldb

import "sync"

// Prefetch asks the operating system to read an SQLite database file ahead of a long scan that goes through
// the file roughly in file order — an export of a registry that was loaded in the order it is exported, whose
// tables' pages the load interleaved batch after batch. From a cold file cache such a scan otherwise waits for
// the disk at each page fault of its mapping, one read-around at a time; read ahead, the disk works while the
// scan computes (docs/benchmarks.md, the export at 10 M).
//
// The scan tells how far it got as a fraction (Progress); the file is read ahead in steps (prefetchStep) up to
// that fraction of the file's size plus a window (prefetchWindow), never further, so that a file larger than
// the memory is not read into a cache that would drop it again before the scan gets there. It is advice only:
// on another system, on PostgreSQL, or if the file cannot be opened, it does nothing, and a scan whose order
// differs from the file's only loses the disk's time spent on the window. A file already in the cache costs a
// look-up of its pages, about a millisecond per step.
type Prefetch struct {
	target chan int64 // the offset up to which to read ahead, latest only
	size   int64
	window int64 // prefetchWindow; smaller in tests
	advise func(off, n int64)
	done   chan struct{}
	once   sync.Once
	wg     sync.WaitGroup
}

const (
	// prefetchStep is the length of one request to the operating system.
	prefetchStep = 32 << 20
	// prefetchWindow is how far beyond the scan's position the file is read ahead.
	prefetchWindow = 1 << 30
)

// Prefetch starts reading ahead db's file for a scan (nil on PostgreSQL, where it is none of ours, and where
// the file cannot be opened); its methods may be called on nil.
func (db *DB) Prefetch() *Prefetch {
	path, ok := SQLitePath(db.URL)
	if !ok {
		return nil
	}
	f, size, ok := openAhead(path)
	if !ok {
		return nil
	}
	return startPrefetch(size, prefetchWindow, f.willNeed, f.close)
}

// startPrefetch reads ahead a file of size bytes through advise, and calls release at the end.
func startPrefetch(size, window int64, advise func(off, n int64), release func()) *Prefetch {
	p := &Prefetch{target: make(chan int64, 1), size: size, window: window, advise: advise, done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer release()
		p.loop()
	}()
	p.Progress(0, 1)
	return p
}

// Progress says that the scan has done done parts of total; it is called from one goroutine at a time.
func (p *Prefetch) Progress(done, total int64) {
	if p == nil || total <= 0 {
		return
	}
	t := min(p.size, int64(float64(p.size)*float64(min(done, total))/float64(total))+p.window)
	select {
	case <-p.target: // replaced by the newer target
	default:
	}
	p.target <- t
}

// Close stops reading ahead and waits for the request under way.
func (p *Prefetch) Close() {
	if p == nil {
		return
	}
	p.once.Do(func() { close(p.done) })
	p.wg.Wait()
}

// loop reads the file ahead, step after step, as far as the latest target, until the end of the file or Close.
func (p *Prefetch) loop() {
	var off, target int64
	for off < p.size {
		for off >= target {
			select {
			case target = <-p.target:
			case <-p.done:
				return
			}
		}
		select {
		case <-p.done:
			return
		default:
		}
		n := min(prefetchStep, target-off)
		p.advise(off, n)
		off += n
	}
}
