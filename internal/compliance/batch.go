package compliance

import (
	"context"
	"sync"
)

// CheckAll checks targets with at most workers at a time and returns the reports in the order of targets.
// done, when set, is called after each report (from the worker goroutines, one call at a time).
func (c *Checker) CheckAll(ctx context.Context, targets []string, workers int, done func(Report)) []Report {
	out := make([]Report, len(targets))
	next := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range max(1, min(workers, len(targets))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = c.Check(ctx, targets[i])
				if done != nil {
					mu.Lock()
					done(out[i])
					mu.Unlock()
				}
			}
		}()
	}
	for i := range targets {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
