package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/compliance"
	"github.com/beian/beian/internal/compliance/compliancetest"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A staff member sweeps every filed website: the long poll sees each result, the failing site's report names
// what is wrong with the HTML to paste, the applicant sees their sites with the footer to copy, the staff get
// a digest of the sites that newly fail (and none when nothing new fails), and one sweep runs at a time.
func TestComplianceSweep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		a, res := r.applicant("sweep@example.com")
		good := r.file(a, res, usccs[0], "good-sweep.cn").Result.Services[0].Number
		bad := r.file(a, res, usccs[1], "bad-sweep.cn").Result.Services[0].Number
		pages := compliancetest.New(t)
		pages.Set("good-sweep.cn", compliancetest.Homepage("示例云官网", compliancetest.Footer(good)))
		pages.Set("bad-sweep.cn", compliancetest.Homepage("示例云官网", `<footer><p>© 2026</p></footer>`))
		r.svc.cfg.SiteFetch = pages.FetchConfig("good-sweep.cn", "bad-sweep.cn")

		if _, err := r.svc.StartSweep(r.ctx, a); problem.KindOf(err) != problem.Forbidden {
			t.Fatalf("an applicant started a sweep: %v", err)
		}
		w, err := r.svc.StartSweep(r.ctx, r.reviewer)
		if err != nil {
			t.Fatal(err)
		}
		if w.Total != 2 || w.Done != 0 || w.Finished() {
			t.Fatalf("new sweep %+v", w)
		}
		_, err = r.svc.StartSweep(r.ctx, r.operator)
		wantCode(t, err, "checker.sweep_running")

		polled := make(chan *SweepView, 1)
		go func() {
			v, err := r.svc.WaitSweep(r.ctx, r.reviewer, w.ID, w.Version, 20*time.Second)
			if err != nil {
				t.Error(err)
			}
			polled <- v
		}()
		time.Sleep(50 * time.Millisecond) // the poll is waiting before the sweep runs
		if err := r.svc.RunComplianceSweeps(r.ctx); err != nil {
			t.Fatal(err)
		}
		if v := <-polled; v == nil || v.Version == w.Version || v.Done == 0 {
			t.Fatalf("long poll answered %+v", v)
		}
		v, err := r.svc.Sweep(r.ctx, r.reviewer, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Finished() || v.Done != 2 || v.Failed != 1 {
			t.Fatalf("finished sweep %+v", v.Sweep)
		}
		states := map[string]store.SiteResult{}
		for _, s := range v.Sites {
			states[s.Domain] = s
		}
		if states["good-sweep.cn"].State != store.SitePass || states["bad-sweep.cn"].State != store.SiteFail {
			t.Fatalf("site states %+v", v.Sites)
		}
		rep, err := r.svc.SiteReport(r.ctx, r.reviewer, w.ID, states["bad-sweep.cn"].Seq)
		if err != nil {
			t.Fatal(err)
		}
		missing := findingOf(rep.Report, "icp.missing")
		if missing == nil || !strings.Contains(missing.Fix, bad) || !strings.Contains(missing.Fix, compliance.MIITURL) {
			t.Fatalf("report of the failing site: %+v", rep.Report.Findings)
		}
		if !strings.Contains(rep.Footer, bad) {
			t.Fatalf("footer %q lacks %s", rep.Footer, bad)
		}

		mine, err := r.svc.MySiteChecks(r.ctx, a)
		if err != nil || len(mine) != 2 || mine[0].Domain != "bad-sweep.cn" || mine[0].State != store.SiteFail ||
			!strings.Contains(mine[0].Footer, bad) {
			t.Fatalf("applicant's checks %+v %v", mine, err)
		}
		other, _ := r.applicant("other@example.com")
		if theirs, err := r.svc.MySiteChecks(r.ctx, other); err != nil || len(theirs) != 0 {
			t.Fatalf("another applicant sees %+v %v", theirs, err)
		}

		r.run()
		digest := r.mails("reviewer@example.cn")
		if len(digest) != 1 || !strings.Contains(digest[0], "bad-sweep.cn") || strings.Contains(digest[0], "good-sweep.cn") {
			t.Fatalf("digest after the first sweep: %q", digest)
		}
		if len(r.mails("operator@example.cn")) != 1 {
			t.Fatal("the operator got no digest")
		}

		r.sweepOnce() // nothing new fails: no digest
		if got := r.mails("reviewer@example.cn"); len(got) != 1 {
			t.Fatalf("a digest without new failures: %q", got)
		}
		pages.Set("good-sweep.cn", compliancetest.Homepage("示例云官网", `<footer><p>`+good+`</p></footer>`)) // the link is gone
		r.sweepOnce()
		got := r.mails("reviewer@example.cn")
		if len(got) != 2 || !strings.Contains(got[1], "good-sweep.cn") || strings.Contains(got[1], "bad-sweep.cn") {
			t.Fatalf("digest of the new failure: %q", got)
		}
	})
}

