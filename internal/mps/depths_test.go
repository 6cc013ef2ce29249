package mps

import (
	"context"
	"testing"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// The platform's queue it exports as metrics: a submitted subject waits in review.
func TestRecordCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db, Policy{})
		counts, err := f.sim.RecordCounts(ctx)
		if err != nil || len(counts[KindSubject]) != 0 || len(counts[KindWebsite]) != 0 {
			t.Fatalf("empty platform: %v, %v", counts, err)
		}
		u := f.applicant(t, "depths", "13800138111", 1)
		if _, err := f.sim.SubmitSubject(ctx, u.ID, f.enterpriseInput(t, u.ID)); err != nil {
			t.Fatal(err)
		}
		counts, err = f.sim.RecordCounts(ctx)
		if err != nil || counts[KindSubject][string(StateReview)] != 1 || len(counts[KindWebsite]) != 0 {
			t.Fatalf("after a subject's submission: %v, %v", counts, err)
		}
	})
}
