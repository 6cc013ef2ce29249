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
// change committed here gets the order as that transaction wrote it (saved), so it need not read it again. The
// hub also keeps for a minute or so the last order saved here of those waited for (recent), so that the next long
// poll on it, asking whether it changed from that version, need not read it either; an order another node
// changed is forgotten when its announcement arrives, and everything when announcements may have been missed
// (wakeAll). An announcement a busy node dropped leaves the order recent here until the next recheck finds the
// change, as it leaves a poll already waiting.
type changeHub struct {
	mu      sync.Mutex
	waiters map[int64][]*waiter
	// recent and older hold the orders last saved here, by id: recent since rotated, older the minute before.
	recent, older map[int64]*store.SavedOrder
	rotated       time.Time
	stopped       chan struct{} // closed at shutdown: waiters answer at once
	peer          func(ids []int64)
	recheck       time.Duration // 0: defaultRecheck
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

// saved gives the orders a transaction committed here to their waiters (store.Store.Committed), and keeps them
// as recent when they are waited for or already kept; the publish that follows wakes the waiters. An order saved
// without its version known is forgotten.
func (h *changeHub) saved(orders []*store.SavedOrder) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if now := time.Now(); h.recent == nil || now.Sub(h.rotated) > recentFor {
		h.older, h.recent, h.rotated = h.recent, map[int64]*store.SavedOrder{}, now
	}
	for _, v := range orders {
		id := v.ID()
		_, kept := h.recent[id]
		if _, was := h.older[id]; was {
			kept = true
			delete(h.older, id)
		}
		if v.Version() == 0 {
			delete(h.recent, id)
			continue
		}
		for _, w := range h.waiters[id] {
			w.saved = v
		}
		if kept || len(h.waiters[id]) > 0 {
			h.recent[id] = v
		}
	}
}

// recentFor is how long an order saved here stays recent at least (at most twice that).
const recentFor = 30 * time.Second

// recentOrder returns the order last saved here if it is recent, else nil.
func (h *changeHub) recentOrder(id int64) *store.SavedOrder {
	h.mu.Lock()
	defer h.mu.Unlock()
	if v := h.recent[id]; v != nil {
		return v
	}
	return h.older[id]
}

// forget drops what the hub keeps of orders changed elsewhere (another node).
func (h *changeHub) forget(ids ...int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, id := range ids {
		delete(h.recent, id)
		delete(h.older, id)
	}
}

// wakeAll forgets every order kept and wakes every waiter.
func (h *changeHub) wakeAll() {
	h.mu.Lock()
	h.recent, h.older = nil, nil
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
// An applicant's poll on the version last saved here starts without reading the order (changeHub.recent); staff
// read it (their reads are audited, GetOrder).
func (s *Service) WaitOrder(ctx context.Context, by Actor, id int64, version int, wait time.Duration) (*filing.Order, error) {
	var o *filing.Order
	var unread *store.SavedOrder // the recent order at version, when the first check took it instead of a read
	err := s.changes.wait(ctx, id, wait, func(saved *store.SavedOrder) (bool, error) {
		if o == nil && unread == nil && by.Role == RoleApplicant {
			if v := s.changes.recentOrder(id); v != nil && v.Version() == version && v.ApplicantID() == by.ID {
				unread = v
				return false, nil
			}
		}
		seen := o != nil || unread != nil          // access checked: later checks read only the version, or nothing
		if seen && saved != nil && !by.IsStaff() { // as committed here: no read
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
		if seen {
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
	if err == nil && o == nil && unread != nil { // unchanged: the order is the recent one
		r, err := s.st.OpenSaved(unread)
		if err != nil {
			return nil, err
		}
		return r.Order, nil
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
