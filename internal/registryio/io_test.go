package registryio

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/progress"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

func newSim(t testing.TB, db *sqldb.DB) *miit.Simulator {
	t.Helper()
	k, idx := make([]byte, 32), make([]byte, 32)
	rand.Read(k)
	rand.Read(idx)
	keys, err := secret.New(map[byte][]byte{1: k}, 1, idx)
	if err != nil {
		t.Fatal(err)
	}
	sim := miit.New(db, keys, nil, miit.Config{ProviderIDs: []string{"beian-demo"},
		Abbr: divisions.Abbr})
	if err := sim.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

// testRecords: generated filings across provinces, a subject with a website and an APP and a principal, and
// a subject without services.
func testRecords() []miit.SeedRecord {
	recs := loadtest.Registry(0, 40, "beian-demo")
	boss := filing.Principal{Name: "张三", CredentialType: "resident_id", CredentialNumber: loadtest.ResidentID(1),
		Mobile: loadtest.Mobile(1, 0), Email: "zhang@example.com"}
	recs = append(recs, miit.SeedRecord{Province: "44", Providers: []string{"beian-demo"}, ApprovedAt: recs[0].ApprovedAt,
		Subject: filing.Subject{Nature: "enterprise", Name: "广州多服务有限公司", CredentialType: "business_license",
			CredentialNumber: loadtest.USCC(900), Number: "粤ICP备2021000001号", Principal: boss},
		Services: []filing.Service{
			{Kind: filing.Website, Name: "多服务官网", Domains: []string{"multi-example.cn"}, Number: "粤ICP备2021000001号-1", Principal: boss},
			{Kind: filing.App, Name: "多服务APP", Domains: []string{"api.multi-example.cn", "multi-example.net"}, Number: "粤ICP备2021000001号-2A", Principal: boss},
		}},
		miit.SeedRecord{Province: "44", ApprovedAt: recs[0].ApprovedAt, Subject: filing.Subject{Nature: "enterprise",
			Name: "广州空壳有限公司", CredentialType: "business_license", CredentialNumber: loadtest.USCC(901),
			Number: "粤ICP备2021000002号"}})
	return recs
}

func encode(t *testing.T, format string, recs []miit.SeedRecord) []byte {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, format)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Import, export, import again elsewhere: the second registry answers every query as the first, in both
// formats; JSON lines keep the principals.
func TestImportExportRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		src := newSim(t, db)
		recs := testRecords()
		r, _ := NewReader(bytes.NewReader(encode(t, JSONLines, recs)), JSONLines)
		bar := progress.New(io.Discard, "import", 0, false)
		if n, err := Import(ctx, src, r, bar); err != nil || n != (Counts{len(recs), len(recs)}) || bar.Done() != int64(len(recs)) {
			t.Fatalf("import: %+v %v", n, err)
		}
		r, _ = NewReader(bytes.NewReader(encode(t, CSV, recs)), CSV)
		if n, err := Import(ctx, src, r, progress.New(io.Discard, "import", 0, false)); err != nil || n != (Counts{len(recs), 0}) {
			t.Fatalf("import again: %+v %v; want every record read and none loaded", n, err)
		}
		for _, format := range []string{JSONLines, CSV} {
			var out bytes.Buffer
			w, _ := NewWriter(&out, format)
			if n, err := Export(ctx, src, w, progress.New(io.Discard, "export", 0, false)); err != nil || n != len(recs) {
				t.Fatalf("%s export: %d %v", format, n, err)
			}
			dst := newSim(t, storetest.SQLite(t))
			r, err := NewReader(bytes.NewReader(out.Bytes()), format)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := Import(ctx, dst, r, progress.New(io.Discard, "import", 0, false)); err != nil || n.Loaded != len(recs) {
				t.Fatalf("%s re-import: %+v %v", format, n, err)
			}
			for _, q := range []miit.Query{{Domain: loadtest.RegistryDomain(7)}, {Domain: "api.multi-example.cn"},
				{Number: "粤ICP备2021000001号"}, {Number: "粤ICP备2021000002号"}, {SubjectName: "负载测试第3"}} {
				a, _ := src.Query(ctx, q)
				b, _ := dst.Query(ctx, q)
				ja, _ := json.Marshal(a)
				jb, _ := json.Marshal(b)
				if len(a) == 0 || string(ja) != string(jb) {
					t.Errorf("%s %+v:\n%s\n%s", format, q, ja, jb)
				}
			}
			if format == JSONLines && !strings.Contains(out.String(), loadtest.ResidentID(1)) {
				t.Errorf("JSON lines lost the principal")
			}
		}
	})
}

