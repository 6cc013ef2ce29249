package sqldb_test

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"testing"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// CopyFrom writes its rows in the transaction it is given (as its first statement too, BEGIN pending): they
// are there when it commits, gone when it rolls back, and a row breaking a constraint fails the whole COPY.
// SQLite has no COPY.
func TestCopyFrom(t *testing.T) {
	db := storetest.Postgres(t)
	pipeTable(t, db)
	ctx := context.Background()
	rows := func(ks ...int64) [][]any {
		var out [][]any
		for _, k := range ks {
			out = append(out, []any{k, string(rune('a' + k - 1))})
		}
		return out
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		n, err := db.CopyFrom(ctx, tx, "pipe", []string{"k", "v"}, rows(1, 2))
		if err == nil && n != 2 {
			t.Errorf("rows written: %d", n)
		}
		if err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO pipe VALUES (3, 'c')`)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	errGiveUp := errors.New("give up")
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO pipe VALUES (4, 'd')`); err != nil {
			return err
		}
		if _, err := db.CopyFrom(ctx, tx, "pipe", []string{"k", "v"}, rows(5)); err != nil {
			return err
		}
		return errGiveUp
	})
	if !errors.Is(err, errGiveUp) {
		t.Fatal(err)
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := db.CopyFrom(ctx, tx, "pipe", []string{"k", "v"}, rows(6, 1))
		return err
	})
	if !sqldb.IsUniqueViolation(err) {
		t.Fatalf("a row already there: %v", err)
	}
	if got := pipeKeys(t, db); !reflect.DeepEqual(got, []string{"1=a", "2=b", "3=c"}) {
		t.Errorf("rows after the three transactions: %v, want [1=a 2=b 3=c]", got)
	}
	lite := storetest.SQLite(t)
	if _, err := lite.CopyFrom(ctx, lite.W, "pipe", []string{"k"}, rows(1)); err == nil {
		t.Error("COPY on SQLite: no error")
	}
}
