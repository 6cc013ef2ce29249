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
	"github.com/beian/beian/internal/web"
)

// process is what `beian miit serve` and `beian mps serve` share: one HTTP server on its own address serving
// the signed provider interface, readiness and the simulator's site, and the simulator's sweeps, stopped in
// order.
type process struct {
	addr    string
	mux     *http.ServeMux
	sweep   func(ctx context.Context) // nil: no sweeps (BEIAN_WORKERS=false)
	ready   *ops.Readiness
	timeout time.Duration  // for the requests under way at Close (zero: DefaultShutdownTimeout)
	closers []func() error // after the server stopped

	srv    *http.Server
	ln     net.Listener
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// newProcess serves isp under ispPrefix, ready at /readyz and site at / on addr.
func newProcess(cfg Config, addr, ispPrefix string, isp http.Handler, site *web.Site, ready *ops.Readiness,
	sweep func(ctx context.Context, interval time.Duration), closers ...func() error) *process {
	p := &process{addr: addr, mux: http.NewServeMux(), ready: ready, timeout: cfg.ShutdownTimeout, closers: closers}
	p.mux.Handle(ispPrefix, isp)
	p.mux.Handle("GET /readyz", ready)
	p.mux.Handle("/", site.Handler())
	if !cfg.NoWorkers {
		p.sweep = func(ctx context.Context) { sweep(ctx, time.Minute) }
	}
	return p
}

// Handler is everything the simulator serves: the provider interface, readiness and the site.
func (p *process) Handler() http.Handler { return p.mux }

// Start listens on the address and runs the server and the sweeps until Close.
func (p *process) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		return err
	}
	p.ln = ln
	p.srv = &http.Server{Handler: p.mux, ReadHeaderTimeout: 10 * time.Second}
	run, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p.cancel = cancel
	p.wg.Go(func() {
		if err := p.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("http server", "addr", ln.Addr().String(), "err", err)
		}
	})
	if p.sweep != nil {
		p.wg.Go(func() { p.sweep(run) })
	}
	return nil
}

// URL is the base URL once started.
func (p *process) URL() string { return "http://" + p.ln.Addr().String() }

// Close drains readiness, finishes the requests under way, stops the sweeps and runs the closers (the
// simulator, its database).
func (p *process) Close() error {
	var err error
	if p.srv != nil {
		p.ready.Drain()
		ctx, cancel := context.WithTimeout(context.Background(), cmp.Or(p.timeout, DefaultShutdownTimeout))
		err = p.srv.Shutdown(ctx)
		cancel()
		p.cancel()
		p.wg.Wait()
	}
	for _, c := range p.closers {
		err = errors.Join(err, c())
	}
	return err
}
