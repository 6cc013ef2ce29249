package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A key is fresh once until its time has passed; keys are independent; two spenders at once see it fresh
// once; the purge forgets only what has expired.
func TestSpend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		spend := func(key string, until, at time.Time) bool {
			t.Helper()
			fresh, err := s.Spend(ctx, key, until, at)
			if err != nil {
				t.Fatal(err)
			}
			return fresh
		}
		hour := now.Add(time.Hour)
		for _, c := range []struct {
			key   string
			until time.Time
			at    time.Duration
			want  bool
		}{
			{"nonce:a", hour, 0, true},
			{"nonce:a", hour, time.Minute, false},
			{"nonce:b", hour, time.Minute, true},
			{"nonce:a", hour, 59 * time.Minute, false},
			{"nonce:a", now.Add(3 * time.Hour), 61 * time.Minute, true}, // expired: spent afresh
			{"nonce:a", now.Add(3 * time.Hour), 62 * time.Minute, false},
		} {
			if got := spend(c.key, c.until, now.Add(c.at)); got != c.want {
				t.Fatalf("%s at +%v: fresh %v, want %v", c.key, c.at, got, c.want)
			}
		}

		var wg sync.WaitGroup
		var mu sync.Mutex
		freshN := 0
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				fresh, err := s.Spend(ctx, "frame:same", hour, now)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				if fresh {
					freshN++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		if freshN != 1 {
			t.Fatalf("spent at once by 4: %d saw it fresh", freshN)
		}

		if err := s.PurgeSpent(ctx, now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM liveness_spent`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 1 { // nonce:a, spent until +3 h
			t.Fatalf("%d keys left after the purge, want 1", left)
		}
	})
}
