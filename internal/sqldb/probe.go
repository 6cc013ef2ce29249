package sqldb

import (
	"errors"
	"fmt"
	"sync"
	"time"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// A Probe runs a few read-only statements of one hot path (the public query by domain: one look-up of a
// primary key, tens of microseconds) on SQLite connections of its own, straight through the SQLite library:
// no database/sql pool, no driver rows, no per-call mutex of the connection (opened NOMUTEX, used by one
// goroutine at a time). Through database/sql and the driver, a probe also paid for the pool's locks, a
// column name and type copied out for each column of each result, the conversion of every value and the
// connection's own mutex around every SQLite call (docs/benchmarks.md, 2026-12-06 12:00). Each connection
// holds its statements prepared.
//
// A connection also keeps its read transaction open from one look-up to the next, instead of beginning and
// ending one for each (two file-lock system calls, a look at the WAL index and the file's size: a third of a
// look-up). So that a look-up still sees every write committed before it began, the transaction ends before
// the next look-up as soon as a writer connection of this process has run a statement or committed since it
// began (written), and when it is older than probeTxAge, for writes by other processes. So that an idle
// connection does not hold back checkpoints, the look-up that begins a transaction arms a timer of the
// connection's, which ends the transaction probeIdleEnd after it began unless a look-up has ended it first
// (ending a transaction stops the timer). An idle probe thus holds no transaction and wakes up for nothing.
type Probe struct {
	path    string
	queries []string
	idle    chan *probeConn
	mu      sync.Mutex
	opened  int
	closed  bool
	all     []*probeConn
}

// probeTxAge is how long a look-up keeps using a read transaction that began before it: a write committed by
// another process is seen within probeTxAge.
const probeTxAge = 20 * time.Millisecond

// probeIdleEnd is when a connection's timer ends its transaction, counted from its beginning. It is later than
// probeTxAge so that on a busy connection the next look-up ends the transaction (stopping the timer) before
// the timer fires: under load the timers never wake up.
const probeIdleEnd = 2 * probeTxAge

// probeConn is one connection with the probe's statements prepared and a buffer for the text argument. A
// look-up holds mu while it uses the connection, and so does the timer that ends an idle transaction.
type probeConn struct {
	mu sync.Mutex
	sqliteConn
	timer *time.Timer // ends the transaction probeIdleEnd after it began (expire); nil before the first
	begin uintptr     // BEGIN and COMMIT, prepared
	end   uintptr
	inTx  bool      // a read transaction is open
	txGen uint64    // written when it began
	txAt  time.Time // when it began
	arg   uintptr   // C memory for the bound text
	argN  int
}

// ErrNoProbe is returned by DB.Probe on PostgreSQL, whose pool has no such overhead to avoid.
var ErrNoProbe = errors.New("sqldb: probes are for SQLite")

// Probe returns a probe of queries (each with one text parameter, $1) on up to conns connections of its own,
// opened when first needed and closed with db.
func (db *DB) Probe(conns int, queries ...string) (*Probe, error) {
	if db.Dialect != SQLite {
		return nil, ErrNoProbe
	}
	path, _ := SQLitePath(db.URL)
	p := &Probe{path: path, queries: queries, idle: make(chan *probeConn, conns)}
	db.probesMu.Lock()
	db.probes = append(db.probes, p)
	db.probesMu.Unlock()
	return p, nil
}

// Row is the current row of a probe's or a Scan's statement, valid during the callback only.
type Row struct{ c *sqliteConn }

// Text is column i as text ("" for NULL).
func (r Row) Text(i int) string { return string(r.Bytes(i)) }

// Bytes is column i as bytes (nil for NULL or empty), valid during the callback only: SQLite's own memory.
func (r Row) Bytes(i int) []byte {
	st := r.c.cur
	p := sqlite3.Xsqlite3_column_blob(r.c.tls, st, int32(i))
	n := sqlite3.Xsqlite3_column_bytes(r.c.tls, st, int32(i))
	if p == 0 || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(cmem(p)), n)
}

// Int64 is column i as an integer (0 for NULL).
func (r Row) Int64(i int) int64 {
	return int64(sqlite3.Xsqlite3_column_int64(r.c.tls, r.c.cur, int32(i)))
}

// Scan copies the row's columns, in order, into dest: each a *string (Text) or an *int64 (Int64).
func (r Row) Scan(dest ...any) error {
	for i, d := range dest {
		switch d := d.(type) {
		case *string:
			*d = r.Text(i)
		case *int64:
			*d = r.Int64(i)
		default:
			return fmt.Errorf("sqldb: a row cannot be scanned into %T (only *string and *int64)", d)
		}
	}
	return nil
}

// Query runs statement q (an index into the probe's queries) with arg and calls row for each row; row's error
// stops the run and is returned.
func (p *Probe) Query(q int, arg string, row func(Row) error) error {
	c, err := p.get()
	if c != nil {
		defer p.put(c)
	}
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.run(q, arg, row)
}

