// Package sqldb is the SQL plumbing every bounded context shares (the provider, the MIIT simulator, the police
// platform): it opens a database — SQLite (embedded, the default) or PostgreSQL (several app nodes) —, runs one
// context's migrations, runs write transactions (group-committed on SQLite, batch.go, with the write-ahead log
// checkpointed beside the writer, checkpoint.go; on PostgreSQL BEGIN and COMMIT travel with the transaction's
// first and last statements, pipeline.go), caches prepared statements (stmtcache.go), reads hot paths and long
// scans of SQLite straight through the library (probe.go, scan.go), reads an SQLite file ahead of such a scan
// (prefetch.go), converts time columns and re-seals sealed columns on key rotation. Queries are
// hand-written portable SQL with $n placeholders; the few real differences between the two dialects live in
// Dialect. Instants are stored as integer milliseconds. It knows no table of any context.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// Dialect names the database engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is a database with a single-writer pool and a reader pool (the same pool on PostgreSQL).
type DB struct {
	W        *sql.DB
	R        *sql.DB
	Dialect  Dialect
	URL      string
	batch    *batcher      // SQLite's group commit; nil on PostgreSQL
	ckpt     *checkpointer // SQLite's checkpoints beside the writer (checkpoint.go); nil on PostgreSQL
	probesMu sync.Mutex
	probes   []*Probe // SQLite's hot read paths on connections of their own (probe.go)
}

// Open opens url: "sqlite:PATH" (or a plain path / "file:PATH") or "postgres://…". The SQLite file's
// directory is created if missing.
func Open(ctx context.Context, url string) (*DB, error) {
	if err := CheckURL(url); err != nil {
		return nil, err
	}
	path, ok := SQLitePath(url)
	if !ok {
		return openPostgres(ctx, url)
	}
	return openSQLite(ctx, path)
}

// CheckURL refuses a database URL that is neither PostgreSQL's (postgres:// or postgresql://) nor an SQLite
// file (a path, sqlite:path or file:path): a mistyped scheme such as postgress://… would otherwise name an SQLite
// file, created empty, with the password in its path.
func CheckURL(url string) error {
	if i := strings.Index(url, "://"); i >= 0 && !strings.HasPrefix(url, "postgres://") &&
		!strings.HasPrefix(url, "postgresql://") && !strings.HasPrefix(url, "sqlite:") && !strings.HasPrefix(url, "file:") {
		return fmt.Errorf("database URL: unknown scheme %q: use postgres://user@host/db, or a file path (sqlite:data/beian.db)",
			url[:i])
	}
	if url == "" {
		return errors.New("database URL: empty: use postgres://user@host/db, or a file path (sqlite:data/beian.db)")
	}
	return nil
}

// SQLitePath returns the file an SQLite URL names; ok is false for a PostgreSQL URL.
func SQLitePath(url string) (path string, ok bool) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return "", false
	}
	path = strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path, true
}

// sqlitePragmas: busy_timeout first (PocketBase core/db_connect.go), WAL, synchronous NORMAL (durable across
// application crashes; an OS crash may lose the last transactions but never corrupts), foreign keys on, the
// log's automatic checkpoint at writerCheckpointPages (checkpoint.go). No mmap_size: under a steady write load
// every read transaction then unmaps pages (9% of CPU, docs/benchmarks.md).
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(" + writerCheckpointPages + ")"

// Page caches. This build of SQLite keeps the pages of every connection of the process in one pool, bounded by
// the sum of the connections' cache_size: an idle connection's share is used by the busy ones, so the readers
// of a query load fill the writers' shares too. Each 4 kB page costs about 9 kB of the process's memory (the
// pure-Go allocator rounds a page and its header up to an 8 kB slot). With 32 MB writers and eight 8 MB readers
// per database, the public query took the server from 40 to 300 MB (docs/benchmarks.md); the readers now keep
// 2 MB each and rely on the operating system's page cache (shared, outside the process), which answers a page
// missing from them with one pread. The driver applies _pragma values in lexical order, so each pool names its
// cache_size once rather than overriding a shared one.
// A connection whose cache is changed for a while (a bulk load, an export, the query's probe) is set back
// with WriterCachePragma or ReaderCachePragma.
const (
	writerCacheKiB    = "32000"
	readerCacheKiB    = "2000"
	writerCache       = "&_pragma=cache_size(-" + writerCacheKiB + ")"
	readerCache       = "&_pragma=cache_size(-" + readerCacheKiB + ")"
	WriterCachePragma = "PRAGMA cache_size = -" + writerCacheKiB
	ReaderCachePragma = "PRAGMA cache_size = -" + readerCacheKiB
)

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqldb: empty SQLite path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqldb: create %s: %w", dir, err)
		}
	}
	w, err := sql.Open(cachingSQLiteWriter, "file:"+path+"?"+sqlitePragmas+writerCache+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1) // SQLite has one writer; queueing here beats SQLITE_BUSY
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open(cachingSQLite, "file:"+path+"?"+sqlitePragmas+readerCache+"&mode=ro")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	db := &DB{W: w, R: r, Dialect: SQLite, URL: "sqlite:" + path}
	if err := w.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqldb: open %s: %w", path, err)
	}
	if db.ckpt, err = newCheckpointer(path); err != nil {
		db.Close()
		return nil, err
	}
	db.batch = newBatcher(w, db.ckpt.committed)
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	var err error
	if db.batch != nil {
		db.batch.close()
	}
	if db.ckpt != nil {
		err = db.ckpt.close()
	}
	db.probesMu.Lock()
	for _, p := range db.probes {
		p.close()
	}
	db.probesMu.Unlock()
	err = errors.Join(err, db.W.Close())
	if db.R != db.W {
		err = errors.Join(err, db.R.Close())
	}
	return err
}

