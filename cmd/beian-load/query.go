package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/progress"
	"github.com/beian/beian/internal/registryio"
)

// query loads a registry of generated filings through the import path (JSON lines through `beian import`'s
// reader and loader), then starts beian on it and a bare net/http hello server, each in its own process, and
// measures in one run: the hello server, the public query by domain as fast as it answers and at half that
// rate, by subject name prefix, the server's memory and its cold start to the first answer.
func query(args []string) error {
	fs := flag.NewFlagSet("query", flag.ExitOnError)
	n := fs.Int("registry", 1_000_000, "filings in the registry")
	c := fs.Int("c", 64, "concurrent clients")
	d := fs.Duration("d", 20*time.Second, "duration of each measurement")
	db := fs.String("db", "", "database URL (default: SQLite in a temporary directory)")
	data := fs.String("data", "", "keep the data in this directory and reuse a registry loaded there before")
	fs.Parse(args)
	ctx := context.Background()
	a, stop, err := start(ctx, *db, func(c *app.Config) { // Config.QueryRate 0: no per-client limit (one client)
		if *data != "" {
			c.DataDir, c.DatabaseURL = *data, "sqlite:"+filepath.Join(*data, "beian.db")
		}
	})
	if err != nil {
		return err
	}
	defer stop()
	if loaded, _ := a.Sim.Query(ctx, miit.Query{Domain: loadtest.RegistryDomain(*n - 1)}); len(loaded) == 0 {
		if err := importRegistry(ctx, a, *n); err != nil {
			return err
		}
	}
	a.Close()

	t0 := time.Now()
	srv, err := spawn("serve", "-dir", a.Cfg.DataDir, "-db", a.Cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer srv.stop()
	cold, err := firstAnswer(srv.URL+"/api/v1/query?domain="+loadtest.RegistryDomain(0), t0)
	if err != nil {
		return err
	}
	rss, _ := srv.rss()
	fmt.Printf("cold start to first answer: %s (process start included; database files in the OS page cache), RSS then %d MB\n",
		cold.Round(time.Millisecond), rss>>20)
	hello, err := spawn("hello")
	if err != nil {
		return err
	}
	defer hello.stop()

	loadtest.Queries(ctx, *c, 2*time.Second, loadtest.ByDomain(hello.URL, *n)) // warm up
	h := loadtest.Queries(ctx, *c, *d, loadtest.ByDomain(hello.URL, *n))
	fmt.Printf("hello server, %d clients: %s\n", *c, h)
	loadtest.Queries(ctx, *c, 2*time.Second, loadtest.ByDomain(srv.URL, *n))
	r := loadtest.Queries(ctx, *c, *d, loadtest.ByDomain(srv.URL, *n))
	fmt.Printf("query by domain, %d clients: %s (%.2f × hello)\n", *c, r, r.PerSecond()/h.PerSecond())
	half := loadtest.QueriesAt(ctx, *c, *d, r.PerSecond()/2, loadtest.ByDomain(srv.URL, *n))
	fmt.Printf("query by domain at half that rate (%.0f/s): %s\n", r.PerSecond()/2, half)
	byName := loadtest.Queries(ctx, *c, *d, loadtest.ByNamePrefix(srv.URL, *n))
	fmt.Printf("query by name prefix, %d clients: %s\n", *c, byName)
	rss, peak := srv.rss()
	fmt.Printf("server process memory: RSS %d MB, peak %d MB\n", rss>>20, peak>>20)
	return nil
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
	// The import is a batch job, not the server (which runs in its own process afterwards): no soft heap limit
	// while it runs. Under the server's 192 MiB the collector ran all the time with a few batches in flight, and
	// the load took four times the CPU a filing.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
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
