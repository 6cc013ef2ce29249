package miit

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/sqldb"
)

// The download queue (docs/design.md §5 isp_download / isp_downloadack): every state change decided on the administration's
// side is queued for the provider that uploaded the submission and stays there until that provider acknowledges
// it, so that nothing is lost if the provider crashes between downloading and storing.

// queue appends a result for the submission's provider, in the same transaction as the change it reports.
func (s *Simulator) queue(ctx context.Context, tx *sql.Tx, sub *subRow, action filing.Action, code int, reason string,
	smsDeadline *time.Time, subjectNumber string, issued []filing.Issued, now time.Time) error {
	args, err := resultArgs(sub, action, code, reason, smsDeadline, subjectNumber, issued, now)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO miit_results (`+resultCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
		$10, $11)`, args...)
	return err
}

// moveAndQueue runs move, an UPDATE of the submission's row (its placeholders numbered from $1) under a state
// condition, and queues the result it reports; errStale when the condition matched nothing. On PostgreSQL the
// two are one statement: the INSERT takes the UPDATE's returned row, so it adds a result only when the
// submission moved. When last (the transaction's last statement), COMMIT goes in the same round trip
// (sqldb.CommitWith), and a stale transition then fails the statement instead (a division by the zero rows
// queued), so that the server skips the COMMIT and the transaction rolls back as it would on errStale.
func (s *Simulator) moveAndQueue(ctx context.Context, tx *sql.Tx, last bool, move string, moveArgs []any,
	sub *subRow, action filing.Action, code int, reason string, smsDeadline *time.Time, subjectNumber string,
	issued []filing.Issued, now time.Time) error {
	if s.db.Dialect != sqldb.Postgres {
		res, err := tx.ExecContext(ctx, move, moveArgs...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStale
		}
		return s.queue(ctx, tx, sub, action, code, reason, smsDeadline, subjectNumber, issued, now)
	}
	args, err := resultArgs(sub, action, code, reason, smsDeadline, subjectNumber, issued, now)
	if err != nil {
		return err
	}
	n, rest := len(moveArgs), args[2:] // the submission's id comes from the moved row
	moved := `WITH moved AS (` + move + ` RETURNING id)`
	insert := `INSERT INTO miit_results (` + resultCols + `) SELECT ` + sqldb.Placeholders(n+1, 1) + `, moved.id, ` +
		sqldb.Placeholders(n+2, len(rest)) + ` FROM moved`
	query := moved + ` ` + insert
	if last {
		ctx = sqldb.CommitWith(ctx)
		query = moved + `, queued AS (` + insert + ` RETURNING 1) SELECT 1 / count(*) FROM queued`
	}
	res, err := tx.ExecContext(ctx, query, append(append(moveArgs[:n:n], args[0]), rest...)...)
	if last && sqldb.IsDivisionByZero(err) {
		return errStale
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errStale
	}
	return nil
}

const resultCols = `provider_id, submission_id, provider_order_id, attempt, action, code, reason, sms_deadline,
	subject_number, services, at`

// resultArgs are the values of resultCols.
func resultArgs(sub *subRow, action filing.Action, code int, reason string, smsDeadline *time.Time,
	subjectNumber string, issued []filing.Issued, now time.Time) ([]any, error) {
	var deadline int64
	if smsDeadline != nil {
		deadline = sqldb.Millis(*smsDeadline)
	}
	services := ""
	if len(issued) > 0 {
		b, err := json.Marshal(issued)
		if err != nil {
			return nil, err
		}
		services = string(b)
	}
	return []any{sub.ProviderID, sub.ID, sub.ProviderOrderID, sub.Attempt, string(action), code, reason, deadline,
		subjectNumber, services, sqldb.Millis(now)}, nil
}

// Results returns up to limit unacknowledged results for the provider, oldest first.
func (s *Simulator) Results(ctx context.Context, providerID string, limit int) ([]regulator.Result, error) {
	if err := s.providerAllowed(providerID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000 // docs/design.md §5: at most 1,000 records per file
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, provider_order_id, attempt, action, code, reason, sms_deadline,
		subject_number, services, at FROM miit_results WHERE provider_id = $1 AND acked_at = 0 ORDER BY id LIMIT $2`,
		providerID, limit)
	if err != nil {
		return nil, problem.Wrap(err, "miit.internal")
	}
	defer rows.Close()
	var out []regulator.Result
	for rows.Next() {
		var r regulator.Result
		var action, services string
		var deadline, at int64
		if err := rows.Scan(&r.ID, &r.ProviderOrderID, &r.Attempt, &action, &r.Code, &r.Reason, &deadline,
			&r.SubjectNumber, &services, &at); err != nil {
			return nil, problem.Wrap(err, "miit.internal")
		}
		r.Action = filing.Action(action)
		if deadline != 0 {
			d := sqldb.Time(deadline)
			r.SMSDeadline = &d
		}
		if services != "" {
			if err := json.Unmarshal([]byte(services), &r.Services); err != nil {
				return nil, problem.Wrap(err, "miit.internal")
			}
		}
		r.At = sqldb.Time(at)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, problem.Wrap(err, "miit.internal")
	}
	return out, nil
}

// Ack acknowledges results of this provider; they are not returned again. Unknown ids, ids of other providers
// and ids already acknowledged are ignored.
func (s *Simulator) Ack(ctx context.Context, providerID string, ids []int64) error {
	if err := s.providerAllowed(providerID); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	now := sqldb.Millis(s.clk.Now())
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, 0, len(chunk)+2)
		args = append(args, providerID, now)
		for _, id := range chunk {
			args = append(args, id)
		}
		if _, err := s.db.Exec(ctx, `UPDATE miit_results SET acked_at = $2 WHERE provider_id = $1
			AND acked_at = 0 AND id IN (`+sqldb.Placeholders(3, len(chunk))+`)`, args...); err != nil {
			return problem.Wrap(err, "miit.internal")
		}
	}
	return nil
}