// ForUpdate is the row-lock suffix for a SELECT inside a write transaction: PostgreSQL locks the row, SQLite
// already holds the database's write lock (transactions start IMMEDIATE).
func (db *DB) ForUpdate() string {
	if db.Dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// ForUpdateOf is ForUpdate for a SELECT that joins tables, locking only the rows of table (a name or alias).
func (db *DB) ForUpdateOf(table string) string {
	if db.Dialect == Postgres {
		return " FOR UPDATE OF " + table
	}
	return ""
}

// Tx runs fn in a write transaction and commits it, retrying the whole function when the database reports a
// transient conflict (SQLite busy, PostgreSQL serialization failure or deadlock). fn must not have side effects
// outside the transaction. On SQLite, transactions waiting at the same time are committed together (batch.go):
// fn then runs on the group's goroutine and must use the database only through tx.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return retry(ctx, func() error {
		counts.writes.Add(1)
		if db.batch != nil {
			return db.batch.run(ctx, fn)
		}
		return db.tryTx(ctx, fn)
	})
}

// retry calls try again while it fails with a transient conflict, a few times, backing off.
func retry(ctx context.Context, try func() error) error {
	for attempt := 0; ; attempt++ {
		err := try()
		if err == nil || attempt >= 8 || !transient(err) {
			return err
		}
		backoff := time.Duration(1<<attempt) * time.Millisecond
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff + rand.N(backoff)):
		}
	}
}

// Querier is what both a pool and a transaction offer.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Write runs fn, which sends exactly one statement, as a write of its own, retried on transient conflicts. On
// PostgreSQL the statement commits by itself (one round trip instead of BEGIN, statement, COMMIT); on SQLite it
// joins the group commit like any transaction.
func (db *DB) Write(ctx context.Context, fn func(q Querier) error) error {
	if db.batch != nil {
		return db.Tx(ctx, func(tx *sql.Tx) error { return fn(tx) })
	}
	return retry(ctx, func() error { counts.writes.Add(1); return fn(db.W) })
}

// Exec runs one statement as a write of its own (Write).
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := db.Write(ctx, func(q Querier) error {
		var err error
		res, err = q.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

func (db *DB) tryTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func transient(err error) bool {
	if errors.Is(err, errBatchAborted) {
		return true
	}
	s := err.Error()
	for _, m := range []string{"SQLITE_BUSY", "database is locked", "(5)", "SQLSTATE 40001", "SQLSTATE 40P01"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// IsUniqueViolation reports whether err is a unique-constraint violation on either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// Millis converts t to the stored integer milliseconds; the zero time is stored as 0.
func Millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// Time converts stored milliseconds back; 0 is the zero time.
func Time(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// Args turns the values of an IN list (Placeholders) into query arguments.
func Args[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// Placeholders returns "$from, $from+1, …" for n values, for IN lists.
func Placeholders(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// IDs runs a query on the writer that selects one integer column, and returns its values in order.
func (db *DB) IDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	return IDs(ctx, db.W, query, args...)
}

// IDs runs a query that selects one integer column on q (a transaction, a pool), and returns its values in
// order.
func IDs(ctx context.Context, q Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// IsDivisionByZero reports PostgreSQL's division_by_zero, which a statement can raise on purpose (1 / count(*))
// to fail when what it wrote matched nothing.
func IsDivisionByZero(err error) bool {
	return err != nil && strings.Contains(err.Error(), "SQLSTATE 22012")
}
