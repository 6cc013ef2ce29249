package ops

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/police"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func hasAll(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("metrics lack %q", w)
		}
	}
}

// flaky is a police platform that answers pushes and fails status reads.
type flaky struct{}

func (flaky) PushICPData(context.Context, police.Push) (police.DataCode, error) {
	return police.DataCode{Code: "x"}, nil
}

func (flaky) FilingStatus(context.Context, police.StatusQuery) (police.FilingStatus, error) {
	return police.FilingStatus{}, police.ErrUnavailable
}

// Every round trip to the police platform is counted by operation and outcome; the answers pass unchanged.
func TestPoliceRoundTrips(t *testing.T) {
	m := NewMetrics()
	p := m.Police(flaky{})
	for range 2 {
		if dc, err := p.PushICPData(context.Background(), police.Push{}); err != nil || dc.Code != "x" {
			t.Fatalf("push: %+v, %v", dc, err)
		}
	}
	if _, err := p.FilingStatus(context.Background(), police.StatusQuery{}); !errors.Is(err, police.ErrUnavailable) {
		t.Fatalf("status: %v", err)
	}
	hasAll(t, scrape(t, m), `beian_police_request_duration_seconds_count{op="push",outcome="ok"} 2`,
		`beian_police_request_duration_seconds_count{op="status",outcome="error"} 1`)
	if m.Police(nil) != nil {
		t.Error("no platform became one")
	}
}

// Gauges are read at each scrape: every listed value shows (0 when absent), values not listed too, and a
// family whose read fails is left out while the others are served.
func TestGauges(t *testing.T) {
	m := NewMetrics()
	m.AddGauge(Gauge{Name: "t_queue", Help: "h", Labels: []string{"state"}, Read: func(context.Context) ([]Sample, error) {
		return Counts([]string{"waiting", "done"}, map[string]int{"waiting": 3, "odd": 1}), nil
	}})
	m.AddGauge(Gauge{Name: "t_broken", Help: "h", Labels: []string{"x"}, Read: func(context.Context) ([]Sample, error) {
		return nil, errors.New("database down")
	}})
	body := scrape(t, m)
	hasAll(t, body, `t_queue{state="waiting"} 3`, `t_queue{state="done"} 0`, `t_queue{state="odd"} 1`)
	if strings.Contains(body, "t_broken{") {
		t.Error("a failed read exported values")
	}
}

// Observe times requests by the innermost pattern that matched, also through nested muxes; paths never become
// labels.
func TestObserveNestedRoutes(t *testing.T) {
	m := NewMetrics()
	inner := http.NewServeMux()
	inner.HandleFunc("POST /isp/v1/{op}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) })
	outer := http.NewServeMux()
	outer.Handle("/isp/", m.Observe(inner))
	for _, req := range []*http.Request{httptest.NewRequest("POST", "/isp/v1/upload", nil),
		httptest.NewRequest("POST", "/isp/v1/ack", nil), httptest.NewRequest("GET", "/isp/nothing", nil)} {
		outer.ServeHTTP(httptest.NewRecorder(), req)
	}
	body := scrape(t, m)
	hasAll(t, body, `beian_http_request_duration_seconds_count{code="401",method="POST",route="POST /isp/v1/{op}"} 2`,
		`beian_http_request_duration_seconds_count{code="404",method="GET",route="unmatched"} 1`)
	if strings.Contains(body, "/isp/v1/upload") {
		t.Error("a path became a label")
	}
}

// Queues export each queue's depth and the age of its oldest item against the given clock; an empty queue is
// 0 old.
func TestQueues(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	m := NewMetrics()
	for _, g := range Queues(Family{"t_pending", "h"}, Family{"t_age_seconds", "h"}, "provider",
		func(context.Context) ([]Lane, error) {
			return []Lane{{Name: "isp-a", Pending: 4, Oldest: now.Add(-90 * time.Second)}, {Name: "isp-b"}}, nil
		}, func() time.Time { return now }) {
		m.AddGauge(g)
	}
	hasAll(t, scrape(t, m), `t_pending{provider="isp-a"} 4`, `t_age_seconds{provider="isp-a"} 90`,
		`t_pending{provider="isp-b"} 0`, `t_age_seconds{provider="isp-b"} 0`)
}
