package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
	"github.com/beian/beian/internal/password"
)

const apartSecret = "beian-load-shared-secret-0123456789"

// startApart runs a node whose MIIT simulator runs apart, as `beian miit serve` wires it, each behind its own
// HTTP server; it returns the node's and the simulator's URLs.
func startApart(t *testing.T) (node, sim string) {
	t.Helper()
	dir := t.TempDir()
	m, err := app.NewMIIT(context.Background(), app.Config{DataDir: dir, DatabaseURL: "sqlite:" + filepath.Join(dir, "unused.db"),
		Mode: "demo", ProviderID: "beian-demo", MIITPolicy: "manual", Seed: true, Password: password.Fast,
		MIITVerifyLimit: 1 << 30, Regulator: app.RegulatorConfig{Secret: apartSecret}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(srv.Close)
	a := apptest.Start(t, "", func(c *app.Config) {
		c.Regulator = app.RegulatorConfig{URL: srv.URL, PublicURL: srv.URL, Secret: apartSecret}
		c.Evidence.Require = false
	})
	return a.URL(), srv.URL
}

// runWithin is runLoad that fails the test when the run takes longer than d (it hung).
func runWithin(t *testing.T, d time.Duration, args ...string) (int, string) {
	t.Helper()
	type result struct {
		code   int
		errOut string
	}
	done := make(chan result, 1)
	go func() {
		code, _, errOut := runLoad(args...)
		done <- result{code, errOut}
	}()
	select {
	case r := <-done:
		return r.code, r.errOut
	case <-time.After(d):
		t.Fatalf("beian-load %s still running after %s", strings.Join(args, " "), d)
		return 0, ""
	}
}

// -url against a node whose MIIT simulator runs apart: without -miit-url the run is refused at once, naming
// the simulator and the flag (it waited for codes that never reach the node's outbox); with it, the
// lifecycles complete. -miit-url without -url, or against a node that runs the simulator inside, is refused.
func TestURLWithSimulatorApart(t *testing.T) {
	node, sim := startApart(t)
	code, errOut := runWithin(t, 30*time.Second, "lifecycle", "-n", "2", "-c", "1", "-url", node)
	if code != 1 || !strings.Contains(errOut, "-miit-url") || !strings.Contains(errOut, sim) {
		t.Fatalf("without -miit-url: exit %d, %q; want exit 1 naming %s and -miit-url", code, errOut, sim)
	}
	if code, errOut := runWithin(t, 2*time.Minute, "lifecycle", "-n", "2", "-c", "2", "-url", node, "-miit-url", sim); code != 0 {
		t.Fatalf("with -miit-url: exit %d, %q", code, errOut)
	}
	if code, errOut := runWithin(t, 30*time.Second, "mixed", "-miit-url", sim); code != 2 || !strings.Contains(errOut, "-miit-url needs -url") {
		t.Fatalf("-miit-url without -url: exit %d, %q", code, errOut)
	}
	inside := apptest.Start(t, "").URL()
	code, errOut = runWithin(t, 30*time.Second, "lifecycle", "-n", "1", "-c", "1", "-url", inside, "-miit-url", sim)
	if code != 1 || !strings.Contains(errOut, "runs the MIIT simulator inside") {
		t.Fatalf("-miit-url with the simulator inside: exit %d, %q", code, errOut)
	}
}
