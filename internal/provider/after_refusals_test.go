package provider

import (
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// Every refusal names the rule and changes nothing: the order stays as it was and the subject stays free.
func TestFiledOrderRefusals(t *testing.T) {
	type env struct {
		r             *rig
		a, other      Actor
		subject, site string
		res           int64
	}
	cases := []struct {
		name string
		code string
		try  func(e env) error
	}{
		{"another applicant's filing", "filed.not_found", func(e env) error {
			_, err := e.r.svc.OpenFromFiled(e.r.ctx, e.other, FiledOrderInput{Type: filing.ChangeSubject, SubjectNumber: e.subject}, "")
			return err
		}},
		{"claims are opened apart", "filed.type_not_offered", func(e env) error {
			_, err := e.r.svc.OpenFromFiled(e.r.ctx, e.a, FiledOrderInput{Type: filing.Claim, SubjectNumber: e.subject}, "")
			return err
		}},
		{"unknown service", "filed.service_not_found", func(e env) error {
			_, err := e.r.svc.OpenFromFiled(e.r.ctx, e.a, FiledOrderInput{Type: filing.ChangeService, SubjectNumber: e.subject,
				ServiceNumbers: []string{e.subject + "-9"}}, "")
			return err
		}},
		{"new access to a service hosted here", "filed.type_not_offered", func(e env) error {
			_, err := e.r.svc.OpenFromFiled(e.r.ctx, e.a, FiledOrderInput{Type: filing.NewAccess, SubjectNumber: e.subject,
				ServiceNumbers: []string{e.site}, Resource: filing.ResourceRef{InstanceID: e.res}}, "")
			return err
		}},
		{"province cannot change", "order.province_change", func(e env) error {
			o := e.r.open(e.a, FiledOrderInput{Type: filing.ChangeSubject, SubjectNumber: e.subject})
			return e.r.edit(e.a, o.ID, func(c *Content) { c.Province = "32"; c.Subject.Name = "江苏示例有限公司" })
		}},
		{"nature cannot change", "order.fixed_field", func(e env) error {
			o := e.r.open(e.a, FiledOrderInput{Type: filing.ChangeSubject, SubjectNumber: e.subject})
			return e.r.edit(e.a, o.ID, func(c *Content) { c.Subject.Nature = "individual" })
		}},
		{"a service change keeps the subject", "order.fixed_field", func(e env) error {
			o := e.r.open(e.a, FiledOrderInput{Type: filing.ChangeService, SubjectNumber: e.subject, ServiceNumbers: []string{e.site}})
			return e.r.edit(e.a, o.ID, func(c *Content) { c.Subject.Principal.Mobile = "13600136000" })
		}},
		{"an access change keeps the content", "order.fixed_field", func(e env) error {
			o := e.r.open(e.a, FiledOrderInput{Type: filing.ChangeAccess, SubjectNumber: e.subject, ServiceNumbers: []string{e.site}})
			return e.r.edit(e.a, o.ID, func(c *Content) { c.Services[0].Name = "别的名字" })
		}},
		{"a service change adds no service", "order.fixed_field", func(e env) error {
			o := e.r.open(e.a, FiledOrderInput{Type: filing.ChangeService, SubjectNumber: e.subject, ServiceNumbers: []string{e.site}})
			return e.r.edit(e.a, o.ID, func(c *Content) { c.Services = append(c.Services, filing.Service{Kind: filing.Website}) })
		}},
		{"a change that changes nothing", "filed.nothing_changed", func(e env) error {
			o := e.r.open(e.a, FiledOrderInput{Type: filing.ChangeService, SubjectNumber: e.subject, ServiceNumbers: []string{e.site}})
			if err := e.r.edit(e.a, o.ID, nil); err != nil {
				return err
			}
			_, err := e.r.svc.Submit(e.r.ctx, e.a, o.ID)
			return err
		}},
		{"a new domain filed by another subject", "check.domain_filed_by_other", func(e env) error {
			o := e.r.open(e.a, FiledOrderInput{Type: filing.ChangeService, SubjectNumber: e.subject, ServiceNumbers: []string{e.site}})
			if err := e.r.edit(e.a, o.ID, func(c *Content) { c.Services[0].Domains = []string{"taken.cn"} }); err != nil {
				return err
			}
			_, err := e.r.svc.Submit(e.r.ctx, e.a, o.ID)
			return err
		}},
		{"a new domain on the blacklist", "check.domain_blacklisted", func(e env) error {
			if err := e.r.sim.BlacklistDomain(e.r.ctx, "banned.cn", "测试"); err != nil {
				return err
			}
			o := e.r.open(e.a, FiledOrderInput{Type: filing.ChangeService, SubjectNumber: e.subject, ServiceNumbers: []string{e.site}})
			if err := e.r.edit(e.a, o.ID, func(c *Content) { c.Services[0].Domains = []string{"banned.cn"} }); err != nil {
				return err
			}
			_, err := e.r.svc.Submit(e.r.ctx, e.a, o.ID)
			return err
		}},
		{"an irreversible order without confirmation", "order.confirm_required", func(e env) error {
			o := e.r.open(e.a, FiledOrderInput{Type: filing.WithdrawAccess, SubjectNumber: e.subject, ServiceNumbers: []string{e.site}})
			if err := e.r.edit(e.a, o.ID, nil); err != nil {
				return err
			}
			_, err := e.r.svc.Submit(e.r.ctx, e.a, o.ID)
			return err
		}},
		{"a confirmation of something else", "order.confirm_required", func(e env) error {
			o := e.r.open(e.a, FiledOrderInput{Type: filing.CancelService, SubjectNumber: e.subject, ServiceNumbers: []string{e.site}})
			if err := e.r.edit(e.a, o.ID, nil); err != nil {
				return err
			}
			_, err := e.r.svc.SubmitConfirmed(e.r.ctx, e.a, o.ID, "cancel_subject "+e.subject)
			return err
		}},
		{"a second order while one is in flight", "filed.in_flight", func(e env) error {
			e.r.open(e.a, FiledOrderInput{Type: filing.ChangeAccess, SubjectNumber: e.subject, ServiceNumbers: []string{e.site}})
			_, err := e.r.svc.OpenFromFiled(e.r.ctx, e.a, FiledOrderInput{Type: filing.CancelSubject, SubjectNumber: e.subject}, "")
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
				r := newRig(t, db)
				a, res := r.applicant("a@example.cn")
				other, ores := r.applicant("b@example.cn")
				filed := r.file(a, res, usccs[0], "example.cn")
				r.file(other, ores, usccs[1], "taken.cn")
				e := env{r: r, a: a, other: other, subject: filed.Result.SubjectNumber, site: filed.Result.Services[0].Number, res: res}
				before, _ := r.sim.LookupFiling(r.ctx, providerID, e.subject)
				err := c.try(e)
				if !problem.Is(err, c.code) {
					t.Fatalf("error %v, want %s", err, c.code)
				}
				after, _ := r.sim.LookupFiling(r.ctx, providerID, e.subject)
				if len(after.Services) != len(before.Services) || after.Subject.Principal != before.Subject.Principal {
					t.Fatalf("the registry changed: %+v", after)
				}
			})
		})
	}
}

