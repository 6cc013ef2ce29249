package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A reservation whose request never finished (its node died) blocks retries only until AbandonAfter; then one
// retry of the same request takes it over. A finished request is replayed forever, and another request never
// takes over a key.
func TestIdempotencyTakeover(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		reserve := func(key, fp string, at time.Duration) *store.IdemRecord {
			t.Helper()
			rec, err := s.ReserveIdempotency(ctx, 7, key, fp, now.Add(at))
			if err != nil {
				t.Fatal(err)
			}
			return rec
		}
		if rec := reserve("k", "fp", 0); rec != nil {
			t.Fatalf("a new key is taken: %+v", rec)
		}
		for _, c := range []struct {
			name, fp string
			at       time.Duration
			reserved bool
		}{
			{"retry while the first runs", "fp", time.Minute, false},
			{"another request after the limit", "other", store.AbandonAfter + time.Minute, false},
			{"the same request after the limit", "fp", store.AbandonAfter + time.Minute, true},
			{"a second retry just after the takeover", "fp", store.AbandonAfter + 2*time.Minute, false},
		} {
			rec := reserve("k", c.fp, c.at)
			if got := rec == nil; got != c.reserved {
				t.Errorf("%s: reserved %v, want %v (%+v)", c.name, got, c.reserved, rec)
			}
			if rec != nil && rec.Status != 0 {
				t.Errorf("%s: status %d, want 0 (in progress)", c.name, rec.Status)
			}
		}
		if err := s.CompleteIdempotency(ctx, 7, "k", 201, []byte(`{"id":1}`)); err != nil {
			t.Fatal(err)
		}
		if rec := reserve("k", "fp", 24*time.Hour); rec == nil || rec.Status != 201 || string(rec.Body) != `{"id":1}` {
			t.Errorf("a finished request is not replayed after a day: %+v", rec)
		}
	})
}
