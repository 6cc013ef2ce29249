// Package clock gives every component the same notion of now. In demo mode an operator may advance it, so that
// the 24-hour SMS window and the 20-working-day review limit can be shown and tested without waiting; in
// production the clock is the system clock and cannot be moved. Every and AfterAdvance run periodic work (sweeps,
// reminders, housekeeping) on wall time and right after an advance.
package clock

import (
	"errors"
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// System is the real clock.
type System struct{}

// Now returns the current UTC time.
func (System) Now() time.Time { return time.Now().UTC() }

// ErrFixed is returned when something tries to move a clock that may not move.
var ErrFixed = errors.New("clock: the clock can only be advanced in demo mode")

// Adjustable is a clock with an offset that only grows. Listeners are told after each advance (the simulator
// sweeps expired SMS windows then, instead of waiting for its ticker).
type Adjustable struct {
	mu        sync.Mutex
	base      func() time.Time
	offset    time.Duration
	listeners []func(now time.Time)
}

// NewAdjustable returns a clock that follows base (the system clock when nil) plus an offset.
func NewAdjustable(base func() time.Time) *Adjustable {
	if base == nil {
		base = System{}.Now
	}
	return &Adjustable{base: base}
}

// Now returns base time plus the offset.
func (a *Adjustable) Now() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.base().Add(a.offset).UTC()
}

// Offset returns how far the clock has been advanced.
func (a *Adjustable) Offset() time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.offset
}

// Advance moves the clock forward by d (> 0) and notifies the listeners.
func (a *Adjustable) Advance(d time.Duration) (time.Time, error) {
	if d <= 0 {
		return time.Time{}, errors.New("clock: advance by a positive duration")
	}
	a.mu.Lock()
	a.offset += d
	now := a.base().Add(a.offset).UTC()
	ls := append([]func(time.Time){}, a.listeners...)
	a.mu.Unlock()
	for _, l := range ls {
		l(now)
	}
	return now, nil
}

// OnAdvance registers fn to run after every advance.
func (a *Adjustable) OnAdvance(fn func(now time.Time)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.listeners = append(a.listeners, fn)
}
