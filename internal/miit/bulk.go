package miit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/beian/beian/internal/sqldb"
)

// bulkPragmas tune the SQLite writer for a bulk load, with the values they return to afterwards: commits not
// synced to disk (an application crash loses nothing committed; an OS crash or power cut may lose the last
// transactions of the load, which is then run again: subjects already filed are skipped), a 128 MB page cache
// (the pages a load writes to: the ends of the tables, which it appends to, and the places in the unique number
// indexes where each province and year goes on; not larger: this SQLite build allocates every cached page on its
// own and returns each to the system with a system call when the cache shrinks back or the connection closes,
// which with 1 GB cost more than the reads the larger cache saved, docs/benchmarks.md), and no foreign key checks
// (the loader inserts services, domains and accesses only under the subjects and services it has just inserted;
// each check is a lookup, and it makes SQLite keep a statement journal for every multi-row insert).
var bulkPragmas = []struct{ set, reset string }{
	{`PRAGMA synchronous = OFF`, `PRAGMA synchronous = NORMAL`},
	{`PRAGMA cache_size = -131072`, sqldb.WriterCachePragma},
	{`PRAGMA foreign_keys = OFF`, `PRAGMA foreign_keys = ON`},
}

// Bulk runs fn, which loads many records (LoadRegistry), with the SQLite writer tuned for it (bulkPragmas); the
// settings are restored afterwards and the write-ahead log is emptied into the database. Into a registry that
// is empty or small (fewer than bulkSmallRegistry subjects: the demo seed, a test set), the droppedIndexes (by
// name, by service, by subject, by provider, and the unique one on credentials) are dropped first and built
// once at the end, from the loaded data, instead of being updated at random places for every row; meanwhile the
// loader skips the subjects already filed by their credentials in memory (credSet). The other unique
// constraints stay. The dropped indexes are noted in miit_pending_indexes in the same transaction, so that a
// load that stops half-way leaves them to be built by the next start (BuildPendingIndexes). On PostgreSQL it
// just runs fn.
func (s *Simulator) Bulk(ctx context.Context, fn func() error) error {
	if s.db.Dialect != sqldb.SQLite {
		return fn()
	}
	for _, p := range bulkPragmas {
		if _, err := s.db.W.ExecContext(ctx, p.set); err != nil {
			return err
		}
	}
	err := s.BuildPendingIndexes(ctx)
	if err == nil {
		var creds *credSet
		creds, err = s.dropIndexesIfSmall(ctx)
		s.bulkCreds.Store(creds)
	}
	errs := []error{err}
	if err == nil {
		errs = append(errs, fn())
	}
	s.bulkCreds.Store(nil)
	errs = append(errs, s.BuildPendingIndexes(context.WithoutCancel(ctx))) // whether fn failed or not
	for _, p := range bulkPragmas {
		_, err := s.db.W.ExecContext(context.WithoutCancel(ctx), p.reset)
		errs = append(errs, err)
	}
	// The load leaves the write-ahead log as large as its last transactions; copied into the database and
	// emptied now, it no longer sits in front of every page a query reads.
	_, err = s.db.W.ExecContext(context.WithoutCancel(ctx), `PRAGMA wal_checkpoint(TRUNCATE)`)
	return errors.Join(append(errs, err)...)
}

// bulkSmallRegistry is the number of subjects below which a bulk load drops the secondary indexes: building
// them again over that many rows more than the load's own takes milliseconds, while keeping them costs every
// loaded row a random insert into each. Above it the load may be a small addition to a large registry, whose
// indexes would take minutes to build again. (A variable so that a test can lower it.)
var bulkSmallRegistry = 10_000

// droppedIndexes selects, in sqlite_master, the indexes of the registry tables that a bulk load into a small
// registry drops: those that enforce nothing, and the unique index on credentials, whose place the loader's
// credSet takes. The other unique constraints (subject and service numbers, domains, accesses) stay: they are
// part of their tables (autoindexes, primary keys) and decide what is skipped.
const droppedIndexes = `type = 'index' AND sql IS NOT NULL
	AND (sql NOT LIKE 'CREATE UNIQUE%' OR name = 'miit_subjects_credential')
	AND tbl_name IN ('miit_subjects', 'miit_services', 'miit_domains', 'miit_accesses')`

// dropIndexesIfSmall drops the droppedIndexes when the registry holds fewer than bulkSmallRegistry subjects,
// noting them in miit_pending_indexes, and then returns the credentials already filed.
func (s *Simulator) dropIndexesIfSmall(ctx context.Context) (*credSet, error) {
	var creds *credSet
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var filed int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM miit_subjects LIMIT $1)`,
			bulkSmallRegistry).Scan(&filed)
		if err != nil || filed >= bulkSmallRegistry {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO miit_pending_indexes (name, sql) SELECT name, sql FROM sqlite_master
			WHERE `+droppedIndexes); err != nil {
			return err
		}
		names, err := pendingIndexes(ctx, tx)
		for _, ix := range names {
			if err == nil {
				_, err = tx.ExecContext(ctx, `DROP INDEX `+ix.name)
			}
		}
		if err == nil {
			creds, err = loadCredSet(ctx, tx)
		}
		return err
	})
	return creds, err
}

type pendingIndex struct{ name, sql string }

func pendingIndexes(ctx context.Context, tx *sql.Tx) ([]pendingIndex, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM miit_pending_indexes ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pendingIndex
	for rows.Next() {
		var ix pendingIndex
		if err := rows.Scan(&ix.name, &ix.sql); err != nil {
			return nil, err
		}
		out = append(out, ix)
	}
	return out, rows.Err()
}

// BuildPendingIndexes builds the indexes a bulk load dropped and has not built again (see Bulk); Migrate calls it,
// so that a server started after an interrupted import has every index.
func (s *Simulator) BuildPendingIndexes(ctx context.Context) error {
	if s.db.Dialect != sqldb.SQLite {
		return nil
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		list, err := pendingIndexes(ctx, tx)
		for _, ix := range list {
			if err == nil {
				err = buildIndex(ctx, tx, ix)
			}
		}
		if err == nil && len(list) > 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM miit_pending_indexes`)
		}
		return err
	})
}

// buildIndex builds ix unless it exists. The unique index on credentials fails when a subject was filed twice
// under one credential while it was missing (which the loader prevents); the error then names them.
func buildIndex(ctx context.Context, tx *sql.Tx, ix pendingIndex) error {
	q := strings.Replace(ix.sql, "CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
	q = strings.Replace(q, "CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1)
	_, err := tx.ExecContext(ctx, q)
	if err == nil || ix.name != "miit_subjects_credential" {
		return err
	}
	var twice sql.NullString
	if e := tx.QueryRowContext(ctx, `SELECT group_concat(numbers, '; ') FROM (SELECT group_concat(number, ' ') AS numbers
		FROM miit_subjects WHERE cancelled_at = 0 GROUP BY credential_hash HAVING COUNT(*) > 1 LIMIT 20)`).Scan(&twice); e != nil {
		return errors.Join(err, e)
	}
	return fmt.Errorf("miit: subjects filed twice under one credential (subject numbers: %s); cancel or delete one of each before the next start: %w",
		twice.String, err)
}