func TestReaderErrors(t *testing.T) {
	if _, err := NewReader(strings.NewReader("a,b\n"), CSV); err == nil {
		t.Error("wrong CSV header accepted")
	}
	head := strings.Join(csvHeader, ",") + "\n"
	r, _ := NewReader(strings.NewReader(head+"44,粤ICP备2021000001号,n,enterprise,business_license,x,yesterday,,,,,\n"), CSV)
	if _, err := r.Read(); err == nil || !strings.Contains(err.Error(), "approved_at") {
		t.Errorf("bad date: %v", err)
	}
	r, _ = NewReader(strings.NewReader(`{"province":"44"}`+"\n{broken\n"), JSONLines)
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(); err == nil {
		t.Error("broken JSON line accepted")
	}
	if _, err := NewWriter(io.Discard, "xml"); err == nil {
		t.Error("unknown format accepted")
	}
	if FormatOf("a.CSV") != CSV || FormatOf("a.jsonl") != JSONLines {
		t.Error("FormatOf")
	}
}

// BenchmarkImport measures import of generated filings (JSON lines) into SQLite: b.N filings; ns/op is the
// time per filing, cpu-ns/op the CPU time the process spent per filing (decoding and loading, both cores): on a
// shared machine the wall time measures the neighbours, 2 cores / cpu-ns what an idle machine would reach.
// "empty" loads into an empty registry, "seeded" into one holding two subjects already (as the demo seed
// leaves it, and as `beian-load query` loads). "shuffled" is "seeded" with each filing's domain in no order
// related to its number, as in a real registry (the generator's domains follow the filings' order, which
// makes every domain an append to the end of the domain table). "postgres" is "seeded" into a fresh schema of
// TEST_DATABASE_URL (skipped without it); its cpu-ns/op leaves out the PostgreSQL server's CPU.
func BenchmarkImport(b *testing.B) {
	for _, seeded := range []int{0, 2} {
		b.Run(map[int]string{0: "empty", 2: "seeded"}[seeded], func(b *testing.B) { benchImport(b, benchSQLite(b), seeded, false) })
	}
	b.Run("shuffled", func(b *testing.B) { benchImport(b, benchSQLite(b), 2, true) })
	b.Run("postgres", func(b *testing.B) { benchImport(b, storetest.Postgres(b), 2, false) })
}

// benchSQLite opens a new SQLite database for a benchmark.
func benchSQLite(b *testing.B) *sqldb.DB {
	db, err := sqldb.Open(context.Background(), "sqlite:"+filepath.Join(b.TempDir(), "miit.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func benchImport(b *testing.B, db *sqldb.DB, seeded int, shuffled bool) {
	sim := newSim(b, db)
	if err := sim.LoadRegistry(context.Background(), loadtest.Registry(b.N, seeded, "beian-demo")); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, JSONLines)
	for from := 0; from < b.N; from += 10_000 {
		for i, r := range loadtest.Registry(from, min(10_000, b.N-from), "beian-demo") {
			if shuffled {
				r.Services[0].Domains = []string{scattered(from + i)}
			}
			w.Write(r)
		}
	}
	w.Flush()
	r, _ := NewReader(&buf, JSONLines)
	cpu0 := cpuTime()
	b.ResetTimer()
	if _, err := Import(context.Background(), sim, r, progress.New(io.Discard, "", 0, false)); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "filings/s")
}

