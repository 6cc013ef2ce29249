// Package reviewpolicy holds a simulated regulator's review policy: who decides its reviews (an officer, or the
// simulator itself after some working days) and the rule that checks a new policy. The MIIT and police simulators
// each keep one Holder; the package knows no context and no storage.
package reviewpolicy

import (
	"sync"

	"github.com/beian/beian/internal/problem"
)

// Mode chooses who decides reviews.
type Mode string

const (
	// Manual leaves every decision to an officer (the default).
	Manual Mode = "manual"
	// Automatic approves what enters review AfterWorkdays working days later (0: at once).
	Automatic Mode = "automatic"
)

// Policy is how a simulated regulator reviews.
type Policy struct {
	Mode          Mode `json:"mode"`
	AfterWorkdays int  `json:"after_workdays"`
}

// Holder keeps the policy in force, safe for concurrent use.
type Holder struct {
	code        string // the error code of a refused policy, e.g. "miit.policy_invalid"
	maxWorkdays int    // the longest review the rules allow

	mu     sync.RWMutex
	policy Policy
}

// NewHolder returns a holder starting at initial (an empty mode is Manual). A policy later refused by Set is
// refused with code; AfterWorkdays may not exceed maxWorkdays.
func NewHolder(code string, maxWorkdays int, initial Policy) *Holder {
	if initial.Mode == "" {
		initial.Mode = Manual
	}
	return &Holder{code: code, maxWorkdays: maxWorkdays, policy: initial}
}

// Get returns the policy in force.
func (h *Holder) Get() Policy {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.policy
}

// Set checks p (an empty mode is Manual) and puts it in force; a refused policy changes nothing.
func (h *Holder) Set(p Policy) error {
	switch p.Mode {
	case "":
		p.Mode = Manual
	case Manual, Automatic:
	default:
		return problem.Invalidf(h.code, "mode")
	}
	if p.AfterWorkdays < 0 || p.AfterWorkdays > h.maxWorkdays {
		return problem.Invalidf(h.code, "after_workdays")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.policy = p
	return nil
}
