package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

type probeRow struct {
	name, note string
	n          int64
}

// probeAll runs statement q of p with arg and returns its rows.
func probeAll(p *sqldb.Probe, q int, arg string) ([]probeRow, error) {
	var out []probeRow
	err := p.Query(q, arg, func(r sqldb.Row) error {
		out = append(out, probeRow{r.Text(0), r.Text(1), r.Int64(2)})
		return nil
	})
	return out, err
}

func TestProbe(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	long := strings.Repeat("长", 300) // longer than the connection's first argument buffer
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE t (name TEXT PRIMARY KEY, note TEXT, n INTEGER);
		INSERT INTO t VALUES ('a', 'first', 1), ('b', NULL, 2), ('`+long+`', 'long', 3);`); err != nil {
		t.Fatal(err)
	}
	p, err := db.Probe(2, `SELECT name, note, n FROM t WHERE name = $1`, `SELECT name, note, n FROM t WHERE name >= $1 ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q    int
		arg  string
		want string
	}{
		{0, "a", "[{a first 1}]"},
		{0, "b", "[{b  2}]"}, // NULL reads as ""
		{0, "c", "[]"},
		{0, long, "[{" + long + " long 3}]"},
		{0, "a", "[{a first 1}]"}, // the long argument's buffer holds a short one again
		{0, "", "[]"},
		{1, "b", "[{b  2} {" + long + " long 3}]"},
	} {
		rows, err := probeAll(p, tt.q, tt.arg)
		if got := fmt.Sprint(rows); err != nil || got != tt.want && !(tt.want == "[]" && rows == nil) {
			t.Errorf("statement %d (%.10q) = %s, %v; want %s", tt.q, tt.arg, got, err, tt.want)
		}
	}
	// Each run is its own read transaction: a write committed after the connections opened is seen.
	if _, err := db.Exec(ctx, `UPDATE t SET n = 10 WHERE name = 'a'`); err != nil {
		t.Fatal(err)
	}
	if rows, err := probeAll(p, 0, "a"); err != nil || len(rows) != 1 || rows[0].n != 10 {
		t.Errorf("after the update: %v, %v", rows, err)
	}
	stop := errors.New("stop")
	if err := p.Query(1, "a", func(sqldb.Row) error { return stop }); err != stop {
		t.Errorf("callback's error: %v", err)
	}
	if _, err := probeAll(p, 2, "a"); err == nil {
		t.Error("statement 2 of a probe of two ran")
	}
	// More goroutines than connections share them (go test -race).
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for range 50 {
				rows, err := probeAll(p, i%2, "a")
				if err != nil || len(rows) == 0 || rows[0].name != "a" {
					t.Errorf("concurrent probe: %v, %v", rows, err)
					return
				}
			}
		})
	}
	wg.Wait()
	// A statement that does not compile fails at the first run.
	bad, _ := db.Probe(1, `SELECT x FROM nowhere WHERE x = $1`)
	if _, err := probeAll(bad, 0, "a"); err == nil || !strings.Contains(err.Error(), "no such table") {
		t.Errorf("bad statement: %v", err)
	}
	db.Close()
	if _, err := probeAll(p, 0, "a"); err == nil {
		t.Error("probe ran after the database closed")
	}
	if _, err := (&sqldb.DB{Dialect: sqldb.Postgres}).Probe(1, "SELECT 1"); err != sqldb.ErrNoProbe {
		t.Errorf("probe on PostgreSQL: %v", err)
	}
}

// An idle probe holds no read transaction (which would hold back checkpoints) and has no wake-up scheduled:
// the timer a look-up arms when it leaves its transaction open ends that transaction and is not armed again,
// and nothing else wakes up. The test waits for the transaction to end (however slow the machine), then looks.
func TestIdleProbeHoldsNothing(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE t (name TEXT PRIMARY KEY, note TEXT, n INTEGER);
		INSERT INTO t VALUES ('a', 'first', 1)`); err != nil {
		t.Fatal(err)
	}
	p, err := db.Probe(2, `SELECT name, note, n FROM t WHERE name = $1`)
	if err != nil {
		t.Fatal(err)
	}
	idle := func(step string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); sqldb.ProbeHeld(p) > 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: an idle probe still holds %d read transactions after 10 s", step, sqldb.ProbeHeld(p))
			}
		}
		if n := sqldb.ProbeArmed(p); n > 0 {
			t.Fatalf("%s: an idle probe holding no transaction has %d wake-ups scheduled", step, n)
		}
	}
	for i, step := range []string{"first look-up", "look-up after the timer ended the transaction", "look-up after a write"} {
		if i == 2 {
			if _, err := db.Exec(ctx, `UPDATE t SET n = 2 WHERE name = 'a'`); err != nil {
				t.Fatal(err)
			}
		}
		// Two look-ups at once, so that both connections open and hold a transaction.
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				if rows, err := probeAll(p, 0, "a"); err != nil || len(rows) != 1 || rows[0].n != int64(1+i/2) {
					t.Errorf("%s: %v, %v", step, rows, err)
				}
			})
		}
		wg.Wait()
		idle(step)
	}
}

// A database URL is PostgreSQL's or names an SQLite file; anything else with a scheme is refused before a file
// named after it is created.
func TestCheckURL(t *testing.T) {
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"postgres://beian@db/beian", true},
		{"postgresql://beian@db/beian?sslmode=disable", true},
		{"sqlite:data/beian.db", true},
		{"file:data/beian.db?mode=rwc", true},
		{"data/beian.db", true},
		{"/srv/beian/beian.db", true},
		{"postgress://beian:pw@db/beian", false},
		{"mysql://root@db/beian", false},
		{"bogus://x", false},
		{"", false},
	} {
		if err := sqldb.CheckURL(c.url); (err == nil) != c.ok {
			t.Errorf("%q: %v, want ok %v", c.url, err, c.ok)
		}
	}
	dir := t.TempDir()
	if _, err := sqldb.Open(context.Background(), "postgress://beian:pw@"+dir+"/x"); err == nil {
		t.Fatal("opened a mistyped URL")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("files created for a mistyped URL: %v", entries)
	}
}
