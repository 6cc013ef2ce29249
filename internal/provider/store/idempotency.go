package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// IdemRecord is a stored response to a request made with an Idempotency-Key.
type IdemRecord struct {
	Fingerprint string
	Status      int // 0 while the first request is still running
	Body        []byte
}

// ReserveIdempotency claims key for account. It returns nil when the key is new (the caller goes ahead), or the
// existing record when the key was used before.
func (s *Store) ReserveIdempotency(ctx context.Context, accountID int64, key, fingerprint string, now time.Time) (*IdemRecord, error) {
	var existing *IdemRecord
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		existing = nil
		var r IdemRecord
		err := tx.QueryRowContext(ctx, `SELECT fingerprint, status, body FROM idempotency WHERE account_id = $1 AND idem_key = $2`,
			accountID, key).Scan(&r.Fingerprint, &r.Status, &r.Body)
		if err == nil {
			existing = &r
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO idempotency (account_id, idem_key, fingerprint, status, created_at)
			VALUES ($1, $2, $3, 0, $4)`, accountID, key, fingerprint, sqldb.Millis(now))
		return err
	})
	return existing, err
}

// CompleteIdempotency stores the response for a reserved key.
func (s *Store) CompleteIdempotency(ctx context.Context, accountID int64, key string, status int, body []byte) error {
	_, err := s.Exec(ctx, `UPDATE idempotency SET status = $3, body = $4 WHERE account_id = $1 AND idem_key = $2`,
		accountID, key, status, body)
	return err
}

// ReleaseIdempotency forgets a reserved key whose request failed before producing a response worth replaying.
func (s *Store) ReleaseIdempotency(ctx context.Context, accountID int64, key string) error {
	_, err := s.Exec(ctx, `DELETE FROM idempotency WHERE account_id = $1 AND idem_key = $2 AND status = 0`, accountID, key)
	return err
}
