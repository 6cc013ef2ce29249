package mps

import (
	"database/sql"
	"testing"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// bind takes the materials attach accepted in one statement; one that another record took in between (a
// concurrent transaction under read committed) is refused and nothing is bound.
func TestBindRefusesTakenMaterial(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u := f.applicant(t, "binder", "13900139011", 41)
		req := SubjectMaterials(NatureIndividual)
		m := f.materials(t, u.ID, req)
		owner := func(id int64) (kind string, rec int64) {
			db.R.QueryRow(`SELECT owner_kind, owner_id FROM mps_materials WHERE id = $1`, id).Scan(&kind, &rec)
			return kind, rec
		}
		bind := func(rec int64) error {
			return db.Tx(ctx, func(tx *sql.Tx) error { return f.sim.bind(ctx, tx, u.ID, m, req, KindSubject, rec) })
		}
		if _, err := db.Exec(ctx, `UPDATE mps_materials SET owner_kind = 'website', owner_id = 9 WHERE id = $1`,
			m[req[1]]); err != nil {
			t.Fatal(err)
		}
		if err := bind(7); !problem.Is(err, "mps.material_used") {
			t.Fatalf("bind over a taken material: %v", err)
		}
		if k, rec := owner(m[req[0]]); k != "" || rec != 0 {
			t.Fatalf("refused bind left %s %d on a free material", k, rec)
		}
		if _, err := db.Exec(ctx, `UPDATE mps_materials SET owner_kind = '', owner_id = 0 WHERE id = $1`,
			m[req[1]]); err != nil {
			t.Fatal(err)
		}
		for range 2 { // binding again to the same record is accepted (a resubmission)
			if err := bind(7); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range req {
			if k, rec := owner(m[p]); k != KindSubject || rec != 7 {
				t.Fatalf("%s bound to %s %d", p, k, rec)
			}
		}
	})
}
