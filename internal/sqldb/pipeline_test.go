package sqldb_test

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

func pipeTable(t *testing.T, db *sqldb.DB) {
	t.Helper()
	if _, err := db.W.Exec(`CREATE TABLE pipe (k INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
}

func pipeKeys(t *testing.T, db *sqldb.DB) []string {
	t.Helper()
	return column(t, db, `SELECT k || '=' || v FROM pipe ORDER BY k`)
}

// roundTrips runs fn and returns how many round trips to the server its statements took.
func roundTrips(t *testing.T, fn func() error) (int64, error) {
	t.Helper()
	before := sqldb.ReadCounts()
	err := fn()
	d := sqldb.ReadCounts().Sub(before)
	return d.Statements() - d.Pipelined, err
}

// On PostgreSQL BEGIN goes with a transaction's first statement, and COMMIT with a statement sent under
// CommitWith: a transaction of two statements is two round trips, not four, and commits or rolls back as before.
func TestPipelinedTransactions(t *testing.T) {
	db := storetest.Postgres(t)
	pipeTable(t, db)
	ctx := context.Background()
	n, err := roundTrips(t, func() error {
		return db.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO pipe VALUES (1, 'a')`); err != nil {
				return err
			}
			_, err := tx.ExecContext(sqldb.CommitWith(ctx), `INSERT INTO pipe VALUES (2, 'b')`)
			return err
		})
	})
	if err != nil || n != 2 {
		t.Fatalf("two INSERTs, the last with COMMIT: %d round trips, %v; want 2, nil", n, err)
	}
	// A failing last statement leaves COMMIT unrun: the transaction's first write is rolled back too.
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO pipe VALUES (3, 'c')`); err != nil {
			return err
		}
		_, err := tx.ExecContext(sqldb.CommitWith(ctx), `INSERT INTO pipe VALUES (1, 'again')`)
		return err
	})
	if !sqldb.IsUniqueViolation(err) {
		t.Fatalf("duplicate key with COMMIT: %v", err)
	}
	// A failing first statement (sent with BEGIN) fails its transaction alone.
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO pipe VALUES (2, 'dup')`)
		return err
	})
	if !sqldb.IsUniqueViolation(err) || strings.Count(err.Error(), "SQLSTATE") != 1 {
		t.Fatalf("duplicate key as the first statement: %v; want the violation, once", err)
	}
	// A transaction that gives up after its first statement (a query, read with BEGIN) writes nothing.
	errGiveUp := errors.New("give up")
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		var v string
		if err := tx.QueryRowContext(ctx, `SELECT v FROM pipe WHERE k = 1 FOR UPDATE`).Scan(&v); err != nil || v != "a" {
			t.Errorf("locked read with BEGIN: %q, %v", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO pipe VALUES (4, 'd')`); err != nil {
			return err
		}
		return errGiveUp
	})
	if !errors.Is(err, errGiveUp) {
		t.Fatal(err)
	}
	if got := pipeKeys(t, db); !reflect.DeepEqual(got, []string{"1=a", "2=b"}) {
		t.Errorf("rows after the four transactions: %v, want [1=a 2=b]", got)
	}
}

// A query sent with BEGIN gives database/sql the same values as one sent alone (pgx's own conversion).
func TestPipelinedQueryValues(t *testing.T) {
	db := storetest.Postgres(t)
	ctx := context.Background()
	const q = `SELECT 7::smallint, 8::integer, 9::bigint, 1.5::real, 2.5::double precision, true, 'text',
		'\x0102'::bytea, '{"a":1}'::json, NULL::text, 12.5::numeric, '2026-12-06 10:00:00+00'::timestamptz`
	scan := func(row *sql.Row) []any {
		vals := make([]any, 12)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := row.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		return vals
	}
	alone := scan(db.W.QueryRowContext(ctx, q))
	var inTx []any
	n, err := roundTrips(t, func() error {
		return db.Tx(ctx, func(tx *sql.Tx) error {
			inTx = scan(tx.QueryRowContext(ctx, q))
			return nil
		})
	})
	if err != nil || n != 2 {
		t.Fatalf("a query with BEGIN, then COMMIT: %d round trips, %v; want 2", n, err)
	}
	if !reflect.DeepEqual(alone, inTx) {
		t.Errorf("values with BEGIN %#v\nwant (alone) %#v", inTx, alone)
	}
}
