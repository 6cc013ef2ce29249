package sqldb_test

import (
	"context"
	"testing"

	"github.com/beian/beian/internal/storetest"
)

func TestStatementCache(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	// A multi-statement script runs whole (it is not cached).
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);`); err != nil {
		t.Fatal(err)
	}
	for i := 3; i <= 200; i++ { // the same statement, reused with other arguments
		if _, err := db.W.ExecContext(ctx, `INSERT INTO t VALUES ($1)`, i); err != nil {
			t.Fatal(err)
		}
	}
	var sum int
	if err := db.W.QueryRowContext(ctx, `SELECT sum(n) FROM t`).Scan(&sum); err != nil || sum != 200*201/2 {
		t.Fatalf("sum = %d, %v", sum, err)
	}
	// The same SQL used again while its rows are open, in one transaction (one connection).
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT n FROM t WHERE n <= $1 ORDER BY n`
	outer, err := tx.QueryContext(ctx, q, 3)
	if err != nil {
		t.Fatal(err)
	}
	var pairs int
	for outer.Next() {
		var a int
		outer.Scan(&a)
		inner, err := tx.QueryContext(ctx, q, a)
		if err != nil {
			t.Fatal(err)
		}
		for inner.Next() {
			pairs++
		}
		inner.Close()
	}
	outer.Close()
	if pairs != 1+2+3 {
		t.Fatalf("nested use of one statement: %d pairs, want 6", pairs)
	}
	// After the rows closed, the cached statement serves again.
	var n int
	if err := tx.QueryRowContext(ctx, q, 1).Scan(&n); err != nil || n != 1 {
		t.Fatalf("reuse after close: %d %v", n, err)
	}
}
