package sqldb_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// groupTable creates a scratch table for the transaction tests.
func groupTable(t *testing.T, db *sqldb.DB) {
	t.Helper()
	if _, err := db.Exec(context.Background(), `CREATE TABLE group_test (k INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
}

func keys(t *testing.T, db *sqldb.DB) map[int]bool {
	t.Helper()
	rows, err := db.R.Query(`SELECT k FROM group_test`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var k int
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		out[k] = true
	}
	return out
}

var errOwn = errors.New("this transaction's own failure")

// member is what transaction k of the concurrent tests does: insert k, then fail in a way chosen by k.
func member(ctx context.Context, k int) func(tx *sql.Tx) error {
	return func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO group_test (k, v) VALUES ($1, 'x')`, k); err != nil {
			return err
		}
		switch k % 5 {
		case 1: // fails after writing: its insert must not survive
			return errOwn
		case 2: // a statement error (unique violation) that the function returns
			_, err := tx.ExecContext(ctx, `INSERT INTO group_test (k, v) VALUES ($1, 'again')`, k)
			return err
		case 3:
			panic(fmt.Sprintf("transaction %d panics", k))
		}
		return nil
	}
}

// Many transactions at once — on SQLite committed together in groups — each succeed or fail alone: a function
// that fails or panics leaves nothing behind and its caller sees its own error or panic; every other one is
// committed once.
func TestConcurrentTransactionsSucceedOrFailAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		groupTable(t, db)
		ctx := context.Background()
		const n = 200
		errs := make([]error, n)
		panics := make([]any, n)
		var wg sync.WaitGroup
		for k := range n {
			wg.Go(func() {
				defer func() { panics[k] = recover() }()
				errs[k] = db.Tx(ctx, member(ctx, k))
			})
		}
		wg.Wait()
		got := keys(t, db)
		for k := range n {
			switch k % 5 {
			case 1:
				if !errors.Is(errs[k], errOwn) {
					t.Errorf("transaction %d: error %v, want its own", k, errs[k])
				}
			case 2:
				if !sqldb.IsUniqueViolation(errs[k]) {
					t.Errorf("transaction %d: error %v, want a unique violation", k, errs[k])
				}
			case 3:
				if panics[k] == nil {
					t.Errorf("transaction %d: no panic reached its caller", k)
				}
			default:
				if errs[k] != nil || panics[k] != nil {
					t.Errorf("transaction %d: %v %v, want success", k, errs[k], panics[k])
				}
			}
			if want := k%5 == 0 || k%5 == 4; got[k] != want {
				t.Errorf("key %d stored: %v, want %v", k, got[k], want)
			}
		}
	})
}

// A function that ends the whole SQLite transaction (here by rolling it back itself, as an interrupt or an I/O
// error would) costs the other members of its group nothing: they are run again and committed.
func TestTransactionThatEndsTheGroupCostsOthersNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		groupTable(t, db)
		ctx := context.Background()
		const n = 60
		errs := make([]error, n)
		var wg sync.WaitGroup
		for k := range n {
			wg.Go(func() {
				errs[k] = db.Tx(ctx, func(tx *sql.Tx) error {
					if _, err := tx.ExecContext(ctx, `INSERT INTO group_test (k, v) VALUES ($1, 'x')`, k); err != nil {
						return err
					}
					if k%10 == 0 {
						tx.ExecContext(ctx, `ROLLBACK`)
						return errOwn
					}
					return nil
				})
			})
		}
		wg.Wait()
		got := keys(t, db)
		for k := range n {
			if k%10 == 0 {
				if !errors.Is(errs[k], errOwn) || got[k] {
					t.Errorf("transaction %d: error %v, stored %v; want its own error and nothing stored", k, errs[k], got[k])
				}
				continue
			}
			if errs[k] != nil || !got[k] {
				t.Errorf("transaction %d: error %v, stored %v; want it committed", k, errs[k], got[k])
			}
		}
	})
}

// A caller that gave up before its turn changes nothing; after Close, Tx refuses.
func TestTransactionOfACallerThatGaveUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		groupTable(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := db.Tx(ctx, member(ctx, 10))
		if !errors.Is(err, context.Canceled) || len(keys(t, db)) != 0 {
			t.Fatalf("cancelled caller: %v, %d rows; want context.Canceled and nothing stored", err, len(keys(t, db)))
		}
	})
}

// On SQLite a write statement runs to its end even when its caller's context ends meanwhile (stmtcache.go): it
// is not interrupted, which would roll back the whole group's transaction. (The next statement of the caller
// is refused by database/sql as before.)
func TestWriterStatementOutlivesItsContext(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		if db.Dialect != sqldb.SQLite {
			t.Skip("PostgreSQL cancels the statement of a caller that gave up")
		}
		groupTable(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		start := time.Now()
		var took time.Duration
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			time.AfterFunc(50*time.Millisecond, cancel) // while the statement below runs
			_, err := tx.ExecContext(ctx, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000)
				INSERT INTO group_test (k, v) SELECT 1, count(*) FROM c`)
			took = time.Since(start)
			return err
		})
		if took < 50*time.Millisecond {
			t.Skipf("the statement took %s, less than the wait before the cancel", took)
		}
		if got := keys(t, db); err != nil || !got[1] {
			t.Fatalf("error %v after %s, stored %v; want the row committed", err, took, got)
		}
	})
}