// get takes an idle connection, opens one while fewer than the probe's size are open, or waits for one.
func (p *Probe) get() (*probeConn, error) {
	select {
	case c := <-p.idle:
		return c, p.live()
	default:
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, errProbeClosed
	}
	if p.opened < cap(p.idle) {
		p.opened++
		p.mu.Unlock()
		c, err := openProbeConn(p.path, p.queries)
		p.mu.Lock()
		defer p.mu.Unlock()
		if err != nil {
			p.opened--
			return nil, err
		}
		if p.closed {
			c.close()
			return nil, errProbeClosed
		}
		p.all = append(p.all, c)
		return c, nil
	}
	p.mu.Unlock()
	return <-p.idle, p.live()
}

var errProbeClosed = errors.New("sqldb: probe closed")

// live is errProbeClosed once the probe is closed: an idle connection is closed too then, and put back unused.
func (p *Probe) live() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errProbeClosed
	}
	return nil
}

func (p *Probe) put(c *probeConn) { p.idle <- c }

// close closes the connections; probes still running finish first (DB.Close is called when nothing runs).
func (p *Probe) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, c := range p.all {
		c.close()
	}
	p.all = nil
}

func openProbeConn(path string, queries []string) (_ *probeConn, err error) {
	c := &probeConn{}
	// The readers' page cache (readerCache): pages beyond it come from the operating system's cache.
	if err := c.open(path, []string{ReaderCachePragma}, queries); err != nil {
		return nil, err
	}
	if c.begin, err = c.prepare("BEGIN"); err == nil {
		c.end, err = c.prepare("COMMIT")
	}
	if err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// step runs a statement without rows (BEGIN, COMMIT).
func (c *probeConn) step(st uintptr) error {
	rc := sqlite3.Xsqlite3_step(c.tls, st)
	sqlite3.Xsqlite3_reset(c.tls, st)
	if rc != sqlite3.SQLITE_DONE {
		return c.err(rc, "begin or end")
	}
	return nil
}

// beginTx makes sure a read transaction that began after the last write of this process (and less than
// probeTxAge ago) is open: the next look-up sees every write committed before it.
func (c *probeConn) beginTx() error {
	gen := written.Load()
	if c.inTx && (gen != c.txGen || time.Since(c.txAt) >= probeTxAge) {
		c.endTx()
	}
	if c.inTx {
		return nil
	}
	// BEGIN is deferred: the read transaction starts with the first look-up, after gen was read.
	if err := c.step(c.begin); err != nil {
		return err
	}
	c.inTx, c.txGen, c.txAt = true, gen, time.Now()
	if c.timer == nil {
		c.timer = time.AfterFunc(probeIdleEnd, c.expire)
	} else {
		c.timer.Reset(probeIdleEnd)
	}
	return nil
}

func (c *probeConn) endTx() {
	c.step(c.end) // a read transaction's COMMIT only releases its snapshot
	c.inTx = false
	c.timer.Stop()
}

// expire is the timer's: it ends a transaction no look-up has ended. A run that waited for mu while a look-up
// began the next transaction leaves that one while it is younger than probeTxAge: the look-up armed the timer
// again for it.
func (c *probeConn) expire() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db != 0 && c.inTx && time.Since(c.txAt) >= probeTxAge {
		c.endTx()
	}
}

// run binds arg to statement q, steps through its rows and resets it.
func (c *probeConn) run(q int, arg string, row func(Row) error) error {
	if q < 0 || q >= len(c.stmts) {
		return fmt.Errorf("sqldb: probe has no statement %d", q)
	}
	if err := c.beginTx(); err != nil {
		return err
	}
	st := c.stmts[q]
	c.cur = st
	if len(arg) > c.argN {
		libc.Xfree(c.tls, c.arg)
		c.argN = max(len(arg), 256)
		if c.arg = libc.Xmalloc(c.tls, types.Size_t(c.argN)); c.arg == 0 {
			c.argN = 0
			return errors.New("sqldb: probe: out of memory")
		}
	}
	if len(arg) > 0 {
		copy(unsafe.Slice((*byte)(cmem(c.arg)), len(arg)), arg)
	}
	defer sqlite3.Xsqlite3_reset(c.tls, st)
	// SQLITE_STATIC (0): the buffer stays as it is until the statement is reset.
	if rc := sqlite3.Xsqlite3_bind_text(c.tls, st, 1, c.arg, int32(len(arg)), 0); rc != sqlite3.SQLITE_OK {
		return c.err(rc, "bind")
	}
	for {
		switch rc := sqlite3.Xsqlite3_step(c.tls, st); rc {
		case sqlite3.SQLITE_ROW:
			if err := row(Row{&c.sqliteConn}); err != nil {
				return err
			}
		case sqlite3.SQLITE_DONE:
			return nil
		default:
			err := c.err(rc, "step")
			c.endTx()
			return err
		}
	}
}

func (c *probeConn) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
	}
	sqlite3.Xsqlite3_finalize(c.tls, c.begin) // a no-op for 0
	sqlite3.Xsqlite3_finalize(c.tls, c.end)
	if c.arg != 0 {
		libc.Xfree(c.tls, c.arg)
	}
	c.sqliteConn.close()
}

// cmem is the SQLite library's memory at p (allocated by its C allocator, outside the Go heap) as a pointer.
func cmem(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }
