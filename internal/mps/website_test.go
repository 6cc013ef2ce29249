package mps

import (
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// Every rule of a new website application refuses with its code on its field, and saves nothing.
func TestWebsiteRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u := f.applicant(t, "lishi", "13500135000", 51)
		subj, err := f.sim.SubmitSubject(ctx, u.ID, f.enterpriseInput(t, u.ID))
		if err != nil {
			t.Fatal(codesOf(err))
		}
		base := f.websiteInput(t, u.ID, subj.ID, "example-rules.cn", false)
		f.icp["example-other.cn"] = ICPRecord{Filed: true, SubjectName: "另一家有限公司", ServiceNumber: "京ICP备2026000009号-1",
			ServiceName: "示例官网"}
		f.icp["example-named.cn"] = ICPRecord{Filed: true, SubjectName: "北京示例科技有限公司",
			ServiceNumber: "京ICP备2026000001号-1", ServiceName: "另一个网站"}
		for _, c := range []struct {
			name, code, field string
			edit              func(w *WebsiteInput)
		}{
			{"no domain", "mps.required", "domains", func(w *WebsiteInput) { w.Domains = nil }},
			{"subdomain", "domain.subdomain", "domains[0]", func(w *WebsiteInput) { w.Domains = []string{"www.example-rules.cn"} }},
			{"repeated domain", "mps.domain_repeated", "domains[1]", func(w *WebsiteInput) {
				w.Domains = []string{"example-rules.cn", "example-rules.cn"}
			}},
			{"subject number", "mps.icp_number_subject", "icp_number", func(w *WebsiteInput) { w.ICPNumber = "京ICP备2026000001号" }},
			{"licence instead of filing number", "icp_number.licence", "icp_number", func(w *WebsiteInput) { w.ICPNumber = "京ICP证030173号" }},
			{"not filed at MIIT", "mps.icp_not_filed", "domains[0]", func(w *WebsiteInput) { w.Domains = []string{"example-none.cn"} }},
			{"another number", "mps.icp_number_mismatch", "icp_number", func(w *WebsiteInput) { w.ICPNumber = "京ICP备2026000002号-1" }},
			{"another subject", "mps.icp_subject_mismatch", "icp_number", func(w *WebsiteInput) {
				w.Domains, w.ICPNumber = []string{"example-other.cn"}, "京ICP备2026000009号-1"
			}},
			{"another website name", "mps.website_name_icp", "name", func(w *WebsiteInput) { w.Domains = []string{"example-named.cn"} }},
			{"opening date", "mps.date_invalid", "opened_on", func(w *WebsiteInput) { w.OpenedOn = "2026/03/01" }},
			{"opening in the future", "mps.opened_future", "opened_on", func(w *WebsiteInput) { w.OpenedOn = "2027-01-01" }},
			{"no provider", "mps.required", "access_provider", func(w *WebsiteInput) { w.AccessProvider = "" }},
			{"no IP", "mps.required", "ips", func(w *WebsiteInput) { w.IPs = nil }},
			{"private IP", "ip.not_public", "ips[0]", func(w *WebsiteInput) { w.IPs = []string{"10.0.0.1"} }},
			{"no service type", "mps.required", "service_types", func(w *WebsiteInput) { w.ServiceTypes = nil }},
			{"unknown service type", "mps.option_unknown", "service_types", func(w *WebsiteInput) { w.ServiceTypes = []string{"99"} }},
			{"forum not interactive", "mps.interactive_expected", "interactive", func(w *WebsiteInput) { w.ServiceTypes = []string{"03"} }},
			{"kinds without interactive", "mps.interactive_kinds_unexpected", "interactive", func(w *WebsiteInput) {
				w.InteractiveKinds = []string{"forum"}
			}},
			{"interactive without kinds", "mps.interactive_kinds_required", "interactive_kinds", func(w *WebsiteInput) { w.Interactive = true }},
			{"unknown kind", "mps.option_unknown", "interactive_kinds", func(w *WebsiteInput) {
				w.Interactive, w.InteractiveKinds = true, []string{"telepathy"}
			}},
			{"principal", "mps.required", "principal.name", func(w *WebsiteInput) { w.PrincipalSameAsSubject = false }},
			{"notice", "mps.notice_unread", "notice_read", func(w *WebsiteInput) { w.NoticeRead = false }},
			{"registrar against the look-up", "mps.registrar_mismatch", "registrar", func(w *WebsiteInput) { w.Registrar = "某某注册商" }},
			{"domain certificate", "mps.material_missing", "materials.domain_certificate", func(w *WebsiteInput) {
				m := map[string]int64{}
				for k, v := range w.Materials {
					if k != MatDomainCertificate {
						m[k] = v
					}
				}
				w.Materials = m
			}},
		} {
			in := base
			c.edit(&in)
			if _, err := f.sim.SubmitWebsite(ctx, u.ID, in); !hasCode(err, c.code, c.field) {
				t.Errorf("%s: %v", c.name, codesOf(err))
			}
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM mps_websites`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d applications saved by refused submissions", n)
		}

		// no registrar look-up for this domain: typed by hand, required
		f.icp["plainsite.cn"] = f.icp["example-rules.cn"]
		in := base
		in.Domains = []string{"plainsite.cn"}
		if _, err := f.sim.SubmitWebsite(ctx, u.ID, in); !hasCode(err, "mps.registrar_required", "registrar") {
			t.Fatalf("registrar required: %v", codesOf(err))
		}
		in.Registrar = "北京新网数码信息技术有限公司"
		w, err := f.sim.SubmitWebsite(ctx, u.ID, in)
		if err != nil || w.Data.RegistrarSource != "manual" {
			t.Fatalf("manual registrar: %+v %v", w, codesOf(err))
		}
		// a late application is accepted, marked overdue, and the applicant told the date that was due
		late := f.websiteInput(t, u.ID, subj.ID, "example-late.cn", false)
		late.OpenedOn = "2026-01-02"
		w, err = f.sim.SubmitWebsite(ctx, u.ID, late)
		if err != nil || !w.Overdue || w.DueBy.In(cst).Format(time.DateOnly) != "2026-02-01" {
			t.Fatalf("late: %+v %v", w, codesOf(err))
		}
		if f.out.count("13500135000", "2026-02-01") != 1 {
			t.Fatal("the applicant was not told the deadline")
		}
		// one application in flight per website; another user cannot take the domain
		if _, err := f.sim.SubmitWebsite(ctx, u.ID, late); !problem.Is(err, "mps.website_in_flight") {
			t.Fatalf("second application: %v", codesOf(err))
		}
		other := f.applicant(t, "zhengyi", "13500135001", 52)
		if _, err := f.sim.SubmitWebsite(ctx, other.ID, WebsiteInput{SubjectID: subj.ID}); !problem.Is(err, "mps.subject_unknown") {
			t.Fatalf("another user's subject: %v", codesOf(err))
		}
		osub, err := f.sim.SubmitSubject(ctx, other.ID, func() SubjectInput {
			s := f.enterpriseInput(t, other.ID)
			s.CredentialNumber = uscc("91", "110105", "MA01234"+"7")
			return s
		}())
		if err != nil {
			t.Fatal(codesOf(err))
		}
		if _, err := f.sim.SubmitWebsite(ctx, other.ID, WebsiteInput{SubjectID: osub.ID, Domains: []string{"example-late.cn"}}); !problem.Is(err, "mps.domain_taken") {
			t.Fatalf("another user's domain: %v", codesOf(err))
		}
	})
}

// Returned with notes, resubmitted, approved; then changed, cancelled; staff see only their area.
func TestReturnChangeCancel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u := f.applicant(t, "wangshi", "13500135002", 53)
		subj, _ := f.sim.SubmitSubject(ctx, u.ID, f.enterpriseInput(t, u.ID))
		officer := f.staff(t, "beijing", "110000")
		if err := f.sim.Decide(ctx, officer, KindSubject, subj.ID, Decision{Action: ActReturn}); !problem.Is(err, "mps.return_notes_required") {
			t.Fatalf("return without notes: %v", err)
		}
		notes := []Note{{Field: "address", Text: "请填写到门牌号"}}
		if err := f.sim.Decide(ctx, officer, KindSubject, subj.ID, Decision{Action: ActReturn, Reason: "地址不详", Notes: notes}); err != nil {
			t.Fatal(err)
		}
		got, _ := f.sim.Subject(ctx, u.ID, subj.ID)
		if got.State != StateReturned || len(got.Notes) != 1 || got.Notes[0].Field != "address" {
			t.Fatalf("returned %+v", got)
		}
		in := f.enterpriseInput(t, u.ID)
		in.Address = "北京市朝阳区建国路88号院3号楼"
		if got, err := f.sim.UpdateSubject(ctx, u.ID, subj.ID, in); err != nil || got.State != StateReview || got.Notes != nil {
			t.Fatalf("resubmitted %+v %v", got, codesOf(err))
		}
		if err := f.sim.Decide(ctx, officer, KindSubject, subj.ID, Decision{Action: ActApprove}); err != nil {
			t.Fatal(err)
		}
		site, err := f.sim.SubmitWebsite(ctx, u.ID, f.websiteInput(t, u.ID, subj.ID, "example-change.cn", false))
		if err != nil {
			t.Fatal(codesOf(err))
		}
		d := Decision{Action: ActScheduleInterview, Appointment: &Appointment{At: f.clk.Now().Add(-time.Hour), Place: "x", Bring: "y"}}
		if err := f.sim.Decide(ctx, officer, KindWebsite, site.ID, d); !problem.Is(err, "mps.appointment_past") {
			t.Fatalf("appointment in the past: %v", err)
		}
		if err := f.sim.Decide(ctx, officer, KindWebsite, site.ID, Decision{Action: ActScheduleInterview}); !problem.Is(err, "mps.appointment_required") {
			t.Fatalf("appointment missing: %v", err)
		}
		if err := f.sim.Decide(ctx, officer, KindWebsite, site.ID, Decision{Action: "shrug"}); !problem.Is(err, "mps.decision_invalid") {
			t.Fatalf("unknown action: %v", err)
		}
		if err := f.sim.Decide(ctx, officer, KindWebsite, site.ID, Decision{Action: ActApprove}); err != nil {
			t.Fatal(err)
		}
		site, _ = f.sim.Website(ctx, u.ID, site.ID)
		number := site.PoliceNumber
		if !strings.HasPrefix(number, "京公网安备11000002") {
			t.Fatalf("number of a province-level unit: %s", number)
		}
		// a change keeps the filed data public until approved
		ch := f.websiteInput(t, u.ID, subj.ID, "example-change.cn", false)
		ch.IPs = []string{"5.6.7.8"}
		ch.Domains = []string{"example-change.cn", "example-change2.cn"}
		f.icp["example-change2.cn"] = f.icp["example-change.cn"]
		if site, err = f.sim.UpdateWebsite(ctx, u.ID, site.ID, ch); err != nil || site.State != StateChangeReview || site.Pending == nil {
			t.Fatalf("change %+v %v", site, codesOf(err))
		}
		if st, _ := f.sim.FilingStatus(ctx, police.StatusQuery{Domain: "example-change.cn"}); st.State != police.StateApproved || st.PoliceNumber != number {
			t.Fatalf("during the change %+v", st)
		}
		if err := f.sim.Decide(ctx, officer, KindWebsite, site.ID, Decision{Action: ActApprove}); err != nil {
			t.Fatal(err)
		}
		site, _ = f.sim.Website(ctx, u.ID, site.ID)
		if site.State != StateApproved || site.PoliceNumber != number || site.Data.IPs[0] != "5.6.7.8" || site.Pending != nil {
			t.Fatalf("after the change %+v", site)
		}
		ch.Domains = []string{"example-moved.cn"}
		if _, err := f.sim.UpdateWebsite(ctx, u.ID, site.ID, ch); !problem.Is(err, "mps.website_domain_fixed") {
			t.Fatalf("main domain changed: %v", codesOf(err))
		}
		if err := f.sim.CancelSubject(ctx, u.ID, subj.ID, ""); !problem.Is(err, "mps.subject_has_websites") {
			t.Fatalf("cancel subject with a website: %v", err)
		}
		if err := f.sim.CancelWebsite(ctx, u.ID, site.ID, "网站关闭"); err != nil {
			t.Fatal(err)
		}
		if recs, _ := f.sim.QueryByNumber(ctx, number); len(recs) != 0 {
			t.Fatalf("a cancelled website is still public: %+v", recs)
		}
		if err := f.sim.CancelSubject(ctx, u.ID, subj.ID, ""); err != nil {
			t.Fatal(err)
		}
		// the domain is free again; the number is never issued again
		subj2, err := f.sim.SubmitSubject(ctx, u.ID, f.enterpriseInput(t, u.ID))
		if err != nil {
			t.Fatal(codesOf(err))
		}
		f.sim.Decide(ctx, officer, KindSubject, subj2.ID, Decision{Action: ActApprove})
		again, err := f.sim.SubmitWebsite(ctx, u.ID, f.websiteInput(t, u.ID, subj2.ID, "example-change.cn", false))
		if err != nil {
			t.Fatal(codesOf(err))
		}
		f.sim.Decide(ctx, officer, KindWebsite, again.ID, Decision{Action: ActApprove})
		again, _ = f.sim.Website(ctx, u.ID, again.ID)
		if again.PoliceNumber == number || again.PoliceNumber == "" {
			t.Fatalf("number reused: %s", again.PoliceNumber)
		}
		// staff of another area neither see nor decide
		gz := f.staff(t, "guangzhou", "440100")
		if err := f.sim.Decide(ctx, gz, KindSubject, subj2.ID, Decision{Action: ActApprove}); problem.KindOf(err) != problem.NotFound {
			t.Fatalf("another area decides: %v", err)
		}
		if err := f.sim.Decide(ctx, u, KindSubject, subj2.ID, Decision{Action: ActApprove}); problem.KindOf(err) != problem.Forbidden {
			t.Fatalf("an applicant decides: %v", err)
		}
	})
}

// The data code: pushed with consent through either transport, redeemed with the principal's mobile or ID,
// pre-filling the forms.
func TestDataCode(t *testing.T) {
	eachTransport(t, func(t *testing.T, f *fixture, p, stranger police.Platform) {
		id := residentID("110105", "19880808", 61)
		push := police.Push{ProviderID: "beian-demo",
			Consent: police.Consent{Given: true, At: f.clk.Now(), By: "account:7"},
			Subject: police.Subject{Name: "北京示例科技有限公司", Nature: NatureEnterprise, CredentialType: "business_license",
				CredentialNumber: uscc("91", "110105", "MA01234"+"5"), ICPNumber: "京ICP备2026000001号",
				Principal: police.Principal{Name: "张三", CredentialType: "resident_id", CredentialNumber: id, Mobile: "13400134000"}},
			Website: police.Website{Name: "示例官网", Domains: []string{"example-code.cn"}, ICPNumber: "京ICP备2026000001号-1",
				Provider: "示例云"}}
		bad := push
		bad.Consent.Given = false
		if _, err := p.PushICPData(ctx, bad); !problem.Is(err, "police.consent_missing") {
			t.Fatalf("no consent: %v", err)
		}
		if _, err := stranger.PushICPData(ctx, push); !refusedStranger(err) {
			t.Fatalf("unknown provider: %v", err)
		}
		if st, err := p.FilingStatus(ctx, police.StatusQuery{Domain: "example-code.cn"}); err != nil || st.State != police.StateNone {
			t.Fatalf("status before the push %+v %v", st, err)
		}
		if _, err := p.FilingStatus(ctx, police.StatusQuery{DataCode: "ABCDEFGHJKLM"}); !problem.Is(err, "police.data_code_unknown") {
			t.Fatalf("unknown code: %v", err)
		}
		if _, err := p.FilingStatus(ctx, police.StatusQuery{}); !problem.Is(err, "mps.query_domain_invalid") {
			t.Fatalf("empty query: %v", err)
		}
		dc, err := p.PushICPData(ctx, push)
		if err != nil || len(dc.Code) != 12 || !dc.ExpiresAt.Equal(f.clk.Now().Add(police.DataCodeValidity).Truncate(time.Millisecond)) &&
			dc.ExpiresAt.Sub(f.clk.Now()) < 29*24*time.Hour {
			t.Fatalf("%+v %v", dc, err)
		}
		if again, _ := p.PushICPData(ctx, push); again.Code != dc.Code {
			t.Fatalf("a second push while valid gave %s, not %s", again.Code, dc.Code)
		}
		if st, _ := p.FilingStatus(ctx, police.StatusQuery{DataCode: dc.Code}); st.State != police.StateDataPushed || st.DataCodeExpiresAt.Sub(dc.ExpiresAt).Abs() > time.Millisecond {
			t.Fatalf("status by code %+v", st)
		}
		u := f.applicant(t, "hanyi", "13400134001", 62)
		if _, err := f.sim.RedeemDataCode(ctx, u.ID, dc.Code, "13400134009", ""); !problem.Is(err, "mps.data_not_found") {
			t.Fatalf("wrong mobile: %v", err)
		}
		if _, err := f.sim.RedeemDataCode(ctx, u.ID, "short", "13400134000", ""); !problem.Is(err, "mps.data_code_format") {
			t.Fatalf("format: %v", err)
		}
		pre, err := f.sim.RedeemDataCode(ctx, u.ID, strings.ToLower(dc.Code), "", id)
		if err != nil || pre.Subject.Name != "北京示例科技有限公司" || pre.Website.Domains[0] != "example-code.cn" || pre.SubjectID != 0 {
			t.Fatalf("by ID %+v %v", pre, err)
		}
		f.clk.Advance(31 * 24 * time.Hour)
		if _, err := f.sim.RedeemDataCode(ctx, u.ID, dc.Code, "13400134000", ""); !problem.Is(err, "mps.data_code_expired") {
			t.Fatalf("expired: %v", err)
		}
		// the sweep empties the expired code of the pushed data; the code is still known as expired
		before, _ := p.FilingStatus(ctx, police.StatusQuery{DataCode: dc.Code})
		if err := f.sim.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := f.sim.db.R.QueryRowContext(ctx, `SELECT length(data) + length(mobile_hash) + length(id_hash)
			FROM mps_data_codes WHERE code = $1`, dc.Code).Scan(&left); err != nil || left != 0 {
			t.Fatalf("the expired code keeps %d bytes of pushed data (%v)", left, err)
		}
		if after, err := p.FilingStatus(ctx, police.StatusQuery{DataCode: dc.Code}); err != nil || after != before {
			t.Fatalf("status by the expired code after the sweep: %+v %v, want %+v", after, err, before)
		}
		if _, err := f.sim.RedeemDataCode(ctx, u.ID, dc.Code, "13400134000", ""); !problem.Is(err, "mps.data_code_expired") {
			t.Fatalf("expired, after the sweep: %v", err)
		}
	})
}

// The badge's number is given for a filed website of the user only: not before it is numbered, not to another
// user, not after it is cancelled.
func TestPoliceNumber(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t), Policy{})
	u := f.applicant(t, "wangshiyi", "13500135011", 61)
	v := f.applicant(t, "wangshier", "13500135012", 62)
	officer := f.staff(t, "beijing", "110000")
	subj, err := f.sim.SubmitSubject(ctx, u.ID, f.enterpriseInput(t, u.ID))
	if err != nil {
		t.Fatal(codesOf(err))
	}
	if err := f.sim.Decide(ctx, officer, KindSubject, subj.ID, Decision{Action: ActApprove}); err != nil {
		t.Fatal(err)
	}
	site, err := f.sim.SubmitWebsite(ctx, u.ID, f.websiteInput(t, u.ID, subj.ID, "example-badge.cn", false))
	if err != nil {
		t.Fatal(codesOf(err))
	}
	if _, err := f.sim.PoliceNumber(ctx, u.ID, site.ID); !problem.Is(err, "mps.not_filed") {
		t.Fatalf("in review: %v", err)
	}
	if err := f.sim.Decide(ctx, officer, KindWebsite, site.ID, Decision{Action: ActApprove}); err != nil {
		t.Fatal(err)
	}
	filed, _ := f.sim.Website(ctx, u.ID, site.ID)
	if n, err := f.sim.PoliceNumber(ctx, u.ID, site.ID); err != nil || n == "" || n != filed.PoliceNumber {
		t.Fatalf("filed: %q %v, want %q", n, err, filed.PoliceNumber)
	}
	for _, id := range []int64{site.ID + 1, 0} {
		if _, err := f.sim.PoliceNumber(ctx, u.ID, id); !problem.Is(err, "mps.not_found") {
			t.Fatalf("website %d: %v", id, err)
		}
	}
	if _, err := f.sim.PoliceNumber(ctx, v.ID, site.ID); !problem.Is(err, "mps.not_found") {
		t.Fatalf("another user: %v", err)
	}
	if err := f.sim.CancelWebsite(ctx, u.ID, site.ID, "网站关闭"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.sim.PoliceNumber(ctx, u.ID, site.ID); !problem.Is(err, "mps.not_filed") {
		t.Fatalf("cancelled: %v", err)
	}
}

// A note names a field of the record returned (or none): one naming no field of a subject, or a subject's field
// on a website, is refused with the line and what was typed, and nothing changes.
func TestReturnNoteFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u := f.applicant(t, "zhaoliu", "13500135003", 54)
		subj, _ := f.sim.SubmitSubject(ctx, u.ID, f.enterpriseInput(t, u.ID))
		officer := f.staff(t, "beijing", "110000")
		d := Decision{Action: ActReturn, Reason: "地址不完整", Notes: []Note{{Field: "address", Text: "ok"},
			{Field: "详细地址", Text: "请填写到门牌号"}}}
		err := f.sim.Decide(ctx, officer, KindSubject, subj.ID, d)
		if !hasCode(err, "mps.note_field_unknown", "notes[1].field") || hasCode(err, "mps.note_field_unknown", "notes[0].field") {
			t.Fatalf("unknown note field: %v", codesOf(err))
		}
		if e := problem.As(err)[0]; e.Params["field"] != "详细地址" || e.Params["line"] != "2" {
			t.Fatalf("params %+v", e.Params)
		}
		if got, _ := f.sim.Subject(ctx, u.ID, subj.ID); got.State != StateReview || got.Notes != nil {
			t.Fatalf("refused return changed the subject: %+v", got)
		}
		d.Notes = make([]Note, len(NoteFields(KindSubject))+maxGeneralNotes+1)
		for i := range d.Notes {
			d.Notes[i].Text = "意见"
		}
		if err := f.sim.Decide(ctx, officer, KindSubject, subj.ID, d); !hasCode(err, "mps.notes_too_many", "notes") {
			t.Fatalf("too many notes: %v", codesOf(err))
		}
		d.Notes = []Note{{Field: "materials.legal_id_front", Text: "不清晰"}, {Text: "总体意见"}}
		if err := f.sim.Decide(ctx, officer, KindSubject, subj.ID, d); err != nil {
			t.Fatal(codesOf(err))
		}
		if err := f.sim.Decide(ctx, officer, KindWebsite, 1, Decision{Action: ActReturn,
			Notes: []Note{{Field: "address", Text: "x"}}}); !hasCode(err, "mps.note_field_unknown", "notes[0].field") {
			t.Fatalf("a subject's field on a website: %v", codesOf(err))
		}
	})
}
