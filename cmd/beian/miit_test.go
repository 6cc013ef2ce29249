package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/webtest"
)

const wireSecret = "e2e-shared-secret-0123456789"

// apart is a provider and a `beian miit serve` simulator, each its own process with its own database.
type apart struct {
	bin, simAddr, simDir string
	sim, provider        *node
	provDir              string
}

func startApart(t *testing.T) *apart {
	t.Helper()
	a := &apart{bin: buildBeian(t), simAddr: freeAddr(t), simDir: t.TempDir(), provDir: t.TempDir()}
	a.startSim(t)
	a.provider = startProc(t, a.bin, "provider", []string{"serve"}, "BEIAN_ADDR", freeAddr(t), a.provDir,
		"BEIAN_MODE=demo", "BEIAN_MIIT_URL="+a.sim.url, "BEIAN_MIIT_SECRET="+wireSecret, "BEIAN_REQUIRE_EVIDENCE=false")
	return a
}

// startSim (re)starts the simulator on its address and data directory.
func (a *apart) startSim(t *testing.T) {
	t.Helper()
	a.sim = startProc(t, a.bin, "miit", []string{"miit", "serve"}, "BEIAN_MIIT_ADDR", a.simAddr, a.simDir,
		"BEIAN_MODE=demo", "BEIAN_MIIT_SECRET="+wireSecret, "BEIAN_MIIT_VERIFY_LIMIT=1000000")
}

// applicant registers an applicant at the provider and logs the staff in (staff); run names the test's data.
func (a *apart) applicant(ctx context.Context, t *testing.T) (*loadtest.Applicant, *loadtest.Staff, string) {
	t.Helper()
	provStaff, staff := a.staff(ctx, t)
	run := fmt.Sprint(time.Now().UnixNano())
	applicant, err := loadtest.NewApplicant(ctx, []string{a.provider.url}, loadtest.NewHTTPClient(4), provStaff, run, 0)
	if err != nil {
		t.Fatal(err)
	}
	return applicant, staff, run
}

// staff logs in the provider's reviewer and operator (who set up applicants) and the simulator's officer and
// operator (who read the codes the simulator texts).
func (a *apart) staff(ctx context.Context, t *testing.T) (provider, lifecycle *loadtest.Staff) {
	t.Helper()
	client := loadtest.NewHTTPClient(4)
	login := func(url, email string) *loadtest.Party {
		p, err := loadtest.Login(ctx, []string{url}, 0, client, email, app.DemoPassword)
		if err != nil {
			t.Fatalf("login %s at %s: %v", email, url, err)
		}
		return p
	}
	reviewer := login(a.provider.url, "reviewer@beian.local")
	provider = &loadtest.Staff{Reviewer: reviewer, Operator: login(a.provider.url, "operator@beian.local")}
	lifecycle = &loadtest.Staff{Reviewer: reviewer, Officer: login(a.sim.url, "officer@beian.local"),
		Operator: login(a.sim.url, "operator@beian.local"), MIITApart: true}
	return provider, lifecycle
}

var websiteNumber = regexp.MustCompile(`^粤ICP备\d+号-1$`)

// The simulator runs as its own process (`beian miit serve`, its own SQLite file and address) and the provider
// reaches it only over the signed HTTP transport: an order goes from the filing-type check to its ICP number,
// the principal verifying on the simulator's page and the officer deciding on the simulator's console; the
// simulator's public query then shows the number, and the provider sends its visitors' /miit/… links to the
// simulator's site.
func TestSimulatorApart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts two processes")
	}
	a := startApart(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	applicant, staff, run := a.applicant(ctx, t)
	number, err := loadtest.Lifecycle(ctx, applicant, staff, run, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !websiteNumber.MatchString(number) {
		t.Fatalf("website number %q", number)
	}
	if got := queryNumber(t, a.sim.url, fmt.Sprintf("l7-%s.cn", run)); got != number {
		t.Fatalf("the simulator's public query shows %q, the provider %q", got, number)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(a.provider.url + "/miit/verify?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != a.sim.url+"/miit/verify?x=1" {
		t.Fatalf("the provider's link to the verification page: HTTP %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	a.checkSimulatorOps(t, fmt.Sprintf("l7-%s.cn", run), number)
}

// checkSimulatorOps checks the simulator's own operations once domain is filed as number: /healthz; /metrics
// with its queues, its routes and its database pool; `beian miit backup` while it serves; SIGTERM stops it
// gracefully (exit status 0); `beian miit restore` into a fresh directory gives a simulator that knows the filing.
func (a *apart) checkSimulatorOps(t *testing.T, domain, number string) {
	t.Helper()
	if status, body := webtest.Get(t, a.sim.url+"/healthz"); status != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz: %d %s", status, body)
	}
	_, metrics := webtest.Get(t, a.sim.url+"/metrics")
	for _, want := range []string{
		`beian_miit_submissions{state="approved"} 1`,
		`beian_miit_submissions{state="administration_review"} 0`,
		`beian_http_request_duration_seconds_count{code="200",method="POST",route="POST /miit/isp/v1/upload"} 1`,
		`route="POST /miit/isp/v1/download"`,
		`code="200",method="POST",route="POST /api/v1/session"`, // the officer signs in at the simulator
		`go_sql_wait_count_total{db_name="miit"}`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("the simulator's metrics lack %q", want)
		}
	}
	env := []string{"BEIAN_MODE=demo", "BEIAN_MIIT_SECRET=" + wireSecret}
	backup := filepath.Join(t.TempDir(), "backup")
	if out, err := runBeian(a.bin, a.simDir, env, "miit", "backup", backup); err != nil {
		t.Fatalf("miit backup: %v\n%s", err, out)
	}
	if err := a.sim.stop(syscall.SIGTERM); err != nil {
		t.Fatalf("the simulator did not stop gracefully on SIGTERM: %v", err)
	}
	restored := t.TempDir()
	if out, err := runBeian(a.bin, restored, env, "miit", "restore", backup); err != nil {
		t.Fatalf("miit restore: %v\n%s", err, out)
	}
	sim := startProc(t, a.bin, "miit-restored", []string{"miit", "serve"}, "BEIAN_MIIT_ADDR", freeAddr(t), restored, env...)
	if got := queryNumber(t, sim.url, domain); got != number {
		t.Fatalf("the restored simulator shows %q for %s, want %q", got, domain, number)
	}
}

// runBeian runs the binary with the data directory dir and env.
func runBeian(bin, dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), append(env, "BEIAN_DATA_DIR="+dir)...)
	return cmd.CombinedOutput()
}

