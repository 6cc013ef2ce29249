package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// Deferred INSERTs, held until the end of the transaction on PostgreSQL, land in the order they were added,
// with their own arguments, and count as one statement there.
func TestDeferredKeepsOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		for _, q := range []string{`CREATE TABLE da (id INTEGER PRIMARY KEY, v TEXT NOT NULL, n INTEGER NOT NULL)`,
			`CREATE TABLE db (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`} {
			if db.Dialect == sqldb.Postgres {
				q = strings.Replace(q, "INTEGER PRIMARY KEY", "SERIAL PRIMARY KEY", 1)
			}
			if _, err := db.W.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		before := sqldb.ReadCounts()
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			d := db.Defer(tx)
			for i := range 5 {
				if err := d.Add(ctx, `INSERT INTO da (v, n) VALUES ($1, $2)`, fmt.Sprint("a", i), i); err != nil {
					return err
				}
				if err := d.Add(ctx, `INSERT INTO db (v) VALUES ($1)`, fmt.Sprint("b", i)); err != nil {
					return err
				}
			}
			return d.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		sent := sqldb.ReadCounts().Sub(before)
		if want := int64(1); db.Dialect == sqldb.Postgres && sent.Provider != want {
			t.Errorf("PostgreSQL: %d statements for ten deferred INSERTs, want %d", sent.Provider, want)
		}
		if got := column(t, db, `SELECT v || ':' || n FROM da ORDER BY id`); !slices.Equal(got, []string{"a0:0", "a1:1", "a2:2", "a3:3", "a4:4"}) {
			t.Errorf("da in id order: %v", got)
		}
		if got := column(t, db, `SELECT v FROM db ORDER BY id`); !slices.Equal(got, []string{"b0", "b1", "b2", "b3", "b4"}) {
			t.Errorf("db in id order: %v", got)
		}
	})
}

func column(t *testing.T, db *sqldb.DB, q string) []string {
	t.Helper()
	rows, err := db.W.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}
