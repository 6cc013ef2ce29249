package provider

import (
	"context"
	"sync"
	"time"

	"github.com/beian/beian/internal/filing"
)

// changeHub wakes the callers waiting for an order to change (long polling). It works within one process; a
// waiter also re-reads the order every recheck interval, so that changes made by another node are seen too.
type changeHub struct {
	mu      sync.Mutex
	waiters map[int64][]chan struct{}
}

const recheck = time.Second

func (h *changeHub) subscribe(id int64) chan struct{} {
	ch := make(chan struct{})
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.waiters == nil {
		h.waiters = map[int64][]chan struct{}{}
	}
	h.waiters[id] = append(h.waiters[id], ch)
	return ch
}

func (h *changeHub) unsubscribe(id int64, ch chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	list := h.waiters[id]
	for i, c := range list {
		if c == ch {
			h.waiters[id] = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(h.waiters[id]) == 0 {
		delete(h.waiters, id)
	}
}

// publish wakes every waiter of the orders; it is called after the change committed.
func (h *changeHub) publish(ids ...int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, id := range ids {
		for _, ch := range h.waiters[id] {
			close(ch)
		}
		delete(h.waiters, id)
	}
}

// WaitOrder returns the order once its version differs from version, or when wait has passed (then unchanged).
func (s *Service) WaitOrder(ctx context.Context, by Actor, id int64, version int, wait time.Duration) (*filing.Order, error) {
	deadline := time.Now().Add(wait)
	for {
		ch := s.changes.subscribe(id)
		o, err := s.GetOrder(ctx, by, id)
		if err != nil || o.Version != version || !time.Now().Before(deadline) {
			s.changes.unsubscribe(id, ch)
			return o, err
		}
		t := time.NewTimer(min(recheck, time.Until(deadline)))
		select {
		case <-ch:
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			s.changes.unsubscribe(id, ch)
			return nil, ctx.Err()
		}
		t.Stop()
		s.changes.unsubscribe(id, ch)
	}
}
