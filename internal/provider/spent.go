package provider

import (
	"context"
	"sync"
	"time"

	"github.com/beian/beian/internal/provider/store"
)

// dbSpent is the live check's memory of used nonces and frames (face.Spent) in the provider's database, so
// that every node refuses what any node has seen. Each node purges the expired keys at most once a minute.
type dbSpent struct {
	st  *store.Store
	now func() time.Time

	mu     sync.Mutex
	purged time.Time
}

// Spend implements face.Spent.
func (d *dbSpent) Spend(ctx context.Context, key string, until time.Time) (bool, error) {
	now := d.now()
	d.mu.Lock()
	purge := now.Sub(d.purged) > time.Minute
	if purge {
		d.purged = now
	}
	d.mu.Unlock()
	if purge {
		if err := d.st.PurgeSpent(ctx, now); err != nil {
			return false, err
		}
	}
	return d.st.Spend(ctx, key, until, now)
}
