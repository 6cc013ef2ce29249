package provider

import (
	"context"
	"sync"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider/store"
)

// changeHub wakes the callers waiting for an order to change (long polling). Changes committed here wake the
// waiters here and are announced to the other nodes (peer); a waiter also re-reads its order every recheck
// interval, which on a single node is how it would see a change made without this hub. A waiter woken by a
// change committed here gets the order as that transaction wrote it (saved), so it need not read it again.
type changeHub struct {
	mu      sync.Mutex
	waiters map[int64][]*waiter
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

// waiter is one caller waiting: ch is closed to wake it, after saved is set when the change is known.
type waiter struct {
	ch    chan struct{}
	saved *store.SavedOrder
}

func (h *changeHub) subscribe(id int64) *waiter {
	w := &waiter{ch: make(chan struct{})}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.waiters == nil {
		h.waiters = map[int64][]*waiter{}
	}
	h.waiters[id] = append(h.waiters[id], w)
	return w
}

func (h *changeHub) unsubscribe(id int64, w *waiter) {
	h.mu.Lock()
	defer h.mu.Unlock()
	list := h.waiters[id]
	for i, c := range list {
		if c == w {
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

// saved gives the orders a transaction committed here to their waiters (store.Store.Committed); the publish
// that follows wakes them.
func (h *changeHub) saved(orders []*store.SavedOrder) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, v := range orders {
		for _, w := range h.waiters[v.ID()] {
			w.saved = v
		}
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
		for _, w := range h.waiters[id] {
			close(w.ch)
		}
		delete(h.waiters, id)
	}
}

// WaitOrder returns the order once its version differs from version, or when wait has passed (then unchanged).
func (s *Service) WaitOrder(ctx context.Context, by Actor, id int64, version int, wait time.Duration) (*filing.Order, error) {
	var o *filing.Order
	err := s.changes.wait(ctx, id, wait, func(saved *store.SavedOrder) (bool, error) {
		if o != nil && saved != nil && !by.IsStaff() { // as committed here: no read (staff reads are audited, GetOrder)
			if saved.Version() == version {
				return false, nil
			}
			r, err := s.st.OpenSaved(saved)
			if err != nil {
				return true, err
			}
			if err := mayView(by, r.Order); err != nil {
				return true, err
			}
			o = r.Order
			return true, nil
		}
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
// and a last time when wait has passed or the server is stopping. A check after a wake-up by a change committed
// here gets the order that change saved (nil otherwise).
func (h *changeHub) wait(ctx context.Context, id int64, wait time.Duration, check func(*store.SavedOrder) (bool, error)) error {
	deadline := time.Now().Add(wait)
	stopping := h.stopping()
	var saved *store.SavedOrder
	for {
		w := h.subscribe(id)
		done, err := check(saved)
		if err != nil || done || !time.Now().Before(deadline) {
			h.unsubscribe(id, w)
			return err
		}
		saved = nil
		t := time.NewTimer(min(h.interval(), time.Until(deadline)))
		select {
		case <-w.ch:
			h.mu.Lock()
			saved = w.saved
			h.mu.Unlock()
		case <-t.C:
		case <-stopping:
			deadline = time.Now()
		case <-ctx.Done():
			t.Stop()
			h.unsubscribe(id, w)
			return ctx.Err()
		}
		t.Stop()
		h.unsubscribe(id, w)
	}
}
