package provider

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// An upload the regulator never received (it is down, timed out, or answered garbage) is never given up, however
// often it failed: it waits with back-off until the regulator is back. Any other failure is given up after 20.
func TestUploadsWaitForUnreachableRegulator(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		for _, tt := range []struct {
			err   error
			final bool
		}{
			{fmt.Errorf("%w: dial tcp: connection refused", regulator.ErrUnavailable), false},
			{errors.New("regulator refused the request: code 4"), true},
		} {
			if err := r.st.Update(r.ctx, func(tx *store.Tx) error {
				return tx.Enqueue(r.ctx, TopicSubmit, []byte(`{}`), r.clk.Now())
			}); err != nil {
				t.Fatal(err)
			}
			items, err := r.st.ClaimOutbox(r.ctx, r.clk.Now(), time.Minute, 10, TopicSubmit)
			if err != nil || len(items) != 1 {
				t.Fatalf("claim: %v, %v", items, err)
			}
			it := items[0]
			it.Attempts = 19 // the 20th attempt fails now
			if err := r.worker.failed(r.ctx, it, tt.err); err != nil {
				t.Fatal(err)
			}
			var failed int
			if err := db.R.QueryRowContext(r.ctx, `SELECT failed FROM outbox WHERE id = $1`, it.ID).Scan(&failed); err != nil {
				t.Fatal(err)
			}
			if (failed == 1) != tt.final {
				t.Fatalf("%v: given up = %v, want %v", tt.err, failed == 1, tt.final)
			}
			if err := r.st.FinishOutboxDone(r.ctx, []int64{it.ID}, r.clk.Now()); err != nil {
				t.Fatal(err)
			}
		}
	})
}
