package sqldb

import (
	"context"
	"path/filepath"
	"testing"
)

// Each SQLite pool gets its own page cache size: the readers' small one is not overridden by the writer's
// (the driver applies _pragma values in lexical order, so a second cache_size would not simply win).
func TestSQLiteCacheSizes(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var w, r int
	if err := db.W.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&w); err != nil {
		t.Fatal(err)
	}
	if err := db.R.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&r); err != nil {
		t.Fatal(err)
	}
	if w != -32000 || r != -2000 {
		t.Errorf("cache_size: writer %d, reader %d; want -32000 and -2000", w, r)
	}
}
