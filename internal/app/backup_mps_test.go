package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/imaging/imagetest"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
)

// The police platform's material files live in packs beside its SQLite database (mps.db-blobs): `beian mps
// backup` and `beian backup` (the platform inside the node) copy them, and the restore puts them back, so a
// material uploaded before the backup reads back from the restored platform.
func TestBackupHoldsMaterialPacks(t *testing.T) {
	ctx := context.Background()
	keys, err := secret.Parse(secret.Generate())
	if err != nil {
		t.Fatal(err)
	}
	img := imagetest.JPEG(t, imagetest.Checker(), 90)
	openMPS := func(dir string) (*mps.Simulator, *sqldb.DB) {
		db, err := sqldb.Open(ctx, "sqlite:"+filepath.Join(dir, "mps.db"))
		if err != nil {
			t.Fatal(err)
		}
		sim := mps.New(db, keys, nil, mps.Config{Password: password.Fast})
		if err := sim.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return sim, db
	}
	for _, part := range []app.Part{app.PartMPS, app.PartNode} {
		live := t.TempDir()
		for _, name := range []string{"beian.db", "miit.db"} { // the node's other databases, empty here
			other, err := sqldb.Open(ctx, "sqlite:"+filepath.Join(live, name))
			if err != nil {
				t.Fatal(err)
			}
			other.Close()
		}
		sim, db := openMPS(live)
		u, err := sim.Register(ctx, mps.Registration{Username: "backupuser", Password: "secret123",
			PasswordConfirm: "secret123", Name: "张三", CredentialType: "resident_id", CredentialNumber: "110105199003070308",
			Mobile: "13600136030", Email: "backup@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		id, err := sim.UploadMaterial(ctx, u.ID, mps.MatIDFront, img)
		if err != nil {
			t.Fatal(err)
		}
		backupDir := filepath.Join(t.TempDir(), "backup")
		if status, msg := runCmd(t, func(args []string, out, errb *bytes.Buffer) int {
			return app.RunBackup(part, args, out, errb, envOf(live))
		}, backupDir); status != 0 {
			t.Fatalf("%q backup: %d %s", part, status, msg)
		}
		db.Close()
		restored := t.TempDir()
		if status, msg := runCmd(t, func(args []string, out, errb *bytes.Buffer) int {
			return app.RunRestore(part, args, out, errb, envOf(restored))
		}, backupDir); status != 0 {
			t.Fatalf("%q restore: %d %s", part, status, msg)
		}
		sim2, db2 := openMPS(restored)
		data, err := sim2.OwnMaterial(ctx, u.ID, id)
		db2.Close()
		if err != nil || !bytes.Equal(data, img) {
			t.Fatalf("%q: the restored material: %d bytes, %v", part, len(data), err)
		}
	}
}

// A simulator's backup restored where a node's is expected (with -force) is refused and replaces nothing: it
// would put the simulator's database and keys in place of the node's and leave its own beside them.
func TestRestoreRefusesAnotherKindOfBackup(t *testing.T) {
	ctx := context.Background()
	live := t.TempDir()
	for _, name := range []string{"beian.db", "miit.db", "mps.db"} {
		db, err := sqldb.Open(ctx, "sqlite:"+filepath.Join(live, name))
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	backupDir := filepath.Join(t.TempDir(), "backup")
	if status, msg := runCmd(t, func(args []string, out, errb *bytes.Buffer) int {
		return app.RunBackup(app.PartMIIT, args, out, errb, envOf(live))
	}, backupDir); status != 0 {
		t.Fatalf("miit backup: %d %s", status, msg)
	}
	before, _ := os.Stat(filepath.Join(live, "miit.db"))
	status, msg := runCmd(t, func(args []string, out, errb *bytes.Buffer) int {
		return app.RunRestore(app.PartNode, args, out, errb, envOf(live))
	}, "-force", backupDir)
	if status == 0 || !strings.Contains(msg, "the backup has no beian.db") {
		t.Fatalf("a simulator's backup restored into a node: %d %s", status, msg)
	}
	if after, _ := os.Stat(filepath.Join(live, "miit.db")); !after.ModTime().Equal(before.ModTime()) {
		t.Fatal("the node's miit.db was replaced")
	}
}
