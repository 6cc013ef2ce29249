package provider_test

import (
	"context"
	"testing"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// ForgetExpired lets a response kept for an Idempotency-Key go once IdempotencyTTL has passed: before, the
// retry is answered from the record; after, the key runs as a new request. Running it again changes nothing.
func TestForgetExpiredIdempotency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		clk := clock.NewAdjustable(time.Now)
		w := newWorldWith(t, db, func(c *provider.Config) { c.Clock = clk })
		if rec, err := w.svc.ReserveIdempotency(ctx, w.applicant.ID, "k", "fp"); rec != nil || err != nil {
			t.Fatalf("reserve: %+v, %v", rec, err)
		}
		if err := w.svc.CompleteIdempotency(ctx, w.applicant.ID, "k", 201, []byte(`{"id":1}`)); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name     string
			advance  time.Duration
			replayed bool
		}{
			{"within the day", store.IdempotencyTTL - time.Hour, true},
			{"after the day", 2 * time.Hour, false},
		} {
			if _, err := clk.Advance(c.advance); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if err := w.svc.ForgetExpired(ctx); err != nil {
					t.Fatal(err)
				}
			}
			rec, err := w.svc.ReserveIdempotency(ctx, w.applicant.ID, "k", "fp")
			if err != nil || (rec != nil) != c.replayed {
				t.Errorf("%s: %+v, %v; replayed want %v", c.name, rec, err, c.replayed)
			}
		}
	})
}
