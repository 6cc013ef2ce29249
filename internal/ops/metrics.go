package ops

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one process's Prometheus registry with beian's own series. Series read from the database (orders,
// outbox) describe the whole database, so with several nodes every node reports the same values: aggregate
// them with max(), not sum().
type Metrics struct {
	reg        *prometheus.Registry
	http       *prometheus.HistogramVec
	regulator  *prometheus.HistogramVec
	police     *prometheus.HistogramVec
	deliveries *prometheus.CounterVec
	httpSeries sync.Map // httpSeries → prometheus.Observer of http
}

// NewMetrics returns a registry with the Go runtime and process collectors and beian's series.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.http = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "beian_http_request_duration_seconds",
		Help: "Time to answer an HTTP request, by method, route pattern and status code (long polls included).",
		// Long polls last up to 25 s; ordinary requests a few milliseconds.
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"method", "route", "code"})
	m.regulator = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "beian_regulator_request_duration_seconds",
		Help:    "Round trips to the regulator (upload, withdraw, download results, acknowledge, look-ups), by operation and outcome.",
		Buckets: prometheus.DefBuckets,
	}, []string{"op", "outcome"})
	m.police = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "beian_police_request_duration_seconds",
		Help:    "Round trips to the police platform (push ICP data, read a filing's state), by operation and outcome.",
		Buckets: prometheus.DefBuckets,
	}, []string{"op", "outcome"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "beian_outbox_deliveries_total",
		Help: "Outbox deliveries attempted by this node, by lane and outcome (delivered, failed: retried later or given up).",
	}, []string{"lane", "outcome"})
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.http, m.regulator, m.police, m.deliveries)
	return m
}

// Handler serves the registry in Prometheus's text format. A collector that fails (the database is down) leaves
// its series out and the others are still served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError, Timeout: 10 * time.Second})
}

// ObserveHTTP records one answered request. route is the pattern that matched ("GET /api/v1/orders/{id}"), so
// that ids do not make a series each; requests no pattern matched count as "unmatched".
func (m *Metrics) ObserveHTTP(method, route string, status int, d time.Duration) {
	key := httpSeries{method, route, status}
	o, ok := m.httpSeries.Load(key)
	if !ok {
		if route == "" {
			route = "unmatched"
		}
		o, _ = m.httpSeries.LoadOrStore(key, m.http.WithLabelValues(method, route, strconv.Itoa(status)))
	}
	o.(prometheus.Observer).Observe(d.Seconds())
}

// httpSeries names a series of the HTTP histogram. The routes are the registered patterns, so there are few;
// resolving each once spares every request the hashing of its labels (the public query's hot path).
type httpSeries struct {
	method, route string
	status        int
}

// ObserveDelivery records one outbox delivery attempt; err nil means delivered.
func (m *Metrics) ObserveDelivery(lane string, err error) {
	outcome := "delivered"
	if err != nil {
		outcome = "failed"
	}
	m.deliveries.WithLabelValues(lane, outcome).Inc()
}

// AddDB exports a connection pool's statistics (go_sql_* series labelled db_name): open, in use and idle
// connections, and how often and how long callers waited for one.
func (m *Metrics) AddDB(name string, db *sql.DB) {
	m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// State is what the database says at scrape time.
type State struct {
	// Orders counts orders per state; states not given are reported as 0.
	Orders func(ctx context.Context) (map[string]int, error)
	// OrderStates lists every state, so that a state with no order shows 0 rather than disappearing.
	OrderStates []string
	// Outbox returns the undelivered items per lane: how many, and when the oldest was written.
	Outbox func(ctx context.Context) ([]Lane, error)
	// Now is the clock the outbox's ages are measured against.
	Now func() time.Time
}

// Lane is one queue: an outbox lane (or a provider's download queue at the simulator), how many items wait
// in it, and when the oldest was queued.
type Lane struct {
	Name    string
	Pending int
	Oldest  time.Time // zero when nothing is pending
}

// AddState exports orders by state and the outbox's depth and oldest age per lane, read at every scrape.
func (m *Metrics) AddState(s State) {
	m.AddGauge(Gauge{Name: "beian_orders", Help: "Orders by state (whole database).", Labels: []string{"state"},
		Read: func(ctx context.Context) ([]Sample, error) {
			counts, err := s.Orders(ctx)
			return Counts(s.OrderStates, counts), err
		}})
	for _, g := range Queues(Family{"beian_outbox_pending", "Undelivered outbox items by lane (whole database)."},
		Family{"beian_outbox_oldest_age_seconds", "Age of the oldest undelivered outbox item by lane; 0 when the lane is empty."},
		"lane", s.Outbox, s.Now) {
		m.AddGauge(g)
	}
}
