package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/regulator/regulatorhttp"
	"github.com/beian/beian/internal/wiresign"
)

const wireSecret = "wire-test-secret-0123456789"

// startMIIT runs the simulator as `beian miit serve` wires it, on its own SQLite file, behind the returned
// handler (not listening: the test puts its own server in front).
func startMIIT(t *testing.T) *app.MIIT {
	t.Helper()
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, DatabaseURL: "sqlite:" + filepath.Join(dir, "unused.db"), Mode: "demo",
		ProviderID: "beian-demo", MIITPolicy: "manual", Seed: true, Password: password.Fast,
		MIITVerifyLimit: 1_000_000, Regulator: app.RegulatorConfig{Secret: wireSecret}}
	m, err := app.NewMIIT(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// ackDropper stands between the provider and the simulator: it answers the first drops acknowledgements with
// a proxy's garbage instead of passing them on, and counts how often each result id was downloaded.
type ackDropper struct {
	next  http.Handler
	mu    sync.Mutex
	drops int
	seen  map[int64]int
}

func (d *ackDropper) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	drop := r.URL.Path == regulatorhttp.PathAck && d.drops > 0
	if drop {
		d.drops--
	}
	d.mu.Unlock()
	if drop {
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html>502 Bad Gateway</html>")
		return
	}
	rec := httptest.NewRecorder()
	d.next.ServeHTTP(rec, r)
	if r.URL.Path == regulatorhttp.PathDownload {
		var a struct {
			Data struct{ Results []struct{ ID int64 } }
		}
		json.Unmarshal(rec.Body.Bytes(), &a)
		d.mu.Lock()
		for _, res := range a.Data.Results {
			d.seen[res.ID]++
		}
		d.mu.Unlock()
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	io.Copy(w, bytes.NewReader(rec.Body.Bytes()))
}

// The provider downloads results and applies them, but its acknowledgements are lost (a crash between the
// download and the ack looks the same to the simulator): the results are downloaded again, applying them again
// changes nothing (one event per decision in the order's history), and once an ack gets through they are not
// sent again. The order still gets its ICP number.
func TestResultsRedeliveredUntilAcknowledged(t *testing.T) {
	m := startMIIT(t)
	drop := &ackDropper{next: m.Handler(), drops: 4, seen: map[int64]int{}}
	sim := httptest.NewServer(drop)
	defer sim.Close()
	a := apptest.Start(t, "", func(c *app.Config) {
		c.Regulator = app.RegulatorConfig{URL: sim.URL, Secret: wireSecret}
		c.Evidence.Require = false
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	client := loadtest.NewHTTPClient(4)
	login := func(url, email string) *loadtest.Party {
		p, err := loadtest.Login(ctx, []string{url}, 0, client, email, app.DemoPassword)
		if err != nil {
			t.Fatalf("login %s: %v", email, err)
		}
		return p
	}
	provStaff := &loadtest.Staff{Reviewer: login(a.URL(), "reviewer@beian.local"), Operator: login(a.URL(), "operator@beian.local")}
	staff := &loadtest.Staff{Reviewer: provStaff.Reviewer, Officer: login(sim.URL, "officer@beian.local"),
		Operator: login(sim.URL, "operator@beian.local"), MIITApart: true}
	run := fmt.Sprint(time.Now().UnixNano())
	applicant, err := loadtest.NewApplicant(ctx, []string{a.URL()}, client, provStaff, run, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadtest.Lifecycle(ctx, applicant, staff, run, 3); err != nil {
		t.Fatal(err)
	}

	for unacked := -1; unacked != 0; time.Sleep(20 * time.Millisecond) { // the last ack may still be under way
		if err := m.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM miit_results WHERE acked_at = 0`).Scan(&unacked); err != nil {
			t.Fatalf("%d results unacknowledged: %v", unacked, err)
		}
	}
	drop.mu.Lock()
	redelivered := 0
	for _, n := range drop.seen {
		if n > 1 {
			redelivered++
		}
	}
	drop.mu.Unlock()
	if drop.drops != 0 || redelivered == 0 {
		t.Fatalf("%d acks left to drop, %d results downloaded more than once: the test did not redeliver", drop.drops, redelivered)
	}
	rows, err := a.DB.R.QueryContext(ctx, `SELECT action, COUNT(*) FROM order_events e JOIN orders o ON o.id = e.order_id
		WHERE o.state = 'approved' AND e.actor_role = 'regulator' GROUP BY action`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var action string
		var n int
		if err := rows.Scan(&action, &n); err != nil {
			t.Fatal(err)
		}
		got[action] = n
	}
	want := map[string]int{"forwarded": 1, "sms_verified": 1, "administration_approve": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("regulator events of the order %v, want %v", got, want)
	}
}

func TestRegulatorConfig(t *testing.T) {
	const secret = "0123456789abcdef"
	for _, tt := range []struct {
		env     map[string]string
		want    app.RegulatorConfig
		errPart string
	}{
		{map[string]string{}, app.RegulatorConfig{Addr: "127.0.0.1:8081"}, ""},
		{map[string]string{"BEIAN_MIIT_URL": "http://miit:8081/", "BEIAN_MIIT_SECRET": secret},
			app.RegulatorConfig{URL: "http://miit:8081/", PublicURL: "http://miit:8081", Secret: secret, Addr: "127.0.0.1:8081"}, ""},
		{map[string]string{"BEIAN_MIIT_URL": "http://miit:8081", "BEIAN_MIIT_SECRET": secret,
			"BEIAN_MIIT_PUBLIC_URL": "https://miit.example.com", "BEIAN_MIIT_ADDR": "0.0.0.0:9000"},
			app.RegulatorConfig{URL: "http://miit:8081", PublicURL: "https://miit.example.com", Secret: secret, Addr: "0.0.0.0:9000"}, ""},
		{map[string]string{"BEIAN_MIIT_URL": "http://miit:8081"}, app.RegulatorConfig{}, "BEIAN_MIIT_SECRET must be set"},
		{map[string]string{"BEIAN_MIIT_URL": "http://miit:8081", "BEIAN_MIIT_SECRET": "short"}, app.RegulatorConfig{}, "at least 16"},
		{map[string]string{"BEIAN_MIIT_URL": "miit:8081", "BEIAN_MIIT_SECRET": secret}, app.RegulatorConfig{}, "BEIAN_MIIT_URL must be"},
		{map[string]string{"BEIAN_MIIT_URL": "http://miit:8081", "BEIAN_MIIT_SECRET": secret, "BEIAN_MIIT_PUBLIC_URL": "ftp://x"},
			app.RegulatorConfig{}, "BEIAN_MIIT_PUBLIC_URL must be"},
		// mutual TLS instead of the secret
		{map[string]string{"BEIAN_MIIT_URL": "https://miit:8081", "BEIAN_MIIT_CA": "ca.pem", "BEIAN_MIIT_CERT": "c.pem",
			"BEIAN_MIIT_KEY": "k.pem"}, app.RegulatorConfig{URL: "https://miit:8081", PublicURL: "https://miit:8081",
			Addr: "127.0.0.1:8081", TLS: wiresign.TLSFiles{CA: "ca.pem", Cert: "c.pem", Key: "k.pem"}}, ""},
		{map[string]string{"BEIAN_MIIT_CA": "ca.pem", "BEIAN_MIIT_CERT": "c.pem", "BEIAN_MIIT_KEY": "k.pem"},
			app.RegulatorConfig{Addr: "127.0.0.1:8081", TLS: wiresign.TLSFiles{CA: "ca.pem", Cert: "c.pem", Key: "k.pem"}}, ""},
		{map[string]string{"BEIAN_MIIT_URL": "http://miit:8081", "BEIAN_MIIT_CA": "ca.pem", "BEIAN_MIIT_CERT": "c.pem",
			"BEIAN_MIIT_KEY": "k.pem"}, app.RegulatorConfig{}, "https address with mutual TLS"},
		{map[string]string{"BEIAN_MIIT_CA": "ca.pem"}, app.RegulatorConfig{}, "go together"},
		{map[string]string{"DATABASE_URL": "postgress://beian:pw@db/beian"}, app.RegulatorConfig{}, `DATABASE_URL: database URL: unknown scheme "postgress"`},
		{map[string]string{"BEIAN_MIIT_DATABASE_URL": "mysql://db/miit"}, app.RegulatorConfig{}, "BEIAN_MIIT_DATABASE_URL"},
	} {
		c, err := app.FromEnv(func(k string) string { return tt.env[k] })
		if tt.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Errorf("%v: err %v, want %q", tt.env, err, tt.errPart)
			}
			continue
		}
		if err != nil || c.Regulator != tt.want {
			t.Errorf("%v: %+v, %v", tt.env, c.Regulator, err)
		}
	}
}

// `beian miit serve` does not start without the shared secret: nobody could call it, or anybody could.
func TestMIITNeedsSecret(t *testing.T) {
	dir := t.TempDir()
	_, err := app.NewMIIT(context.Background(), app.Config{DataDir: dir, DatabaseURL: "sqlite:" + filepath.Join(dir, "x.db"),
		Mode: "demo", ProviderID: "beian-demo", MIITPolicy: "manual"})
	if err == nil || !strings.Contains(err.Error(), "BEIAN_MIIT_SECRET") {
		t.Fatalf("started without a secret: %v", err)
	}
}

// With the simulator in its own process, the police platform checks ICP numbers through the simulator's public
// query over HTTP: a filed domain of the demo registry is found with its numbers, an unfiled one is not.
func TestPoliceICPLookupOverHTTP(t *testing.T) {
	m := startMIIT(t)
	sim := httptest.NewServer(m.Handler())
	defer sim.Close()
	lookup := app.RemoteICPLookup(sim.URL)
	rec, err := lookup(context.Background(), "example-sz.cn")
	if err != nil || !rec.Filed || rec.ServiceNumber != "粤ICP备2025000001号-1" || rec.SubjectNumber != "粤ICP备2025000001号" ||
		rec.SubjectName == "" || rec.ServiceName == "" {
		t.Fatalf("filed domain: %+v, %v", rec, err)
	}
	if rec, err := lookup(context.Background(), "never-filed.cn"); err != nil || rec.Filed {
		t.Fatalf("unfiled domain: %+v, %v", rec, err)
	}
}

// BEIAN_MPS_… configure the police interface as BEIAN_MIIT_… the regulator's; the police platform's ICP check
// reads MIIT's public query at BEIAN_MPS_ICP_URL, by default BEIAN_MIIT_URL.
func TestPoliceConfig(t *testing.T) {
	const secret = "0123456789abcdef"
	for _, tt := range []struct {
		env     map[string]string
		want    app.RegulatorConfig
		icp     string
		errPart string
	}{
		{map[string]string{}, app.RegulatorConfig{Addr: "127.0.0.1:8082"}, "", ""},
		{map[string]string{"BEIAN_MPS_URL": "http://mps:8082", "BEIAN_MPS_SECRET": secret, "BEIAN_MPS_PUBLIC_URL": "https://mps.example.com/",
			"BEIAN_MIIT_URL": "http://miit:8081", "BEIAN_MIIT_SECRET": secret},
			app.RegulatorConfig{URL: "http://mps:8082", PublicURL: "https://mps.example.com", Secret: secret, Addr: "127.0.0.1:8082"},
			"http://miit:8081", ""},
		{map[string]string{"BEIAN_MPS_ICP_URL": "http://miit:8081", "BEIAN_MPS_ADDR": "0.0.0.0:9002"},
			app.RegulatorConfig{Addr: "0.0.0.0:9002"}, "http://miit:8081", ""},
		{map[string]string{"BEIAN_MPS_URL": "http://mps:8082"}, app.RegulatorConfig{}, "", "BEIAN_MPS_SECRET must be set"},
		{map[string]string{"BEIAN_MPS_URL": "mps", "BEIAN_MPS_SECRET": secret}, app.RegulatorConfig{}, "", "BEIAN_MPS_URL must be"},
		{map[string]string{"BEIAN_MPS_ICP_URL": "miit:8081"}, app.RegulatorConfig{}, "", "BEIAN_MPS_ICP_URL must be"},
	} {
		c, err := app.FromEnv(func(k string) string { return tt.env[k] })
		if tt.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Errorf("%v: err %v, want %q", tt.env, err, tt.errPart)
			}
			continue
		}
		if err != nil || c.Police != tt.want || c.ICPQueryURL != tt.icp {
			t.Errorf("%v: %+v %q, %v", tt.env, c.Police, c.ICPQueryURL, err)
		}
	}
}

// `beian mps serve` does not start without the shared secret, nor without MIIT's public query for its ICP check.
func TestMPSNeedsSecretAndICPQuery(t *testing.T) {
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, DatabaseURL: "sqlite:" + filepath.Join(dir, "x.db"), Mode: "demo", ProviderID: "beian-demo"}
	if _, err := app.NewMPS(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "BEIAN_MPS_SECRET") {
		t.Fatalf("started without a secret: %v", err)
	}
	cfg.Police.Secret = "0123456789abcdef"
	if _, err := app.NewMPS(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "BEIAN_MPS_ICP_URL") {
		t.Fatalf("started without MIIT's query: %v", err)
	}
}
