package sqldb

import (
	"context"
	"database/sql/driver"
	"errors"

	"github.com/jackc/pgx/v5"
)

// copyFrom is a COPY … FROM STDIN asked of pipeConn through the context of an ExecContext.
type copyFrom struct {
	table string
	cols  []string
	rows  [][]any
}

type copyKey struct{}

// CopyFrom writes rows into table's cols with PostgreSQL's COPY (binary), in q's transaction or by itself: one
// statement and a stream of rows instead of a multi-row INSERT whose every value is a parameter (a bulk load's
// parameters were most of its client's CPU and parsing them a large part of the server's, docs/benchmarks.md).
// COPY has no ON CONFLICT: a row that breaks a constraint fails the whole statement, so the caller leaves out
// the rows that would. Values are the Go types the columns take (string, int64, []byte). It returns the rows
// written; on SQLite it is an error.
func (db *DB) CopyFrom(ctx context.Context, q Querier, table string, cols []string, rows [][]any) (int64, error) {
	if db.Dialect != Postgres {
		return 0, errors.New("sqldb: COPY is PostgreSQL's")
	}
	if len(rows) == 0 {
		return 0, nil
	}
	res, err := q.ExecContext(context.WithValue(ctx, copyKey{}, &copyFrom{table, cols, rows}), "COPY "+table)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// execCopy runs the COPY asked by ctx, if any, after a pending BEGIN.
func (c *pipeConn) execCopy(ctx context.Context) (driver.Result, bool, error) {
	req, ok := ctx.Value(copyKey{}).(*copyFrom)
	if !ok {
		return nil, false, nil
	}
	if err := c.sendBegin(ctx); err != nil {
		return nil, true, err
	}
	n, err := c.Conn.Conn().CopyFrom(ctx, pgx.Identifier{req.table}, req.cols, pgx.CopyFromRows(req.rows))
	return driver.RowsAffected(n), true, err
}
