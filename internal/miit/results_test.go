package miit

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A transition whose state condition no longer holds is stale and queues no result, on both engines (on
// PostgreSQL the result's INSERT takes the UPDATE's returned row, moveAndQueue). As the transaction's last
// statement (sent with COMMIT on PostgreSQL) a stale transition rolls back what the transaction wrote before it,
// and a transition that holds commits it.
func TestStaleTransitionQueuesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		f.submit(t, 1, 1, newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "stale-example.cn", nil)))
		count := func(action filing.Action) (n int) {
			if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM miit_results WHERE provider_order_id = 1
				AND action = $1`, string(action)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// move marks the submission with a write before the transition, which moves it from state (a stale
		// transition when it is not there).
		move := func(last bool, state string, mark int64) error {
			return db.Tx(ctx, func(tx *sql.Tx) error {
				var id int64
				if err := tx.QueryRowContext(ctx, `SELECT id FROM miit_submissions WHERE provider_order_id = 1`).Scan(&id); err != nil {
					return err
				}
				sub, err := f.sim.loadSubForUpdate(ctx, tx, id)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE miit_submissions SET reason = $2 WHERE id = $1`, id, fmt.Sprint(mark)); err != nil {
					return err
				}
				err = f.sim.moveAndQueue(ctx, tx, last, `UPDATE miit_submissions SET updated_at = $2 WHERE id = $1
					AND state = '`+state+`'`, []any{sub.ID, mark}, sub, filing.ActAdminApprove, CodeApproved,
					"", nil, "", nil, f.sim.clk.Now())
				if last {
					return err
				}
				if !errors.Is(err, errStale) {
					t.Errorf("a submission waiting for SMS moved as if in review: %v", err)
				}
				return nil // committed: whatever the stale transition wrote would stay
			})
		}
		mark := func() (reason string, updated int64) {
			if err := db.R.QueryRowContext(ctx, `SELECT reason, updated_at FROM miit_submissions
				WHERE provider_order_id = 1`).Scan(&reason, &updated); err != nil {
				t.Fatal(err)
			}
			return reason, updated
		}
		if err := move(false, subReview, 1); err != nil {
			t.Fatal(err)
		}
		if n := count(filing.ActAdminApprove); n != 0 {
			t.Fatalf("a stale transition queued %d results", n)
		}
		if err := move(true, subReview, 2); !errors.Is(err, errStale) {
			t.Fatalf("a stale last transition: %v, want errStale", err)
		}
		if reason, _ := mark(); reason != "1" || count(filing.ActAdminApprove) != 0 {
			t.Fatalf("a stale last transition committed: reason %q, %d results", reason, count(filing.ActAdminApprove))
		}
		if err := move(true, subSMSPending, 3); err != nil {
			t.Fatal(err)
		}
		if reason, updated := mark(); reason != "3" || updated != 3 || count(filing.ActAdminApprove) != 1 {
			t.Fatalf("a last transition: reason %q, updated_at %d, %d results; want 3, 3, 1", reason, updated, count(filing.ActAdminApprove))
		}
	})
}
