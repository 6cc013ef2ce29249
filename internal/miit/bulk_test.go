package miit

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// registryIndexes lists the indexes of the registry tables that a bulk load into a small registry drops.
func registryIndexes(t *testing.T, s *Simulator) []string {
	t.Helper()
	rows, err := s.db.W.QueryContext(context.Background(), `SELECT name FROM sqlite_master WHERE `+droppedIndexes+`
		ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

// A bulk load into an empty or small SQLite registry drops the secondary indexes while it runs and builds them
// again at its end, also when the load fails; an interrupted load's indexes are built by the next Migrate; a load
// into a registry that holds bulkSmallRegistry subjects or more keeps them.
func TestBulkIndexes(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t), Policy{Mode: PolicyAutomatic})
	s := f.sim
	want := registryIndexes(t, s)
	if len(want) < 3 {
		t.Fatalf("registry indexes %v", want)
	}
	boom := errors.New("stop")
	err := s.Bulk(ctx, func() error {
		if during := registryIndexes(t, s); len(during) != 0 {
			t.Errorf("indexes kept during a load into an empty registry: %v", during)
		}
		return boom
	})
	if !errors.Is(err, boom) || !slices.Equal(registryIndexes(t, s), want) {
		t.Fatalf("after a failed load: %v, indexes %v", err, registryIndexes(t, s))
	}

	if _, err := s.dropIndexesIfSmall(ctx); err != nil { // a load that stopped without building them
		t.Fatal(err)
	}
	if len(registryIndexes(t, s)) != 0 {
		t.Fatal("indexes not dropped")
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if got := registryIndexes(t, s); !slices.Equal(got, want) {
		t.Fatalf("after the next start: %v, want %v", got, want)
	}

	boss := principal("张三", legalID, legalTel)
	seed := []SeedRecord{{Province: "44", Subject: enterprise("老牌公司", "91440101MA5D000107", boss),
		Services: []filing.Service{website("老牌官网", "old-example.cn", nil)}, Providers: []string{provider}}}
	if err := s.Bulk(ctx, func() error { return s.LoadRegistry(ctx, seed) }); err != nil {
		t.Fatal(err)
	}
	// One subject, as the demo seed leaves a few: still small, the indexes are dropped, and the unique ones
	// (kept) still skip a subject already filed, under a new name and domain too, and a repeat within the load.
	again := []SeedRecord{{Province: "44", Subject: enterprise("改名公司", "91440101MA5D000107", boss),
		Services: []filing.Service{website("改名官网", "renamed-example.cn", nil)}, Providers: []string{provider}},
		{Province: "44", Subject: enterprise("新公司", "91440101MA5D000180", boss),
			Services: []filing.Service{website("新官网", "new-example.cn", nil)}, Providers: []string{provider}}}
	again = append(again, again[1])
	err = s.Bulk(ctx, func() error {
		if during := registryIndexes(t, s); len(during) != 0 {
			t.Errorf("indexes kept during a load into a registry of one subject: %v", during)
		}
		return s.LoadRegistry(ctx, again)
	})
	if err != nil || !slices.Equal(registryIndexes(t, s), want) {
		t.Fatalf("%v %v", err, registryIndexes(t, s))
	}
	path, _ := sqldb.SQLitePath(s.db.URL)
	if wal, err := os.Stat(path + "-wal"); err != nil || wal.Size() != 0 {
		t.Fatalf("the write-ahead log after a load: %v, %v (want emptied into the database)", wal, err)
	}
	var subjects, domains int
	s.db.W.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM miit_subjects), (SELECT COUNT(*) FROM miit_domains)`).
		Scan(&subjects, &domains)
	renamed, _ := s.Query(ctx, Query{Domain: "renamed-example.cn"})
	if added, _ := s.Query(ctx, Query{Domain: "new-example.cn"}); subjects != 2 || domains != 2 || len(renamed) != 0 || len(added) != 1 {
		t.Fatalf("after loading a filed subject again: %d subjects, %d domains, renamed %+v, new %+v",
			subjects, domains, renamed, added)
	}
	defer func(n int) { bulkSmallRegistry = n }(bulkSmallRegistry)
	bulkSmallRegistry = 1
	err = s.Bulk(ctx, func() error {
		if during := registryIndexes(t, s); !slices.Equal(during, want) {
			t.Errorf("indexes dropped during a load into a filled registry: %v", during)
		}
		return nil
	})
	if err != nil || !slices.Equal(registryIndexes(t, s), want) {
		t.Fatalf("%v %v", err, registryIndexes(t, s))
	}
	if recs, _ := s.Query(ctx, Query{Domain: "old-example.cn"}); len(recs) != 1 {
		t.Fatalf("loaded record: %+v", recs)
	}
}

// Without the unique index on credentials, a bulk load into a small registry still skips a subject filed
// before it, by an earlier batch of the same load, or by another writer while it runs; had a subject been filed
// twice meanwhile, building the index names them and the next start refuses.
func TestBulkSkipsFiledCredentials(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t), Policy{Mode: PolicyAutomatic})
	s := f.sim
	recs := seedRecords(5)
	if err := s.LoadRegistry(ctx, recs[:1]); err != nil {
		t.Fatal(err)
	}
	other := recs[3]
	err := s.Bulk(ctx, func() error {
		if err := s.LoadRegistry(ctx, recs[:3]); err != nil {
			return err
		}
		err := s.db.Tx(ctx, func(tx *sql.Tx) error { // another writer files recs[3]
			_, err := insertSubject(ctx, tx, "粤ICP备2026900001号", other.Province, other.Subject,
				s.credentialHash(other.Subject.CredentialNumber), []byte("x"), 0, start)
			return err
		})
		if err != nil {
			return err
		}
		return s.LoadRegistry(ctx, append(recs[1:2], recs[3:]...)) // filed by the first batch, by the other writer; new
	})
	if err != nil {
		t.Fatal(err)
	}
	var subjects, twice int
	s.db.W.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(*) - COUNT(DISTINCT credential_hash) FROM miit_subjects`).
		Scan(&subjects, &twice)
	if subjects != 5 || twice != 0 {
		t.Fatalf("%d subjects, %d filed twice", subjects, twice)
	}

	creds, err := s.dropIndexesIfSmall(ctx) // a load that went wrong: recs[4] filed twice
	if err != nil || creds.size() != 5 {
		t.Fatalf("%v %+v", err, creds)
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := insertSubject(ctx, tx, "粤ICP备2026900002号", "44", recs[4].Subject,
			s.credentialHash(recs[4].Subject.CredentialNumber), []byte("x"), 0, start)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "粤ICP备2026900002号") {
		t.Fatalf("start with a subject filed twice: %v", err)
	}
}
