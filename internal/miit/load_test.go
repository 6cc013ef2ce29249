package miit

import (
	"database/sql"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A load whose batch holds subjects already filed among new ones skips those and links the services, domains
// and accesses of the others to the right subjects and services (on SQLite the ids are SQLite's numbering, read
// back only when rows were skipped); an export lists them in the order filed.
func TestLoadSkipsFiledAmongNew(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		recs := seedRecords(7)
		if err := f.sim.LoadRegistry(ctx, []SeedRecord{recs[1], recs[4]}); err != nil {
			t.Fatal(err)
		}
		if err := f.sim.LoadRegistry(ctx, recs); err != nil {
			t.Fatal(err)
		}
		for i, rec := range recs {
			got, err := f.sim.Query(ctx, Query{Domain: fmt.Sprintf("d%07d-example.cn", i)})
			if err != nil || len(got) != 1 || got[0].SubjectName != rec.Subject.Name {
				t.Fatalf("filing %d by domain: %+v %v", i, got, err)
			}
			svcs, err := f.sim.Query(ctx, Query{Number: got[0].SubjectNumber})
			if err != nil || len(svcs) != len(rec.Services) {
				t.Fatalf("filing %d by number: %+v %v", i, svcs, err)
			}
			for _, s := range svcs {
				if s.SubjectName != rec.Subject.Name {
					t.Fatalf("filing %d: service %+v under another subject", i, s)
				}
			}
		}
		var order []string
		var providers int
		exported, err := exportAll(f.sim)
		for _, r := range exported {
			order = append(order, r.Subject.Name)
			providers += len(r.Providers)
		}
		want := []string{recs[1].Subject.Name, recs[4].Subject.Name, recs[0].Subject.Name, recs[2].Subject.Name,
			recs[3].Subject.Name, recs[5].Subject.Name, recs[6].Subject.Name}
		if err != nil || fmt.Sprint(order) != fmt.Sprint(want) || providers != len(recs) {
			t.Fatalf("export: %v %d providers %v", order, providers, err)
		}
	})
}

// On SQLite the loader learns the ids of the rows it inserted from SQLite's numbering, or, when some were skipped,
// by reading them back: a batch holding one subject number twice, the first under a filed credential (skipped) and
// the second under a new one (inserted), gets the second's services under the second, and a subject whose
// number is filed already is skipped with its services.
func TestLoadIdsWhenNumberTwice(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t), Policy{})
	recs := seedRecords(4)
	if err := f.sim.LoadRegistry(ctx, recs[:1]); err != nil {
		t.Fatal(err)
	}
	const number = "京ICP备2020123456号"
	for i := range recs {
		recs[i].Province = "11" // the number's
	}
	recs[0].Subject.Number, recs[1].Subject.Number = number, number
	if err := f.sim.LoadRegistry(ctx, []SeedRecord{recs[0], recs[1], recs[2]}); err != nil {
		t.Fatal(err)
	}
	recs[3].Subject.Number = number
	if err := f.sim.LoadRegistry(ctx, []SeedRecord{recs[3]}); err != nil {
		t.Fatal(err)
	}
	got, err := f.sim.Query(ctx, Query{Number: number})
	if err != nil || len(got) != len(recs[1].Services) || got[0].SubjectName != recs[1].Subject.Name {
		t.Fatalf("by number: %+v %v", got, err)
	}
	for i, want := range []int{1, 1, 1, 0} {
		got, err := f.sim.Query(ctx, Query{Domain: fmt.Sprintf("d%07d-example.cn", i)})
		if err != nil || len(got) != want || want == 1 && got[0].SubjectName != recs[i].Subject.Name {
			t.Fatalf("filing %d by domain: %+v %v", i, got, err)
		}
	}
}

// An export cuts the registry into pages by subject id, read on several connections: a page whose subjects are
// all cancelled comes out empty and the pages after it still come in order; the read pool's connections are
// left without the mapping of the SQLite file that the export read through (on connections of its own), and
// with their own page cache size.
func TestExportAcrossCancelledPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		recs := seedRecords(3*exportPage + 10)
		if err := f.sim.LoadRegistry(ctx, recs); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.ExecContext(ctx, `UPDATE miit_subjects SET cancelled_at = 1 WHERE id BETWEEN $1 AND $2`,
			exportPage+1, 2*exportPage); err != nil {
			t.Fatal(err)
		}
		var poolCache int64 // a read connection's page cache size, as the pool sets it
		if db.Dialect == sqldb.SQLite {
			if err := db.R.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&poolCache); err != nil {
				t.Fatal(err)
			}
		}
		var want []string
		for i, r := range recs {
			if i < exportPage || i >= 2*exportPage {
				want = append(want, r.Subject.Name)
			}
		}
		var got []string
		exported, err := exportAll(f.sim)
		for _, r := range exported {
			got = append(got, r.Subject.Name)
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%d records, want %d: %v", len(got), len(want), err)
		}
		if db.Dialect != sqldb.SQLite {
			return
		}
		for range runtime.GOMAXPROCS(0) + 1 { // every connection an export may have used, held at once
			conn, err := db.R.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			var size, cache int64
			if err := conn.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&size); err != nil || size != 0 {
				t.Fatalf("mmap_size %d %v", size, err)
			}
			if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil || cache != poolCache {
				t.Fatalf("cache_size %d, want %d: %v", cache, poolCache, err)
			}
		}
	})
}

