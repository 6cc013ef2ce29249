package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A Scan reads rows by integer ranges on a connection of its own, with its pragmas, blobs and text as bytes,
// NULL as nil; a row's error stops the run; it sees what was committed before each run; it is for SQLite only.
func TestScan(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB);
		INSERT INTO t VALUES (1, 'a', x'00ff'), (2, NULL, NULL), (3, '长', x'');`); err != nil {
		t.Fatal(err)
	}
	s, err := db.Scan([]string{`PRAGMA mmap_size = 1048576`}, `SELECT id, name, data FROM t WHERE id BETWEEN $1 AND $2 ORDER BY id`,
		`PRAGMA mmap_size`)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all := func(q int, args ...int64) (string, error) {
		var b strings.Builder
		err := s.Query(q, args, func(r sqldb.Row) error {
			fmt.Fprintf(&b, "%d %q %v;", r.Int64(0), r.Bytes(1), r.Bytes(2))
			return nil
		})
		return b.String(), err
	}
	for _, tt := range []struct {
		q    int
		args []int64
		want string
	}{
		{0, []int64{1, 3}, `1 "a" [0 255];2 "" [];3 "长" [];`},
		{0, []int64{2, 2}, `2 "" [];`},
		{0, []int64{4, 9}, ``},
		{1, nil, `1048576 "" [];`},
	} {
		if got, err := all(tt.q, tt.args...); err != nil || got != tt.want {
			t.Errorf("statement %d %v = %s, %v; want %s", tt.q, tt.args, got, err, tt.want)
		}
	}
	if _, err := db.W.ExecContext(ctx, `INSERT INTO t VALUES (4, 'later', NULL)`); err != nil {
		t.Fatal(err)
	}
	if got, err := all(0, 4, 4); err != nil || got != `4 "later" [];` {
		t.Errorf("a row committed since: %s, %v", got, err)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.Query(0, []int64{1, 3}, func(sqldb.Row) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("a row's error: %v after %d rows", err, n)
	}
	if got, err := all(0, 1, 1); err != nil || got != `1 "a" [0 255];` {
		t.Errorf("after a stopped run: %s, %v", got, err)
	}
	if _, err := all(2); err == nil {
		t.Error("a statement that is not there ran")
	}
	if _, err := db.Scan(nil, `SELECT nothing FROM nowhere`); err == nil {
		t.Error("a bad statement prepared")
	}
	if os.Getenv("TEST_DATABASE_URL") != "" {
		if _, err := storetest.Postgres(t).Scan(nil); !errors.Is(err, sqldb.ErrNoScan) {
			t.Errorf("a scan on PostgreSQL: %v", err)
		}
	}
}
