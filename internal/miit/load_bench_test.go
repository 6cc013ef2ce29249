package miit

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/beian/beian/internal/sqldb"
)

// BenchmarkLoadPrepared measures the single writer of a bulk load alone: b.N filings (seedRecords) prepared
// before the timer starts (as an import's workers do on the other cores), then written by LoadPrepared within
// Bulk into an empty SQLite registry, index builds and the final checkpoint included. cpu-ns/op is the
// writer's CPU per filing, the bound of an import's rate (1 s / cpu-ns/op filings a second).
func BenchmarkLoadPrepared(b *testing.B) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "miit.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sim := New(db, keyring(b), nil, Config{ProviderIDs: []string{provider},
		Abbr: func(p string) (string, bool) { a, ok := abbrs[p]; return a, ok }})
	if err := sim.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	recs := seedRecords(b.N)
	var batches []*LoadBatch
	for start := 0; start < len(recs); start += loadTxRecords {
		lb, err := sim.PrepareLoad(recs[start:min(start+loadTxRecords, len(recs))])
		if err != nil {
			b.Fatal(err)
		}
		batches = append(batches, lb)
	}
	t0 := cpuTime()
	b.ResetTimer()
	err = sim.Bulk(ctx, func() error {
		for _, lb := range batches {
			if err := sim.LoadPrepared(ctx, lb); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	reportCPU(b, t0)
}
