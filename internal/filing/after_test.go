package filing

import (
	"slices"
	"testing"
	"time"

	"github.com/beian/beian/internal/problem"
)

// A claim is settled at the provider: by the texted code or a reviewer's authorization, never forwarded.
func TestNextForClaim(t *testing.T) {
	cases := []struct {
		typ    OrderType
		from   State
		action Action
		role   Role
		to     State
		kind   problem.Kind
	}{
		{Claim, Draft, ActClaimVerified, RoleApplicant, Approved, 0},
		{Claim, Draft, ActSubmit, RoleApplicant, Submitted, 0},
		{Claim, Submitted, ActAuthorizeClaim, RoleReviewer, Approved, 0},
		{Claim, Submitted, ActReject, RoleReviewer, ProviderRejected, 0},
		{Claim, ProviderRejected, ActClaimVerified, RoleApplicant, Approved, 0},
		{Claim, Submitted, ActApprove, RoleReviewer, "", problem.Conflict},          // never to the regulator
		{Claim, Submitted, ActAuthorizeClaim, RoleApplicant, "", problem.Forbidden}, // not by oneself
		{ChangeSubject, Draft, ActClaimVerified, RoleApplicant, "", problem.Conflict},
		{ChangeSubject, Submitted, ActAuthorizeClaim, RoleReviewer, "", problem.Conflict},
		{CancelService, Submitted, ActApprove, RoleReviewer, ProviderApproved, 0},
		{WithdrawAccess, ProviderApproved, ActForwardedNoSMS, RoleRegulator, AdministrationReview, 0},
	}
	for _, c := range cases {
		got, err := NextFor(c.typ, c.from, c.action, c.role)
		if c.to != "" {
			if err != nil || got != c.to {
				t.Errorf("%s: %s --%s--> %s, %v; want %s", c.typ, c.from, c.action, got, err, c.to)
			}
			continue
		}
		if err == nil || problem.KindOf(err) != c.kind {
			t.Errorf("%s: %s --%s--> %s, %v; want refusal %v", c.typ, c.from, c.action, got, err, c.kind)
		}
	}
	if a := ActionsFor(Claim, Submitted, RoleReviewer); slices.Contains(a, ActApprove) || !slices.Contains(a, ActAuthorizeClaim) {
		t.Errorf("reviewer actions on a submitted claim: %v", a)
	}
	if a := Actions(Submitted, RoleReviewer); slices.Contains(a, ActAuthorizeClaim) || !slices.Contains(a, ActApprove) {
		t.Errorf("reviewer actions on a submitted filing: %v", a)
	}
}

func TestTypeProperties(t *testing.T) {
	cases := []struct {
		typ          OrderType
		scope        Scope
		irreversible bool
		edits        Edits
		content      bool
	}{
		{NewFiling, ScopeNew, false, Edits{true, true, true, true}, true},
		{NewService, ScopeSubject, false, Edits{Services: true, Access: true, AddServices: true}, true},
		{ChangeSubject, ScopeSubject, false, Edits{Subject: true}, true},
		{ChangeService, ScopeService, false, Edits{Services: true, Access: true}, true},
		{ChangeAccess, ScopeService, false, Edits{Access: true}, true},
		{CancelSubject, ScopeSubject, true, Edits{}, false},
		{CancelService, ScopeService, true, Edits{}, false},
		{WithdrawAccess, ScopeService, true, Edits{}, false},
		{Claim, ScopeSubject, false, Edits{}, false},
	}
	for _, c := range cases {
		if c.typ.Scope() != c.scope || c.typ.Irreversible() != c.irreversible || c.typ.Edits() != c.edits ||
			c.typ.CarriesContent() != c.content {
			t.Errorf("%s: scope %s irreversible %v edits %+v content %v", c.typ, c.typ.Scope(), c.typ.Irreversible(),
				c.typ.Edits(), c.typ.CarriesContent())
		}
	}
}

// An approved order leaves its websites filed (to be filed with the police) unless it cancels or withdraws them;
// every order type is listed here, so that a new one must say.
func TestFilesWebsites(t *testing.T) {
	want := map[OrderType]bool{NewFiling: true, NewService: true, NewServiceNoSubject: true, NewAccess: true,
		ChangeSubject: true, ChangeService: true, ChangeAccess: true, Claim: true,
		CancelSubject: false, CancelService: false, WithdrawAccess: false}
	for _, typ := range OrderTypes {
		files, ok := want[typ]
		if !ok {
			t.Errorf("%s: not in the table", typ)
		}
		if typ.FilesWebsites() != files {
			t.Errorf("%s: files websites %v, want %v", typ, typ.FilesWebsites(), files)
		}
	}
	if len(want) != len(OrderTypes) || OrderType("unknown").FilesWebsites() {
		t.Errorf("the table lists %d types of %d, or an unknown type files websites", len(want), len(OrderTypes))
	}
}

