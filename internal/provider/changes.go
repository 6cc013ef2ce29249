package provider

import (
	"context"
	"sync"
	"time"

	"github.com/beian/beian/internal/filing"
)

// changeHub wakes the callers waiting for an order to change (long polling). Changes committed here wake the
// waiters here and are announced to the other nodes (peer); a waiter also re-reads its order every recheck
// interval, which on a single node is how it would see a change made without this hub.
type changeHub struct {
	mu      sync.Mutex
	waiters map[int64][]chan struct{}
	stopped chan struct{} // closed at shutdown: waiters answer at once
	peer    func(ids []int64)
	recheck time.Duration // 0: defaultRecheck
}

// stopping returns the channel closed at shutdown.
func (h *changeHub) stopping() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopped == nil {
		h.stopped = make(chan struct{})
	}
	return h.stopped
}

// StopWaiting answers every long poll now with the order (or sweep) as it is, and every later one at once: a
// server shutting down finishes its requests instead of holding them for the rest of their wait.
func (s *Service) StopWaiting() {
	s.changes.stop()
	s.sweeps.stop()
}

func (h *changeHub) stop() {
	ch := h.stopping()
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-ch:
	default:
		close(h.stopped)
	}
}

const defaultRecheck = time.Second

func (h *changeHub) interval() time.Duration {
	if h.recheck > 0 {
		return h.recheck
	}
	return defaultRecheck
}

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

// publish wakes every waiter of the orders, here and on the other nodes; it is called after the change committed.
func (h *changeHub) publish(ids ...int64) {
	h.wake(ids...)
	if h.peer != nil {
		h.peer(ids)
	}
}

// wakeAll wakes every waiter.
func (h *changeHub) wakeAll() {
	h.mu.Lock()
	ids := make([]int64, 0, len(h.waiters))
	for id := range h.waiters {
		ids = append(ids, id)
	}
	h.mu.Unlock()
	h.wake(ids...)
}

// wake wakes the waiters of the orders on this node.
func (h *changeHub) wake(ids ...int64) {
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
	var o *filing.Order
	err := s.changes.wait(ctx, id, wait, func() (bool, error) {
		if o != nil { // the first check read the order and checked access: later ones read only its version
			v, err := s.st.OrderVersion(ctx, id)
			if err != nil || v == version {
				return err != nil, err
			}
		}
		var err error
		o, err = s.GetOrder(ctx, by, id)
		return err != nil || o.Version != version, err
	})
	if err != nil && ctx.Err() != nil {
		return nil, err
	}
	return o, err
}

// wait calls check until it reports done or fails: at once, whenever id is published, every recheck interval,
// and a last time when wait has passed or the server is stopping.
func (h *changeHub) wait(ctx context.Context, id int64, wait time.Duration, check func() (bool, error)) error {
	deadline := time.Now().Add(wait)
	stopping := h.stopping()
	for {
		ch := h.subscribe(id)
		done, err := check()
		if err != nil || done || !time.Now().Before(deadline) {
			h.unsubscribe(id, ch)
			return err
		}
		t := time.NewTimer(min(h.interval(), time.Until(deadline)))
		select {
		case <-ch:
		case <-t.C:
		case <-stopping:
			deadline = time.Now()
		case <-ctx.Done():
			t.Stop()
			h.unsubscribe(id, ch)
			return ctx.Err()
		}
		t.Stop()
		h.unsubscribe(id, ch)
	}
}
