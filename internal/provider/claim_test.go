package provider

import (
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// seedOther files a subject through another provider straight into the registry and returns its number.
func (r *rig) seedOther(number, uscc, mobile, domain string) {
	r.t.Helper()
	p := subjectPerson()
	p.Mobile = mobile
	subj := filing.Subject{Nature: "enterprise", Name: "深圳示例科技有限公司", CredentialType: "business_license",
		CredentialNumber: uscc, CredentialAddress: "深圳市南山区科技园1号", CommunicationAddress: "广东省深圳市南山区科技园1号",
		Principal: p, Number: number}
	svc := filing.Service{Kind: filing.Website, Name: "示例网", Domains: []string{domain}, IPs: []string{"203.0.113.5"},
		Content: []string{"unit_portal"}, Languages: []string{"zh-Hans"}, Principal: p, Number: number + "-1"}
	if err := r.sim.LoadRegistry(r.ctx, []miit.SeedRecord{{Province: "44", Subject: subj, Services: []filing.Service{svc},
		Providers: []string{"other-isp"}, ApprovedAt: r.clk.Now().Add(-24 * time.Hour)}}); err != nil {
		r.t.Fatal(err)
	}
}

// A claim shows the claimant nothing of the record until the code texted to the filed subject principal is
// entered; then the subject is theirs, and a service hosted elsewhere can get this provider's access.
func TestClaimBySMS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		a, res := r.applicant("a@example.cn")
		number := "粤ICP备2019000777号"
		r.seedOther(number, usccs[2], "13902718465", "elsewhere.cn")
		if _, err := r.svc.OpenFromFiled(r.ctx, a, FiledOrderInput{Type: filing.ChangeSubject, SubjectNumber: number}, ""); !problem.Is(err, "filed.not_found") {
			t.Fatalf("opened an order on a subject not claimed: %v", err)
		}
		o, err := r.svc.OpenClaim(r.ctx, a, ClaimInput{SubjectNumber: number}, "")
		if err != nil {
			t.Fatal(err)
		}
		seen := r.order(a, o.ID)
		if seen.Subject.Principal != (filing.Principal{}) || seen.Subject.CredentialNumber != "" || seen.Filed != nil {
			t.Fatalf("the claimant sees the record: %+v", seen.Subject)
		}
		if _, err := r.svc.VerifyClaimCode(r.ctx, a, o.ID, "123456"); !problem.Is(err, "claim.no_code") {
			t.Fatalf("verified without a code: %v", err)
		}
		st, err := r.svc.SendClaimCode(r.ctx, a, o.ID)
		if err != nil || st.Phone != "139****8465" {
			t.Fatalf("code sent to %+v, %v", st, err)
		}
		if _, err := r.svc.SendClaimCode(r.ctx, a, o.ID); !problem.Is(err, "claim.code_too_soon") {
			t.Fatalf("second code at once: %v", err)
		}
		r.run()
		code, ok := r.box.last("13902718465", claimCodeRE)
		if !ok {
			t.Fatal("no code texted to the filed principal")
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		if _, err := r.svc.VerifyClaimCode(r.ctx, a, o.ID, wrong); !problem.Is(err, "claim.code_wrong") {
			t.Fatalf("wrong code: %v", err)
		}
		if r.filingOf(a, number) != nil {
			t.Fatal("listed before the claim is proven")
		}
		done, err := r.svc.VerifyClaimCode(r.ctx, a, o.ID, code)
		if err != nil || done.State != filing.Approved {
			t.Fatalf("claim %+v, %v", done, err)
		}
		f := r.filingOf(a, number)
		if f == nil || len(f.Services) != 1 || f.Services[0].Ours {
			t.Fatalf("claimed filing %+v", f)
		}
		if ok, code := offerAllowed(f.Offers, filing.ChangeSubject); ok || code != "filed.not_accessed_here" {
			t.Fatalf("subject change offered without an access here: %v %s", ok, code)
		}
		if ok, _ := offerAllowed(f.Services[0].Offers, filing.NewAccess); !ok {
			t.Fatal("new access not offered")
		}
		na := r.open(a, FiledOrderInput{Type: filing.NewAccess, SubjectNumber: number, ServiceNumbers: []string{number + "-1"},
			Resource: filing.ResourceRef{InstanceID: res}})
		if err := r.edit(a, na.ID, nil); err != nil {
			t.Fatal(err)
		}
		if na = r.through(a, na.ID, true); na.State != filing.Approved {
			t.Fatalf("new access ended %s %+v", na.State, na.Result)
		}
		if f := r.filingOf(a, number); !f.Services[0].Ours || len(f.Services[0].Accesses) != 2 {
			t.Fatalf("after the new access: %+v", f.Services[0])
		}
	})
}

