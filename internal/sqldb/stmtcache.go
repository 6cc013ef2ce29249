package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"sync/atomic"

	"modernc.org/sqlite"
)

// modernc's SQLite driver compiles a statement's SQL on every db.Query/Exec call unless the statement was
// prepared; parsing was a fifth of the server's CPU time under load (docs/benchmarks.md). This wrapper keeps
// the prepared statements of each connection, keyed by their SQL, so every caller — the provider's store and
// the MIIT simulator alike — reuses compiled statements without changing its code. (pgx caches statements
// itself.)
const cachingSQLite = "sqlite-stmtcache"

// cachingSQLiteWriter is cachingSQLite for the one writer connection, whose statements run to their end even
// when their caller's context ends. Interrupting one would roll back the whole group commit (batch.go), whose
// other transactions would then run again, while the caller that gave up learns nothing either way; and the
// driver watches a statement's cancellable context with a goroutine of its own, started and ended for every
// statement (about 3 % of the CPU of a filing's lifecycle, docs/benchmarks.md). A group still skips the
// transactions whose caller gave up before they started.
const cachingSQLiteWriter = "sqlite-stmtcache-writer"

func init() {
	sql.Register(cachingSQLite, cachingDriver{base: &sqlite.Driver{}})
	sql.Register(cachingSQLiteWriter, cachingDriver{base: &sqlite.Driver{}, uncancelled: true})
}

// maxCachedStatements bounds each connection's cache; the application has far fewer distinct statements.
const maxCachedStatements = 512

type cachingDriver struct {
	base        driver.Driver
	uncancelled bool // statements do not watch their context (cachingSQLiteWriter)
}

func (d cachingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.base.Open(name)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: c, stmts: map[string]*cachedStmt{}, uncancelled: d.uncancelled}, nil
}

// cachingConn is used by one goroutine at a time (database/sql's guarantee), so it needs no lock.
type cachingConn struct {
	driver.Conn
	stmts       map[string]*cachedStmt
	uncancelled bool
}

// statementContext is the context a statement runs with: ctx, or on the writer ctx without its end.
func (c *cachingConn) statementContext(ctx context.Context) context.Context {
	if c.uncancelled {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

type cachedStmt struct {
	driver.Stmt
	busy bool // rows of this statement are open; a nested use of the same SQL gets its own statement
}

// cacheable excludes multi-statement scripts (migrations), which only the connection can run whole.
func cacheable(q string) bool {
	return !strings.Contains(strings.TrimRight(strings.TrimSpace(q), ";"), ";")
}

func (c *cachingConn) stmt(ctx context.Context, q string) (*cachedStmt, bool, error) {
	if !cacheable(q) {
		return nil, false, nil
	}
	if s, ok := c.stmts[q]; ok {
		if s.busy {
			return nil, false, nil
		}
		return s, true, nil
	}
	ds, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, false, err
	}
	s := &cachedStmt{Stmt: ds}
	if len(c.stmts) < maxCachedStatements {
		c.stmts[q] = s
	}
	return s, true, nil
}

// written counts the statements and commits of this process's SQLite writer connections (a write may be among
// them): a probe's read transaction older than a change of it is ended before the probe's next look-up.
var written atomic.Uint64

// wrote notes a statement or commit on a writer connection, after it ran.
func (c *cachingConn) wrote() {
	if c.uncancelled {
		written.Add(1)
	}
}

func (c *cachingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	defer c.wrote()
	countStatement(q)
	ctx = c.statementContext(ctx)
	s, ok, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if !ok {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
	}
	s.busy = true
	defer func() { s.busy = false }()
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

// QueryContext runs a query; on the writer it is noted in written, but a write it makes outside a transaction
// (INSERT … RETURNING straight on the pool, which nothing does: writes go through DB.Tx and DB.Write) commits
// only when its rows close, after that, and probes may then see it up to probeTxAge late.
func (c *cachingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	defer c.wrote()
	countStatement(q)
	ctx = c.statementContext(ctx)
	s, ok, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if !ok {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
	}
	rows, err := s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &releasingRows{Rows: rows, s: s}, nil
}

type releasingRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *releasingRows) Close() error {
	r.s.busy = false
	return r.Rows.Close()
}

func (c *cachingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	counts.control.Add(2) // BEGIN and its COMMIT or ROLLBACK, which the driver sends itself
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil || !c.uncancelled {
		return tx, err
	}
	return notingTx{tx, c}, nil
}

// notingTx is a writer's transaction, whose commit is noted in written.
type notingTx struct {
	driver.Tx
	c *cachingConn
}

func (t notingTx) Commit() error {
	defer t.c.wrote()
	return t.Tx.Commit()
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *cachingConn) Close() error {
	for q, s := range c.stmts {
		s.Stmt.Close()
		delete(c.stmts, q)
	}
	return c.Conn.Close()
}
