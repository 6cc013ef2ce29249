package sqldb

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL every statement is a round trip, and each costs both sides a system call to send, a wake-up and
// a context switch (docs/benchmarks.md): more than the server's executor spends on a primary-key statement.
// database/sql sends BEGIN as a round trip of its own at BeginTx, and COMMIT as another at Commit. pipeConn
// wraps pgx's database/sql connection to save both where it can:
//
//   - BeginTx sends nothing; BEGIN goes with the transaction's first statement, in one pipeline (pgx.Batch);
//   - a statement sent with a context from CommitWith goes with COMMIT behind it, in the same pipeline, and the
//     transaction's Commit then has nothing left to send.
//
// The server runs a pipeline's statements in order and skips the rest after one fails, so a failing first
// statement leaves its transaction open and failed (rolled back as usual) and a failing last statement leaves
// COMMIT unrun. Transactions with options (isolation, read-only) are pgx's own, unchanged.
type pipeConn struct {
	*stdlib.Conn
	tx txState
}

// txState is where a transaction of pipeConn stands.
type txState int

const (
	txNone      txState = iota // no transaction, or one of pgx's own
	txPending                  // BeginTx called, BEGIN not yet sent
	txOpen                     // BEGIN sent
	txCommitted                // COMMIT went with the last statement and succeeded
	txEnded                    // the transaction ended otherwise (COMMIT of a failed transaction rolls it back)
)

// pipeConnector makes pipeConns from pgx's connector.
type pipeConnector struct{ driver.Connector }

func (c pipeConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pipeConn{Conn: conn.(*stdlib.Conn)}, nil
}

type commitWith struct{}

// CommitWith marks ctx so that the statement executed with it (ExecContext; a query's rows are read after it,
// so a query leaves COMMIT to Commit) commits its transaction in the same round trip, on PostgreSQL; elsewhere,
// and outside a transaction, it changes nothing. It must be the transaction's last statement, and once it
// succeeds the transaction function must return nil: the transaction is committed.
func CommitWith(ctx context.Context) context.Context {
	return context.WithValue(ctx, commitWith{}, true)
}

func committing(ctx context.Context) bool { return ctx.Value(commitWith{}) != nil }

func (c *pipeConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts != (driver.TxOptions{}) {
		return c.Conn.BeginTx(ctx, opts)
	}
	if c.Conn.Conn().IsClosed() {
		return nil, driver.ErrBadConn
	}
	c.tx = txPending
	return pipeTx{c}, nil
}

// PrepareContext sends a pending BEGIN first: a prepared statement runs by itself.
func (c *pipeConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := c.sendBegin(ctx); err != nil {
		return nil, err
	}
	return c.Conn.PrepareContext(ctx, query)
}

func (c *pipeConn) sendBegin(ctx context.Context) error {
	if c.tx != txPending {
		return nil
	}
	if _, err := c.Conn.Conn().Exec(ctx, "begin"); err != nil {
		return err
	}
	c.tx = txOpen
	return nil
}

// pipelined reports whether a statement sent with ctx needs a pipeline: BEGIN is pending, or COMMIT follows.
func (c *pipeConn) pipelined(ctx context.Context) bool {
	return c.tx == txPending || c.tx == txOpen && committing(ctx)
}

func (c *pipeConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if res, ok, err := c.execCopy(ctx); ok {
		return res, err
	}
	if !c.pipelined(ctx) {
		return c.Conn.ExecContext(ctx, query, args)
	}
	br, err := c.send(ctx, query, args)
	if err != nil {
		return nil, err
	}
	tag, err := br.Exec()
	if err == nil && c.tx == txOpen && committing(ctx) {
		err = c.commitResult(br)
	}
	return driver.RowsAffected(tag.RowsAffected()), c.closeAfter(br, err)
}

func (c *pipeConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if !c.pipelined(ctx) || committing(ctx) { // a query's rows are read after COMMIT would have run: not pipelined
		if err := c.sendBegin(ctx); err != nil {
			return nil, err
		}
		return c.Conn.QueryContext(ctx, query, args)
	}
	br, err := c.send(ctx, query, args)
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err == nil && rows.Err() == nil {
		r := &pipeRows{conn: c, br: br, rows: rows}
		r.more = rows.Next() // read the first row now, so that its error is the query's, as pgx's stdlib does
		if err = rows.Err(); err == nil {
			return r, nil
		}
	} else if err == nil {
		err = rows.Err()
	}
	if rows != nil {
		rows.Close()
	}
	return nil, c.closeAfter(br, err)
}

// send queues BEGIN when it is pending, the statement, and COMMIT when ctx asks for it (ExecContext only), and
// sends them in one round trip. It returns the results with BEGIN's already read.
func (c *pipeConn) send(ctx context.Context, query string, args []driver.NamedValue) (pgx.BatchResults, error) {
	b := &pgx.Batch{}
	begin := c.tx == txPending
	if begin {
		b.Queue("begin")
		c.tx = txOpen
	}
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a.Value
	}
	b.Queue(query, vals...)
	if committing(ctx) {
		b.Queue("commit")
	}
	br := c.Conn.Conn().SendBatch(ctx, b)
	if begin {
		if _, err := br.Exec(); err != nil {
			return nil, c.closeAfter(br, err)
		}
	}
	return br, nil
}

// commitResult reads COMMIT's result: a transaction that had failed is rolled back by it.
func (c *pipeConn) commitResult(br pgx.BatchResults) error {
	tag, err := br.Exec()
	if err != nil {
		return err
	}
	if tag.String() == "ROLLBACK" {
		return pgx.ErrTxCommitRollback
	}
	c.tx = txCommitted
	return nil
}