// queryNumber is the website number the public query of the simulator at base shows for domain.
func queryNumber(t *testing.T, base, domain string) string {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/query?domain=" + url.QueryEscape(domain))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Records []struct {
			ServiceNumber string `json:"service_number"`
		} `json:"records"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Records) != 1 {
		t.Fatalf("query %s: HTTP %d, %+v, %v", domain, resp.StatusCode, out, err)
	}
	return out.Records[0].ServiceNumber
}

// While the simulator is down (SIGKILL), the approved order's upload waits in the provider's outbox and is
// retried with back-off, never given up, and the console says the regulator cannot be reached; once the
// simulator is back on its database, the upload goes through and the order gets its number.
func TestSimulatorDownUploadsWait(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts two processes")
	}
	a := startApart(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	applicant, staff, run := a.applicant(ctx, t)
	staff.AfterSubmit = func(int64) { // the simulator goes down before the reviewer approves
		a.sim.stop(os.Kill)
	}

	type outcome struct {
		number string
		err    error
	}
	done := make(chan outcome, 1)
	go func() {
		n, err := loadtest.Lifecycle(ctx, applicant, staff, run, 8)
		done <- outcome{n, err}
	}()
	db, err := sqldb.Open(ctx, "sqlite:"+filepath.Join(a.provDir, "beian.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for attempts := 0; attempts < 3; {
		select {
		case o := <-done:
			t.Fatalf("the lifecycle ended while the simulator was down: %+v", o)
		case <-time.After(200 * time.Millisecond):
		}
		var failed int
		err := db.R.QueryRowContext(ctx, `SELECT attempts, failed FROM outbox WHERE topic = 'regulator.submit' AND done_at = 0`).
			Scan(&attempts, &failed)
		if err == nil && failed != 0 {
			t.Fatal("the upload was given up while the simulator was down")
		}
	}
	if body := consolePage(ctx, t, a.provider.url); !strings.Contains(body, "regulator-link-down") {
		t.Fatalf("the console does not say the regulator is unreachable:\n%s", body)
	}

	a.startSim(t)
	o := <-done
	if o.err != nil {
		t.Fatalf("after the simulator came back: %v", o.err)
	}
	if !websiteNumber.MatchString(o.number) {
		t.Fatalf("website number %q", o.number)
	}
	var pending int
	if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE topic = 'regulator.submit' AND (done_at = 0 OR failed = 1)`).
		Scan(&pending); err != nil || pending != 0 {
		t.Fatalf("%d uploads undelivered or given up (%v)", pending, err)
	}
	if body := consolePage(ctx, t, a.provider.url); strings.Contains(body, "regulator-link-down") {
		t.Fatal("the console still says the regulator is unreachable")
	}
}

// consolePage is the reviewer's console as a browser signed in as the reviewer gets it.
func consolePage(ctx context.Context, t *testing.T, base string) string {
	t.Helper()
	login, _ := json.Marshal(map[string]string{"email": "reviewer@beian.local", "password": app.DemoPassword})
	resp, err := http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(login))
	if err != nil {
		t.Fatal(err)
	}
	var session struct{ Token string }
	err = json.NewDecoder(resp.Body).Decode(&session)
	resp.Body.Close()
	if err != nil || session.Token == "" {
		t.Fatalf("login: HTTP %d, %v", resp.StatusCode, err)
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/console", nil)
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: session.Token})
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("console: HTTP %d", resp.StatusCode)
	}
	return string(body)
}
