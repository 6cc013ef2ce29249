package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/secret"
)

// SealedColumn is a column whose values are sealed by the keyring under one purpose (secret.Keyring.Seal).
type SealedColumn struct {
	Table   string
	Key     []string // the primary-key columns, to update one row
	Column  string
	Purpose string
}

// Name is "table.column".
func (c SealedColumn) Name() string { return c.Table + "." + c.Column }

// RotateBatch is how many values Reseal re-encrypts per transaction.
const RotateBatch = 200

// Reseal re-encrypts under the keyring's primary key every value of cols that is sealed under another key (key
// rotation: configure the new key first in BEIAN_SECRET_KEYS, keep the old ones after it, restart every node,
// run this, then drop the old keys). With dryRun it only counts. It returns the count per column ("table.column").
// A value sealed under a key the keyring does not hold stops it with secret.ErrUnknownKey: the old key must stay
// configured until rotation is complete. It is safe to run while the service runs and to run again.
func Reseal(ctx context.Context, db *DB, keys *secret.Keyring, cols []SealedColumn, dryRun bool) (map[string]int, error) {
	out := map[string]int{}
	primary := []byte{keys.Primary()}
	for _, c := range cols {
		stale := c.Column + ` IS NOT NULL AND length(` + c.Column + `) >= 2 AND substr(` + c.Column + `, 2, 1) <> $1`
		if dryRun {
			var n int
			if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+c.Table+` WHERE `+stale, primary).Scan(&n); err != nil {
				return out, fmt.Errorf("%s: %w", c.Name(), err)
			}
			out[c.Name()] = n
			continue
		}
		for {
			n, err := resealBatch(ctx, db, keys, c, stale, primary)
			out[c.Name()] += n
			if err != nil {
				return out, fmt.Errorf("%s: %w", c.Name(), err)
			}
			if n == 0 {
				break
			}
		}
	}
	return out, nil
}

// resealBatch re-encrypts up to RotateBatch stale values of one column in one transaction; it returns how many
// it changed (0: none left).
func resealBatch(ctx context.Context, db *DB, keys *secret.Keyring, c SealedColumn, stale string, primary []byte) (int, error) {
	var done int
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		done = 0
		rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(c.Key, ", ")+`, `+c.Column+` FROM `+c.Table+
			` WHERE `+stale+` LIMIT `+strconv.Itoa(RotateBatch), primary)
		if err != nil {
			return err
		}
		type row struct {
			key    []any
			sealed []byte
		}
		var batch []row
		for rows.Next() {
			vals := make([]any, len(c.Key)+1)
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return err
			}
			sealed, _ := vals[len(c.Key)].([]byte)
			batch = append(batch, row{key: vals[:len(c.Key)], sealed: sealed})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		where := make([]string, len(c.Key))
		for i, k := range c.Key {
			where[i] = k + " = $" + strconv.Itoa(i+2)
		}
		update := `UPDATE ` + c.Table + ` SET ` + c.Column + ` = $1 WHERE ` + strings.Join(where, " AND ")
		for _, r := range batch {
			plain, err := keys.Open(r.sealed, c.Purpose)
			if err != nil {
				return err
			}
			args := append([]any{keys.Seal(plain, c.Purpose)}, r.key...)
			if _, err := tx.ExecContext(ctx, update, args...); err != nil {
				return err
			}
			done++
		}
		return nil
	})
	return done, err
}
