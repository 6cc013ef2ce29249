package miitweb

import (
	"testing"
	"time"
)

func TestAddrLimiter(t *testing.T) {
	l := newAddrLimiter(3, 10*time.Minute)
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		if wait := l.take("198.51.100.1", t0.Add(time.Duration(i)*time.Minute)); wait != 0 {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if wait := l.take("198.51.100.1", t0.Add(4*time.Minute)); wait != 6*time.Minute {
		t.Fatalf("fourth attempt: wait %v, want 6m", wait)
	}
	if wait := l.take("198.51.100.2", t0.Add(4*time.Minute)); wait != 0 {
		t.Fatal("another address shares the window")
	}
	if wait := l.take("198.51.100.1", t0.Add(10*time.Minute)); wait != 0 {
		t.Fatal("a new window did not start")
	}
	l.prune(t0.Add(30 * time.Minute))
	if len(l.seen) != 0 {
		t.Fatalf("%d windows kept after they ended", len(l.seen))
	}
}
