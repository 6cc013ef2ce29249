package sqldb

import (
	"context"
	"database/sql"
	"regexp"
	"strconv"
	"strings"
)

// Deferred holds the INSERTs of a write transaction that nothing in the transaction reads back (events,
// messages, outbox items) and sends them at its end. On PostgreSQL, where every statement is a round trip to
// the server, they go as one statement: each INSERT but the last becomes a data-modifying WITH clause, which
// PostgreSQL runs exactly once, to completion, whether or not the main statement reads it. On SQLite a
// statement is a call inside this process, so Add runs it at once and there is nothing to hold.
//
// One UPDATE can be held too (Hold): a write to a row the transaction has locked whose result only needs
// checking by the end. It then goes as the main statement of that same one statement, so a transition (save the
// order, append its event and notices) is one round trip. The caller must Release it before sending any other
// statement of the transaction (which might read what it writes).
type Deferred struct {
	db    *DB
	q     Querier
	stmts []string
	args  []any
	main  *held
}

// held is the UPDATE Hold keeps, with what checks its result.
type held struct {
	query string
	args  []any
	check func(sql.Result, error) error
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

// Hold runs query, an UPDATE whose placeholders are numbered from $1, now (SQLite) or with the held INSERTs at
// Flush unless Release sends it first; check receives its result and error either way and returns the error to
// report. A second Hold releases the first.
func (d *Deferred) Hold(ctx context.Context, check func(sql.Result, error) error, query string, args ...any) error {
	if !d.Holding() {
		return check(d.q.ExecContext(ctx, query, args...))
	}
	if err := d.Release(ctx); err != nil {
		return err
	}
	d.main = &held{query: query, args: args, check: check}
	return nil
}

// Release sends the held UPDATE, if any, by itself, and returns what its check says.
func (d *Deferred) Release(ctx context.Context) error {
	h := d.main
	if h == nil {
		return nil
	}
	d.main = nil
	return h.check(d.q.ExecContext(ctx, h.query, h.args...))
}

// Flush sends what Add and Hold held, as one statement. PostgreSQL runs the main statement first and then the
// WITH clauses nobody reads, last listed first; so the main statement is the held UPDATE, or else the first
// INSERT, and the INSERTs are listed backwards: the rows get their ids in the order they were added
// (TestDeferredKeepsOrder). With a context from CommitWith, COMMIT runs when the statement succeeds, whatever
// the held UPDATE's check then says of its result: the row it writes is locked by the transaction, so it writes
// exactly that row.
func (d *Deferred) Flush(ctx context.Context) error {
	stmts, args, h := d.stmts, d.args, d.main
	d.stmts, d.args, d.main = nil, nil, nil
	if h != nil {
		stmts = append([]string{h.query}, renumberAll(stmts, len(h.args))...)
		args = append(h.args[:len(h.args):len(h.args)], args...)
	}
	if len(stmts) == 0 {
		return nil
	}
	var b strings.Builder
	for i := len(stmts) - 1; i > 0; i-- {
		if i == len(stmts)-1 {
			b.WriteString("WITH ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString("d" + strconv.Itoa(i) + " AS (" + stmts[i] + ")")
	}
	b.WriteString(" " + stmts[0])
	res, err := d.q.ExecContext(ctx, b.String(), args...)
	if h != nil {
		return h.check(res, err)
	}
	return err
}

func renumberAll(stmts []string, by int) []string {
	out := make([]string, len(stmts))
	for i, q := range stmts {
		out[i] = renumber(q, by)
	}
	return out
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
