package mps

import (
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// The whole journey of a non-interactive and an interactive website, decided by staff.
func TestJourneyManual(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u := f.applicant(t, "zhangsan", "13900139000", 21)
		if !u.CreditVerified() || u.IdentityVerified {
			t.Fatalf("after credit verification: %+v", u)
		}
		subj, err := f.sim.SubmitSubject(ctx, u.ID, f.enterpriseInput(t, u.ID))
		if err != nil {
			t.Fatal(codesOf(err))
		}
		if subj.State != StateReview || subj.ReviewDeadline.IsZero() {
			t.Fatalf("subject %+v", subj)
		}
		site, err := f.sim.SubmitWebsite(ctx, u.ID, f.websiteInput(t, u.ID, subj.ID, "example-police.cn", false))
		if err != nil {
			t.Fatal(codesOf(err))
		}
		if site.Data.Registrar == "" || site.Data.RegistrarSource != "lookup" || site.Overdue {
			t.Fatalf("website %+v", site.Data)
		}
		officer := f.staff(t, "chaoyang", "110105")
		other := f.staff(t, "nanshan", "440305")
		q, err := f.sim.Queue(ctx, officer, "")
		if err != nil || len(q) != 2 || q[0].Kind != KindSubject || !q[0].Target.Before(q[0].Deadline) {
			t.Fatalf("queue %+v %v", q, err)
		}
		// submitted on a Wednesday: 3 working days is Monday, 5 is Wednesday
		if d := q[0].Target.In(cst).Weekday(); d != time.Monday {
			t.Fatalf("target on %s", d)
		}
		if _, err := f.sim.Queue(ctx, officer, "bogus"); !problem.Is(err, "mps.state_unknown") {
			t.Fatalf("queue of an unknown state: %v", err)
		}
		if q2, _ := f.sim.Queue(ctx, other, ""); len(q2) != 0 {
			t.Fatalf("another area sees %+v", q2)
		}
		if _, _, err := f.sim.StaffWebsite(ctx, other, site.ID); problem.KindOf(err) != problem.NotFound {
			t.Fatalf("another area reads the website: %v", err)
		}
		// the website waits for its subject
		if err := f.sim.Decide(ctx, officer, KindWebsite, site.ID, Decision{Action: ActApprove}); !problem.Is(err, "mps.subject_not_approved") {
			t.Fatalf("approve before subject: %v", err)
		}
		if err := f.sim.Decide(ctx, officer, KindSubject, subj.ID, Decision{Action: ActApprove}); err != nil {
			t.Fatal(err)
		}
		if u, _ = f.sim.User(ctx, u.ID); !u.IdentityVerified {
			t.Fatal("identity not verified after subject approval")
		}
		if err := f.sim.Decide(ctx, officer, KindWebsite, site.ID, Decision{Action: ActApprove}); err != nil {
			t.Fatal(err)
		}
		site, _ = f.sim.Website(ctx, u.ID, site.ID)
		if site.State != StateApproved || !strings.HasPrefix(site.PoliceNumber, "京公网安备11010502") {
			t.Fatalf("approved website %+v", site)
		}
		if r := ident.PoliceNumber(site.PoliceNumber); !r.Valid() {
			t.Fatalf("police number %s invalid: %+v", site.PoliceNumber, r.Errors)
		}
		if f.out.count("13900139000", site.PoliceNumber) != 1 {
			t.Fatalf("no SMS with the number: %+v", f.out.msgs)
		}
		recs, err := f.sim.QueryByNumber(ctx, police.Digits(site.PoliceNumber))
		if err != nil || len(recs) != 1 || recs[0].Domains[0] != "example-police.cn" || recs[0].Organ != "北京市朝阳区" {
			t.Fatalf("query by number %+v %v", recs, err)
		}
		if recs, err = f.sim.QueryByDomain(ctx, "https://www.example-police.cn/"); err != nil || len(recs) != 1 {
			t.Fatalf("query by domain %+v %v", recs, err)
		}
		st, err := f.sim.FilingStatus(ctx, police.StatusQuery{Domain: "example-police.cn"})
		if err != nil || st.State != police.StateApproved || st.PoliceNumber != site.PoliceNumber {
			t.Fatalf("status %+v %v", st, err)
		}

		// interactive: approval needs an in-person review or an on-site inspection first
		inter, err := f.sim.SubmitWebsite(ctx, u.ID, f.websiteInput(t, u.ID, subj.ID, "example-forum.cn", true))
		if err != nil {
			t.Fatal(codesOf(err))
		}
		if err := f.sim.Decide(ctx, officer, KindWebsite, inter.ID, Decision{Action: ActApprove}); !problem.Is(err, "mps.interactive_needs_check") {
			t.Fatalf("approve interactive: %v", err)
		}
		at := f.clk.Now().Add(48 * time.Hour)
		d := Decision{Action: ActScheduleInterview, Appointment: &Appointment{At: at, Place: "朝阳分局网安大队", Bring: "营业执照原件、身份证原件"}}
		if err := f.sim.Decide(ctx, officer, KindWebsite, inter.ID, d); err != nil {
			t.Fatal(codesOf(err))
		}
		inter, _ = f.sim.Website(ctx, u.ID, inter.ID)
		if inter.State != StateInterview || inter.Appointment == nil || inter.Appointment.Kind != "interview" {
			t.Fatalf("after scheduling %+v", inter)
		}
		if f.out.count("13900139000", "营业执照原件") != 1 {
			t.Fatal("no SMS naming what to bring")
		}
		if err := f.sim.Decide(ctx, officer, KindWebsite, inter.ID, Decision{Action: ActFail}); !problem.Is(err, "mps.fail_reason_required") {
			t.Fatalf("fail without a reason: %v", err)
		}
		bad := Decision{Action: ActFail, Reason: "现场与备案不符", Notes: []Note{{Field: "", Text: "门牌\u0001号"}}}
		if err := f.sim.Decide(ctx, officer, KindWebsite, inter.ID, bad); !problem.Is(err, "mps.text_invalid") {
			t.Fatalf("a failed check's note with a control character: %v", err)
		}
		bad.Notes[0].Text = strings.Repeat("号", 501)
		if err := f.sim.Decide(ctx, officer, KindWebsite, inter.ID, bad); !problem.Is(err, "mps.text_too_long") {
			t.Fatalf("a failed check's note of 501 characters: %v", err)
		}
		if err := f.sim.Decide(ctx, officer, KindWebsite, inter.ID, Decision{Action: ActPass}); err != nil {
			t.Fatal(err)
		}
		inter, _ = f.sim.Website(ctx, u.ID, inter.ID)
		if inter.PoliceNumber == "" || inter.PoliceNumber == site.PoliceNumber {
			t.Fatalf("second number %q", inter.PoliceNumber)
		}
		actors := []string{}
		for _, e := range inter.Events {
			actors = append(actors, string(e.Action)+"/"+e.Actor)
		}
		if strings.Join(actors, ",") != "submit/applicant,schedule_interview/staff,pass/staff" {
			t.Fatalf("events %v", actors)
		}
		msgs, _ := f.sim.Messages(ctx, u.ID, "zh-CN", 50)
		if len(msgs) < 6 {
			t.Fatalf("system messages %+v", msgs)
		}
	})
}

