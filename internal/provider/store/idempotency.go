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

// IdempotencyTTL is how long a record is kept: a retry with the same key within it gets the first answer, one
// after it runs as a new request. Clients retry within seconds or minutes; a day covers a client that was
// offline overnight, as common APIs do.
const IdempotencyTTL = 24 * time.Hour

// purposeIdempotency seals the kept responses.
const purposeIdempotency = "idempotency.body"

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
	var sealed []byte
	err = s.W.QueryRowContext(ctx, `SELECT fingerprint, status, body, body_enc, created_at FROM idempotency
		WHERE account_id = $1 AND idem_key = $2`, accountID, key).Scan(&r.Fingerprint, &r.Status, &r.Body, &sealed, &created)
	if errors.Is(err, sql.ErrNoRows) { // the first request failed and released the key meanwhile: claim it again
		return s.ReserveIdempotency(ctx, accountID, key, fingerprint, now)
	}
	if err == nil && sealed != nil { // else a record of an earlier version, in body
		r.Body, err = s.Keys.Open(sealed, purposeIdempotency)
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

// CompleteIdempotency stores the response for a reserved key, sealed.
func (s *Store) CompleteIdempotency(ctx context.Context, accountID int64, key string, status int, body []byte) error {
	_, err := s.Exec(ctx, `UPDATE idempotency SET status = $3, body_enc = $4 WHERE account_id = $1 AND idem_key = $2`,
		accountID, key, status, s.Keys.Seal(body, purposeIdempotency))
	return err
}

// ForgetIdempotency deletes the records reserved before before (a retry after that runs as a new request).
func (s *Store) ForgetIdempotency(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.Exec(ctx, `DELETE FROM idempotency WHERE created_at < $1`, sqldb.Millis(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ReleaseIdempotency forgets a reserved key whose request failed before producing a response worth replaying.
func (s *Store) ReleaseIdempotency(ctx context.Context, accountID int64, key string) error {
	_, err := s.Exec(ctx, `DELETE FROM idempotency WHERE account_id = $1 AND idem_key = $2 AND status = 0`, accountID, key)
	return err
}
