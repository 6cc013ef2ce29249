package miit

import (
	"database/sql"
	"errors"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A transition whose state condition no longer holds is stale and queues no result, on both engines (on
// PostgreSQL the result's INSERT takes the UPDATE's returned row, moveAndQueue).
func TestStaleTransitionQueuesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		f.submit(t, 1, 1, newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "stale-example.cn", nil)))
		count := func() (n int) {
			if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM miit_results WHERE provider_order_id = 1
				AND action = $1`, string(filing.ActAdminApprove)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM miit_submissions WHERE provider_order_id = 1`).Scan(&id); err != nil {
				return err
			}
			sub, err := f.sim.loadSubForUpdate(ctx, tx, id)
			if err != nil {
				return err
			}
			err = f.sim.moveAndQueue(ctx, tx, `UPDATE miit_submissions SET updated_at = $2 WHERE id = $1
				AND state = 'administration_review'`, []any{sub.ID, int64(1)}, sub, filing.ActAdminApprove, CodeApproved,
				"", nil, "", nil, f.sim.clk.Now())
			if !errors.Is(err, errStale) {
				t.Errorf("a submission waiting for SMS moved as if in review: %v", err)
			}
			return nil // committed: whatever the stale transition wrote would stay
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 0 {
			t.Fatalf("a stale transition queued %d results", n)
		}
	})
}
