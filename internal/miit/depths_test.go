package miit

import (
	"context"
	"testing"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// The queues the simulator exports as metrics: an upload waits for SMS verification; its result waits in the
// provider's download queue, dated when it was queued, until the provider acknowledges it.
func TestQueueDepths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		f.submit(t, 201, 1, newFiling("44", enterprise("广州示例科技有限公司", companyID, boss), website("示例科技官网", "example.com", &boss)))
		counts, err := f.sim.SubmissionCounts(ctx)
		if err != nil || counts[subSMSPending] != 1 || len(counts) != 1 {
			t.Fatalf("submissions by state: %v, %v", counts, err)
		}
		qs, err := f.sim.UnacknowledgedResults(ctx)
		if err != nil || len(qs) != 1 || qs[0].ProviderID != provider || qs[0].Pending != 1 || !qs[0].Oldest.Equal(start) {
			t.Fatalf("download queue: %+v, %v", qs, err)
		}
		rs := f.results(t)
		if err := f.sim.Ack(ctx, provider, []int64{rs[0].ID}); err != nil {
			t.Fatal(err)
		}
		if qs, err := f.sim.UnacknowledgedResults(ctx); err != nil || len(qs) != 0 {
			t.Fatalf("after the acknowledgement: %+v, %v", qs, err)
		}
	})
}