func filedOrder() *Order {
	p := Principal{Name: "陈伟", CredentialType: "resident_id", CredentialNumber: "440106199207154565",
		Mobile: "13926184530", Email: "chenwei@example.cn"}
	subj := Subject{Nature: "enterprise", Name: "广州示例云科技有限公司", Principal: p, Number: "粤ICP备2026000001号"}
	svc := Service{Kind: Website, Name: "示例云", Domains: []string{"example.cn"}, IPs: []string{"203.0.113.7"},
		Principal: p, Number: "粤ICP备2026000001号-1"}
	o := &Order{Type: ChangeService, Subject: subj, Services: []Service{svc},
		Filed: &Filed{Subject: subj, Services: []Service{svc}}}
	o.Services = slices.Clone(o.Services)
	o.Services[0].Domains = slices.Clone(svc.Domains)
	return o
}

func TestChanges(t *testing.T) {
	cases := []struct {
		name string
		edit func(o *Order)
		want []Change
	}{
		{"nothing changed", func(*Order) {}, nil},
		{"a principal's mobile", func(o *Order) { o.Services[0].Principal.Mobile = "13751208469" },
			[]Change{{"services[0].principal.mobile", "13926184530", "13751208469"}}},
		{"a replaced domain is one change", func(o *Order) { o.Services[0].Domains[0] = "example.com.cn" },
			[]Change{{"services[0].domains", "example.cn", "example.com.cn"}}},
		{"subject name", func(o *Order) { o.Subject.Name = "广州新名科技有限公司" },
			[]Change{{"subject.name", "广州示例云科技有限公司", "广州新名科技有限公司"}}},
		{"a new service shows what it sets", func(o *Order) {
			o.Services = append(o.Services, Service{Kind: Website, Name: "新站", Domains: []string{"new.cn"}})
		}, []Change{{"services[1].domains", "", "new.cn"}, {"services[1].kind", "", "website"}, {"services[1].name", "", "新站"}}},
		{"numbers are not content", func(o *Order) { o.Subject.Number = "" }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := filedOrder()
			c.edit(o)
			if got := o.Changes(); !slices.Equal(got, c.want) {
				t.Errorf("changes = %+v, want %+v", got, c.want)
			}
		})
	}
	if (&Order{}).Changes() != nil {
		t.Error("an order without a filed record has changes")
	}
}

func TestDiffContent(t *testing.T) {
	prev := filedOrder()
	cur := filedOrder()
	cur.Services[0].Remark = "企业官网"
	cur.Services = append(cur.Services, Service{Kind: App, Name: "示例"})
	got := DiffContent(prev, cur)
	want := []Change{{"services[0].remark", "", "企业官网"}, {"services[1].kind", "", "app"}, {"services[1].name", "", "示例"}}
	if !slices.Equal(got, want) {
		t.Errorf("diff = %+v, want %+v", got, want)
	}
	if d := DiffContent(cur, prev); len(d) != 3 || d[0].Old != "企业官网" || d[0].New != "" {
		t.Errorf("reverse diff = %+v", d)
	}
}

// Orders about a filed record are checked only where they carry data of their own.
func TestCheckFieldsByType(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	blankSubject := func(o *Order) { o.Subject = Subject{} }
	badIP := func(o *Order) { o.Services[0].IPs = []string{"999.1.1.1"} }
	cases := []struct {
		typ   OrderType
		edit  func(o *Order)
		field string // a field expected among the errors; "" for none at all
	}{
		{CancelSubject, blankSubject, ""},
		{WithdrawAccess, badIP, ""},
		{Claim, blankSubject, ""},
		{ChangeAccess, blankSubject, ""},
		{ChangeAccess, badIP, "services[0].ips[0]"},
		{ChangeSubject, func(o *Order) { blankSubject(o); badIP(o) }, "subject.name"},
		{ChangeService, blankSubject, "services[0].ips[0]"},
	}
	for _, c := range cases {
		o := filedOrder()
		o.Type = c.typ
		c.edit(o)
		if c.typ == ChangeService {
			badIP(o)
		}
		errs := ValidateFields(o, now)
		if c.field == "" {
			if len(errs) > 0 {
				t.Errorf("%s: errors %v", c.typ, errs)
			}
			continue
		}
		found := false
		for _, e := range errs {
			found = found || e.Field == c.field
		}
		if !found {
			t.Errorf("%s: no error on %s in %v", c.typ, c.field, errs)
		}
		if c.typ == ChangeSubject {
			for _, e := range errs {
				if e.Field == "services[0].ips[0]" {
					t.Errorf("a subject change checked the services: %v", errs)
				}
			}
		}
	}
}
