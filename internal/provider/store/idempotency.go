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

// AbandonAfter is how long a reservation may stay in progress before a retry with the same request takes it
// over: the node that held it died, or its request never finished. No request of the portal runs that long.
const AbandonAfter = 5 * time.Minute

// ReserveIdempotency claims key for account. It returns nil when the key is new (the caller goes ahead), or the
// existing record when the key was used before. The common case, a new key, is one statement. A reservation
// still in progress after AbandonAfter is taken over by a retry of the same request (same fingerprint): the
// retry goes ahead as if the key were new, and only one retry wins the takeover.
func (s *Store) ReserveIdempotency(ctx context.Context, accountID int64, key, fingerprint string, now time.Time) (*IdemRecord, error) {
	res, err := s.Exec(ctx, `INSERT INTO idempotency (account_id, idem_key, fingerprint, status, created_at)
		VALUES ($1, $2, $3, 0, $4) ON CONFLICT (account_id, idem_key) DO NOTHING`, accountID, key, fingerprint, sqldb.Millis(now))
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return nil, err
	}
	var r IdemRecord
	var created int64
	err = s.W.QueryRowContext(ctx, `SELECT fingerprint, status, body, created_at FROM idempotency WHERE account_id = $1 AND idem_key = $2`,
		accountID, key).Scan(&r.Fingerprint, &r.Status, &r.Body, &created)
	if errors.Is(err, sql.ErrNoRows) { // the first request failed and released the key meanwhile: claim it again
		return s.ReserveIdempotency(ctx, accountID, key, fingerprint, now)
	}
	if err != nil || r.Status != 0 || r.Fingerprint != fingerprint || sqldb.Time(created).After(now.Add(-AbandonAfter)) {
		return &r, err
	}
	res, err = s.Exec(ctx, `UPDATE idempotency SET created_at = $3
		WHERE account_id = $1 AND idem_key = $2 AND status = 0 AND created_at = $4`,
		accountID, key, sqldb.Millis(now), created)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return nil, err
	}
	return &r, nil // another retry took it over first
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
