package app

import (
	"context"
	"net/http"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/ops"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/web"
)

// What an operator watches (internal/ops, docs/operations.md): metrics, readiness, graceful shutdown.

// DefaultShutdownTimeout bounds a graceful shutdown: requests under way, long polls answered, outbox deliveries
// finished and recorded.
const DefaultShutdownTimeout = 20 * time.Second

// wireOps creates the metrics and the readiness checks and instruments the regulator and police interfaces; call it before
// the provider's service is made from pcfg.
func (a *App) wireOps(pcfg *provider.Config) {
	a.Metrics = ops.NewMetrics()
	pcfg.Regulator = a.Metrics.Regulator(pcfg.Regulator)
	pcfg.Police = a.Metrics.Police(pcfg.Police)
	addPools(a.Metrics, "provider", a.DB)
	if a.MIITDB != nil && a.MIITDB != a.DB {
		addPools(a.Metrics, "miit", a.MIITDB)
	}
	states := make([]string, len(filing.States))
	for i, s := range filing.States {
		states[i] = string(s)
	}
	a.Metrics.AddState(ops.State{Orders: a.Store.OrderCounts, OrderStates: states, Outbox: a.outboxLanes,
		Now: a.Clock.Now})
	a.Ready = ops.NewReadiness(
		ops.Reachable("database", a.DB.R),
		ops.Migrated("migrations", a.Store.MigrationVersions),
	)
	if a.Sim != nil { // a simulator in its own process is not this node's readiness: uploads wait for it
		a.Ready.Add(ops.Reachable("miit_database", a.MIITDB.R))
		a.Ready.Add(ops.Migrated("miit_migrations", a.Sim.MigrationVersions))
	}
}

// instrument connects the worker and the web server to the metrics once they exist.
func (a *App) instrument() {
	a.Worker.OnDelivery = a.Metrics.ObserveDelivery
	observeSite(a.Web, a.Metrics)
}

// observeSite times the requests site answers by the route pattern that matched.
func observeSite(site *web.Site, m *ops.Metrics) {
	site.Observe = func(r *http.Request, status int, d time.Duration) { m.ObserveHTTP(r.Method, r.Pattern, status, d) }
}

// addPools exports the connection pools of db (go_sql_* labelled name, and name_read for SQLite's readers).
func addPools(m *ops.Metrics, name string, db *sqldb.DB) {
	m.AddDB(name, db.W)
	if db.R != db.W {
		m.AddDB(name+"_read", db.R)
	}
}

// outboxLanes reports every lane of the outbox, empty ones included (each topic is delivered by its own lane).
func (a *App) outboxLanes(ctx context.Context) ([]ops.Lane, error) {
	topics, err := a.Store.OutboxTopics(ctx)
	if err != nil {
		return nil, err
	}
	byTopic := map[string]store.OutboxTopic{}
	for _, t := range topics {
		byTopic[t.Topic] = t
	}
	var out []ops.Lane
	for _, name := range provider.Topics() {
		t := byTopic[name]
		delete(byTopic, name)
		out = append(out, ops.Lane{Name: name, Pending: t.Pending, Oldest: sqldb.Time(t.Oldest)})
	}
	for _, t := range topics {
		if _, left := byTopic[t.Topic]; left { // a topic no lane delivers
			out = append(out, ops.Lane{Name: t.Topic, Pending: t.Pending, Oldest: sqldb.Time(t.Oldest)})
		}
	}
	return out, nil
}

// handler serves /readyz and /metrics beside the application (whose own /healthz says the process is up).
func (a *App) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /readyz", a.Ready)
	if a.Cfg.MetricsAddr == "" {
		mux.Handle("GET /metrics", a.Metrics.Handler())
	}
	if a.Sim == nil {
		mux.Handle("/miit/", a.Cfg.Regulator.pages())
	}
	if a.MPS == nil {
		mux.Handle("/mps/", a.Cfg.Police.pages())
	}
	mux.Handle("/", a.Web.Handler())
	return mux
}

// metricsServer serves /metrics on its own address when BEIAN_METRICS_ADDR is set (e.g. reachable only from
// the monitoring network); nil otherwise.
func (a *App) metricsServer() *http.Server {
	if a.Cfg.MetricsAddr == "" {
		return nil
	}
	return metricsServer(a.Cfg.MetricsAddr, a.Metrics, a.Ready)
}

// metricsServer serves m's /metrics on addr, in plain HTTP, with the probes (/healthz, and ready's /readyz,
// which are also served beside the application): health checks reach them there when the application's
// address requires mutual TLS.
func metricsServer(addr string, m *ops.Metrics, ready *ops.Readiness) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("GET /readyz", ready)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		web.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
}
