package miit

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/store"
	"github.com/beian/beian/internal/storetest"
)

// The public query must stay fast on a national-size registry (the lead's target: ≥ 10,000 HTTP queries/s by
// domain on 2 cores with 1,000,000 filings). The registry is built once per benchmark run and engine;
// BEIAN_BENCH_FILINGS sets its size (default 200,000).

var benchTmp string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchTmp != "" {
		os.RemoveAll(benchTmp)
	}
	os.Exit(code)
}

type benchRegistry struct {
	sim     *Simulator
	domains []string
	numbers []string
}

var (
	benchMu    sync.Mutex
	benchCache = map[string]*benchRegistry{}
)

func benchFilings() int {
	if n, err := strconv.Atoi(os.Getenv("BEIAN_BENCH_FILINGS")); err == nil && n > 0 {
		return n
	}
	return 200_000
}

// seedRecords makes n filings: every subject has a website, every third also an APP with two domains.
func seedRecords(n int) []SeedRecord {
	provinces := []string{"11", "31", "44", "51"}
	recs := make([]SeedRecord, n)
	for i := range recs {
		p := principal("张三", fmt.Sprintf("44010619%010d", i), fmt.Sprintf("138%08d", i))
		subj := enterprise(fmt.Sprintf("基准公司%07d", i), fmt.Sprintf("91440101%010d", i), p)
		svcs := []filing.Service{website("基准官网", fmt.Sprintf("d%07d-example.cn", i), nil)}
		if i%3 == 0 {
			svcs = append(svcs, app("基准APP", []string{fmt.Sprintf("api.d%07d-example.cn", i), fmt.Sprintf("d%07d-example.com", i)}, p))
		}
		recs[i] = SeedRecord{Province: provinces[i%len(provinces)], Subject: subj, Services: svcs,
			Providers: []string{provider}, ApprovedAt: start.Add(-time.Duration(i) * time.Minute)}
	}
	return recs
}

func benchSetup(b *testing.B, engine string) *benchRegistry {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if r := benchCache[engine]; r != nil {
		return r
	}
	var db *store.DB
	var err error
	switch engine {
	case "sqlite":
		if benchTmp == "" {
			if benchTmp, err = os.MkdirTemp("", "miit-bench-"); err != nil {
				b.Fatal(err)
			}
		}
		db, err = store.Open(context.Background(), "sqlite:"+filepath.Join(benchTmp, "bench.db"))
	case "postgres":
		db, err = store.Open(context.Background(), storetest.PostgresURL(&testing.T{}))
	}
	if err != nil {
		b.Fatal(err)
	}
	f := newFixture(b, db, Policy{})
	n := benchFilings()
	recs := seedRecords(n)
	t0 := time.Now()
	if err := f.sim.LoadRegistry(context.Background(), recs); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: loaded %d filings in %v", engine, n, time.Since(t0).Round(time.Millisecond))
	r := &benchRegistry{sim: f.sim}
	for i := 0; i < n; i++ {
		r.domains = append(r.domains, fmt.Sprintf("d%07d-example.cn", i))
	}
	for i := 0; i < 1000; i++ {
		recs, err := f.sim.Query(context.Background(), Query{Domain: r.domains[rand.IntN(n)]})
		if err != nil || len(recs) != 1 {
			b.Fatalf("query: %+v %v", recs, err)
		}
		r.numbers = append(r.numbers, recs[0].ServiceNumber)
	}
	benchCache[engine] = r
	return r
}

func benchEngines() []string {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

func BenchmarkQueryByDomain(b *testing.B) {
	for _, engine := range benchEngines() {
		b.Run(engine, func(b *testing.B) {
			r := benchSetup(b, engine)
			ctx := context.Background()
			b.Run("serial", func(b *testing.B) {
				for b.Loop() {
					recs, err := r.sim.Query(ctx, Query{Domain: r.domains[rand.IntN(len(r.domains))]})
					if err != nil || len(recs) != 1 {
						b.Fatal(recs, err)
					}
				}
			})
			b.Run("parallel", func(b *testing.B) {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						recs, err := r.sim.Query(ctx, Query{Domain: r.domains[rand.IntN(len(r.domains))]})
						if err != nil || len(recs) != 1 {
							b.Error(recs, err)
							return
						}
					}
				})
			})
			b.Run("subdomain", func(b *testing.B) { // www.… falls back to the filed domain: two look-ups
				for b.Loop() {
					recs, err := r.sim.Query(ctx, Query{Domain: "www." + r.domains[rand.IntN(len(r.domains))]})
					if err != nil || len(recs) != 1 {
						b.Fatal(recs, err)
					}
				}
			})
			b.Run("miss", func(b *testing.B) {
				for b.Loop() {
					if _, err := r.sim.Query(ctx, Query{Domain: "nobody-example.cn"}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

func BenchmarkQueryByNumber(b *testing.B) {
	for _, engine := range benchEngines() {
		b.Run(engine, func(b *testing.B) {
			r := benchSetup(b, engine)
			ctx := context.Background()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					recs, err := r.sim.Query(ctx, Query{Number: r.numbers[rand.IntN(len(r.numbers))]})
					if err != nil || len(recs) != 1 {
						b.Error(recs, err)
						return
					}
				}
			})
		})
	}
}

func BenchmarkLookupDomain(b *testing.B) {
	for _, engine := range benchEngines() {
		b.Run(engine, func(b *testing.B) {
			r := benchSetup(b, engine)
			ctx := context.Background()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					st, err := r.sim.LookupDomain(ctx, r.domains[rand.IntN(len(r.domains))])
					if err != nil || !st.Filed {
						b.Error(st, err)
						return
					}
				}
			})
		})
	}
}