// scattered is a domain for filing i, distinct for every i and in no order related to it: i through
// splitmix64's finaliser, a bijection of 64-bit integers.
func scattered(i int) string {
	x := uint64(i) + 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return fmt.Sprintf("s%016x.cn", x^x>>31)
}

// BenchmarkExport measures export of a registry of b.N generated filings as JSON lines (loaded before the
// timer starts), from SQLite and from PostgreSQL (TEST_DATABASE_URL); cpu-ns/op as for BenchmarkImport.
func BenchmarkExport(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchExport(b, benchSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchExport(b, storetest.Postgres(b)) })
}

func benchExport(b *testing.B, db *sqldb.DB) {
	sim := newSim(b, db)
	for from := 0; from < b.N; from += 20_000 {
		if err := sim.LoadRegistry(context.Background(), loadtest.Registry(from, min(20_000, b.N-from), "beian-demo")); err != nil {
			b.Fatal(err)
		}
	}
	w, _ := NewWriter(io.Discard, JSONLines)
	cpu0 := cpuTime()
	b.ResetTimer()
	if n, err := Export(context.Background(), sim, w, progress.New(io.Discard, "", 0, false)); err != nil || n != b.N {
		b.Fatal(n, err)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "filings/s")
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// A record that breaks a rule stops the import with its line, field and rule, and nothing of its batch is
// written; so does a line that is not JSON.
func TestImportRefusesBadRecord(t *testing.T) {
	ctx := context.Background()
	bad := func(edit func(r *miit.SeedRecord)) []miit.SeedRecord {
		recs := loadtest.Registry(0, 5, "beian-demo")
		edit(&recs[3])
		return recs
	}
	noName := bad(func(r *miit.SeedRecord) { r.Subject.Name = "" })
	control := bad(func(r *miit.SeedRecord) { r.Services[0].Name = "负载\x01网站" })
	format := bad(func(r *miit.SeedRecord) { r.Subject.Name = "负载\u202E公司" })
	nature := bad(func(r *miit.SeedRecord) { r.Subject.Nature = "company" })
	kind := bad(func(r *miit.SeedRecord) { r.Services[0].Kind = "blog" })
	credential := bad(func(r *miit.SeedRecord) { r.Subject.CredentialNumber = "1" })
	longName := bad(func(r *miit.SeedRecord) { r.Subject.Name = strings.Repeat("广", 2996) + "有限公司" })
	number := bad(func(r *miit.SeedRecord) { r.Services[0].Number = "京ICP备2010000001号-1" })
	province := bad(func(r *miit.SeedRecord) { r.Province = "99" })
	domain := bad(func(r *miit.SeedRecord) { r.Services[0].Domains = []string{"http://"} })
	taken := bad(func(r *miit.SeedRecord) { r.Services[0].Domains = []string{loadtest.RegistryDomain(1)} })
	twoSites := bad(func(r *miit.SeedRecord) {
		r.Services = append(r.Services, filing.Service{Kind: filing.Website, Name: "第二网站", Domains: r.Services[0].Domains})
	})
	badUTF8 := strings.Replace(string(encode(t, CSV, loadtest.Registry(0, 5, "beian-demo"))), "负载测试第3号科技",
		"负载测试第3号\xff科技", 1)
	badDate := strings.Replace(string(encode(t, CSV, loadtest.Registry(0, 5, "beian-demo"))), "2010-04-04T10:00:00Z",
		"04/04/2010", 1)
	for _, tc := range []struct{ name, in, want string }{
		{"no name", string(encode(t, JSONLines, noName)), "line 4: miit.seed_required (subject.name)"},
		{"no name, CSV", string(encode(t, CSV, noName)), "line 5: miit.seed_required (subject_name)"},
		{"not JSON", string(encode(t, JSONLines, noName[:2])) + "\n{broken\n", "line 4: invalid character 'b'"},
		{"control character", string(encode(t, JSONLines, control)), "line 4: common.text_control_char (services[0].name)"},
		{"format character, CSV", string(encode(t, CSV, format)), "line 5: common.text_control_char (subject_name)"},
		{"invalid UTF-8, CSV", badUTF8, "line 5: common.text_invalid_utf8 (subject_name)"},
		{"nature", string(encode(t, JSONLines, nature)), "line 4: miit.seed_code_unknown (subject.nature)"},
		{"service kind, CSV", string(encode(t, CSV, kind)), "line 5: miit.seed_code_unknown (service_kind)"},
		{"credential number 1, CSV", string(encode(t, CSV, credential)), "line 5: uscc.length (credential_number)"},
		{"subject name of 3,000 characters, CSV", string(encode(t, CSV, longName)), "line 5: field.name_too_long (subject_name)"},
		{"credential number 1", string(encode(t, JSONLines, credential)), "line 4: uscc.length (subject.credential_number)"},
		{"number of another subject", string(encode(t, JSONLines, number)), "line 4: miit.seed_number_mismatch (services[0].number)"},
		{"province", string(encode(t, JSONLines, province)), "line 4: miit.province_unknown (province)"},
		{"domain", string(encode(t, JSONLines, domain)), "line 4: miit.seed_domain_invalid (services[0].domains[0])"},
		{"date, CSV", badDate, "line 5: miit.seed_date_invalid (approved_at)"},
		{"a domain another subject of the file lists", string(encode(t, JSONLines, taken)), "line 4: miit.seed_domain_taken (services[0].domains[0])"},
		{"a domain two websites of one subject list", string(encode(t, JSONLines, twoSites)), "line 4: miit.seed_domain_taken (services[1].domains[0])"},
		{"another subject under its number, CSV", rowAfter(t, 4, func(row []string) {
			row[2], row[5], row[7], row[10] = "另一主体公司", "91440300MA5XXXXX1K", "", "another-example.cn"
		}), "line 6: miit.seed_subject_rows_differ (subject_name)"},
		{"a service number twice, CSV", rowAfter(t, 4, func(row []string) { row[10] = "another-example.cn" }),
			"line 6: miit.seed_number_repeated (service_number)"},
		{"the second service's domain, CSV", rowAfter(t, 4, func(row []string) { row[7], row[10] = "", "http://" }),
			"line 6: miit.seed_domain_invalid (domains)"},
		{"the second service's name of 51 characters, CSV", rowAfter(t, 4, func(row []string) {
			row[7], row[9], row[10] = "", strings.Repeat("站", 51), "another-example.cn"
		}), "line 6: field.name_too_long (service_name)"},
		{"a subject's rows apart, CSV", rowAt(t, 2, 6, func(row []string) { row[7], row[10] = "", "another-example.cn" }),
			"line 7: miit.seed_subject_rows_apart (credential_number)"},
		{"one row's providers edited, CSV", rowAfter(t, 4, func(row []string) {
			row[7], row[10], row[11] = "", "another-example.cn", "beian-demo other-isp"
		}), "line 6: miit.seed_subject_rows_differ (providers)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sim := newSim(t, storetest.SQLite(t))
			format := JSONLines
			if strings.HasPrefix(tc.in, "province,") {
				format = CSV
			}
			r, _ := NewReader(strings.NewReader(tc.in), format)
			n, err := Import(ctx, sim, r, progress.New(io.Discard, "", 0, false))
			if err == nil || !strings.Contains(err.Error(), tc.want) || n != (Counts{}) {
				t.Errorf("%+v, %v; want %q", n, err, tc.want)
			}
			if le := (*LineError)(nil); !errors.As(err, &le) {
				t.Errorf("%v is not a LineError", err)
			}
			if got, _ := sim.Query(ctx, miit.Query{Domain: loadtest.RegistryDomain(0)}); len(got) != 0 {
				t.Errorf("a record of the refused batch was loaded")
			}
		})
	}
}

