// Package apptest starts the real server for tests and benchmarks: demo mode, a free loopback port, demo data,
// fast password hashing, and a fresh SQLite database in a temporary directory unless a database URL is given.
package apptest

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/password"
)

// Start runs the server until the test ends; tweaks adjust the configuration first.
func Start(tb testing.TB, dbURL string, tweaks ...func(*app.Config)) *app.App {
	tb.Helper()
	dir := tb.TempDir()
	cfg := app.Config{Addr: "127.0.0.1:0", DatabaseURL: dbURL, DataDir: dir, Mode: "demo", ProviderID: "beian-demo",
		MIITPolicy: "manual", Seed: true, Password: password.Fast, WorkerInterval: 20 * time.Millisecond}
	if dbURL == "" {
		cfg.DatabaseURL = "sqlite:" + filepath.Join(dir, "beian.db")
	}
	for _, f := range tweaks {
		f(&cfg)
	}
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		a.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Close() })
	return a
}

// apartSecret signs the transport between StartApart's node and its simulator.
const apartSecret = "apptest-shared-secret-0123456789abcdef"

// StartApart runs a node whose MIIT simulator runs apart, as `beian miit serve` wires it (demo mode, manual
// review, no limit on verification attempts), each behind its own HTTP server, until the test ends; it returns
// the node and the simulator's URL. tweaks adjust the node's configuration, as for Start.
func StartApart(tb testing.TB, tweaks ...func(*app.Config)) (*app.App, string) {
	tb.Helper()
	dir := tb.TempDir()
	m, err := app.NewMIIT(context.Background(), app.Config{DataDir: dir, DatabaseURL: "sqlite:" + filepath.Join(dir, "unused.db"),
		Mode: "demo", ProviderID: "beian-demo", MIITPolicy: "manual", Seed: true, Password: password.Fast,
		MIITVerifyLimit: 1 << 30, Regulator: app.RegulatorConfig{Secret: apartSecret}})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	sim := httptest.NewServer(m.Handler())
	tb.Cleanup(sim.Close)
	a := Start(tb, "", append([]func(*app.Config){func(c *app.Config) {
		c.Regulator = app.RegulatorConfig{URL: sim.URL, PublicURL: sim.URL, Secret: apartSecret}
		c.Evidence.Require = false
	}}, tweaks...)...)
	return a, sim.URL
}
