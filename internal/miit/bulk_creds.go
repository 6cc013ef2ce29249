package miit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"sync"
)

// credSet is what a bulk load into an empty or small SQLite registry uses instead of the unique index on
// credentials, which Bulk drops for the load (inserting 32 random bytes into a B-tree for every subject was a
// sixth of the writer's time) and builds again at its end: the credential hashes of the filed subjects, so
// that the loader skips a subject already filed as the index would have. It holds those filed before the load,
// those the load inserts, and those other writers insert meanwhile (read at each batch: the subjects above the
// largest id it knows). Its limits: about 40 bytes of memory a subject loaded (400 MB for 10 million), and a
// subject cancelled by another writer during the load still counts as filed until the load ends.
type credSet struct {
	mu     sync.Mutex // a load's batches come one after the other, but LoadRegistry may run beside them
	hashes map[[sha256.Size]byte]struct{}
	last   int64 // the largest subject id read or inserted
}

// loadCredSet reads the credentials of the filed subjects.
func loadCredSet(ctx context.Context, tx *sql.Tx) (*credSet, error) {
	c := &credSet{hashes: map[[sha256.Size]byte]struct{}{}}
	return c, c.catchUp(ctx, tx)
}

// catchUp adds the subjects filed since the set last looked (by other writers).
func (c *credSet) catchUp(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, credential_hash FROM miit_subjects WHERE id > $1 AND cancelled_at = 0`,
		c.last)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var h []byte
		if err := rows.Scan(&id, &h); err != nil {
			return err
		}
		c.hashes[[sha256.Size]byte(h)] = struct{}{}
		c.last = max(c.last, id)
	}
	return rows.Err()
}

// unfiled returns the subjects of preps whose credentials are not filed.
func (c *credSet) unfiled(ctx context.Context, tx *sql.Tx, preps []*seedPrep) ([]*seedPrep, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.catchUp(ctx, tx); err != nil {
		return nil, err
	}
	out := make([]*seedPrep, 0, len(preps))
	for _, p := range preps {
		if _, filed := c.hashes[[sha256.Size]byte(p.hash)]; !filed {
			out = append(out, p)
		}
	}
	return out, nil
}

// add notes the subjects of preps that were inserted (a committed batch).
func (c *credSet) add(preps []*seedPrep) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range preps {
		if p.id != 0 {
			c.hashes[[sha256.Size]byte(p.hash)] = struct{}{}
			c.last = max(c.last, p.id)
		}
	}
}
