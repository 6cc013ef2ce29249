package store

import (
	"context"
	"sort"
	"time"

	"github.com/beian/beian/internal/sqldb"
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
	return t.later.Add(ctx, `INSERT INTO outbox (topic, payload_enc, created_at, due_at) VALUES ($1, $2, $3, $3)`,
		topic, t.s.Keys.Seal(payload, purposeOutbox), sqldb.Millis(now))
}

// ClaimOutbox takes up to limit due items of the topics in one statement and leases them (pushes their due time forward), so
// that no other worker takes them meanwhile; an item whose delivery is never finished is due again when the
// lease ends (at-least-once delivery). On PostgreSQL concurrent workers skip each other's locked rows.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int, topics ...string) ([]OutboxItem, error) {
	if len(topics) == 0 {
		return nil, nil
	}
	args := []any{sqldb.Millis(now), sqldb.Millis(now.Add(lease))}
	for _, t := range topics {
		args = append(args, t)
	}
	skip := ""
	if s.Dialect == sqldb.Postgres {
		skip = " FOR UPDATE SKIP LOCKED"
	}
	var out []OutboxItem
	err := s.DB.Write(ctx, func(tx sqldb.Querier) error {
		out = out[:0]
		// The items are picked once, in a materialized CTE: PostgreSQL may otherwise run a LIMIT subquery of an
		// UPDATE more than once and lease more than limit items.
		rows, err := tx.QueryContext(ctx, `WITH picked AS MATERIALIZED (SELECT id FROM outbox
				WHERE topic IN (`+sqldb.Placeholders(3, len(topics))+`) AND done_at = 0 AND due_at <= $1
				ORDER BY due_at, id LIMIT `+itoa(limit)+skip+`)
			UPDATE outbox SET due_at = $2, attempts = attempts + 1
			WHERE id IN (SELECT id FROM picked) AND done_at = 0 AND due_at <= $1
			RETURNING id, topic, payload_enc, attempts`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var it OutboxItem
			var sealed []byte
			if err := rows.Scan(&it.ID, &it.Topic, &sealed, &it.Attempts); err != nil {
				return err
			}
			if it.Payload, err = s.Keys.Open(sealed, purposeOutbox); err != nil {
				return err
			}
			it.Attempts-- // attempts before this one
			out = append(out, it)
		}
		return rows.Err()
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// FinishOutboxDone marks delivered items done, in one statement.
func (s *Store) FinishOutboxDone(ctx context.Context, ids []int64, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{sqldb.Millis(now)}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := s.Exec(ctx, `UPDATE outbox SET done_at = $1, last_error = '' WHERE id IN (`+sqldb.Placeholders(2, len(ids))+`)`, args...)
	return err
}

// ReleaseOutbox hands back claimed items that were not attempted: due now again, their claim not counted.
func (s *Store) ReleaseOutbox(ctx context.Context, ids []int64, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{sqldb.Millis(now)}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := s.Exec(ctx, `UPDATE outbox SET due_at = $1, attempts = attempts - 1 WHERE done_at = 0 AND id IN (`+
		sqldb.Placeholders(2, len(ids))+`)`, args...)
	return err
}

// FailOutbox records a failed delivery: due again at retryAt, or, when final, given up with its error kept.
func (s *Store) FailOutbox(ctx context.Context, id int64, now, retryAt time.Time, final bool, lastErr string) error {
	if final {
		_, err := s.Exec(ctx, `UPDATE outbox SET done_at = $2, failed = 1, last_error = $3 WHERE id = $1`, id, sqldb.Millis(now), lastErr)
		return err
	}
	_, err := s.Exec(ctx, `UPDATE outbox SET due_at = $2, last_error = $3 WHERE id = $1`, id, sqldb.Millis(retryAt), lastErr)
	return err
}

// OutboxPending counts undelivered items (for tests and metrics).
func (s *Store) OutboxPending(ctx context.Context) (int, error) {
	var n int
	err := s.R.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE done_at = 0`).Scan(&n)
	return n, err
}