// A record whose domain the registry holds (another subject's) stops the import at its line, with nothing of
// its batch written, also when its subject is new; a domain listed twice by one service is loaded once.
func TestImportRefusesFiledDomain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		sim := newSim(t, db)
		if err := sim.LoadRegistry(ctx, loadtest.Registry(0, 2, "beian-demo")); err != nil {
			t.Fatal(err)
		}
		recs := loadtest.Registry(2, 3, "beian-demo")
		recs[1].Services[0].Domains = []string{loadtest.RegistryDomain(0)}
		r, _ := NewReader(bytes.NewReader(encode(t, JSONLines, recs)), JSONLines)
		n, err := Import(ctx, sim, r, progress.New(io.Discard, "", 0, false))
		if le := (*LineError)(nil); !errors.As(err, &le) || le.Line != 2 ||
			!strings.Contains(err.Error(), "miit.seed_domain_taken (services[0].domains[0])") || n != (Counts{}) {
			t.Fatalf("%+v, %v; want line 2 refused", n, err)
		}
		if got, _ := sim.Query(ctx, miit.Query{Domain: loadtest.RegistryDomain(0)}); len(got) != 1 {
			t.Fatalf("the filed domain answers %+v", got)
		}
		if got, _ := sim.Query(ctx, miit.Query{Domain: loadtest.RegistryDomain(2)}); len(got) != 0 {
			t.Fatalf("a record of the refused batch was loaded: %+v", got)
		}
		d := loadtest.RegistryDomain(3)
		recs[1].Services[0].Domains = []string{d, strings.ToUpper(d)}
		r, _ = NewReader(bytes.NewReader(encode(t, JSONLines, recs)), JSONLines)
		if n, err := Import(ctx, sim, r, progress.New(io.Discard, "", 0, false)); err != nil || n != (Counts{3, 3}) {
			t.Fatalf("%+v %v", n, err)
		}
		if got, _ := sim.Query(ctx, miit.Query{Domain: d}); len(got) != 1 || len(got[0].Domains) != 1 {
			t.Fatalf("a domain listed twice: %+v", got)
		}
	})
}

