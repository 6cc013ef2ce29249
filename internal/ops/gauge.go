package ops

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Gauge is a family of gauges read at every scrape, typically counted in the database (the simulators' queues).
type Gauge struct {
	Name, Help string
	Labels     []string
	// Read returns the current values; a failure leaves the family out of that scrape.
	Read func(ctx context.Context) ([]Sample, error)
}

// Sample is one gauge of a family: its label values, in the order of Gauge.Labels, and its value.
type Sample struct {
	Labels []string
	Value  float64
}

// AddGauge exports g.
func (m *Metrics) AddGauge(g Gauge) {
	m.reg.MustRegister(&gaugeCollector{desc: prometheus.NewDesc(g.Name, g.Help, g.Labels, nil), read: g.Read})
}

type gaugeCollector struct {
	desc *prometheus.Desc
	read func(ctx context.Context) ([]Sample, error)
}

func (c *gaugeCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *gaugeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	samples, err := c.read(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for _, s := range samples {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, s.Value, s.Labels...)
	}
}

// Counts are samples of one label from counts by value: every value of all in its order (0 when absent from
// counts), then those counts has that all lacks.
func Counts(all []string, counts map[string]int) []Sample {
	out := make([]Sample, 0, len(all))
	seen := map[string]bool{}
	for _, v := range all {
		seen[v] = true
		out = append(out, Sample{Labels: []string{v}, Value: float64(counts[v])})
	}
	for v, n := range counts {
		if !seen[v] {
			out = append(out, Sample{Labels: []string{v}, Value: float64(n)})
		}
	}
	return out
}

// Family names a family of series.
type Family struct{ Name, Help string }

// Queues are two gauges of queues read at every scrape, one series per queue (labelled label with the queue's
// name): how many items wait (depth) and the age of the oldest, against now (age; 0 when none waits). read runs
// once for each family.
func Queues(depth, age Family, label string, read func(ctx context.Context) ([]Lane, error), now func() time.Time) []Gauge {
	of := func(value func(Lane) float64) func(ctx context.Context) ([]Sample, error) {
		return func(ctx context.Context) ([]Sample, error) {
			lanes, err := read(ctx)
			out := make([]Sample, len(lanes))
			for i, l := range lanes {
				out[i] = Sample{Labels: []string{l.Name}, Value: value(l)}
			}
			return out, err
		}
	}
	return []Gauge{
		{Name: depth.Name, Help: depth.Help, Labels: []string{label}, Read: of(func(l Lane) float64 { return float64(l.Pending) })},
		{Name: age.Name, Help: age.Help, Labels: []string{label}, Read: of(func(l Lane) float64 {
			if l.Oldest.IsZero() {
				return 0
			}
			return max(now().Sub(l.Oldest).Seconds(), 0)
		})},
	}
}

// Observe wraps h so that every request it answers is timed by the route pattern that matched (ObserveHTTP).
// The pattern is read from the request after h served it, so h must route the request it was given (an
// http.ServeMux does; a handler that copies the request before routing it reports the outer pattern).
func (m *Metrics) Observe(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		begin := time.Now()
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		m.ObserveHTTP(r.Method, r.Pattern, rec.status, time.Since(begin))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
