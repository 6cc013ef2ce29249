package mps

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/beian/beian/internal/imaging/imagetest"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A material kept in a pack is still read back by a new process over the same database, which appends to a
// pack of its own.
func TestMaterialFileAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mps.db")
	db, err := sqldb.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, db, Policy{})
	u := f.applicant(t, "zhoujiu", "13600136019", 49)
	img := clearJPEG(t)
	id, err := f.sim.UploadMaterial(ctx, u.ID, MatIDFront, img)
	if err != nil {
		t.Fatal(codesOf(err))
	}
	var inRow int
	var ref string
	if err := db.R.QueryRowContext(ctx, `SELECT length(data), file_ref FROM mps_materials WHERE id = $1`, id).
		Scan(&inRow, &ref); err != nil || inRow != 0 || ref == "" {
		t.Fatalf("the row holds %d bytes of the file and names %q (%v), want a pack", inRow, ref, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := sqldb.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	sim := New(db2, f.keys, f.clk, f.sim.cfg)
	other := imagetest.Tagged(img, "restart")
	id2, err := sim.UploadMaterial(ctx, u.ID, MatIDBack, other)
	if err != nil {
		t.Fatal(codesOf(err))
	}
	for id, want := range map[int64][]byte{id: img, id2: other} {
		if _, _, _, data, err := sim.material(ctx, id); err != nil || !bytes.Equal(data, want) {
			t.Fatalf("material %d after restart: %d bytes, %v", id, len(data), err)
		}
	}
	if packs, _ := filepath.Glob(filepath.Join(path+"-blobs", "*.pack")); len(packs) != 2 {
		t.Fatalf("packs %v, want one per process", packs)
	}
}

// The file is kept before the row that names it is recorded: when it cannot be kept, no row is recorded;
// a file kept by an upload that never committed (a crash between the two) is harmless. The same file sent
// again, which the image memo remembers although no material holds it, is kept then.
func TestMaterialFileOrder(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db, Policy{})
	u := f.applicant(t, "zhoushi", "13600136020", 50)
	img := clearJPEG(t)
	dir, _ := BlobDir(db.URL)
	if err := os.WriteFile(dir, nil, 0o600); err != nil { // a plain file where the directory goes
		t.Fatal(err)
	}
	if _, err := f.sim.UploadMaterial(ctx, u.ID, MatIDFront, img); err == nil {
		t.Fatal("upload recorded with nowhere to keep its file")
	}
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM mps_materials`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d materials recorded (%v), want none", n, err)
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.sim.files.keep(f.keys.Seal(img, purposeMaterial)); err != nil { // the crash: no row
		t.Fatal(err)
	}
	id, err := f.sim.UploadMaterial(ctx, u.ID, MatIDFront, img)
	if err != nil {
		t.Fatal(codesOf(err))
	}
	if _, _, _, data, err := f.sim.material(ctx, id); err != nil || !bytes.Equal(data, img) {
		t.Fatalf("%d bytes, %v", len(data), err)
	}
}

// A row pointed at another material's bytes (a pack damaged or edited) is refused, not shown as the material;
// so is a malformed reference.
func TestMaterialFileSwapped(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db, Policy{})
	u := f.applicant(t, "zhoushiyi", "13600136021", 51)
	img := clearJPEG(t)
	first, err := f.sim.UploadMaterial(ctx, u.ID, MatIDFront, img)
	if err != nil {
		t.Fatal(codesOf(err))
	}
	second, err := f.sim.UploadMaterial(ctx, u.ID, MatIDBack, imagetest.Tagged(img, "second"))
	if err != nil {
		t.Fatal(codesOf(err))
	}
	for _, ref := range []string{"", "../mps.db@0+100", "x.pack@-1+100", "x.pack@0"} {
		q := `UPDATE mps_materials SET file_ref = (SELECT file_ref FROM mps_materials WHERE id = $2) WHERE id = $1`
		args := []any{first, second}
		if ref != "" {
			q, args = `UPDATE mps_materials SET file_ref = $2 WHERE id = $1`, []any{first, ref}
		}
		if _, err := db.W.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
		if _, _, _, _, err := f.sim.material(ctx, first); err == nil {
			t.Fatalf("material shown from %q", ref)
		}
	}
}

// Files kept at the same time (sharing their flushes, and a pack filling up under them so that new ones are
// started) each read back whole from where their reference says.
func TestMaterialFilesConcurrent(t *testing.T) {
	p := &packFiles{dir: filepath.Join(t.TempDir(), "mps.db-blobs"), limit: 5000}
	refs := make([]string, 32)
	var wg sync.WaitGroup
	for i := range refs {
		wg.Go(func() {
			_, ref, err := p.keep(bytes.Repeat([]byte{byte(i)}, 1000+i))
			if err != nil {
				t.Error(err)
			}
			refs[i] = ref
		})
	}
	wg.Wait()
	for i, ref := range refs {
		if b, err := p.load(nil, ref); err != nil || !bytes.Equal(b, bytes.Repeat([]byte{byte(i)}, 1000+i)) {
			t.Fatalf("file %d at %q: %d bytes, %v", i, ref, len(b), err)
		}
	}
	if p.flushedEnd != p.end {
		t.Errorf("flushed to %d of %d bytes", p.flushedEnd, p.end)
	}
	packs, _ := filepath.Glob(filepath.Join(p.dir, "*.pack"))
	if len(packs) < 32*1000/5000 {
		t.Fatalf("%d packs for 32 KB in packs of at most 5,000 bytes", len(packs))
	}
	for _, pack := range packs {
		if st, err := os.Stat(pack); err != nil || st.Size() > 5000 {
			t.Fatalf("pack %s: %v, %v", pack, st.Size(), err)
		}
	}
}
