package app

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/beian/beian/internal/ops"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/web"
)

// process is what `beian miit serve` and `beian mps serve` share: one HTTP server on its own address serving
// the signed provider interface, the probes, /metrics and the simulator's site, and the simulator's sweeps,
// stopped in order (docs/operations.md).
type process struct {
	Metrics *ops.Metrics
	Ready   *ops.Readiness
	spec    processSpec
	timeout time.Duration // for the requests under way at Close (zero: DefaultShutdownTimeout)
	mux     *http.ServeMux
	sweep   func(ctx context.Context) // nil: no sweeps (BEIAN_WORKERS=false)

	srv, metricsSrv *http.Server
	ln              net.Listener
	cancel          context.CancelFunc
	wg              sync.WaitGroup
}

// processSpec is what a simulator process serves and runs.
type processSpec struct {
	addr      string
	tls       *tls.Config // nil: plain HTTP; else mutual TLS (RegulatorConfig.serveISP)
	name      string      // of its database, for the go_sql_* series: "miit", "mps"
	db        *sqldb.DB
	ispPrefix string       // where the signed provider interface is served, e.g. /miit/isp/
	isp       http.Handler // the signed provider interface
	site      *web.Site
	ready     []ops.Check
	gauges    []ops.Gauge // the simulator's queues
	sweep     func(ctx context.Context, interval time.Duration)
	closers   []func() error // after the server stopped, before the database closes
}

// newProcess serves spec.isp under its prefix, the probes, /metrics (or on BEIAN_METRICS_ADDR) and the site at /.
func newProcess(cfg Config, spec processSpec) *process {
	p := &process{Metrics: ops.NewMetrics(), Ready: ops.NewReadiness(spec.ready...), spec: spec,
		timeout: cfg.ShutdownTimeout, mux: http.NewServeMux()}
	addPools(p.Metrics, spec.name, spec.db)
	for _, g := range spec.gauges {
		p.Metrics.AddGauge(g)
	}
	observeSite(spec.site, p.Metrics)
	p.mux.Handle(spec.ispPrefix, p.Metrics.Observe(spec.isp))
	p.mux.Handle("GET /readyz", p.Ready)
	if cfg.MetricsAddr == "" {
		p.mux.Handle("GET /metrics", p.Metrics.Handler())
	} else {
		p.metricsSrv = metricsServer(cfg.MetricsAddr, p.Metrics, p.Ready)
	}
	p.mux.Handle("/", spec.site.Handler()) // with /healthz
	if !cfg.NoWorkers {
		p.sweep = func(ctx context.Context) { spec.sweep(ctx, time.Minute) }
	}
	return p
}

// Handler is everything the simulator serves: the provider interface, the probes, /metrics and the site.
func (p *process) Handler() http.Handler { return p.mux }

// Start listens on the address (and BEIAN_METRICS_ADDR) and runs the servers and the sweeps until Close.
func (p *process) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", p.spec.addr)
	if err != nil {
		return err
	}
	if p.spec.tls != nil {
		ln = tls.NewListener(ln, p.spec.tls)
	}
	p.ln = ln
	p.srv = &http.Server{Handler: p.mux, ReadHeaderTimeout: 10 * time.Second}
	run, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p.cancel = cancel
	p.serve(p.srv, ln)
	if p.metricsSrv != nil {
		mln, err := net.Listen("tcp", p.metricsSrv.Addr)
		if err != nil { // the caller closes p
			return fmt.Errorf("metrics address: %w", err)
		}
		p.serve(p.metricsSrv, mln)
	}
	if p.sweep != nil {
		p.wg.Go(func() { p.sweep(run) })
	}
	return nil
}

func (p *process) serve(srv *http.Server, ln net.Listener) {
	p.wg.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("http server", "addr", ln.Addr().String(), "err", err)
		}
	})
}

// URL is the base URL once started.
func (p *process) URL() string {
	if p.spec.tls != nil {
		return "https://" + p.ln.Addr().String()
	}
	return "http://" + p.ln.Addr().String()
}

// Dialect is the simulator's database's.
func (p *process) Dialect() sqldb.Dialect { return p.spec.db.Dialect }

// Close drains readiness, finishes the requests under way within BEIAN_SHUTDOWN_TIMEOUT, stops the sweeps and
// closes the simulator and its database.
func (p *process) Close() error {
	var err error
	if p.srv != nil {
		p.Ready.Drain()
		ctx, cancel := context.WithTimeout(context.Background(), cmp.Or(p.timeout, DefaultShutdownTimeout))
		for _, srv := range []*http.Server{p.srv, p.metricsSrv} {
			if srv != nil {
				err = errors.Join(err, srv.Shutdown(ctx))
			}
		}
		cancel()
		p.cancel()
		p.wg.Wait()
	}
	for _, c := range p.spec.closers {
		err = errors.Join(err, c())
	}
	return errors.Join(err, p.spec.db.Close())
}
