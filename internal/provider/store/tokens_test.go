package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// ForgetExpiredTokens deletes the sessions whose expiry is past and keeps the others and the API tokens, which
// do not expire; the kept ones still sign in.
func TestForgetExpiredTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		a := applicant(t, s, "tokens@example.com")
		tokens := []struct {
			name, kind string
			expires    time.Time
			kept       bool
		}{
			{"expired session", store.TokenSession, now.Add(-time.Minute), false},
			{"session expiring now", store.TokenSession, now, false},
			{"live session", store.TokenSession, now.Add(time.Hour), true},
			{"API token", store.TokenAPI, time.Time{}, true},
		}
		issued := make([]string, len(tokens))
		for i, c := range tokens {
			token, hash := store.NewToken()
			issued[i] = token
			if err := s.Update(ctx, func(tx *store.Tx) error {
				return tx.CreateToken(ctx, hash, a.ID, c.kind, c.name, now.Add(-time.Hour), c.expires)
			}); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.ForgetExpiredTokens(ctx, now)
		if err != nil || n != 2 {
			t.Fatalf("forgot %d tokens (%v), want 2", n, err)
		}
		for i, c := range tokens {
			var left int
			if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tokens WHERE name = $1`, c.name).Scan(&left); err != nil {
				t.Fatal(err)
			}
			if (left == 1) != c.kept {
				t.Errorf("%s: %d left, kept want %v", c.name, left, c.kept)
			}
			if _, _, err := s.AccountByToken(ctx, issued[i], now.Add(-time.Second)); (err == nil) != c.kept {
				t.Errorf("%s signs in: %v, want %v", c.name, err == nil, c.kept)
			}
		}
	})
}
