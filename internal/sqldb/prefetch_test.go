package sqldb

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// adviceLog records what a Prefetch asks to be read, for the test to wait on.
type adviceLog struct {
	mu   sync.Mutex
	got  [][2]int64
	upTo int64
}

func (l *adviceLog) advise(off, n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, [2]int64{off, n})
	l.upTo = off + n
}

// waitFor waits until the advice reaches end, and returns it.
func (l *adviceLog) waitFor(t *testing.T, end int64) [][2]int64 {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		l.mu.Lock()
		upTo, got := l.upTo, slices.Clone(l.got)
		l.mu.Unlock()
		if upTo >= end || time.Now().After(deadline) {
			return got
		}
	}
}

func TestPrefetchFollowsProgress(t *testing.T) {
	const mb = 1 << 20
	type step struct {
		done, total int64
		want        [][2]int64 // the requests this progress adds
	}
	for _, tc := range []struct {
		name         string
		size, window int64
		steps        []step
	}{
		{"a window ahead, steps of 32 MB", 100 * mb, 40 * mb, []step{
			{0, 10, [][2]int64{{0, 32 * mb}, {32 * mb, 8 * mb}}},
			{5, 10, [][2]int64{{40 * mb, 32 * mb}, {72 * mb, 18 * mb}}},
			{10, 10, [][2]int64{{90 * mb, 10 * mb}}},
		}},
		{"no further than the file", 10 * mb, 40 * mb, []step{
			{0, 1, [][2]int64{{0, 10 * mb}}},
		}},
		{"progress past the total counts as the end", 100 * mb, 0, []step{
			{1, 2, [][2]int64{{0, 32 * mb}, {32 * mb, 18 * mb}}},
			{7, 2, [][2]int64{{50 * mb, 32 * mb}, {82 * mb, 18 * mb}}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log adviceLog
			released := make(chan struct{})
			p := startPrefetch(tc.size, tc.window, log.advise, func() { close(released) })
			var want [][2]int64
			for i, s := range tc.steps {
				if i > 0 || s.done > 0 {
					p.Progress(s.done, s.total)
				}
				want = append(want, s.want...)
				end := want[len(want)-1][0] + want[len(want)-1][1]
				if got := log.waitFor(t, end); !slices.Equal(got, want) {
					t.Fatalf("after progress %d/%d: asked %v, want %v", s.done, s.total, got, want)
				}
			}
			select {
			case <-released: // the end of the file reached, the file is let go without Close
			case <-time.After(5 * time.Second):
				t.Fatal("the file was not released at its end")
			}
			p.Close()
		})
	}
}

// Close stops a Prefetch that waits for progress, and a nil one does nothing.
func TestPrefetchClose(t *testing.T) {
	var log adviceLog
	released := make(chan struct{})
	p := startPrefetch(1<<30, 1<<20, log.advise, func() { close(released) })
	log.waitFor(t, 1<<20)
	p.Close()
	select {
	case <-released:
	default:
		t.Fatal("Close returned before the file was released")
	}
	if got := log.waitFor(t, 0); len(got) != 1 {
		t.Fatalf("asked %v before the scan progressed, want one request", got)
	}
	var none *Prefetch
	none.Progress(1, 2)
	none.Close()
}