// A province that takes an order type only offline refuses it in My filings and when opened, with its reason;
// an empty subject may file new services only where the province allows it.
func TestProvinceRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		a, _ := r.applicant("a@example.cn")
		js := r.seedAndClaim(a, "32", "苏ICP备2020000001号", "91320100MA1MXXXX09", "js-example.cn")
		f := r.filingOf(a, js)
		for _, typ := range []filing.OrderType{filing.ChangeSubject} {
			if ok, code := offerAllowed(f.Offers, typ); ok || code != "rules.online_change_refused" {
				t.Errorf("%s offered in Jiangsu: %v %s", typ, ok, code)
			}
		}
		for _, typ := range []filing.OrderType{filing.ChangeService, filing.CancelService} {
			if ok, code := offerAllowed(f.Services[0].Offers, typ); ok || code != "rules.online_change_refused" {
				t.Errorf("%s offered in Jiangsu: %v %s", typ, ok, code)
			}
		}
		if ok, _ := offerAllowed(f.Services[0].Offers, filing.ChangeAccess); !ok {
			t.Error("change_access refused in Jiangsu")
		}
		_, err := r.svc.OpenFromFiled(r.ctx, a, FiledOrderInput{Type: filing.ChangeSubject, SubjectNumber: js}, "")
		if !problem.Is(err, "rules.online_change_refused") || problem.As(err)[0].Text["zh-CN"] == "" {
			t.Fatalf("opened a subject change in Jiangsu: %v", err)
		}
		// Jiangsu lets an empty subject file services.
		o := r.open(a, FiledOrderInput{Type: filing.WithdrawAccess, SubjectNumber: js, ServiceNumbers: []string{js + "-1"}})
		if err := r.edit(a, o.ID, nil); err != nil {
			t.Fatal(err)
		}
		if o := r.through(a, o.ID, true); o.State != filing.Approved {
			t.Fatalf("withdrawal ended %s", o.State)
		}
		f = r.filingOf(a, js)
		if ok, _ := offerAllowed(f.Offers, filing.NewService); !f.Empty || !ok {
			t.Fatalf("empty Jiangsu subject: empty %v, new service offered %v", f.Empty, ok)
		}
	})
}