// rowAfter is the CSV of five generated filings with a row added after line (1: the header), a copy of that
// line edited by edit.
func rowAfter(t *testing.T, line int, edit func(row []string)) string {
	t.Helper()
	return rowAt(t, line, line+1, edit)
}

// rowAt is rowAfter with the copy inserted at index at of the lines (the header is 0) instead.
func rowAt(t *testing.T, line, at int, edit func(row []string)) string {
	t.Helper()
	lines := strings.SplitAfter(string(encode(t, CSV, loadtest.Registry(0, 5, "beian-demo"))), "\n")
	row, err := csv.NewReader(strings.NewReader(lines[line])).Read()
	if err != nil {
		t.Fatal(err)
	}
	edit(row)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(row)
	w.Flush()
	return strings.Join(slices.Insert(lines, at, b.String()), "")
}

// CSV as a person writes it: a byte order mark before the header, a date without a time is that day in Beijing, an empty one the time of loading,
// and the rows of a subject not numbered yet are one record by its credential number; each subject gets a
// number and its services numbers under it.
func TestImportCSVAsWritten(t *testing.T) {
	ctx := context.Background()
	sim := newSim(t, storetest.SQLite(t))
	in := strings.Join(csvHeader, ",") + "\n" +
		"44,,广州手写有限公司,enterprise,business_license," + loadtest.USCC(7) + ",2025-01-02,,website,手写官网,hand-example.cn,beian-demo\n" +
		"44,,广州手写有限公司,enterprise,business_license," + loadtest.USCC(7) + ",2025-01-02,,app,手写APP,api.hand-example.cn,beian-demo\n" +
		"44,,广州另一有限公司,enterprise,business_license," + loadtest.USCC(8) + ",,,website,另一官网,other-hand-example.cn,beian-demo\n"
	r, _ := NewReader(strings.NewReader("\uFEFF"+in), CSV) // as a spreadsheet saves "CSV UTF-8"
	if n, err := Import(ctx, sim, r, progress.New(io.Discard, "", 0, false)); err != nil || n != (Counts{2, 2}) {
		t.Fatalf("%+v %v; want two subjects", n, err)
	}
	web, _ := sim.Query(ctx, miit.Query{Domain: "hand-example.cn"})
	app, _ := sim.Query(ctx, miit.Query{Domain: "api.hand-example.cn"})
	if len(web) != 1 || len(app) != 1 || web[0].SubjectNumber != app[0].SubjectNumber ||
		web[0].ServiceNumber != web[0].SubjectNumber+"-1" || app[0].ServiceNumber != app[0].SubjectNumber+"-2A" {
		t.Fatalf("one subject with two services expected:\n%+v\n%+v", web, app)
	}
	if at := web[0].ApprovedAt.In(cst); at.Format(time.DateTime) != "2025-01-02 00:00:00" || !strings.HasPrefix(web[0].SubjectNumber, "粤ICP备2025") {
		t.Errorf("approved %s, numbered %s; want the start of 2025-01-02 in Beijing and a 2025 number", at, web[0].SubjectNumber)
	}
	if other, _ := sim.Query(ctx, miit.Query{Domain: "other-hand-example.cn"}); len(other) != 1 || other[0].ApprovedAt.IsZero() {
		t.Errorf("the record without a date: %+v", other)
	}
}

