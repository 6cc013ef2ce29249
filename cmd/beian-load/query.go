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
	"syscall"
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
	prof := fs.String("cpuprofile", "", "write a CPU profile of the server process during the query by domain to this file")
	nameProf := fs.String("nameprofile", "", "write a CPU profile of the server process during the query by name prefix to this file")
	if err := parseFlags(fs, args, "registry", "c"); err != nil {
		return err
	}
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
	h, hcpu := measured(hello, func() loadtest.Result { return loadtest.Queries(ctx, *c, *d, loadtest.ByDomain(hello.URL, *n)) })
	fmt.Printf("hello server, %d clients: %s; %s\n", *c, h, hcpu)
	loadtest.Queries(ctx, *c, 2*time.Second, loadtest.ByDomain(srv.URL, *n))
	if *prof != "" {
		srv.command("cpuprofile " + *prof)
	}
	r, rcpu := measured(srv, func() loadtest.Result { return loadtest.Queries(ctx, *c, *d, loadtest.ByDomain(srv.URL, *n)) })
	srv.command("stop")
	fmt.Printf("query by domain, %d clients: %s (%.2f × hello); %s\n", *c, r, r.PerSecond()/h.PerSecond(), rcpu)
	half, halfcpu := measured(srv, func() loadtest.Result {
		return loadtest.QueriesAt(ctx, *c, *d, r.PerSecond()/2, loadtest.ByDomain(srv.URL, *n))
	})
	fmt.Printf("query by domain at half that rate (%.0f/s): %s; %s\n", r.PerSecond()/2, half, halfcpu)
	hhalf, _ := measured(hello, func() loadtest.Result {
		return loadtest.QueriesAt(ctx, *c, *d, r.PerSecond()/2, loadtest.ByDomain(hello.URL, *n))
	})
	fmt.Printf("hello server at the same rate: %s\n", hhalf)
	if *nameProf != "" {
		srv.command("cpuprofile " + *nameProf)
	}
	byName, ncpu := measured(srv, func() loadtest.Result { return loadtest.Queries(ctx, *c, *d, loadtest.ByNamePrefix(srv.URL, *n)) })
	srv.command("stop")
	fmt.Printf("query by name prefix, %d clients: %s; %s\n", *c, byName, ncpu)
	rss, peak := srv.highest()
	fmt.Printf("server process memory: RSS %d MB, peak %d MB\n", rss>>20, peak>>20)
	return nil
}

// measured runs a measurement against server and says the CPU time it and this process (the load tool) spent
// per request, and the server's memory: its RSS at the end, its peak during the measurement, the Go runtime's
// share.
func measured(server *child, run func() loadtest.Result) (loadtest.Result, string) {
	var ru0, ru1 syscall.Rusage
	server.resetPeak()
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	c0 := server.cpu()
	gc0, p0 := server.gc()
	r := run()
	gc1, p1 := server.gc()
	c1 := server.cpu()
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	if r.Requests == 0 {
		return r, ""
	}
	self := ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano()
	per := func(ns int64) float64 { return float64(ns) / 1000 / float64(r.Requests) }
	rss, peak := server.rss()
	return r, fmt.Sprintf("CPU per request: server %.0f µs, load tool %.0f µs; server GC: %d cycles, %s paused; "+
		"server RSS %d MB, peak during it %d MB (%s)", per(int64(c1-c0)), per(self), gc1-gc0,
		(p1 - p0).Round(time.Microsecond), rss>>20, peak>>20, server.goMemory())
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
	fmt.Printf("imported %d filings in %s: %.0f/s (%s; %d loaded)\n", got.Read, el.Round(time.Second),
		float64(got.Read)/el.Seconds(), a.DB.Dialect, got.Loaded)
	return nil
}
