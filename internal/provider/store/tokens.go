package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// Token kinds.
const (
	TokenSession = "session"
	TokenAPI     = "api"
)

// NewToken returns a random bearer token and the hash under which it is stored.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CreateToken stores a token's hash for account; expires zero means no expiry.
func (t *Tx) CreateToken(ctx context.Context, hash []byte, accountID int64, kind, name string, now, expires time.Time) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO tokens (hash, account_id, kind, name, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, hash, accountID, kind, name, sqldb.Millis(now), sqldb.Millis(expires))
	return err
}

// DeleteToken revokes a token.
func (t *Tx) DeleteToken(ctx context.Context, token string) error {
	_, err := t.tx.ExecContext(ctx, `DELETE FROM tokens WHERE hash = $1`, hashToken(token))
	return err
}

// AccountByToken resolves a bearer token or session cookie to its account and the token's kind.
func (s *Store) AccountByToken(ctx context.Context, token string, now time.Time) (*Account, string, error) {
	row := s.R.QueryRowContext(ctx, `SELECT t.kind, `+prefixed("a.", accountColumns)+`
		FROM tokens t JOIN accounts a ON a.id = t.account_id
		WHERE t.hash = $1 AND (t.expires_at = 0 OR t.expires_at > $2) AND a.disabled = 0`, hashToken(token), sqldb.Millis(now))
	var kind string
	a, err := s.scanAccount(row, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", problem.New(problem.Unauthenticated, "auth.invalid_token", "")
	}
	return a, kind, err
}

func prefixed(prefix, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// ForgetExpiredTokens deletes the tokens whose expiry is past (API tokens, which do not expire, stay).
func (s *Store) ForgetExpiredTokens(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.Exec(ctx, `DELETE FROM tokens WHERE expires_at > 0 AND expires_at <= $1`, sqldb.Millis(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