// failingWriter refuses every write after the first left bytes.
type failingWriter struct{ left int }

func (w *failingWriter) Write(b []byte) (int, error) {
	if w.left -= len(b); w.left < 0 {
		return 0, io.ErrShortWrite
	}
	return len(b), nil
}

// An export stops at the first write error, with more pages read ahead than written; the registry is exported
// in the order it was filed, across pages.
func TestExportStopsAndKeepsOrder(t *testing.T) {
	ctx := context.Background()
	sim := newSim(t, storetest.SQLite(t))
	if err := sim.LoadRegistry(ctx, loadtest.Registry(0, 5000, "beian-demo")); err != nil {
		t.Fatal(err)
	}
	w, _ := NewWriter(&failingWriter{left: 2 << 20}, JSONLines) // about half of the export
	if n, err := Export(ctx, sim, w, progress.New(io.Discard, "", 0, false)); !errors.Is(err, io.ErrShortWrite) || n >= 5000 {
		t.Fatalf("%d %v", n, err)
	}
	var out bytes.Buffer
	w, _ = NewWriter(&out, JSONLines)
	if n, err := Export(ctx, sim, w, progress.New(io.Discard, "", 0, false)); err != nil || n != 5000 {
		t.Fatalf("%d %v", n, err)
	}
	r, _ := NewReader(&out, JSONLines)
	var got []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec.Services[0].Domains[0])
	}
	if len(got) != 5000 || got[0] != loadtest.RegistryDomain(0) || got[4999] != loadtest.RegistryDomain(4999) ||
		got[2000] != loadtest.RegistryDomain(2000) {
		t.Fatalf("%d records", len(got))
	}
}

