package clock

import (
	"context"
	"log/slog"
	"time"
)

// Every runs fn at once and then every interval (of wall time) until ctx ends, logging its errors under what;
// an error after ctx has ended is the end itself and is not logged.
func Every(ctx context.Context, interval time.Duration, log *slog.Logger, what string, fn func(context.Context) error) {
	EveryOrKicked(ctx, interval, nil, log, what, fn)
}

// EveryOrKicked is Every that also runs fn as soon as kick receives (a nil kick never does), for work that
// someone can start and should not wait for the next interval.
func EveryOrKicked(ctx context.Context, interval time.Duration, kick <-chan struct{}, log *slog.Logger, what string,
	fn func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		run(ctx, log, what, fn)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-kick:
		}
	}
}

// AfterAdvance runs fn right after every advance of c while ctx lasts, when c is an Adjustable clock (demo
// mode), so that what an advance makes due shows at once instead of at the next interval of Every. With any
// other clock it does nothing.
func AfterAdvance(ctx context.Context, c Clock, log *slog.Logger, what string, fn func(context.Context) error) {
	a, ok := c.(*Adjustable)
	if !ok {
		return
	}
	a.OnAdvance(func(time.Time) {
		if ctx.Err() == nil {
			run(ctx, log, what, fn)
		}
	})
}

func run(ctx context.Context, log *slog.Logger, what string, fn func(context.Context) error) {
	if err := fn(ctx); err != nil && ctx.Err() == nil {
		log.Error(what, "err", err)
	}
}
