package loadtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
	"github.com/beian/beian/internal/sqldb"
)

func startBench(b *testing.B) *app.App {
	b.Helper()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	app.TuneGC(os.Getenv) // as `beian serve` runs
	return apptest.Start(b, "", func(c *app.Config) { c.WorkerInterval, c.MIITVerifyLimit = time.Second, 1<<30 })
}

// BenchmarkQueryByDomainHTTP measures the public query over HTTP against a registry of 100,000 filings
// (beian-load query measures 1,000,000).
func BenchmarkQueryByDomainHTTP(b *testing.B) {
	a := startBench(b)
	const n = 100_000
	if err := a.Sim.LoadRegistry(context.Background(), Registry(0, n, "beian-demo")); err != nil {
		b.Fatal(err)
	}
	client := NewHTTPClient(64)
	var seq atomic.Uint64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(scramble(seq.Add(1), n))
			if err := get(context.Background(), client, a.URL()+"/api/v1/query?domain="+RegistryDomain(i)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkQueryByDomainHandler serves the public query by domain through the site's handler (middleware, mux,
// handler, query, JSON) without a network, one request after another: cpu-ns/op is the server's own work a
// query, less the HTTP server's reading and writing, which the hello server of beian-load query pays too.
func BenchmarkQueryByDomainHandler(b *testing.B) {
	a := startBench(b)
	const n = 100_000
	if err := a.Sim.LoadRegistry(context.Background(), Registry(0, n, "beian-demo")); err != nil {
		b.Fatal(err)
	}
	h := a.Web.Handler()
	var i uint64
	t0 := processCPU()
	for b.Loop() {
		i++
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/query?domain="+RegistryDomain(int(scramble(i, n))), nil))
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"filed"`) {
			b.Fatal(w.Code, w.Body.String())
		}
	}
	b.ReportMetric(float64(processCPU()-t0)/float64(b.N), "cpu-ns/op")
}

// processCPU is the process's user and system CPU time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLifecycleHTTP measures complete new_filing lifecycles over HTTP (check → create → fill → submit →
// provider review → SMS verification → administration review → number issued), many applicants at once.
func BenchmarkLifecycleHTTP(b *testing.B) {
	a := startBench(b)
	ctx := context.Background()
	client := NewHTTPClient(256)
	staff, err := LoginStaff(ctx, []string{a.URL()}, client, app.DemoPassword)
	if err != nil {
		b.Fatal(err)
	}
	run := fmt.Sprint(time.Now().UnixNano())
	var seq, who atomic.Int64
	b.SetParallelism(64) // 128 applicants on 2 cores, as beian-load lifecycle runs
	before := sqldb.ReadCounts()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ap, err := NewApplicant(ctx, []string{a.URL()}, client, staff, run, int(who.Add(1)))
		if err != nil {
			b.Error(err)
			return
		}
		for pb.Next() {
			if _, err := Lifecycle(ctx, ap, staff, run, int(seq.Add(1))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	// The SQL sent per lifecycle (the applicants' registration included, as in the time).
	d := sqldb.ReadCounts().Sub(before)
	b.ReportMetric(float64(d.Statements())/float64(b.N), "statements/op")
	b.ReportMetric(float64(d.Writes)/float64(b.N), "writes/op")
}

// BenchmarkPoliceLifecycleHTTP measures police lifecycles over HTTP on the platform simulator with its automatic
// policy (eight images checked, subject, website application, number, badge), many users at once.
func BenchmarkPoliceLifecycleHTTP(b *testing.B) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	a := apptest.Start(b, "", func(c *app.Config) { c.WorkerInterval, c.MPSPolicy = time.Second, "automatic" })
	ctx := context.Background()
	const registry = 20_000
	if err := a.Sim.LoadRegistry(ctx, PoliceRegistry(registry, a.Cfg.ProviderID)); err != nil {
		b.Fatal(err)
	}
	client := NewHTTPClient(64)
	operator, err := Login(ctx, []string{a.URL()}, 0, client, "operator@beian.local", app.DemoPassword)
	if err != nil {
		b.Fatal(err)
	}
	run := fmt.Sprint(time.Now().UnixNano() % 100000)
	var seq, who atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		u, err := NewPoliceApplicant(ctx, []string{a.URL()}, client, operator, run, int(who.Add(1)))
		if err != nil {
			b.Error(err)
			return
		}
		for pb.Next() {
			i := int(seq.Add(1))
			if i >= registry {
				b.Error("registry exhausted: run with a smaller -benchtime")
				return
			}
			if _, err := PoliceLifecycle(ctx, u, i); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
