// Package apptest starts the real server for tests and benchmarks: demo mode, a free loopback port, demo data,
// fast password hashing, and a fresh SQLite database in a temporary directory unless a database URL is given.
package apptest

import (
	"context"
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