// seedAndClaim files a subject with one website through another provider straight into the registry and
// claims it into the applicant's account by SMS code; it returns the subject number.
func (r *rig) seedAndClaim(a Actor, province, number, uscc, domain string) string {
	r.t.Helper()
	p := subjectPerson()
	p.Mobile = "13902718465"
	subj := filing.Subject{Nature: "enterprise", Name: "示例网络科技有限公司", CredentialType: "business_license",
		CredentialNumber: uscc, CredentialAddress: "南京市玄武区中山路1号", CommunicationAddress: "江苏省南京市玄武区中山路1号",
		Principal: p, Number: number}
	svc := filing.Service{Kind: filing.Website, Name: "示例网", Domains: []string{domain}, IPs: []string{"203.0.113.5"},
		Content: []string{"unit_portal"}, Languages: []string{"zh-Hans"}, Principal: p, Number: number + "-1"}
	if err := r.sim.LoadRegistry(r.ctx, []miit.SeedRecord{{Province: province, Subject: subj, Services: []filing.Service{svc},
		Providers: []string{providerID}, ApprovedAt: r.clk.Now().Add(-24 * time.Hour)}}); err != nil {
		r.t.Fatal(err)
	}
	o, err := r.svc.OpenClaim(r.ctx, a, ClaimInput{SubjectNumber: number}, "")
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.svc.SendClaimCode(r.ctx, a, o.ID); err != nil {
		r.t.Fatal(err)
	}
	r.run()
	code, ok := r.box.last(p.Mobile, claimCodeRE)
	if !ok {
		r.t.Fatal("no claim code texted")
	}
	if _, err := r.svc.VerifyClaimCode(r.ctx, a, o.ID, code); err != nil {
		r.t.Fatal(err)
	}
	return number
}

// One order at a time per subject holds whatever the types and however many requests race.
func TestOneOrderInFlightConcurrently(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		a, res := r.applicant("a@example.cn")
		filed := r.file(a, res, usccs[0], "example.cn")
		subject, site := filed.Result.SubjectNumber, filed.Result.Services[0].Number
		ins := []FiledOrderInput{
			{Type: filing.ChangeSubject, SubjectNumber: subject},
			{Type: filing.ChangeService, SubjectNumber: subject, ServiceNumbers: []string{site}},
			{Type: filing.ChangeAccess, SubjectNumber: subject, ServiceNumbers: []string{site}},
			{Type: filing.CancelService, SubjectNumber: subject, ServiceNumbers: []string{site}},
			{Type: filing.WithdrawAccess, SubjectNumber: subject, ServiceNumbers: []string{site}},
			{Type: filing.CancelSubject, SubjectNumber: subject},
			{Type: filing.NewService, SubjectNumber: subject, ServiceKind: filing.Website, Domain: "more.cn",
				Resource: filing.ResourceRef{InstanceID: res}},
		}
		var wg sync.WaitGroup
		errs := make([]error, len(ins)*2)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = r.svc.OpenFromFiled(r.ctx, a, ins[i%len(ins)], "")
			})
		}
		wg.Wait()
		opened := 0
		for _, err := range errs {
			switch {
			case err == nil:
				opened++
			case problem.Is(err, "order.subject_in_flight"), problem.Is(err, "filed.in_flight"),
				problem.Is(err, "check.subject_in_flight"):
			default:
				t.Errorf("unexpected error %v", err)
			}
		}
		if opened != 1 {
			t.Fatalf("%d orders opened at once", opened)
		}
	})
}
