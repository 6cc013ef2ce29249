package app_test

import (
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// Check filing type (docs/design.md §4.1) against the demo registry: 深圳市示例网络科技有限公司 (Guangdong, example-sz.cn,
// accessed through this provider) and 北京示范信息技术有限公司 (Beijing, example-bj.cn, another provider).
func TestFilingTypeCheck(t *testing.T) {
	a := startApp(t, "")
	c := login(t, a.URL(), "applicant@beian.local", app.DemoPassword)
	const (
		shenzhen = "91440300MA5F12342Q"
		beijing  = "91110108MA01ABCD5T"
		fresh    = "91440106MA59XY12XY"
	)
	in := func(province, credential, domain string) provider.CheckInput {
		return provider.CheckInput{Province: province, Nature: "enterprise", CredentialType: "business_license",
			CredentialNumber: credential, ServiceKind: filing.Website, Domain: domain}
	}
	for _, tc := range []struct {
		name   string
		in     provider.CheckInput
		want   filing.OrderType
		status int
		code   string
	}{
		{"new subject, new domain", in("44", fresh, "brand-new.cn"), filing.NewFiling, 200, ""},
		{"filed here, new domain", in("44", shenzhen, "brand-new.cn"), filing.NewService, 200, ""},
		{"filed elsewhere, new domain", in("11", beijing, "brand-new.cn"), filing.NewServiceNoSubject, 200, ""},
		{"filed elsewhere, its domain", in("11", beijing, "example-bj.cn"), filing.NewAccess, 200, ""},
		{"domain of another subject", in("44", fresh, "example-sz.cn"), "", 409, "check.domain_filed_by_other"},
		{"province change", in("11", shenzhen, "brand-new.cn"), "", 409, "check.province_change"},
		{"already accessed here", in("44", shenzhen, "example-sz.cn"), "", 409, "check.already_accessed"},
		{"subdomain", in("44", fresh, "www.brand-new.cn"), "", 422, "domain.subdomain"},
		{"bad USCC", in("44", "91440106MA59XY12XA", "brand-new.cn"), "", 422, "uscc.checksum"},
		{"credential not for the nature", provider.CheckInput{Province: "44", Nature: "government", CredentialType: "business_license",
			CredentialNumber: fresh, ServiceKind: filing.Website, Domain: "brand-new.cn"}, "", 422, "check.credential_not_allowed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.status == 200 {
				var res provider.CheckResult
				c.must(200, "POST", "/api/v1/filing-type-checks", tc.in, &res)
				if res.OrderType != tc.want {
					t.Fatalf("order type %s, want %s", res.OrderType, tc.want)
				}
				return
			}
			if codes := c.errorCodes(tc.status, "POST", "/api/v1/filing-type-checks", tc.in); !hasCode(codes, tc.code) {
				t.Fatalf("codes %v, want %s", codes, tc.code)
			}
		})
	}
	// A subject with an order in flight cannot start another (Alibaba Cloud's materials guide).
	var res struct{ Resources []struct{ ID int64 } }
	c.must(200, "GET", "/api/v1/resources", nil, &res)
	c.must(201, "POST", "/api/v1/orders", provider.CreateInput{Check: in("44", fresh, "brand-new.cn"),
		Resource: filing.ResourceRef{InstanceID: res.Resources[0].ID}}, nil)
	if codes := c.errorCodes(409, "POST", "/api/v1/filing-type-checks", in("44", fresh, "another-new.cn")); !hasCode(codes, "check.subject_in_flight") {
		t.Fatalf("in flight: %v", codes)
	}
}

// Resources (the providers' filing guides (docs/design.md §10)): prepaid instances of 3 months or more with quota; pay-as-you-go refused; one
// authorization code per domain, used once.
func TestResourceRules(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c := login(t, a.URL(), "applicant@beian.local", app.DemoPassword)
	var res struct {
		Resources []struct {
			ID      int64
			Billing string
		}
	}
	c.must(200, "GET", "/api/v1/resources", nil, &res)
	var payg int64
	for _, r := range res.Resources {
		if r.Billing == "pay_as_you_go" {
			payg = r.ID
		}
	}
	chk := func(credential, domain string) provider.CheckInput {
		return provider.CheckInput{Province: "44", Nature: "enterprise", CredentialType: "business_license",
			CredentialNumber: credential, ServiceKind: filing.Website, Domain: domain}
	}
	create := func(ch provider.CheckInput, ref filing.ResourceRef) (int, []string) {
		status, _ := c.do("POST", "/api/v1/orders", provider.CreateInput{Check: ch, Resource: ref})
		if status == 201 {
			return status, nil
		}
		return status, c.errorCodes(status, "POST", "/api/v1/orders", provider.CreateInput{Check: ch, Resource: ref})
	}
	if _, codes := create(chk("91440106MA59XY12XY", "payg.cn"), filing.ResourceRef{InstanceID: payg}); !hasCode(codes, "resource.pay_as_you_go") {
		t.Fatalf("pay-as-you-go: %v", codes)
	}
	other, otherRes := p.newApplicant("someone@example.com")
	_ = other
	if _, codes := create(chk("91440106MA59XY12XY", "payg.cn"), filing.ResourceRef{InstanceID: otherRes}); !hasCode(codes, "resource.not_found") {
		t.Fatalf("someone else's instance: %v", codes)
	}
	if _, codes := create(chk("91440106MA59XY12XY", "payg.cn"), filing.ResourceRef{}); !hasCode(codes, "resource.required") {
		t.Fatalf("no resource: %v", codes)
	}
	code := a.Seeded.Code.Code
	if _, codes := create(chk("91440106MA59XY12XY", "not-the-code-domain.cn"), filing.ResourceRef{AuthorizationCode: code}); !hasCode(codes, "authorization_code.other_domain") {
		t.Fatalf("code for another domain: %v", codes)
	}
	if status, codes := create(chk("91440106MA59XY12XY", "demo-code.cn"), filing.ResourceRef{AuthorizationCode: code}); status != 201 {
		t.Fatalf("valid code refused: %v", codes)
	}
}

// The evaluation answers in the caller's language, material reasons included.
func TestEvaluationIsTranslated(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("lang@example.com")
	o := p.draftReady(c, res, "lang-demo.cn")
	reasons := map[string]string{}
	for _, lang := range []string{"zh-CN", "en"} {
		c.lang = lang
		var ev struct {
			Materials []struct{ Code, Reason string }
		}
		c.must(200, "GET", path("/api/v1/orders/%d/evaluation", o.ID), nil, &ev)
		for _, m := range ev.Materials {
			if m.Code == "guangdong_commitment_letter" {
				reasons[lang] = m.Reason
			}
		}
	}
	if reasons["zh-CN"] == "" || reasons["en"] == "" || reasons["zh-CN"] == reasons["en"] {
		t.Fatalf("material reasons not translated: %q", reasons)
	}
}
