package store

import (
	"context"
	"time"
)

const purposeOutbox = "outbox.payload"

// OutboxItem is a side effect to perform after commit: an SMS, an e-mail, an upload to the regulator.
type OutboxItem struct {
	ID       int64
	Topic    string
	Payload  []byte // JSON, sealed at rest
	Attempts int
}

// Enqueue writes an outbox item in the caller's transaction, so it exists if and only if the change commits.
func (t *Tx) Enqueue(ctx context.Context, topic string, payload []byte, now time.Time) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO outbox (topic, payload_enc, created_at, due_at) VALUES ($1, $2, $3, $3)`,
		topic, t.s.Keys.Seal(payload, purposeOutbox), Millis(now))
	return err
}

// DueOutbox returns up to limit undelivered items due at now, oldest first.
func (s *Store) DueOutbox(ctx context.Context, now time.Time, limit int) ([]OutboxItem, error) {
	rows, err := s.W.QueryContext(ctx, `SELECT id, topic, payload_enc, attempts FROM outbox
		WHERE done_at = 0 AND due_at <= $1 ORDER BY due_at, id LIMIT `+itoa(limit), Millis(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		var it OutboxItem
		var sealed []byte
		if err := rows.Scan(&it.ID, &it.Topic, &sealed, &it.Attempts); err != nil {
			return nil, err
		}
		if it.Payload, err = s.Keys.Open(sealed, purposeOutbox); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// ClaimOutbox marks an item as being delivered by pushing its due time forward (a lease), so that another
// worker does not take it meanwhile. It reports false when someone else claimed it first.
func (s *Store) ClaimOutbox(ctx context.Context, id int64, now time.Time, lease time.Duration) (bool, error) {
	res, err := s.W.ExecContext(ctx, `UPDATE outbox SET due_at = $3, attempts = attempts + 1
		WHERE id = $1 AND done_at = 0 AND due_at <= $2`, id, Millis(now), Millis(now.Add(lease)))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// FinishOutbox records the outcome of a delivery: done, retry at a later time, or failed for good.
func (s *Store) FinishOutbox(ctx context.Context, id int64, now time.Time, retryAt time.Time, failed bool, lastErr string) error {
	switch {
	case lastErr == "":
		_, err := s.W.ExecContext(ctx, `UPDATE outbox SET done_at = $2, last_error = '' WHERE id = $1`, id, Millis(now))
		return err
	case failed:
		_, err := s.W.ExecContext(ctx, `UPDATE outbox SET done_at = $2, failed = 1, last_error = $3 WHERE id = $1`, id, Millis(now), lastErr)
		return err
	default:
		_, err := s.W.ExecContext(ctx, `UPDATE outbox SET due_at = $2, last_error = $3 WHERE id = $1`, id, Millis(retryAt), lastErr)
		return err
	}
}

// OutboxPending counts undelivered items (for tests and metrics).
func (s *Store) OutboxPending(ctx context.Context) (int, error) {
	var n int
	err := s.R.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE done_at = 0`).Scan(&n)
	return n, err
}
