package mps

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// Materials nobody attached. An upload waits unattached until a subject or an application names it
// (materials.go); one that none named within UnattachedRetention is forgotten by the sweep: the row is deleted,
// the deletion audited (action "forget", actor 0: the platform), and on SQLite the bytes of its sealed file are
// released from their pack (materialfiles.go). Identity card photos kept for a form that was never sent serve no
// purpose, and personal information is to be kept no longer than its purpose needs (个人信息保护法 art. 19).
//
// A material whose file another material shares (data_from) is forgotten only once no material shares it: the
// sharers go first, in their own statement. On PostgreSQL the sweep locks the files it is about to forget, and
// an upload that would share one locks it too (insertShared), so that no upload can come to share a file in
// the transaction that forgets it.
//
// The sweep also forgets what has expired (forgetExpired).
//
// Limits: a pack file stays in the directory at its full length with holes where the forgotten files were (the
// operating system gives their disk blocks back); packs are not rewritten or removed. Bytes that an upload kept
// but never recorded (a crash between the two) are not found.

// UnattachedRetention is how long an upload that no subject or application names is kept.
const UnattachedRetention = 7 * 24 * time.Hour

// forgetBatch bounds the materials of one kind (sharers, holders) that one transaction forgets.
const forgetBatch = 500

// forgetUnattached forgets the materials unattached for longer than UnattachedRetention, batch by batch, and
// releases their files; first the files a previous sweep forgot but had not released (it stopped in between).
func (s *Simulator) forgetUnattached(ctx context.Context) error {
	if err := s.releaseFreed(ctx); err != nil {
		return err
	}
	before := sqldb.Millis(s.now().Add(-UnattachedRetention))
	var id int64
	err := s.db.R.QueryRowContext(ctx, `SELECT id FROM mps_materials m WHERE `+unattachedBefore+`
		AND (data_from <> 0 OR `+unshared+`) LIMIT 1`, before).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) { // nothing to forget: no write transaction
		return nil
	}
	if err != nil {
		return err
	}
	for {
		n, err := s.forgetSome(ctx, before)
		if err != nil {
			return err
		}
		if err := s.releaseFreed(ctx); err != nil {
			return err
		}
		if n < forgetBatch {
			return nil
		}
	}
}

// unattachedBefore selects the unattached materials created before $1; unshared those (as m) whose file no
// other material shares.
const (
	unattachedBefore = `owner_kind = '' AND created_at < $1`
	unshared         = `NOT EXISTS (SELECT 1 FROM mps_materials s WHERE s.data_from = m.id)`
)

// forgetSome forgets up to forgetBatch sharers and forgetBatch holders in one transaction, records the files
// to release (mps_freed_files) and audits each deletion; it returns the larger of the two counts.
func (s *Simulator) forgetSome(ctx context.Context, before int64) (int, error) {
	var n int
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		sharers, _, err := deleted(ctx, tx, `DELETE FROM mps_materials WHERE id IN (SELECT id FROM mps_materials
			WHERE `+unattachedBefore+` AND data_from <> 0 ORDER BY id LIMIT $2) AND `+unattachedBefore+`
			RETURNING id, file_ref`, before, forgetBatch)
		if err != nil {
			return err
		}
		locked, err := sqldb.IDs(ctx, tx, `SELECT id FROM mps_materials m WHERE `+unattachedBefore+` AND data_from = 0
			AND `+unshared+` ORDER BY id LIMIT $2`+s.db.ForUpdate(), before, forgetBatch)
		if err != nil {
			return err
		}
		if len(locked) == 0 {
			n = len(sharers)
			return s.audit(ctx, tx, sharers)
		}
		args := append([]any{before}, sqldb.Args(locked)...)
		holders, refs, err := deleted(ctx, tx, `DELETE FROM mps_materials AS m WHERE `+unattachedBefore+` AND `+unshared+`
			AND id IN (`+sqldb.Placeholders(2, len(locked))+`) RETURNING id, file_ref`, args...)
		if err != nil {
			return err
		}
		if len(refs) > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO mps_freed_files (file_ref) VALUES `+
				rowsOf(len(refs)), sqldb.Args(refs)...); err != nil {
				return err
			}
		}
		n = max(len(sharers), len(locked))
		return s.audit(ctx, tx, append(sharers, holders...))
	})
	return n, err
}

// audit records that the platform forgot the materials ids.
func (s *Simulator) audit(ctx context.Context, tx *sql.Tx, forgotten []int64) error {
	if len(forgotten) == 0 {
		return nil
	}
	at := sqldb.Millis(s.now())
	args := make([]any, 0, 2*len(forgotten))
	values := make([]string, len(forgotten))
	for i, id := range forgotten {
		values[i] = "(0, 'forget', 'material', " + sqldb.Placeholders(2*i+1, 2) + ")"
		args = append(args, id, at)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO mps_audit (actor_id, action, kind, record_id, at) VALUES `+
		strings.Join(values, ", "), args...)
	return err
}

// releaseFreed releases the files recorded in mps_freed_files and then forgets the records.
func (s *Simulator) releaseFreed(ctx context.Context) error {
	for {
		rows, err := s.db.W.QueryContext(ctx, `SELECT id, file_ref FROM mps_freed_files ORDER BY id LIMIT $1`,
			forgetBatch)
		if err != nil {
			return err
		}
		var last int64
		var refs []string
		for rows.Next() {
			var ref string
			if err := rows.Scan(&last, &ref); err != nil {
				rows.Close()
				return err
			}
			refs = append(refs, ref)
		}
		if err := rows.Close(); err != nil || len(refs) == 0 {
			return err
		}
		if err := s.files.release(refs); err != nil {
			return err
		}
		if _, err := s.db.Exec(ctx, `DELETE FROM mps_freed_files WHERE id <= $1`, last); err != nil {
			return err
		}
		if len(refs) < forgetBatch {
			return nil
		}
	}
}

// deleted runs a DELETE … RETURNING id, file_ref and returns the ids and the non-empty file references.
func deleted(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]int64, []string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []int64
	var refs []string
	for rows.Next() {
		var id int64
		var ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return nil, nil, err
		}
		out = append(out, id)
		if ref != "" {
			refs = append(refs, ref)
		}
	}
	return out, refs, rows.Err()
}

// rowsOf is "($1), ($2), …" for n one-column rows.
func rowsOf(n int) string {
	v := make([]string, n)
	for i := range v {
		v[i] = "(" + sqldb.Placeholders(i+1, 1) + ")"
	}
	return strings.Join(v, ", ")
}

// forgetExpired deletes the sessions past their expiry (by the wall clock, as they expire) and empties the
// data codes past theirs: the sealed ICP data a provider pushed, and the keyed hashes of the principal's mobile
// and ID number. An expired code is still known, so that the provider's portal and a late applicant are told it
// expired rather than that it never existed.
func (s *Simulator) forgetExpired(ctx context.Context) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM mps_sessions WHERE expires_at <= $1`, sqldb.Millis(wallClock())); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `UPDATE mps_data_codes SET data = $1, mobile_hash = $1, id_hash = $1
		WHERE expires_at <= $2 AND length(data) > 0`, []byte{}, sqldb.Millis(s.now()))
	return err
}
