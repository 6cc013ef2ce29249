package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// LoginKey is the throttle key of a login e-mail address ("account") or client address ("client"): an HMAC with
// the index key, so that the table holds neither in the clear.
func (s *Store) LoginKey(kind, value string) []byte { return s.Keys.Hash("login_"+kind, value) }

// LoginLockedUntil is the latest end of a pause among keys (zero when none is paused at now).
func (s *Store) LoginLockedUntil(ctx context.Context, now time.Time, keys ...[]byte) (time.Time, error) {
	var latest int64
	for _, k := range keys {
		var until int64
		err := s.R.QueryRowContext(ctx, `SELECT locked_until FROM login_throttle WHERE key = $1`, k).Scan(&until)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return time.Time{}, err
		}
		latest = max(latest, until)
	}
	if latest <= sqldb.Millis(now) {
		return time.Time{}, nil
	}
	return sqldb.Time(latest), nil
}

// LoginFailed counts a failure on key at now, starting again from one when the previous failure is older than
// forget, and returns the count.
func (t *Tx) LoginFailed(ctx context.Context, key []byte, now time.Time, forget time.Duration) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `INSERT INTO login_throttle (key, failures, last_failure, locked_until)
		VALUES ($1, 1, $2, 0)
		ON CONFLICT (key) DO UPDATE SET last_failure = excluded.last_failure,
			failures = CASE WHEN login_throttle.last_failure < $3 THEN 1 ELSE login_throttle.failures + 1 END
		RETURNING failures`, key, sqldb.Millis(now), sqldb.Millis(now.Add(-forget))).Scan(&n)
	return n, err
}

// LockLogin pauses logins on key until then (never shortening a longer pause).
func (t *Tx) LockLogin(ctx context.Context, key []byte, until time.Time) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE login_throttle SET locked_until = $2 WHERE key = $1 AND locked_until < $2`,
		key, sqldb.Millis(until))
	return err
}

// ClearLogin forgets the failures on key (after a successful login).
func (s *Store) ClearLogin(ctx context.Context, key []byte) error {
	return s.Update(ctx, func(t *Tx) error {
		_, err := t.tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, key)
		return err
	})
}

// ForgetLoginFailures deletes the keys whose last failure is older than before and whose pause has ended by
// now: their count would start again from one (LoginFailed), so they say nothing any more.
func (s *Store) ForgetLoginFailures(ctx context.Context, before, now time.Time) (int64, error) {
	res, err := s.Exec(ctx, `DELETE FROM login_throttle WHERE last_failure < $1 AND locked_until <= $2`,
		sqldb.Millis(before), sqldb.Millis(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
