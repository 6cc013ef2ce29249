package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/progress"
	"github.com/beian/beian/internal/registryio"
)

// query loads a registry of generated filings through the import path (JSON lines through `beian import`'s
// reader and loader), then measures in one run: a bare net/http hello server, the public query by domain as
// fast as it answers and at half that rate, by subject name prefix, the process's memory, and the cold start
// of a second server on the same database.
func query(args []string) error {
	fs := flag.NewFlagSet("query", flag.ExitOnError)
	n := fs.Int("registry", 1_000_000, "filings in the registry")
	c := fs.Int("c", 64, "concurrent clients")
	d := fs.Duration("d", 20*time.Second, "duration of each measurement")
	db := fs.String("db", "", "database URL (default: SQLite in a temporary directory)")
	fs.Parse(args)
	ctx := context.Background()
	a, stop, err := start(ctx, *db, nil) // Config.QueryRate 0: no per-client limit, all load comes from one client
	if err != nil {
		return err
	}
	defer stop()
	if err := importRegistry(ctx, a, *n); err != nil {
		return err
	}
	hello, stopHello, err := loadtest.Hello()
	if err != nil {
		return err
	}
	defer stopHello()
	loadtest.Queries(ctx, *c, 2*time.Second, loadtest.ByDomain(hello, *n)) // warm up
	h := loadtest.Queries(ctx, *c, *d, loadtest.ByDomain(hello, *n))
	fmt.Printf("hello server, %d clients: %s\n", *c, h)
	loadtest.Queries(ctx, *c, 2*time.Second, loadtest.ByDomain(a.URL(), *n))
	r := loadtest.Queries(ctx, *c, *d, loadtest.ByDomain(a.URL(), *n))
	fmt.Printf("query by domain, %d clients: %s (%.2f × hello)\n", *c, r, r.PerSecond()/h.PerSecond())
	half := loadtest.QueriesAt(ctx, *c, *d, r.PerSecond()/2, loadtest.ByDomain(a.URL(), *n))
	fmt.Printf("query by domain at half that rate (%.0f/s): %s\n", r.PerSecond()/2, half)
	byName := loadtest.Queries(ctx, *c, *d, loadtest.ByNamePrefix(a.URL(), *n))
	fmt.Printf("query by name prefix, %d clients: %s\n", *c, byName)
	rss, peak := loadtest.RSS()
	fmt.Printf("memory of this process (server and load generator): RSS %d MB, peak %d MB\n", rss>>20, peak>>20)
	return coldStart(ctx, a)
}

// importRegistry generates n filings as JSON lines and imports them as `beian import` does.
func importRegistry(ctx context.Context, a *app.App, n int) error {
	pr, pw := io.Pipe()
	go func() {
		w, _ := registryio.NewWriter(pw, registryio.JSONLines)
		const batch = 10_000
		for from := 0; from < n; from += batch {
			for _, rec := range loadtest.Registry(from, min(batch, n-from), "beian-demo") {
				if err := w.Write(rec); err != nil {
					pw.CloseWithError(err)
					return
				}
			}
		}
		pw.CloseWithError(w.Flush())
	}()
	r, _ := registryio.NewReader(pr, registryio.JSONLines)
	t0 := time.Now()
	bar := progress.New(os.Stderr, "import", int64(n), progress.IsTerminal(os.Stderr))
	got, err := registryio.Import(ctx, a.Sim, r, bar)
	bar.Finish()
	if err != nil {
		return err
	}
	el := time.Since(t0)
	fmt.Printf("imported %d filings in %s: %.0f/s (%s)\n", got, el.Round(time.Second), float64(got)/el.Seconds(), a.DB.Dialect)
	return nil
}

// coldStart closes the server and starts another on the same databases, timing until its first answer.
// The operating system's page cache still holds the database files, as after a restart of the service.
func coldStart(ctx context.Context, a *app.App) error {
	cfg := a.Cfg
	cfg.Seed, cfg.Addr = false, "127.0.0.1:0"
	if err := a.Close(); err != nil {
		return err
	}
	t0 := time.Now()
	b, err := app.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.Start(ctx); err != nil {
		return err
	}
	resp, err := http.Get(b.URL() + "/api/v1/query?domain=" + loadtest.RegistryDomain(0))
	if err != nil {
		return err
	}
	resp.Body.Close()
	fmt.Printf("cold start to first answer (status %d): %s\n", resp.StatusCode, time.Since(t0).Round(time.Millisecond))
	return nil
}
