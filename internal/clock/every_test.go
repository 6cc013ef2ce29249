package clock

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// Every runs at once, on a kick and on each interval, logs an error once per failing run, and stops with its
// context without logging the error the end causes.
func TestEveryOrKicked(t *testing.T) {
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	ctx, cancel := context.WithCancel(context.Background())
	kick := make(chan struct{})
	runs := make(chan int, 10)
	n := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		EveryOrKicked(ctx, time.Hour, kick, log, "the job", func(ctx context.Context) error {
			n++
			runs <- n
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if n == 2 {
				return errors.New("boom")
			}
			return nil
		})
	}()
	if got := <-runs; got != 1 {
		t.Fatalf("first run %d", got)
	}
	kick <- struct{}{}
	if got := <-runs; got != 2 {
		t.Fatalf("run after the kick %d", got)
	}
	kick <- struct{}{} // taken only once the second run has returned and logged
	<-runs
	cancel()
	<-done
	if c := strings.Count(logged.String(), "the job"); c != 1 || !strings.Contains(logged.String(), "boom") {
		t.Fatalf("log %q", logged.String())
	}
}

func TestEveryTicks(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runs := make(chan struct{}, 10)
	go Every(ctx, time.Millisecond, slog.Default(), "tick", func(context.Context) error {
		runs <- struct{}{}
		return nil
	})
	for range 3 {
		select {
		case <-runs:
		case <-time.After(10 * time.Second):
			t.Fatal("no tick")
		}
	}
}

// AfterAdvance runs after each advance of an adjustable clock while its context lasts, and does nothing with
// the system clock.
func TestAfterAdvance(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := NewAdjustable(func() time.Time { return time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC) })
	runs := 0
	AfterAdvance(ctx, c, slog.Default(), "sweep", func(context.Context) error { runs++; return nil })
	AfterAdvance(ctx, System{}, slog.Default(), "sweep", func(context.Context) error { t.Fatal("ran"); return nil })
	c.Advance(time.Hour)
	c.Advance(time.Hour)
	cancel()
	c.Advance(time.Hour)
	if runs != 2 {
		t.Fatalf("%d runs, want 2", runs)
	}
}
