package store

import (
	"context"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// Spend records key as used until then and reports whether it was fresh: not recorded, or recorded only
// until a time before now. One statement, so that two nodes spending the same key at once cannot both
// see it fresh. The key is stored as a keyed hash.
func (s *Store) Spend(ctx context.Context, key string, until, now time.Time) (bool, error) {
	var fresh bool
	err := s.Update(ctx, func(t *Tx) error {
		res, err := t.tx.ExecContext(ctx, `INSERT INTO liveness_spent (key, until) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET until = excluded.until WHERE liveness_spent.until < $3`,
			s.Keys.Hash("liveness_spent", key), sqldb.Millis(until), sqldb.Millis(now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		fresh = n == 1
		return err
	})
	return fresh, err
}

// PurgeSpent forgets the keys spent until before now.
func (s *Store) PurgeSpent(ctx context.Context, now time.Time) error {
	return s.Update(ctx, func(t *Tx) error {
		_, err := t.tx.ExecContext(ctx, `DELETE FROM liveness_spent WHERE until < $1`, sqldb.Millis(now))
		return err
	})
}