// closeAfter closes the pipeline after a statement that reported err, and returns err, or else what closing
// reported (the server reports a failure again for every statement it then skipped).
func (c *pipeConn) closeAfter(br pgx.BatchResults, err error) error {
	if cerr := c.close(br); err == nil {
		return cerr
	}
	return err
}

// close ends the pipeline and notes when the server has left the transaction without this Tx's Commit or
// Rollback (COMMIT ran, or failed).
func (c *pipeConn) close(br pgx.BatchResults) error {
	err := br.Close()
	if c.tx == txOpen && c.Conn.Conn().PgConn().TxStatus() == 'I' {
		c.tx = txEnded
	}
	if err != nil && pgconn.SafeToRetry(err) {
		return driver.ErrBadConn
	}
	return err
}

// pipeTx is a transaction begun by pipeConn.BeginTx.
type pipeTx struct{ c *pipeConn }

func (t pipeTx) Commit() error {
	state := t.c.tx
	t.c.tx = txNone
	switch state {
	case txPending, txCommitted:
		return nil // nothing was sent, or COMMIT already was
	case txEnded:
		return pgx.ErrTxCommitRollback
	}
	tag, err := t.c.Conn.Conn().Exec(context.Background(), "commit")
	if err == nil && tag.String() == "ROLLBACK" {
		return pgx.ErrTxCommitRollback
	}
	return err
}

func (t pipeTx) Rollback() error {
	state := t.c.tx
	t.c.tx = txNone
	switch state {
	case txPending, txEnded:
		return nil
	case txCommitted:
		return errors.New("sqldb: rollback of a transaction committed with its last statement")
	}
	_, err := t.c.Conn.Conn().Exec(context.Background(), "rollback")
	return err
}

// pipeRows are the rows of a query sent in a pipeline, converted to database/sql's values as pgx's stdlib
// converts them.
type pipeRows struct {
	conn   *pipeConn
	br     pgx.BatchResults
	rows   pgx.Rows
	more   bool // the first row, read ahead by QueryContext, is there
	read   bool // it has been returned
	values []func([]byte) (driver.Value, error)
	cols   []string
}

func (r *pipeRows) Columns() []string {
	if r.cols == nil {
		for _, fd := range r.rows.FieldDescriptions() {
			r.cols = append(r.cols, fd.Name)
		}
	}
	return r.cols
}

func (r *pipeRows) Close() error {
	r.rows.Close()
	return errors.Join(r.rows.Err(), r.conn.close(r.br))
}

func (r *pipeRows) Next(dest []driver.Value) error {
	more := r.more
	if r.read {
		more = r.rows.Next()
	}
	r.read = true
	if !more {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return io.EOF
	}
	if r.values == nil {
		r.values = valueFuncs(r.conn.Conn.Conn().TypeMap(), r.rows.FieldDescriptions())
	}
	for i, raw := range r.rows.RawValues() {
		if raw == nil {
			dest[i] = nil
			continue
		}
		v, err := r.values[i](raw)
		if err != nil {
			return fmt.Errorf("sqldb: convert column %d: %w", i, err)
		}
		dest[i] = v
	}
	return nil
}

// valueFuncs decodes each column to the driver.Value pgx's stdlib gives it (its Rows.Next): booleans, integers
// as int64, reals as float64, bytea and JSON as []byte, dates and times as time.Time, the rest as text.
func valueFuncs(m *pgtype.Map, fields []pgconn.FieldDescription) []func([]byte) (driver.Value, error) {
	out := make([]func([]byte) (driver.Value, error), len(fields))
	for i, fd := range fields {
		switch fd.DataTypeOID {
		case pgtype.BoolOID:
			out[i] = decoder(m, fd, func(v bool) (driver.Value, error) { return v, nil })
		case pgtype.Int2OID:
			out[i] = decoder(m, fd, func(v int16) (driver.Value, error) { return int64(v), nil })
		case pgtype.Int4OID:
			out[i] = decoder(m, fd, func(v int32) (driver.Value, error) { return int64(v), nil })
		case pgtype.Int8OID:
			out[i] = decoder(m, fd, func(v int64) (driver.Value, error) { return v, nil })
		case pgtype.OIDOID, pgtype.XIDOID, pgtype.CIDOID:
			out[i] = decoder(m, fd, pgtype.Uint32.Value)
		case pgtype.Float4OID:
			out[i] = decoder(m, fd, func(v float32) (driver.Value, error) { return float64(v), nil })
		case pgtype.Float8OID:
			out[i] = decoder(m, fd, func(v float64) (driver.Value, error) { return v, nil })
		case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
			out[i] = decoder(m, fd, func(v []byte) (driver.Value, error) { return v, nil })
		case pgtype.DateOID:
			out[i] = decoder(m, fd, pgtype.Date.Value)
		case pgtype.TimestampOID:
			out[i] = decoder(m, fd, pgtype.Timestamp.Value)
		case pgtype.TimestamptzOID:
			out[i] = decoder(m, fd, pgtype.Timestamptz.Value)
		default:
			out[i] = decoder(m, fd, func(v string) (driver.Value, error) { return v, nil })
		}
	}
	return out
}

// decoder scans a column into a new T each time (a []byte must not share the connection's buffer) and converts it.
func decoder[T any](m *pgtype.Map, fd pgconn.FieldDescription, conv func(T) (driver.Value, error)) func([]byte) (driver.Value, error) {
	var probe T
	plan := m.PlanScan(fd.DataTypeOID, fd.Format, &probe)
	return func(src []byte) (driver.Value, error) {
		var v T
		if err := plan.Scan(src, &v); err != nil {
			return nil, err
		}
		return conv(v)
	}
}