// A service added to a subject after it was filed (a row far from the rest of its page) comes out under its
// subject with its providers, after the services filed before it, on the first page as on the second; a
// cancelled service is left out.
func TestExportServicesFiledLater(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		recs := seedRecords(2*exportPage + 10)
		if err := f.sim.LoadRegistry(ctx, recs); err != nil {
			t.Fatal(err)
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.W.ExecContext(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		for _, i := range []int{0, exportPage + 5} {
			exec(`INSERT INTO miit_services (subject_id, seq, number, kind, name, domains, data, approved_at, updated_at)
				SELECT subject_id, 3, number || '-later', kind, name, domains, data, approved_at, updated_at
				FROM miit_services WHERE seq = 1 AND subject_id = (SELECT id FROM miit_subjects WHERE name = $1)`,
				recs[i].Subject.Name)
			exec(`INSERT INTO miit_accesses (service_id, provider_id, added_at)
				SELECT id, 'other-isp', 0 FROM miit_services WHERE number LIKE '%-later' AND subject_id =
				(SELECT id FROM miit_subjects WHERE name = $1)`, recs[i].Subject.Name)
		}
		exec(`UPDATE miit_services SET cancelled_at = 1 WHERE subject_id = (SELECT id FROM miit_subjects WHERE name = $1)`,
			recs[1].Subject.Name)
		exported, err := exportAll(f.sim)
		if err != nil || len(exported) != len(recs) {
			t.Fatalf("%d records, want %d: %v", len(exported), len(recs), err)
		}
		for i, r := range exported {
			var numbers []string
			for _, s := range r.Services {
				numbers = append(numbers, strings.TrimPrefix(s.Number, r.Subject.Number))
			}
			want, providers := "[-1]", "[beian-demo]"
			switch {
			case i == 1:
				want, providers = "[]", "[]"
			case i == 0:
				want, providers = "[-1 -2A -1-later]", "[beian-demo other-isp]"
			case i == exportPage+5:
				want, providers = "[-1 -1-later]", "[beian-demo other-isp]"
			case i%3 == 0:
				want = "[-1 -2A]"
			}
			if r.Subject.Name != recs[i].Subject.Name || fmt.Sprint(numbers) != want || fmt.Sprint(r.Providers) != providers {
				t.Fatalf("record %d: %s %v %v, want %s %s %s", i, r.Subject.Name, numbers, r.Providers,
					recs[i].Subject.Name, want, providers)
			}
		}
	})
}

// The export runs two workers a core, but never as many as the read pool's connections: each worker holds one to
// its end and the writer takes their pages in turn, so a worker left without one would stop the export.
func TestExportWorkers(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	for _, c := range []struct{ maxOpen, want int }{
		{0, 2 * procs},
		{2*procs + 1, 2 * procs},
		{3, min(2, 2*procs)},
		{2, 1},
		{1, 1},
	} {
		if got := exportWorkers(c.maxOpen); got != c.want {
			t.Errorf("exportWorkers(%d) with %d cores = %d, want %d", c.maxOpen, procs, got, c.want)
		}
	}
}

// An export worker reading through database/sql (PostgreSQL's path) scans every page's two statements into the
// same column buffers, sized for the wider, and reads what the dialect's own path reads (on SQLite, the library's).
func TestPoolExportReusesColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		if err := f.sim.LoadRegistry(ctx, seedRecords(5)); err != nil {
			t.Fatal(err)
		}
		conn, err := db.R.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		src := &poolExport{conn: conn}
		defer src.close()
		var pages [2]exportRows
		var first *sql.RawBytes
		for i := range pages {
			if err := pages[i].read(ctx, src, 1, exportPage); err != nil {
				t.Fatal(err)
			}
			if len(src.cols) != 5 || first != nil && &src.cols[0] != first {
				t.Fatalf("page %d: %d column buffers at %p, the first page's at %p", i, len(src.cols), &src.cols[0], first)
			}
			first = &src.cols[0]
		}
		var want exportRows // through the dialect's own path: on SQLite, the library's
		own, err := f.sim.exportSource(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer own.close()
		if err := want.read(ctx, own, 1, exportPage); err != nil {
			t.Fatal(err)
		}
		p := pages[1]
		if len(p.subjects) != 5 || len(p.services) < 5 || !reflect.DeepEqual(p.subjects, want.subjects) ||
			!reflect.DeepEqual(p.services, want.services) {
			t.Fatalf("page read: %+v\nwant %+v", p, want)
		}
	})
}

// A record that lists a domain twice in one service (also once in capitals) or a provider twice loads one row
// of each, on both engines: SQLite's INSERT OR IGNORE skips the repeat, PostgreSQL's COPY would fail on it.
func TestLoadRepeatedDomainAndProvider(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		recs := seedRecords(2)
		recs[0].Services[0].Domains = []string{"twice-example.cn", "TWICE-example.cn", "once-example.cn"}
		recs[0].Providers = []string{provider, provider}
		if err := f.sim.LoadRegistry(ctx, recs); err != nil {
			t.Fatal(err)
		}
		var domains, accesses int
		f.sim.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM miit_domains
			WHERE domain IN ('twice-example.cn', 'once-example.cn')`).Scan(&domains)
		f.sim.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM miit_accesses`).Scan(&accesses)
		if services := len(recs[0].Services) + len(recs[1].Services); domains != 2 || accesses != services {
			t.Fatalf("%d domain rows (want 2), %d accesses (want %d: one a service)", domains, accesses, services)
		}
		got, err := f.sim.Query(ctx, Query{Domain: "twice-example.cn"})
		if err != nil || len(got) != 1 || got[0].SubjectName != recs[0].Subject.Name {
			t.Fatalf("query: %+v %v", got, err)
		}
	})
}
