package miit

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"

	"github.com/beian/beian/internal/sqldb"
)

// credSet is what a bulk load into an empty or small SQLite registry uses instead of the unique index on
// credentials, which Bulk drops for the load (inserting 32 random bytes into a B-tree for every subject was a
// sixth of the writer's time) and builds again at its end: the filed subjects by their credential hashes, so
// that the loader skips a subject already filed as the index would have. It holds those filed before the load,
// those the load inserts, and those other writers insert meanwhile (read at each batch: the subjects above the
// largest id it knows).
//
// It keeps only the first 8 bytes of each hash (its prefix) with the subject's id: a subject whose prefix is not
// there is not filed; one whose prefix is there is filed only if a subject under that prefix, read by id, is
// still filed under the whole hash (prefixes of different hashes meet about once in 2^64 pairs, so those reads are
// about as many as the duplicates; by id, because the index on the hashes is the one dropped). A subject
// cancelled during the load thus no longer counts as filed.
//
// The entries lie in one array in the order of their prefixes, with gaps: each at its home slot (where its
// prefix falls when the prefixes are spread evenly over the array's homes, which they are, being keyed hashes)
// or after it, with no empty slot between (linear probing kept in order). A lookup reads from the home up to an
// empty slot or a larger prefix, a few slots; an insertion shifts the entries up to the next empty slot by one.
// When 94 % of the homes are taken, the entries are spread again over 80 % of more homes (credFillMax).
//
// Its limits: 16 bytes a subject over 80–94 % of the slots, 17–20 bytes in all (18.9 measured at 10 M, 17.1–19.9
// from 1 to 2 M: 170–200 MB for 10 million, where the map of whole hashes it replaced took 67 bytes at 10 M and
// 84 at 1 M, docs/benchmarks.md); subject ids are positive (an empty slot has id 0); and a subject that another
// writer moves to a new credential during the load (a change of subject filed meanwhile) is not known under
// it, so were it loaded too it would be filed twice, which building the index at the end reports (buildIndex).
type credSet struct {
	mu    sync.Mutex  // a load's batches come one after the other, but LoadRegistry may run beside them
	slots []credEntry // m homes and a tail for the entries displaced past the last
	m     int
	n     int   // entries
	last  int64 // the largest subject id read or inserted
}

// credEntry is a filed subject in a credSet; an empty slot has id 0.
type credEntry struct {
	prefix uint64
	id     int64
}

// credFillMax is the percentage of a credSet's homes its entries may take; beyond it they are spread again over
// homes that they take credFillSpread percent of, with credTail empty slots after the last.
const (
	credFillMax, credFillSpread = 94, 80
	credTail                    = 64
)

// credPrefix is the part of a credential hash a credSet keeps.
func credPrefix(hash []byte) uint64 { return binary.BigEndian.Uint64(hash) }

func newCredSet() *credSet { return &credSet{} }

// home is the slot where the entries of prefix start.
func (c *credSet) home(prefix uint64) int {
	h, _ := bits.Mul64(prefix, uint64(c.m))
	return int(h)
}

// loadCredSet reads the credentials of the filed subjects.
func loadCredSet(ctx context.Context, tx *sql.Tx) (*credSet, error) {
	c := newCredSet()
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
		c.note(credPrefix(h), id)
	}
	return rows.Err()
}

// note adds the subject id under prefix, after the entries of the same prefix.
func (c *credSet) note(prefix uint64, id int64) {
	c.last = max(c.last, id)
	for {
		i := c.home(prefix)
		for i < len(c.slots) && c.slots[i].id != 0 && c.slots[i].prefix <= prefix {
			i++
		}
		j := i // the first empty slot from i
		for j < len(c.slots) && c.slots[j].id != 0 {
			j++
		}
		if j < len(c.slots) {
			copy(c.slots[i+1:j+1], c.slots[i:j])
			c.slots[i] = credEntry{prefix, id}
			break
		}
		c.spread() // the tail is full
	}
	if c.n++; c.n*100 > c.m*credFillMax {
		c.spread()
	}
}

// spread lays the entries out again, over more homes if they take more than credFillSpread percent, and with
// credTail empty slots after the last (which lies past the last home when the prefixes at the top are crowded).
func (c *credSet) spread() {
	c.m = max(c.m, c.n*100/credFillSpread, 1024)
	next := make([]credEntry, max(c.m, c.layout(nil)+1)+credTail)
	c.layout(next)
	c.slots = next
}

// layout puts the entries in their order into next, when not nil, each at its home or after the one before, and
// returns the slot of the last.
func (c *credSet) layout(next []credEntry) int {
	at := -1
	for _, e := range c.slots {
		if e.id != 0 {
			at = max(c.home(e.prefix), at+1)
			if next != nil {
				next[at] = e
			}
		}
	}
	return at
}

// candidates appends to ids the subjects noted under the prefix of hash.
func (c *credSet) candidates(ids []int64, hash []byte) []int64 {
	p := credPrefix(hash)
	for i := c.home(p); i < len(c.slots) && c.slots[i].id != 0 && c.slots[i].prefix <= p; i++ {
		if c.slots[i].prefix == p {
			ids = append(ids, c.slots[i].id)
		}
	}
	return ids
}

// unfiled returns the subjects of preps whose credentials are not filed.
func (c *credSet) unfiled(ctx context.Context, tx *sql.Tx, preps []*seedPrep) ([]*seedPrep, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.catchUp(ctx, tx); err != nil {
		return nil, err
	}
	type hit struct{ prep, from, to int } // a prep with candidates, at ids[from:to]
	var ids []int64
	var hits []hit
	for i, p := range preps {
		n := len(ids)
		if ids = c.candidates(ids, p.hash); len(ids) > n {
			hits = append(hits, hit{i, n, len(ids)})
		}
	}
	if len(hits) == 0 {
		return preps, nil
	}
	filed, err := filedHashes(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*seedPrep, 0, len(preps))
	for i, p := range preps {
		if len(hits) > 0 && hits[0].prep == i {
			h := hits[0]
			hits = hits[1:]
			if slices.ContainsFunc(ids[h.from:h.to], func(id int64) bool { return bytes.Equal(filed[id], p.hash) }) {
				continue
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// filedHashes reads the credential hashes of the subjects ids that are filed (not cancelled).
func filedHashes(ctx context.Context, tx *sql.Tx, ids []int64) (map[int64][]byte, error) {
	out := make(map[int64][]byte, len(ids))
	for start := 0; start < len(ids); start += loadStmtRecords {
		chunk := ids[start:min(start+loadStmtRecords, len(ids))]
		rows, err := tx.QueryContext(ctx, `SELECT id, credential_hash FROM miit_subjects WHERE cancelled_at = 0
			AND id IN (`+sqldb.Placeholders(1, len(chunk))+`)`, sqldb.Args(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var h []byte
			if err := rows.Scan(&id, &h); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = h
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
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
			c.note(credPrefix(p.hash), p.id)
		}
	}
}
