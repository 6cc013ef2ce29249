package sqldb

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// What the writer commits reaches the database file by the checkpointer, well below the writer's own
// checkpoint threshold, and without anything but commits telling it to.
func TestCheckpointerCopiesTheLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(ctx, `CREATE TABLE t (v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	size := func(p string) int64 {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	before := size(path)
	const rows, width = 500, 4000 // ≈ 500 pages, far fewer than writerCheckpointPages
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		for range rows {
			if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES ($1)`, strings.Repeat("x", width)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if wal := size(path + "-wal"); wal < rows*width {
		t.Fatalf("the commit left %d bytes in the log, fewer than it wrote", wal)
	}
	deadline := time.Now().Add(10 * time.Second)
	for size(path)-before < rows*width {
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s the database file has grown by %d bytes, not by the %d committed", size(path)-before, rows*width)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
}
