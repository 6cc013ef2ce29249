package miit

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/sqldb"
)

// Sweep does what time decides: it returns submissions whose 24-hour SMS window passed (sms_expired), takes the
// automatic decisions that are due, and sends a new code where delivery failed. Run it from a ticker and after
// every clock advance (Run does both). Each item is handled in its own transaction under a state condition, so
// sweeping twice, or on two nodes at once, queues every result exactly once.
func (s *Simulator) Sweep(ctx context.Context) error {
	now := s.clk.Now()
	ms := sqldb.Millis(now)

	expired, err := s.db.IDs(ctx, `SELECT id FROM miit_submissions WHERE state = 'sms_pending' AND deadline <= $1
		ORDER BY id`, ms)
	if err != nil {
		return err
	}
	for _, id := range expired {
		err := s.write(ctx, func(tx *sql.Tx) error { return s.expire(ctx, tx, id, now) })
		if err != nil && !errors.Is(err, errStale) {
			return err
		}
	}

	due, err := s.db.IDs(ctx, `SELECT id FROM miit_submissions WHERE state = 'administration_review'
		AND auto_decide_at > 0 AND auto_decide_at <= $1 ORDER BY id`, ms)
	if err != nil {
		return err
	}
	for _, id := range due {
		err := s.write(ctx, func(tx *sql.Tx) error {
			sub, err := s.loadSubForUpdate(ctx, tx, id)
			if err != nil {
				return err
			}
			if sub == nil || sub.State != subReview {
				return errStale
			}
			var at int64
			if err := tx.QueryRowContext(ctx, `SELECT auto_decide_at FROM miit_submissions WHERE id = $1`, id).Scan(&at); err != nil {
				return err
			}
			if at == 0 || at > ms {
				return errStale
			}
			return s.autoDecide(ctx, tx, sub, now)
		})
		if err != nil && !errors.Is(err, errStale) {
			return err
		}
	}

	return s.resend(ctx)
}

// resend gives codes whose delivery failed a fresh value and sends them again (the old value was never seen).
// The claim (send_after moved forward under the old value) keeps two nodes from sending the same code twice.
func (s *Simulator) resend(ctx context.Context) error {
	now := s.clk.Now()
	rows, err := s.db.W.QueryContext(ctx, `SELECT c.id, c.submission_id, c.phone, c.send_after, sub.order_type,
		sub.subject_name FROM miit_sms_codes c JOIN miit_submissions sub ON sub.id = c.submission_id
		WHERE c.state = 'pending' AND c.sent_at = 0 AND c.send_after <= $1 AND c.send_tries < $2
		AND sub.state = 'sms_pending' ORDER BY c.id`, sqldb.Millis(now), maxSendTries)
	if err != nil {
		return err
	}
	type pending struct {
		id, sub   int64
		phone     []byte
		after     int64
		typ, name string
	}
	var ps []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.sub, &p.phone, &p.after, &p.typ, &p.name); err != nil {
			rows.Close()
			return err
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var jobs []sendJob
	for _, p := range ps {
		phone, err := s.keys.OpenString(p.phone, purposePhone)
		if err != nil {
			return err
		}
		code := randomCode()
		res, err := s.db.Exec(ctx, `UPDATE miit_sms_codes SET code_hash = $2, send_after = $3
			WHERE id = $1 AND sent_at = 0 AND send_after = $4 AND state = 'pending'`,
			p.id, s.codeHash(p.sub, code), sqldb.Millis(now.Add(smsClaim)), p.after)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			jobs = append(jobs, sendJob{codeID: p.id, phone: phone,
				body: smsBody(code, filing.OrderType(p.typ), p.name, s.cfg.VerifyURL)})
		}
	}
	s.deliver(ctx, jobs)
	return nil
}

// SweepScheduled sweeps unless another node (another Simulator on the same database) has swept within the
// period: the sweep's lease, held until the period ends (less a margin for clock and ticker drift), makes a
// scheduled sweep run once per period whatever the number of nodes, and passes to another node when its holder
// stops. It reports whether it swept. Leases run on the real clock, not the demo clock.
func (s *Simulator) SweepScheduled(ctx context.Context, period time.Duration) (bool, error) {
	ok, err := s.lease(ctx, "sweep", period*9/10)
	if err != nil || !ok {
		return false, err
	}
	return true, s.Sweep(ctx)
}

// lease takes the named lease for d if it is free or has ended, and reports whether it did.
func (s *Simulator) lease(ctx context.Context, name string, d time.Duration) (bool, error) {
	now := time.Now()
	var holder string
	err := s.db.Write(ctx, func(q sqldb.Querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO miit_leases (name, holder, until) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
			WHERE miit_leases.until <= $4 RETURNING holder`,
			name, s.node, sqldb.Millis(now.Add(d)), sqldb.Millis(now)).Scan(&holder)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
