package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/web/webtest"
)

// /metrics exports HTTP latency by route pattern, orders by state, the outbox per lane, the regulator's round
// trips and the database pools; /readyz says the databases answer and are migrated.
func TestMetricsAndReadiness(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	applicant, resourceID := p.newApplicant("metrics@example.com")
	o := p.open(applicant, check("metrics-demo.cn"), resourceID, filing.NewFiling)
	applicant.must(200, "GET", path("/api/v1/orders/%d", o.ID), nil, nil)
	applicant.do("GET", "/api/v1/orders/999999", nil)

	status, body := webtest.Get(t, a.URL()+"/readyz")
	if status != 200 || !strings.Contains(body, `"ready"`) {
		t.Fatalf("readyz: %d %s", status, body)
	}
	eventually(t, "a download of the regulator's results", func() bool {
		_, m := webtest.Get(t, a.URL()+"/metrics")
		return strings.Contains(m, `beian_regulator_request_duration_seconds_count{op="results",outcome="ok"}`)
	})
	_, m := webtest.Get(t, a.URL()+"/metrics")
	for _, want := range []string{
		`beian_http_request_duration_seconds_count{code="200",method="GET",route="GET /api/v1/orders/{id}"} 1`,
		`beian_http_request_duration_seconds_count{code="404",method="GET",route="GET /api/v1/orders/{id}"} 1`,
		`beian_orders{state="draft"} 1`,
		`beian_orders{state="approved"} `,
		`beian_outbox_pending{lane="regulator.submit"} 0`,
		`beian_outbox_oldest_age_seconds{lane="sms"} `,
		`go_sql_wait_count_total{db_name="provider"} `,
		`go_sql_in_use_connections{db_name="miit"} `,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(m, "/api/v1/orders/999999") {
		t.Error("a request path (with its id) became a label; routes should be patterns")
	}
}

// BEIAN_METRICS_ADDR moves /metrics to its own listener.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	ln := freeAddr(t)
	a := startApp(t, "", func(c *app.Config) { c.MetricsAddr = ln })
	if status, _ := webtest.Get(t, a.URL()+"/metrics"); status == 200 {
		t.Error("/metrics still served beside the application")
	}
	if status, body := webtest.Get(t, "http://"+ln+"/metrics"); status != 200 || !strings.Contains(body, "beian_orders") {
		t.Errorf("metrics address: %d", status)
	}
	for _, probe := range []string{"/healthz", "/readyz"} { // for health checks when the application's address needs TLS
		if status, _ := webtest.Get(t, "http://"+ln+probe); status != 200 {
			t.Errorf("metrics address %s: %d", probe, status)
		}
	}
}

func freeAddr(t *testing.T) string {
	s := httptest.NewServer(http.NotFoundHandler())
	addr := s.Listener.Addr().String()
	s.Close()
	return addr
}

// holdingSMS is an SMS gateway that answers at once, except for messages to held, which it keeps until release
// is closed.
func holdingSMS(t *testing.T, held string) (url string, arrived <-chan struct{}, release chan struct{}) {
	arrivedC, releaseC := make(chan struct{}), make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct{ To string }
		json.NewDecoder(r.Body).Decode(&m)
		if m.To == held {
			once.Do(func() { close(arrivedC) })
			<-releaseC
		}
		w.WriteHeader(200)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { // before srv.Close, which waits for the held request
		select {
		case <-releaseC:
		default:
			close(releaseC)
		}
	})
	return srv.URL, arrivedC, releaseC
}

// A shutdown lets a delivery under way finish and records it: the message is not sent twice. It also answers a
// long poll at once rather than holding the shutdown for the rest of its wait.
func TestGracefulShutdown(t *testing.T) {
	const phone = "13800138000"
	url, arrived, release := holdingSMS(t, phone)
	a := startApp(t, "", func(c *app.Config) { c.SMSURL, c.ShutdownTimeout = url, 15*time.Second })
	p := newParties(t, a)
	applicant, resourceID := p.newApplicant("graceful@example.com")
	o := p.open(applicant, check("graceful-demo.cn"), resourceID, filing.NewFiling)
	applicant.must(200, "GET", path("/api/v1/orders/%d", o.ID), nil, o) // its version now

	ctx := context.Background()
	if err := a.Store.Update(ctx, func(tx *store.Tx) error {
		return tx.Enqueue(ctx, "sms", []byte(`{"channel":"sms","to":"`+phone+`","body":"您的备案已提交"}`), time.Now())
	}); err != nil {
		t.Fatal(err)
	}
	a.Worker.Kick()
	<-arrived

	type answer struct {
		status  int
		version int
		err     error
	}
	polled := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest("GET", a.URL()+path("/api/v1/orders/%d?version=%d&wait=25s", o.ID, o.Version), nil)
		req.Header.Set("Authorization", "Bearer "+applicant.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			polled <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		var got filing.Order
		json.NewDecoder(resp.Body).Decode(&got)
		polled <- answer{status: resp.StatusCode, version: got.Version}
	}()
	select {
	case got := <-polled:
		t.Fatalf("the long poll answered before the shutdown: %+v", got)
	case <-time.After(200 * time.Millisecond): // it is waiting
	}

	closed := make(chan error, 1)
	go func() { closed <- a.Close() }()
	if got := <-polled; got.status != 200 || got.version != o.Version {
		t.Fatalf("long poll during shutdown: %+v, want 200 with the order unchanged", got)
	}
	select {
	case err := <-closed:
		t.Fatalf("shutdown finished (%v) while a delivery was under way", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if err := <-closed; err != nil {
		t.Fatalf("shutdown: %v", err)
	}

	db, err := sqldb.Open(ctx, a.Cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var done, failed int64
	if err := db.R.QueryRowContext(ctx, `SELECT done_at, failed FROM outbox WHERE topic = 'sms' ORDER BY id DESC LIMIT 1`).
		Scan(&done, &failed); err != nil {
		t.Fatal(err)
	}
	if done == 0 || failed != 0 {
		t.Fatalf("the SMS delivered during shutdown is recorded as done_at=%d failed=%d: it would be sent again", done, failed)
	}
}
