package mps

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/beian/beian/internal/imaging/imagetest"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// The sweep forgets the uploads that no subject or application named within UnattachedRetention, and only
// those: a material attached, younger, or whose file a kept material shares stays and opens as it was. What it
// forgot no longer opens, is audited, and on SQLite its bytes in the pack read as zeros with their disk blocks
// given back. The same file sent again later is kept again.
func TestSweepForgetsUnattachedMaterials(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u := f.applicant(t, "liuyi", "13600136031", 61)
		img := clearJPEG(t)
		file := func(tag string) []byte { return imagetest.Tagged(img, tag) }
		upload := func(purpose string, data []byte) int64 {
			t.Helper()
			id, err := f.sim.UploadMaterial(ctx, u.ID, purpose, data)
			if err != nil {
				t.Fatal(codesOf(err))
			}
			return id
		}
		in := enterpriseData()
		in.Materials = map[string]int64{}
		for _, p := range SubjectMaterials(NatureEnterprise) {
			in.Materials[p] = upload(p, file("subject "+p))
		}
		if _, err := f.sim.SubmitSubject(ctx, u.ID, in); err != nil {
			t.Fatal(codesOf(err))
		}
		legal := file("subject " + MatLegalIDFront)
		stray := upload(MatIDFront, file("stray"))         // never attached
		strayShare := upload(MatPrincipalIDFront, legal)   // shares an attached material's file
		held := upload(MatDomainCertificate, file("held")) // shared, below, by a younger upload
		strayRef := fileRef(t, db, stray)
		advance(t, f, 6*24*time.Hour)
		young := upload(MatIDBack, file("young"))
		heldShare := upload(MatPrincipalIDBack, file("held"))
		advance(t, f, 2*24*time.Hour) // the first three are 8 days old, the last two 2 days

		sweep(t, f)
		wantGone(t, f, stray, strayShare)
		wantKept := map[int64][]byte{young: file("young"), held: file("held"), heldShare: file("held")}
		for p, id := range in.Materials {
			wantKept[id] = file("subject " + p)
		}
		opens(t, f, wantKept)
		if got := forgotten(t, db); !slices.Equal(got, []int64{stray, strayShare}) {
			t.Fatalf("audited as forgotten: %v, want %v", got, []int64{stray, strayShare})
		}
		if strayRef != "" {
			released(t, db, strayRef)
		}
		sweep(t, f) // nothing more is due
		if got := forgotten(t, db); len(got) != 2 {
			t.Fatalf("a second sweep forgot again: %v", got)
		}

		advance(t, f, 6*24*time.Hour) // the shared file's last sharer is 8 days old now
		sweep(t, f)
		wantGone(t, f, young, held, heldShare)
		delete(wantKept, young)
		delete(wantKept, held)
		delete(wantKept, heldShare)
		opens(t, f, wantKept)
		var left int
		if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM mps_freed_files`).Scan(&left); err != nil || left != 0 {
			t.Fatalf("%d files left to release (%v)", left, err)
		}

		again := upload(MatIDFront, file("stray"))
		opens(t, f, map[int64][]byte{again: file("stray")})
	})
}

// A sweep that stopped after deleting the rows but before releasing their bytes (a crash) leaves them in
// mps_freed_files; the next sweep releases them, even with nothing new to forget.
func TestSweepReleasesWhatAStoppedSweepLeft(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db, Policy{})
	u := f.applicant(t, "chenqi", "13600136032", 62)
	id, err := f.sim.UploadMaterial(ctx, u.ID, MatIDFront, clearJPEG(t))
	if err != nil {
		t.Fatal(codesOf(err))
	}
	ref := fileRef(t, db, id)
	if _, err := db.Exec(ctx, `DELETE FROM mps_materials WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `INSERT INTO mps_freed_files (file_ref) VALUES ($1)`, ref); err != nil {
		t.Fatal(err)
	}
	sweep(t, f)
	released(t, db, ref)
	var left int
	if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM mps_freed_files`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d files left to release (%v)", left, err)
	}
	sweep(t, f) // a pack range released twice, or a pack removed by hand, is no error
}

// The sweep deletes the sessions past their expiry; a live one still signs in.
func TestSweepForgetsExpiredSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		f.applicant(t, "zhaoba", "13600136033", 63)
		expired, live := f.login(t, "zhaoba", "secret123"), f.login(t, "zhaoba", "secret123")
		if _, err := db.Exec(ctx, `UPDATE mps_sessions SET expires_at = $1 WHERE token_hash = $2`,
			sqldb.Millis(time.Now().Add(-time.Minute)), f.keys.Hash("mps.session", expired)); err != nil {
			t.Fatal(err)
		}
		var before int
		db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM mps_sessions`).Scan(&before)
		sweep(t, f)
		var after int
		db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM mps_sessions`).Scan(&after)
		if after != before-1 {
			t.Fatalf("%d sessions before the sweep, %d after; want one fewer", before, after)
		}
		if _, err := f.sim.Authenticate(ctx, live); err != nil {
			t.Fatalf("the live session: %v", err)
		}
		if _, err := f.sim.Authenticate(ctx, expired); problem.KindOf(err) != problem.Unauthenticated {
			t.Fatalf("the expired session: %v", err)
		}
	})
}

func advance(t *testing.T, f *fixture, d time.Duration) {
	t.Helper()
	if _, err := f.clk.Advance(d); err != nil {
		t.Fatal(err)
	}
}

func sweep(t *testing.T, f *fixture) {
	t.Helper()
	if err := f.sim.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
}

// opens checks that each material opens with its bytes.
func opens(t *testing.T, f *fixture, want map[int64][]byte) {
	t.Helper()
	for id, data := range want {
		if _, _, _, got, err := f.sim.material(ctx, id); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("material %d: %d bytes, %v; want its %d bytes", id, len(got), err, len(data))
		}
	}
}

func wantGone(t *testing.T, f *fixture, ids ...int64) {
	t.Helper()
	for _, id := range ids {
		if _, _, _, _, err := f.sim.material(ctx, id); problem.KindOf(err) != problem.NotFound {
			t.Fatalf("material %d: %v, want it forgotten", id, err)
		}
	}
}

// forgotten returns the materials audited as forgotten, in order.
func forgotten(t *testing.T, db *sqldb.DB) []int64 {
	t.Helper()
	ids, err := db.IDs(ctx, `SELECT record_id FROM mps_audit WHERE action = 'forget' AND kind = 'material'
		AND actor_id = 0 ORDER BY record_id`)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// fileRef is the pack range of a material on SQLite, "" on PostgreSQL.
func fileRef(t *testing.T, db *sqldb.DB, id int64) string {
	t.Helper()
	var ref string
	if err := db.R.QueryRowContext(ctx, `SELECT file_ref FROM mps_materials WHERE id = $1`, id).Scan(&ref); err != nil {
		t.Fatal(err)
	}
	if _, ok := BlobDir(db.URL); ok && ref == "" {
		t.Fatalf("material %d is not in a pack", id)
	}
	return ref
}

// released checks that the range ref names reads as zeros and, where the file system punches holes, that
// its whole blocks are no longer allocated.
func released(t *testing.T, db *sqldb.DB, ref string) {
	t.Helper()
	dir, _ := BlobDir(db.URL)
	name, off, n, err := parseRef(ref)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b[off:off+int64(n)], make([]byte, n)) {
		t.Fatalf("the forgotten file's bytes in %s are still there", ref)
	}
	if !punchesHoles(t) {
		t.Log("this file system does not punch holes: the bytes were overwritten")
		return
	}
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	if allocated, whole := st.Blocks*512, int64(len(b)); whole-allocated < int64(n)-2*int64(st.Blksize) {
		t.Fatalf("pack %s of %d bytes has %d allocated after releasing %d", name, whole, allocated, n)
	}
}

// punchesHoles reports whether the test's temporary directory punches holes (Linux on ext4, xfs, btrfs, tmpfs).
func punchesHoles(t *testing.T) bool {
	path := filepath.Join(t.TempDir(), "probe")
	if err := os.WriteFile(path, bytes.Repeat([]byte{1}, 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := punchPack(path, [][2]int64{{0, 1 << 20}}); err != nil {
		t.Fatal(err)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	return st.Blocks*512 < 1<<19
}
