package miit

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A registry created by migration 1 keeps its records through migration 2 (miit_domains rebuilt with the
// public record).
func TestMigrationKeepsDomains(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		v1 := fstest.MapFS{}
		for _, d := range []string{"sqlite", "postgres"} {
			b, err := fs.ReadFile(migrations, "migrations/"+d+"/00001_init.sql")
			if err != nil {
				t.Fatal(err)
			}
			v1[d+"/00001_init.sql"] = &fstest.MapFile{Data: b}
		}
		if err := db.Migrate(ctx, v1, VersionTable); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`INSERT INTO miit_subjects (number, province, name, nature, credential_type, credential_hash, data,
				service_seq, approved_at, updated_at) VALUES ('粤ICP备2026000001号', '44', '老公司', 'enterprise',
				'business_license', $1, $1, 1, 1000, 1000)`,
			`INSERT INTO miit_services (subject_id, seq, number, kind, name, domains, data, approved_at, updated_at)
				VALUES (1, 1, '粤ICP备2026000001号-1', 'website', '老网站', 'old-example.cn', $1, 1000, 2000)`,
		} {
			if _, err := db.W.Exec(q, []byte{1, 2, 3}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.W.Exec(`INSERT INTO miit_domains (domain, service_id, subject_id, kind)
			VALUES ('old-example.cn', 1, 1, 'website')`); err != nil {
			t.Fatal(err)
		}
		f := newFixture(t, db, Policy{}) // migrates to the latest version
		recs, err := f.sim.Query(ctx, Query{Domain: "old-example.cn"})
		if err != nil || len(recs) != 1 || recs[0].ServiceNumber != "粤ICP备2026000001号-1" ||
			recs[0].SubjectName != "老公司" || recs[0].ApprovedAt.UnixMilli() != 2000 {
			t.Fatalf("%+v %v", recs, err)
		}
	})
}
