package store_test

import (
	"context"
	"io/fs"
	"os"
	"path"
	"testing"
	"testing/fstest"

	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// Migration 00002 keeps the materials of a database created at 00001 (SQLite rebuilds the table to drop the
// foreign key to blobs; PostgreSQL drops the constraint), with their ids.
func TestMigrationKeepsMaterials(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		first := fstest.MapFS{}
		for _, dialect := range []string{"sqlite", "postgres"} {
			b, err := os.ReadFile(path.Join("migrations", dialect, "00001_init.sql"))
			if err != nil {
				t.Fatal(err)
			}
			first[dialect+"/00001_init.sql"] = &fstest.MapFile{Data: b}
		}
		if err := db.Migrate(ctx, fs.FS(first), "provider_goose_version"); err != nil {
			t.Fatal(err)
		}
		s := newStore0(t, db)
		a := applicant(t, s, "upgrade@example.com")
		if _, err := db.W.ExecContext(ctx, `INSERT INTO blobs (hash, size, data_enc, created_at) VALUES ($1, 1, $2, 0)`,
			[]byte("h1"), []byte("x")); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := db.W.QueryRowContext(ctx, `INSERT INTO materials (owner_id, code, type, blob_hash, size, width, height,
			created_at) VALUES ($1, 'subject_credential', 'image/jpeg', $2, 1, 800, 600, 7) RETURNING id`, a.ID, []byte("h1")).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		m, err := s.Material(ctx, id)
		if err != nil || m.OwnerID != a.ID || m.Width != 800 || string(m.BlobKey) != "h1" {
			t.Fatalf("material after the upgrade: %+v %v", m, err)
		}
		// Materials may now point at blobs kept outside the database.
		if err := s.Update(ctx, func(tx *store.Tx) error {
			return tx.InsertMaterial(ctx, &store.Material{OwnerID: a.ID, Code: "verification_form", Type: "image/jpeg",
				BlobKey: []byte("elsewhere"), CreatedAt: now})
		}); err != nil {
			t.Fatalf("material with an external blob: %v", err)
		}
	})
}

// newStore0 wraps db without migrating (the test migrates step by step).
func newStore0(t *testing.T, db *sqldb.DB) *store.Store {
	t.Helper()
	return store.New(db, keyring(t, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", randKey(t, "1")))
}