// The CSV parser's errors, a wrong header and a subject's rows apart are LineErrors carrying a problem: a code
// with a message in every language, the line, and for a subject's rows apart the column and the line of its
// first rows; rows apart across batches say that the first rows were loaded.
func TestCSVReaderProblems(t *testing.T) {
	head := strings.Join(csvHeader, ",") + "\n"
	rows := strings.SplitAfter(string(encode(t, CSV, loadtest.Registry(0, 4, "beian-demo"))), "\n")[1:5] // lines 2-5
	again := strings.Replace(rows[0], loadtest.RegistryDomain(0), "another-example.cn", 1)
	number, _ := loadtest.RegistrySubjectNumber(0)
	again = strings.Replace(again, ","+number+"-1,", ",,", 1) // no service number: a new service of the subject of line 2
	// the credential number of the subject of line 2
	credential := loadtest.Registry(0, 1, "beian-demo")[0].Subject.CredentialNumber
	for _, tc := range []struct {
		name, in  string
		batch     int // records a batch, 0 for Read
		line      int
		code, col string
		params    map[string]string
	}{
		{"header", "province,name\n", 0, 1, "miit.csv_header", "", map[string]string{"got": "province,name"}},
		{"empty file", "", 0, 1, "miit.csv_header", "", map[string]string{"got": ""}},
		{"columns", head + rows[0] + "44,x\n", 0, 3, "miit.csv_columns", "", map[string]string{"count": "2", "want": "12"}},
		{"bare quote", head + rows[0] + strings.Replace(rows[1], "负载", `负"载`, 1), 0, 3, "miit.csv_bare_quote", "", nil},
		{"quote", head + rows[0] + `44,"a"b,` + "\n", 0, 3, "miit.csv_quote", "", map[string]string{"start": "3"}},
		{"rows apart", head + rows[0] + rows[1] + again, 0, 4, "miit.seed_subject_rows_apart", "credential_number",
			map[string]string{"first": "2"}},
		{"rows apart in one batch", head + rows[0] + rows[1] + again, 10, 4, "miit.seed_subject_rows_apart", "credential_number",
			map[string]string{"first": "2"}},
		{"rows apart across batches", head + rows[0] + rows[1] + rows[2] + again, 2, 5,
			"miit.seed_subject_rows_apart_loaded", "credential_number", map[string]string{"first": "2"}},
		{"rows apart across batches, the first read", head + rows[0] + rows[1] + again, 1, 4,
			"miit.seed_subject_rows_apart_loaded", "credential_number", map[string]string{"first": "2"}},
		{"rows apart, the first in the batch being read", head + rows[0] + rows[1] + again, 2, 4,
			"miit.seed_subject_rows_apart", "credential_number", map[string]string{"first": "2"}},
		{"another subject of the same credential", head + rows[0] + strings.ReplaceAll(rows[0], number, number[:len(number)-len("号")]+"9号"), 0, 3,
			"miit.seed_subject_rows_apart", "credential_number", map[string]string{"first": "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tc.in), CSV)
			for err == nil {
				if tc.batch == 0 {
					_, err = r.Read()
				} else {
					_, err = r.readBatch(tc.batch)
				}
			}
			var le *LineError
			var p *problem.Error
			if !errors.As(err, &le) || !errors.As(err, &p) || le.Line != tc.line || p.Code != tc.code || p.Field != tc.col {
				t.Fatalf("%v (%+v); want %s on %q at line %d", err, p, tc.code, tc.col, tc.line)
			}
			for k, v := range tc.params {
				if p.Params[k] != v {
					t.Errorf("%s = %q, want %q", k, p.Params[k], v)
				}
			}
			for _, lang := range []i18n.Lang{i18n.ZhCN, i18n.ZhTW, i18n.En} {
				if !i18n.Has(tc.code) || strings.Contains(i18n.T(lang, tc.code, p.Params), "{") {
					t.Errorf("%s: no message in %s, or a parameter missing: %s", tc.code, lang, i18n.T(lang, tc.code, p.Params))
				}
				if msg := i18n.T(lang, tc.code, p.Params); strings.Contains(msg, credential) {
					t.Errorf("%s shows the credential number %s whole: %s", tc.code, credential, msg)
				}
			}
		})
	}
}
