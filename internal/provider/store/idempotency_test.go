package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A reservation whose request never finished (its node died) blocks retries only until AbandonAfter; then one
// retry of the same request takes it over. A finished request is replayed until the housekeeping forgets it,
// and another request never takes over a key.
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

// The kept response is sealed at rest and replayed as it was; ForgetIdempotency deletes the records reserved
// before its time and only those, after which the key runs as a new request.
func TestIdempotencySealedAndForgotten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		body := []byte(`{"principal":{"mobile":"13926184530"}}`)
		for i, key := range []string{"old", "young"} {
			if rec, err := s.ReserveIdempotency(ctx, 7, key, "fp", now.Add(time.Duration(i)*time.Hour)); rec != nil || err != nil {
				t.Fatalf("reserve %s: %+v, %v", key, rec, err)
			}
			if err := s.CompleteIdempotency(ctx, 7, key, 200, body); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := db.R.QueryContext(ctx, `SELECT body_enc FROM idempotency`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var sealed []byte
			rows.Scan(&sealed)
			if len(sealed) == 0 || bytes.Contains(sealed, []byte("13926184530")) {
				t.Errorf("kept response at rest: %q", sealed)
			}
		}
		rows.Close()
		if rec, err := s.ReserveIdempotency(ctx, 7, "old", "fp", now.Add(2*time.Hour)); err != nil || rec == nil ||
			!bytes.Equal(rec.Body, body) {
			t.Fatalf("replay: %+v, %v; want the body kept", rec, err)
		}
		n, err := s.ForgetIdempotency(ctx, now.Add(30*time.Minute))
		if err != nil || n != 1 {
			t.Fatalf("forgot %d records (%v), want the older one", n, err)
		}
		for key, replayed := range map[string]bool{"old": false, "young": true} {
			rec, err := s.ReserveIdempotency(ctx, 7, key, "fp", now.Add(3*time.Hour))
			if err != nil || (rec != nil) != replayed {
				t.Errorf("key %s after the housekeeping: %+v, %v; replayed want %v", key, rec, err, replayed)
			}
		}
	})
}
