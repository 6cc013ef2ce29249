// Package store is the provider side's storage: accounts, orders and their events, materials and blobs,
// resources and authorization codes, verification, messages, the outbox and the provider's migrations. Personal
// data is sealed with the keyring (internal/secret) before it is written. The database plumbing it stands on
// (open, transactions, time columns) is internal/sqldb; no other bounded context reads these tables.
package store

import (
	"context"
	"database/sql"
	"embed"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
)

//go:embed migrations
var migrations embed.FS

// Store is the provider side's storage: the database plus the keyring that seals personal data.
type Store struct {
	*sqldb.DB
	Keys *secret.Keyring
	// Blobs keeps file contents (sealed); nil means DBBlobs, the database's blobs table.
	Blobs BlobStore

	devBatch devBatch // development messages being recorded together (devbatch.go)

	// Committed, when set, receives the orders a transaction of Update saved, once it committed (saved.go).
	Committed func([]*SavedOrder)
}

// New wraps an open database.
func New(db *sqldb.DB, keys *secret.Keyring) *Store { return &Store{DB: db, Keys: keys} }

// Migrate applies the provider side's migrations.
func (s *Store) Migrate(ctx context.Context) error {
	sub, err := fsSub(migrations, "migrations")
	if err != nil {
		return err
	}
	return s.DB.Migrate(ctx, sub, "provider_goose_version")
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier = sqldb.Querier

// Tx is a write transaction on the provider's tables.
type Tx struct {
	tx *txStmts
	s  *Store
	// later holds the events, in-app messages and outbox items written in the transaction until its end, so
	// that on PostgreSQL they cost one round trip (sqldb.Deferred); events counts those held per order.
	later  *sqldb.Deferred
	events map[int64]int
	// applicant is the account of the order OrderForUpdate read last, read with it (Account returns it).
	applicant *Account
	// versions are those of the orders read locked, as saved so far; saved the rows SaveOrder wrote (saved.go).
	versions map[int64]int
	saved    map[int64]*SavedOrder
}

// Update runs fn in a write transaction (retried on transient conflicts; fn must be repeatable).
func (s *Store) Update(ctx context.Context, fn func(tx *Tx) error) error {
	var last *Tx
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		later := s.DB.Defer(tx)
		t := &Tx{tx: &txStmts{tx: tx, later: later}, s: s, later: later}
		last = t
		err := fn(t)
		if err == nil {
			// the flush is the transaction's last statement: on PostgreSQL COMMIT goes in its round trip
			err = later.Flush(sqldb.CommitWith(ctx))
		}
		if t.tx.released != nil {
			return t.tx.released // what failed first; the statements after it only found the transaction aborted
		}
		return err
	})
	if err == nil {
		s.committed(last)
	}
	return err
}

// txStmts sends the statements of a Tx. Each first sends the order UPDATE that SaveOrder holds, if any
// (sqldb.Deferred.Hold), so that it reads what the transaction wrote.
type txStmts struct {
	tx       *sql.Tx
	later    *sqldb.Deferred
	released error // what sending the held UPDATE reported, when it failed
}

func (q *txStmts) release(ctx context.Context) error {
	err := q.later.Release(ctx)
	if err != nil && q.released == nil {
		q.released = err
	}
	return err
}

func (q *txStmts) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := q.release(ctx); err != nil {
		return nil, err
	}
	return q.tx.ExecContext(ctx, query, args...)
}

func (q *txStmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := q.release(ctx); err != nil {
		return nil, err
	}
	return q.tx.QueryContext(ctx, query, args...)
}

// QueryRowContext sends query even when the held UPDATE failed (a Row cannot carry another error): it then
// fails too, and Update reports the UPDATE's error.
func (q *txStmts) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	q.release(ctx)
	return q.tx.QueryRowContext(ctx, query, args...)
}

// insertID runs an INSERT … RETURNING id.
func insertID(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// notFound turns sql.ErrNoRows into a NotFound problem with code.
func notFound(err error, code string) error {
	if err == sql.ErrNoRows {
		return problem.New(problem.NotFound, code, "")
	}
	return err
}
