package app

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/beian/beian/internal/ops"
)

// process is what `beian miit serve` and `beian mps serve` share: one HTTP server on its own address and the
// simulator's sweeps, stopped in order.
type process struct {
	srv    *http.Server
	ln     net.Listener
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// start listens on addr, serves h and runs sweep (nil: none) until stop.
func (p *process) start(ctx context.Context, addr string, h http.Handler, sweep func(ctx context.Context)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	p.ln = ln
	p.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	run, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p.cancel = cancel
	p.wg.Go(func() {
		if err := p.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("http server", "addr", ln.Addr().String(), "err", err)
		}
	})
	if sweep != nil {
		p.wg.Go(func() { sweep(run) })
	}
	return nil
}

// url is the base URL once started.
func (p *process) url() string { return "http://" + p.ln.Addr().String() }

// stop drains ready, finishes the requests under way (within timeout, zero: DefaultShutdownTimeout) and stops
// the sweeps; nothing when never started.
func (p *process) stop(ready *ops.Readiness, timeout time.Duration) error {
	if p.srv == nil {
		return nil
	}
	ready.Drain()
	ctx, cancel := context.WithTimeout(context.Background(), cmp.Or(timeout, DefaultShutdownTimeout))
	err := p.srv.Shutdown(ctx)
	cancel()
	p.cancel()
	p.wg.Wait()
	return err
}