// The recurring sweep starts when due, once, and refuses an unknown frequency.
func TestComplianceSchedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		a, res := r.applicant("sched@example.com")
		r.file(a, res, usccs[0], "sched-sweep.cn")
		pages := compliancetest.New(t)
		r.svc.cfg.SiteFetch = pages.FetchConfig("sched-sweep.cn")

		_, err := r.svc.SetSweepSchedule(r.ctx, r.reviewer, "hourly")
		wantCode(t, err, "checker.bad_every")
		if _, err := r.svc.SetSweepSchedule(r.ctx, a, EveryDaily); problem.KindOf(err) != problem.Forbidden {
			t.Fatalf("an applicant set the schedule: %v", err)
		}
		sc, err := r.svc.SetSweepSchedule(r.ctx, r.operator, EveryDaily)
		if err != nil || !sc.NextAt.Equal(r.clk.Now().Add(24*time.Hour)) {
			t.Fatalf("schedule %+v %v", sc, err)
		}
		if err := r.svc.RunComplianceSweeps(r.ctx); err != nil {
			t.Fatal(err)
		}
		if list, _ := r.svc.Sweeps(r.ctx, r.reviewer, 10); len(list) != 0 {
			t.Fatalf("a sweep before it was due: %+v", list)
		}
		r.clk.Advance(25 * time.Hour)
		for range 2 { // a second call (another node) finds nothing more to start
			if err := r.svc.RunComplianceSweeps(r.ctx); err != nil {
				t.Fatal(err)
			}
		}
		list, _ := r.svc.Sweeps(r.ctx, r.reviewer, 10)
		if len(list) != 1 || list[0].StartedBy != 0 || !list[0].Finished() || list[0].Failed != 1 {
			t.Fatalf("scheduled sweeps %+v", list)
		}
		now, _ := r.svc.SweepSchedule(r.ctx, r.reviewer)
		if !now.NextAt.After(r.clk.Now()) {
			t.Fatalf("next run %v not after now %v", now.NextAt, r.clk.Now())
		}
	})
}

func (r *rig) sweepOnce() {
	r.t.Helper()
	if _, err := r.svc.StartSweep(r.ctx, r.reviewer); err != nil {
		r.t.Fatal(err)
	}
	if err := r.svc.RunComplianceSweeps(r.ctx); err != nil {
		r.t.Fatal(err)
	}
	r.run()
}

// mails returns the e-mails delivered to address (subject and body).
func (r *rig) mails(address string) []string {
	r.box.mu.Lock()
	defer r.box.mu.Unlock()
	return append([]string(nil), r.box.msgs[address]...)
}

func findingOf(rep *compliance.Report, code string) *compliance.Finding {
	if rep == nil {
		return nil
	}
	for i := range rep.Findings {
		if rep.Findings[i].Code == code {
			return &rep.Findings[i]
		}
	}
	return nil
}