// The automatic policy files everything at once; an interactive site gets an inspection recorded as passed.
func TestJourneyAutomatic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{Mode: PolicyAutomatic})
		u := f.applicant(t, "lisi", "13900139001", 22)
		subj, err := f.sim.SubmitSubject(ctx, u.ID, f.enterpriseInput(t, u.ID))
		if err != nil || subj.State != StateApproved {
			t.Fatalf("%+v %v", subj, codesOf(err))
		}
		site, err := f.sim.SubmitWebsite(ctx, u.ID, f.websiteInput(t, u.ID, subj.ID, "example-auto.cn", true))
		if err != nil || site.State != StateApproved || site.PoliceNumber == "" {
			t.Fatalf("%+v %v", site, codesOf(err))
		}
		if len(site.Events) != 3 || site.Events[1].Action != ActScheduleInspection || site.Events[2].Actor != ActorPolicy {
			t.Fatalf("events %+v", site.Events)
		}
		// Each submission tells the applicant twice from its one transaction: submitted, then decided.
		for _, text := range []string{"开办主体“" + subj.Data.Name + "”已提交", "开办主体“" + subj.Data.Name + "”审核通过",
			"网站 example-auto.cn 的备案申请已提交", site.PoliceNumber} {
			if f.out.count("13900139001", text) != 1 {
				t.Errorf("no SMS %q in %+v", text, f.out.msgs)
			}
		}
	})
}

// After N working days: the sweep decides once the clock reached the date.
func TestAutomaticAfterWorkdays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{Mode: PolicyAutomatic, AfterWorkdays: 2})
		u := f.applicant(t, "wangwu", "13900139002", 23)
		subj, err := f.sim.SubmitSubject(ctx, u.ID, f.enterpriseInput(t, u.ID))
		if err != nil {
			t.Fatal(codesOf(err))
		}
		site, err := f.sim.SubmitWebsite(ctx, u.ID, f.websiteInput(t, u.ID, subj.ID, "example-later.cn", false))
		if err != nil {
			t.Fatal(codesOf(err))
		}
		if err := f.sim.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if w, _ := f.sim.Website(ctx, u.ID, site.ID); w.State != StateReview {
			t.Fatalf("decided early: %s", w.State)
		}
		f.clk.Advance(3 * 24 * time.Hour) // Wednesday → Saturday: two working days passed
		if err := f.sim.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if w, _ := f.sim.Website(ctx, u.ID, site.ID); w.State != StateApproved || w.PoliceNumber == "" {
			t.Fatalf("not decided: %+v", w)
		}
	})
}
