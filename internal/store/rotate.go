package store

import (
	"context"
	"database/sql"
	"fmt"
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

// SealedColumns lists every sealed column of the provider side. A test compares it with the schema, so that a
// new sealed column cannot be forgotten by key rotation.
func SealedColumns() []SealedColumn {
	id := []string{"id"}
	return []SealedColumn{
		{"accounts", id, "email_enc", purposeEmail},
		{"accounts", id, "mobile_enc", purposeMobile},
		{"orders", id, "payload_enc", purposeOrder},
		{"subject_contacts", []string{"order_id", "kind", "value_hash"}, "extra_enc", purposeContacts},
		{"filed_subjects", id, "payload_enc", purposeFiledSubject},
		{"filed_services", id, "payload_enc", purposeFiledService},
		{"outbox", id, "payload_enc", purposeOutbox},
		{"dev_messages", id, "to_enc", purposeDevTo},
		{"dev_messages", id, "body_enc", purposeDevBody},
		{"blobs", []string{"hash"}, "data_enc", purposeBlob},
		{"order_submissions", []string{"order_id", "seq"}, "payload_enc", purposeSubmission},
		{"review_calls", id, "phone_enc", purposeCallPhone},
		{"curtain_mailings", id, "address_enc", purposeMailing},
	}
}

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
			` WHERE `+stale+` LIMIT `+itoa(RotateBatch), primary)
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
			where[i] = k + " = $" + itoa(i+2)
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

// RotateKeys re-encrypts the provider side's sealed columns, and the blobs of a BlobStore outside the database
// that can reseal (DirBlobs), under the primary key. See Reseal.
func (s *Store) RotateKeys(ctx context.Context, dryRun bool) (map[string]int, error) {
	out, err := Reseal(ctx, s.DB, s.Keys, SealedColumns(), dryRun)
	if err != nil {
		return out, err
	}
	if r, ok := s.Blobs.(Resealer); ok {
		stale := 0
		_, err := r.Reseal(ctx, func(sealed []byte) ([]byte, bool, error) {
			if !s.Keys.Stale(sealed) {
				return nil, false, nil
			}
			stale++
			if dryRun {
				return nil, false, nil
			}
			plain, err := s.Keys.Open(sealed, purposeBlob)
			if err != nil {
				return nil, false, err
			}
			return s.Keys.Seal(plain, purposeBlob), true, nil
		})
		out["blob_store"] = stale
		if err != nil {
			return out, fmt.Errorf("blob store: %w", err)
		}
	}
	return out, nil
}