// Without the phone, a reviewer authorizes a claim submitted with papers; wrong codes run out.
func TestClaimByReviewerAndTries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		a, _ := r.applicant("a@example.cn")
		b, _ := r.applicant("b@example.cn")
		number := "粤ICP备2019000888号"
		r.seedOther(number, usccs[3], "13902718466", "elsewhere.cn")

		o, err := r.svc.OpenClaim(r.ctx, b, ClaimInput{SubjectNumber: number}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.svc.SendClaimCode(r.ctx, b, o.ID); err != nil {
			t.Fatal(err)
		}
		for i := range claimCodeTries {
			if _, err := r.svc.VerifyClaimCode(r.ctx, b, o.ID, "99999"+string(rune('0'+i))); !problem.Is(err, "claim.code_wrong") {
				t.Fatalf("try %d: %v", i, err)
			}
		}
		r.run()
		code, _ := r.box.last("13902718466", claimCodeRE)
		if _, err := r.svc.VerifyClaimCode(r.ctx, b, o.ID, code); !problem.Is(err, "claim.too_many_tries") {
			t.Fatalf("after too many tries: %v", err)
		}
		if _, err := r.svc.Withdraw(r.ctx, b, o.ID, ""); err != nil {
			t.Fatal(err)
		}

		c, err := r.svc.OpenClaim(r.ctx, a, ClaimInput{SubjectNumber: number}, "")
		if err != nil {
			t.Fatal(err)
		}
		rep, err := r.svc.Assess(r.ctx, r.order(a, c.ID))
		if err != nil || len(rep.Materials) == 0 || len(rep.Violations) != 0 {
			t.Fatalf("claim papers %+v, %v", rep, err)
		}
		if err := r.edit(a, c.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := r.svc.Submit(r.ctx, a, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := r.svc.Decide(r.ctx, r.reviewer, c.ID, Decision{Decision: "approve"}); !problem.Is(err, "order.wrong_state") {
			t.Fatalf("a claim forwarded to the regulator: %v", err)
		}
		view, err := r.svc.Review(r.ctx, r.reviewer, c.ID)
		if err != nil || view.Claimed == nil || view.Claimed.Subject.Principal.Mobile != "13902718466" {
			t.Fatalf("reviewer's view %+v, %v", view, err)
		}
		if _, err := r.svc.AuthorizeClaim(r.ctx, a, c.ID, ""); problem.KindOf(err) != problem.Forbidden {
			t.Fatalf("the claimant authorized their own claim: %v", err)
		}
		done, err := r.svc.AuthorizeClaim(r.ctx, r.reviewer, c.ID, "营业执照与备案信息一致")
		if err != nil || done.State != filing.Approved {
			t.Fatalf("authorize: %+v, %v", done, err)
		}
		if r.filingOf(a, number) == nil || r.filingOf(b, number) != nil {
			t.Fatal("the subject is not in the claimant's account alone")
		}
		if _, err := r.svc.OpenClaim(r.ctx, a, ClaimInput{SubjectNumber: number}, ""); !problem.Is(err, "claim.already_yours") {
			t.Fatalf("claimed twice: %v", err)
		}
	})
}
