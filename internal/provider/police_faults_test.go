package provider_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// flaky is the simulator behind a link that can fail the pushes or the status reads as the HTTP transport
// fails them (police.ErrUnavailable).
type flaky struct {
	*mps.Simulator
	pushDown, statusDown atomic.Bool
}

func (f *flaky) PushICPData(ctx context.Context, p police.Push) (police.DataCode, error) {
	if f.pushDown.Load() {
		return police.DataCode{}, fmt.Errorf("%w: connection refused", police.ErrUnavailable)
	}
	return f.Simulator.PushICPData(ctx, p)
}

func (f *flaky) FilingStatus(ctx context.Context, q police.StatusQuery) (police.FilingStatus, error) {
	if f.statusDown.Load() {
		return police.FilingStatus{}, fmt.Errorf("%w: timeout", police.ErrUnavailable)
	}
	return f.Simulator.FilingStatus(ctx, q)
}

// The platform unreachable: the push is refused with police.unavailable (Conflict, translated) and records
// nothing; a push that got its code while the status read then fails keeps and shows the code; reading the
// state while the platform is away is police.unavailable too.
func TestPolicePlatformUnreachable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		var link *flaky
		w, _, _ := policeWorldVia(t, db, func(sim *mps.Simulator) police.Platform { link = &flaky{Simulator: sim}; return link })
		ctx := context.Background()
		o := w.approved(t, 82)

		link.pushDown.Store(true)
		_, err := w.svc.PushToPolice(ctx, w.applicant, o.ID, 0, true)
		if !problem.Is(err, "police.unavailable") || problem.KindOf(err) != problem.Conflict {
			t.Fatalf("push while down: %v", err)
		}
		if ws, err := w.svc.PoliceFilings(ctx, w.applicant, o.ID); err != nil || ws[0].ConsentAt != nil || ws[0].DataCode != nil {
			t.Fatalf("a failed push left %+v %v", ws, err)
		}

		link.pushDown.Store(false)
		link.statusDown.Store(true)
		got, err := w.svc.PushToPolice(ctx, w.applicant, o.ID, 0, true)
		if err != nil || got.DataCode == nil || got.Status.State != police.StateDataPushed {
			t.Fatalf("push with the status read failing: %+v %v", got, err)
		}
		if _, err := w.svc.PoliceFilings(ctx, w.applicant, o.ID); !problem.Is(err, "police.unavailable") {
			t.Fatalf("state while away: %v", err)
		}
		link.statusDown.Store(false)
		ws, err := w.svc.PoliceFilings(ctx, w.applicant, o.ID)
		if err != nil || ws[0].DataCode == nil || ws[0].DataCode.Code != got.DataCode.Code || ws[0].Status.State != police.StateDataPushed {
			t.Fatalf("after the platform is back: %+v %v", ws, err)
		}
	})
}
