package sqldb

import (
	"errors"
	"fmt"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteConn is a read-only connection straight through the SQLite library, opened NOMUTEX (no lock around
// each call: one goroutine at a time), with statements prepared; the connection of a Probe or a Scan.
type sqliteConn struct {
	tls   *libc.TLS
	db    uintptr
	stmts []uintptr
	cur   uintptr // the statement of the current run, read by Row
}

// open opens the file at path, runs pragmas and prepares queries; on an error nothing is left open.
func (c *sqliteConn) open(path string, pragmas, queries []string) (err error) {
	c.tls = libc.NewTLS()
	defer func() {
		if err != nil {
			c.close()
		}
	}()
	name, err := libc.CString(path)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, name)
	pp := c.tls.Alloc(int(unsafe.Sizeof(uintptr(0))))
	defer c.tls.Free(int(unsafe.Sizeof(uintptr(0))))
	rc := sqlite3.Xsqlite3_open_v2(c.tls, name, pp, sqlite3.SQLITE_OPEN_READONLY|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	c.db = *(*uintptr)(cmem(pp))
	if rc != sqlite3.SQLITE_OK {
		return c.err(rc, "open "+path)
	}
	sqlite3.Xsqlite3_extended_result_codes(c.tls, c.db, 1)
	sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, 10000) // as sqlitePragmas
	for _, p := range pragmas {
		if err := c.exec(p); err != nil {
			return err
		}
	}
	for _, q := range queries {
		st, err := c.prepare(q)
		if err != nil {
			return err
		}
		c.stmts = append(c.stmts, st)
	}
	return nil
}

func (c *sqliteConn) exec(q string) error {
	z, err := libc.CString(q)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, z)
	if rc := sqlite3.Xsqlite3_exec(c.tls, c.db, z, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return c.err(rc, q)
	}
	return nil
}

func (c *sqliteConn) prepare(q string) (uintptr, error) {
	z, err := libc.CString(q)
	if err != nil {
		return 0, err
	}
	defer libc.Xfree(c.tls, z)
	pp := c.tls.Alloc(int(unsafe.Sizeof(uintptr(0))))
	defer c.tls.Free(int(unsafe.Sizeof(uintptr(0))))
	if rc := sqlite3.Xsqlite3_prepare_v3(c.tls, c.db, z, -1, sqlite3.SQLITE_PREPARE_PERSISTENT, pp, 0); rc != sqlite3.SQLITE_OK {
		return 0, c.err(rc, q)
	}
	return *(*uintptr)(cmem(pp)), nil
}

func (c *sqliteConn) err(rc int32, what string) error {
	msg := "out of memory"
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	return fmt.Errorf("sqldb: sqlite: %s: %s (%d)", what, msg, rc)
}

// close finalizes the statements and closes the connection (db is then 0).
func (c *sqliteConn) close() {
	for _, st := range c.stmts {
		sqlite3.Xsqlite3_finalize(c.tls, st)
	}
	c.stmts = nil
	if c.db != 0 {
		sqlite3.Xsqlite3_close_v2(c.tls, c.db)
		c.db = 0
	}
	c.tls.Close()
}

// A Scan is a read-only connection of its own to a SQLite database for a long read of many rows by one
// goroutine (the registry export: tens of millions of rows), straight through the SQLite library: no
// database/sql pool, no conversion of each value, and no lock of the connection around each call for a column
// (the driver opens its connections FULLMUTEX), which took about a quarter of the export's reading
// (docs/benchmarks.md, issue 16). Each run of a statement is a read transaction of its own.
type Scan struct{ c sqliteConn }

// ErrNoScan is returned by DB.Scan on PostgreSQL.
var ErrNoScan = errors.New("sqldb: scans are for SQLite")

// Scan opens a Scan of db's SQLite file: pragmas run on the connection first (its page cache, a memory
// mapping, …), then queries are prepared, whose parameters are integers. Close it after use.
func (db *DB) Scan(pragmas []string, queries ...string) (*Scan, error) {
	if db.Dialect != SQLite {
		return nil, ErrNoScan
	}
	path, _ := SQLitePath(db.URL)
	s := &Scan{}
	if err := s.c.open(path, pragmas, queries); err != nil {
		return nil, err
	}
	return s, nil
}

// Query binds args to statement q (an index into the queries) and calls row for each row; row's error stops
// the run and is returned.
func (s *Scan) Query(q int, args []int64, row func(Row) error) error {
	c := &s.c
	if q < 0 || q >= len(c.stmts) {
		return fmt.Errorf("sqldb: scan has no statement %d", q)
	}
	st := c.stmts[q]
	c.cur = st
	defer sqlite3.Xsqlite3_reset(c.tls, st)
	for i, a := range args {
		if rc := sqlite3.Xsqlite3_bind_int64(c.tls, st, int32(i+1), a); rc != sqlite3.SQLITE_OK {
			return c.err(rc, "bind")
		}
	}
	for {
		switch rc := sqlite3.Xsqlite3_step(c.tls, st); rc {
		case sqlite3.SQLITE_ROW:
			if err := row(Row{c}); err != nil {
				return err
			}
		case sqlite3.SQLITE_DONE:
			return nil
		default:
			return c.err(rc, "step")
		}
	}
}

// Close closes the connection.
func (s *Scan) Close() { s.c.close() }
