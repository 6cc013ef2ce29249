package store_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// Each lane claims only its topics, oldest first, and a claimed item is leased: nobody claims it again until the
// lease ends, unless it is finished first.
func TestOutboxLanesAndLeases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newStore(t, db)
		ctx := context.Background()
		topics := []string{"sms", "email", "regulator.submit", "sms", "email", "sms"}
		for i, topic := range topics {
			err := s.Update(ctx, func(tx *store.Tx) error {
				return tx.Enqueue(ctx, topic, fmt.Appendf(nil, `{"n":%d}`, i), now.Add(time.Duration(i)*time.Second))
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		later := now.Add(time.Minute)
		sms, err := s.ClaimOutbox(ctx, later, time.Minute, 2, "sms")
		if err != nil {
			t.Fatal(err)
		}
		if got := payloads(sms); !slices.Equal(got, []string{`{"n":0}`, `{"n":3}`}) {
			t.Fatalf("sms lane claimed %v, want the two oldest SMS", got)
		}
		rest, err := s.ClaimOutbox(ctx, later, time.Minute, 10, "sms", "email")
		if err != nil {
			t.Fatal(err)
		}
		if got := payloads(rest); !slices.Equal(got, []string{`{"n":1}`, `{"n":4}`, `{"n":5}`}) {
			t.Fatalf("sms+email claimed %v, want the unleased ones only", got)
		}
		if none, _ := s.ClaimOutbox(ctx, later, time.Minute, 10); len(none) != 0 {
			t.Fatalf("a claim without topics took %d items", len(none))
		}
		if err := s.FinishOutboxDone(ctx, []int64{sms[0].ID}, later); err != nil {
			t.Fatal(err)
		}
		again, err := s.ClaimOutbox(ctx, later.Add(2*time.Minute), time.Minute, 10, "sms")
		if err != nil {
			t.Fatal(err)
		}
		if got := payloads(again); !slices.Equal(got, []string{`{"n":3}`, `{"n":5}`}) {
			t.Fatalf("after the lease: %v, want the unfinished SMS again", got)
		}
		if again[0].Attempts != 1 {
			t.Fatalf("attempts before this one: %d, want 1", again[0].Attempts)
		}
	})
}

func payloads(items []store.OutboxItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, string(it.Payload))
	}
	return out
}

// The two dialects' migrations are written in parallel: the same versions under the same names.
func TestMigrationsOfBothDialectsMatch(t *testing.T) {
	for _, dir := range []string{"migrations", "../../miit/migrations"} {
		var names [2][]string
		for i, dialect := range []string{"sqlite", "postgres"} {
			entries, err := fs.ReadDir(os.DirFS(dir), dialect)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				names[i] = append(names[i], e.Name())
			}
		}
		if !slices.Equal(names[0], names[1]) || len(names[0]) == 0 {
			t.Errorf("%s: sqlite has %v, postgres has %v", dir, names[0], names[1])
		}
	}
}
