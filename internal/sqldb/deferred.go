package sqldb

import (
	"context"
	"regexp"
	"strconv"
	"strings"
)

// Deferred holds the INSERTs of a write transaction that nothing in the transaction reads back (events,
// messages, outbox items) and sends them at its end. On PostgreSQL, where every statement is a round trip to
// the server, they go as one statement: each INSERT but the last becomes a data-modifying WITH clause, which
// PostgreSQL runs exactly once, to completion, whether or not the main statement reads it. On SQLite a
// statement is a call inside this process, so Add runs it at once and there is nothing to hold.
type Deferred struct {
	db    *DB
	q     Querier
	stmts []string
	args  []any
}

// Defer starts collecting the deferred INSERTs of the transaction q.
func (db *DB) Defer(q Querier) *Deferred { return &Deferred{db: db, q: q} }

// Holding reports whether Add holds statements until Flush (PostgreSQL) rather than running them at once.
func (d *Deferred) Holding() bool { return d.db.Dialect == Postgres }

// Add runs query, an INSERT whose placeholders are numbered from $1, now or at Flush.
func (d *Deferred) Add(ctx context.Context, query string, args ...any) error {
	if !d.Holding() {
		_, err := d.q.ExecContext(ctx, query, args...)
		return err
	}
	d.stmts = append(d.stmts, renumber(query, len(d.args)))
	d.args = append(d.args, args...)
	return nil
}

// Flush sends what Add held, as one statement. PostgreSQL runs the main statement first and then the WITH
// clauses nobody reads, last listed first; so the first INSERT is the main statement and the others are listed
// backwards, and the rows get their ids in the order they were added (TestDeferredKeepsOrder).
func (d *Deferred) Flush(ctx context.Context) error {
	if len(d.stmts) == 0 {
		return nil
	}
	var b strings.Builder
	for i := len(d.stmts) - 1; i > 0; i-- {
		if i == len(d.stmts)-1 {
			b.WriteString("WITH ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString("d" + strconv.Itoa(i) + " AS (" + d.stmts[i] + ")")
	}
	b.WriteString(" " + d.stmts[0])
	_, err := d.q.ExecContext(ctx, b.String(), d.args...)
	d.stmts, d.args = nil, nil
	return err
}

var placeholder = regexp.MustCompile(`\$(\d+)`)

// renumber adds by to every $n placeholder of query.
func renumber(query string, by int) string {
	if by == 0 {
		return query
	}
	return placeholder.ReplaceAllStringFunc(query, func(p string) string {
		n, _ := strconv.Atoi(p[1:])
		return "$" + strconv.Itoa(n+by)
	})
}
