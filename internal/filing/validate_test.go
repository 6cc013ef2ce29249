package filing

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
)

var validateNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// validOrder is a complete enterprise order with a website and an APP that passes every field check.
func validOrder() *Order {
	return &Order{
		Type: NewFiling, Province: "44",
		Subject: Subject{
			Nature: "enterprise", Name: "深圳市某某科技有限公司", CredentialType: "business_license",
			CredentialNumber:     "91350100M000100Y43",
			CredentialAddress:    "广东省深圳市南山区科技园路1号",
			CommunicationAddress: "广东省深圳市南山区科技园路1号A座301室",
			LegalRepresentative:  &LegalRepresentative{Name: "张三", IDNumber: "11010519491231002X"},
			Principal: Principal{
				Name: "张三", CredentialType: "resident_id", CredentialNumber: "11010519491231002X",
				CredentialValidFrom: "2020-01-01", CredentialValidTo: "2040-01-01",
				OfficePhone: "0755-26543210", Mobile: "13912345679", EmergencyMobile: "13712345670", Email: "zhang@example.com",
			},
		},
		Services: []Service{
			{
				Kind: Website, Name: "某某科技官网", Domains: []string{"example.com"}, HomeURL: "https://www.example.com/", IPs: []string{"203.0.113.10"},
				Content: []string{"8"}, Languages: []string{"zh-CN"}, PrincipalSameAsSubject: true,
			},
			{
				Kind: App, Name: "某某助手", Domains: []string{"api.example.com", "cdn.example.com"},
				IPs: []string{"203.0.113.1-203.0.113.20"}, Content: []string{"501"}, Languages: []string{"zh-CN"},
				Principal: Principal{
					Name: "李四", CredentialType: "resident_id", CredentialNumber: "440305199003071236",
					CredentialLongTerm: true, OfficePhone: "0755-26543211", Mobile: "13612345671",
					EmergencyMobile: "13512345672", Email: "li@example.com",
				},
				App: &AppInfo{Platforms: []Platform{{
					Platform: "android", Package: "com.example.helper", PublicKey: "MIIBIjANBgkqh",
					Signature: "9e:10:7d:9d:37:2b:b6:82:6b:d8:1d:35:42:a4:19:d6",
				}}},
			},
		},
	}
}

func TestValidOrderPasses(t *testing.T) {
	errs, warns := CheckFields(validOrder(), validateNow)
	if len(errs) != 0 || len(warns) != 0 {
		t.Fatalf("errors %v, warnings %v", errs, warns)
	}
}

func TestMultiLineRemarkPasses(t *testing.T) {
	o := validOrder()
	o.Services[0].Remark = "第一行\r\n第二行"
	if errs := ValidateFields(o, validateNow); len(errs) != 0 {
		t.Fatalf("a remark on two lines is refused: %v", errs)
	}
}

func TestValidateFields(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(o *Order)
		field  string
		code   string
	}{
		{"subject name", func(o *Order) { o.Subject.Name = " " }, "subject.name", "field.required.subject_name"},
		{"credential type", func(o *Order) { o.Subject.CredentialType = "" }, "subject.credential_type", "field.required.credential_type"},
		{"USCC by type", func(o *Order) { o.Subject.CredentialNumber = "91350100M000100Y44" }, "subject.credential_number", "uscc.checksum"},
		{"org code by type", func(o *Order) {
			o.Subject.CredentialType, o.Subject.CredentialNumber = "org_code_certificate", "M000100Y-5"
		}, "subject.credential_number", "org_code.checksum"},
		{"other organisation credential", func(o *Order) {
			o.Subject.CredentialType, o.Subject.CredentialNumber = "social_organization_certificate", "12345"
		}, "subject.credential_number", "credential.length"},
		{"credential address", func(o *Order) { o.Subject.CredentialAddress = "" }, "subject.credential_address", "field.required.credential_address"},
		{"communication address", func(o *Order) { o.Subject.CommunicationAddress = "" }, "subject.communication_address", "field.required.communication_address"},
		{"legal representative missing", func(o *Order) { o.Subject.LegalRepresentative = nil }, "subject.legal_representative.name", "field.required.legal_representative_name"},
		{"legal representative ID", func(o *Order) { o.Subject.LegalRepresentative.IDNumber = "E37158926" }, "subject.legal_representative.id_number", "resident_id.charset"},
		{"principal name", func(o *Order) { o.Subject.Principal.Name = "" }, "subject.principal.name", "field.required.principal_name"},
		{"principal ID", func(o *Order) { o.Subject.Principal.CredentialNumber = "110105194912310021" }, "subject.principal.credential_number", "resident_id.checksum"},
		{"principal passport", func(o *Order) {
			o.Subject.Principal.CredentialType, o.Subject.Principal.CredentialNumber = "passport", "E1234"
		}, "subject.principal.credential_number", "passport.format"},
		{"principal with an unknown credential type", func(o *Order) { o.Subject.Principal.CredentialType = "staff_card" }, "subject.principal.credential_type", "field.principal_credential_type"},
		{"bad date", func(o *Order) { o.Subject.Principal.CredentialValidFrom = "2020/01/01" }, "subject.principal.credential_valid_from", "field.date_format"},
		{"start in future", func(o *Order) { o.Subject.Principal.CredentialValidFrom = "2027-01-01" }, "subject.principal.credential_valid_from", "field.valid_from_future"},
		{"end before start", func(o *Order) { o.Subject.Principal.CredentialValidTo = "2019-01-01" }, "subject.principal.credential_valid_to", "field.valid_to_before_from"},
		{"expired", func(o *Order) {
			o.Subject.Principal.CredentialValidFrom, o.Subject.Principal.CredentialValidTo = "2006-01-01", "2026-01-01"
		}, "subject.principal.credential_valid_to", "field.credential_expired"},
		{"office phone is a mobile (unit)", func(o *Order) { o.Subject.Principal.OfficePhone = "13912345679" }, "subject.principal.office_phone", "landline.mobile_given"},
		{"office phone placeholder", func(o *Order) { o.Subject.Principal.OfficePhone = "010-00000000" }, "subject.principal.office_phone", "landline.fake"},
		{"mobile is a landline", func(o *Order) { o.Subject.Principal.Mobile = "0755-26543210" }, "subject.principal.mobile", "mobile.landline_given"},
		{"emergency is a landline", func(o *Order) { o.Subject.Principal.EmergencyMobile = "010-62345678" }, "subject.principal.emergency_mobile", "mobile.landline_given"},
		{"email", func(o *Order) { o.Subject.Principal.Email = "zhang@" }, "subject.principal.email", "email.domain"},
		{"no services", func(o *Order) { o.Services = nil }, "services", "field.required.services"},
		{"service kind", func(o *Order) { o.Services[0].Kind = "blog" }, "services[0].kind", "field.service_kind"},
		{"website name", func(o *Order) { o.Services[0].Name = "" }, "services[0].name", "field.required.service_name"},
		{"website name rule", func(o *Order) { o.Services[0].Name = "example.com" }, "services[0].name", "website_name.domain"},
		{"website without domain", func(o *Order) { o.Services[0].Domains = nil }, "services[0].domains", "field.required.domain"},
		{"website two domains", func(o *Order) { o.Services[0].Domains = []string{"example.com", "example.net"} }, "services[0].domains", "field.website_one_domain"},
		{"website subdomain", func(o *Order) { o.Services[0].Domains = []string{"www.example.com"} }, "services[0].domains[0]", "domain.subdomain"},
		{"website IPs", func(o *Order) { o.Services[0].IPs = nil }, "services[0].ips", "field.required.ips"},
		// the home page: http(s) on the service's domains, nothing else
		{"home page script", func(o *Order) { o.Services[0].HomeURL = "javascript:alert(1)" }, "services[0].home_url", "home_url.scheme"},
		{"home page elsewhere", func(o *Order) { o.Services[0].HomeURL = "https://evil.example.org/" }, "services[0].home_url", "home_url.other_host"},
		{"home page on a look-alike", func(o *Order) { o.Services[0].HomeURL = "https://example.com.evil.cn/" }, "services[0].home_url", "home_url.other_host"},
		{"home page with credentials", func(o *Order) { o.Services[0].HomeURL = "https://www.example.com@evil.cn/" }, "services[0].home_url", "home_url.credentials"},
		{"home page with a space", func(o *Order) { o.Services[0].HomeURL = "www.example.com/a b" }, "services[0].home_url", "home_url.syntax"},
		{"home page with a control character", func(o *Order) { o.Services[0].HomeURL = "www.example.com/\x7f" }, "services[0].home_url", "common.text_control_char"},
		{"APP home page elsewhere", func(o *Order) { o.Services[1].HomeURL = "https://www.example.com/" }, "services[1].home_url", "home_url.other_host"},
		// names: the police platform's limits
		{"subject name too long", func(o *Order) { o.Subject.Name = strings.Repeat("深圳", 50) + "有限公司" }, "subject.name", "field.name_too_long"},
		{"website name too long", func(o *Order) { o.Services[0].Name = strings.Repeat("某", 51) }, "services[0].name", "field.name_too_long"},
		{"APP name too long", func(o *Order) { o.Services[1].Name = strings.Repeat("助手", 26) }, "services[1].name", "field.name_too_long"},
		{"private IP", func(o *Order) { o.Services[0].IPs = []string{"203.0.113.10", "192.168.0.1"} }, "services[0].ips[1]", "ip.not_public"},
		{"content", func(o *Order) { o.Services[0].Content = nil }, "services[0].content", "field.required.content"},
		{"languages", func(o *Order) { o.Services[1].Languages = []string{} }, "services[1].languages", "field.required.languages"},
		{"permit number", func(o *Order) { o.Services[0].PreApprovals = []PreApproval{{Type: "news"}} }, "services[0].pre_approvals[0].permit_number", "field.required.permit_number"},
		{"APP domain too deep", func(o *Order) { o.Services[1].Domains = []string{"a.b.c.example.com"} }, "services[1].domains[0]", "domain.too_deep"},
		{"APP without domain", func(o *Order) { o.Services[1].Domains = nil }, "services[1].domains", "field.required.domain"},
		{"APP 21 domains", func(o *Order) {
			o.Services[1].Domains = nil
			for i := range 21 {
				o.Services[1].Domains = append(o.Services[1].Domains, "d"+strings.Repeat("x", i)+".example.com")
			}
		}, "services[1].domains", "field.app_too_many_domains"},
		{"duplicate domain", func(o *Order) { o.Services[1].Domains = []string{"api.example.com", "API.example.com"} }, "services[1].domains[1]", "field.duplicate_domain"},
		{"no platforms", func(o *Order) { o.Services[1].App = nil }, "services[1].app.platforms", "field.required.platforms"},
		{"platform name", func(o *Order) { o.Services[1].App.Platforms[0].Platform = "" }, "services[1].app.platforms[0].platform", "field.required.platform"},
		{"package", func(o *Order) { o.Services[1].App.Platforms[0].Package = "helper" }, "services[1].app.platforms[0].package", "app_package.format"},
		{"public key", func(o *Order) { o.Services[1].App.Platforms[0].PublicKey = "" }, "services[1].app.platforms[0].public_key", "field.required.public_key"},
		{"signature", func(o *Order) { o.Services[1].App.Platforms[0].Signature = "abc" }, "services[1].app.platforms[0].signature", "app_signature.length"},
		{"duplicate APP name", func(o *Order) {
			o.Services = append(o.Services, o.Services[1])
			o.Services[2].Domains = []string{"m.example.com"}
		}, "services[2].name", "field.duplicate_app_name"},
		{"service principal mobile", func(o *Order) { o.Services[1].Principal.Mobile = "1361234567" }, "services[1].principal.mobile", "mobile.length"},
		// Huawei Cloud's first-filing guide: a different service principal may not share the subject principal's phones or e-mail
		{"shared mobile", func(o *Order) { o.Services[1].Principal.Mobile = "+86 139 1234 5679" }, "services[1].principal.mobile", "field.shared_mobile"},
		{"shared emergency mobile", func(o *Order) { o.Services[1].Principal.EmergencyMobile = "13912345679" }, "services[1].principal.emergency_mobile", "field.shared_mobile"},
		{"shared email", func(o *Order) { o.Services[1].Principal.Email = "Zhang@Example.com" }, "services[1].principal.email", "field.shared_email"},
		// text a person cannot have typed on purpose
		{"NUL in the subject name", func(o *Order) { o.Subject.Name = "深圳市某某\x00科技有限公司" }, "subject.name", "common.text_control_char"},
		{"right-to-left override", func(o *Order) { o.Services[0].Name = "某某\u202E官网" }, "services[0].name", "common.text_control_char"},
		{"newline in an address", func(o *Order) { o.Subject.CommunicationAddress += "\n1号" }, "subject.communication_address", "common.text_control_char"},
		{"invalid UTF-8", func(o *Order) { o.Services[1].Principal.Name = "李\xff四" }, "services[1].principal.name", "common.text_invalid_utf8"},
		{"replacement character", func(o *Order) { o.Services[1].Remark = "\uFFFD" }, "services[1].remark", "common.text_invalid_utf8"},
	}
	produced := map[string]bool{"field.address_imprecise": true} // a warning, see TestWarnings
	for _, c := range cases {
		produced[c.code] = true
		t.Run(c.name, func(t *testing.T) {
			o := validOrder()
			c.mutate(o)
			errs := ValidateFields(o, validateNow)
			if !hasProblem(errs, c.field, c.code) {
				t.Fatalf("want %s on %s, got %v", c.code, c.field, errs)
			}
			checkProblems(t, errs)
		})
	}
	for _, k := range i18n.Keys(i18n.ZhCN) {
		if strings.HasPrefix(k, "field.") && !produced[k] {
			t.Errorf("catalog key %s is tested by no case", k)
		}
	}
}

func TestValidateFieldsParams(t *testing.T) {
	o := validOrder()
	o.Services[0].Domains = []string{"www.example.com"}
	errs := ValidateFields(o, validateNow)
	if len(errs) != 1 || errs[0].Params["registrable"] != "example.com" {
		t.Fatalf("got %v (params %v)", errs, errs[0].Params)
	}
}

func TestIndividualOrder(t *testing.T) {
	o := validOrder()
	o.Subject = Subject{
		Nature: "individual", Name: "张三", CredentialType: "resident_id", CredentialNumber: "11010519491231002x",
		CredentialAddress: "北京市西城区某某胡同5号", CommunicationAddress: "北京市西城区某某胡同5号",
		Principal: o.Subject.Principal,
	}
	o.Province = "11"
	o.Services = o.Services[:1]
	o.Services[0].Name = "张三的学习笔记"
	// an individual may give a mobile as office phone; no legal representative is needed
	o.Subject.Principal.OfficePhone = "13912345679"
	if errs, warns := CheckFields(o, validateNow); len(errs) != 0 || len(warns) != 0 {
		t.Fatalf("errors %v, warnings %v", errs, warns)
	}
	o.Subject.Principal.OfficePhone = "13800000000"
	if errs := ValidateFields(o, validateNow); !hasProblem(errs, "subject.principal.office_phone", "mobile.fake") {
		t.Errorf("fake mobile as office phone: %v", errs)
	}
	o.Services[0].Name = "张三的个人博客"
	if errs := ValidateFields(o, validateNow); !hasProblem(errs, "services[0].name", "website_name.personal_banned") {
		t.Errorf("personal name rule not applied: %v", errs)
	}
	o.Province = "32"
	if errs := ValidateFields(o, validateNow); hasProblem(errs, "services[0].name", "website_name.personal_banned") {
		t.Errorf("Jiangsu form refused: %v", errs)
	}
}

// Each field finding either blocks or warns, as its rule says: an address not precise to the house number
// blocks; an unknown county code in an ID number (the code list lags behind the counties) only warns.
func TestWarnings(t *testing.T) {
	o := validOrder()
	o.Subject.Principal.CredentialNumber = "11019919491231002X" // 110199: no such county
	errs, warns := CheckFields(o, validateNow)
	if len(errs) != 0 {
		t.Fatalf("errors %v", errs)
	}
	if !hasProblem(warns, "subject.principal.credential_number", "resident_id.county_unknown") {
		t.Errorf("warnings %v", warns)
	}
	for _, addr := range []string{"广东省深圳市南山区", "广东省广州市天河区天河路"} {
		o := validOrder()
		o.Subject.CommunicationAddress = addr
		errs, warns := CheckFields(o, validateNow)
		if !hasProblem(errs, "subject.communication_address", "field.address_imprecise") || len(warns) != 0 {
			t.Errorf("%s: errors %v, warnings %v", addr, errs, warns)
		}
	}
}

func TestSamePersonNotHeldToDistinctContacts(t *testing.T) {
	o := validOrder()
	o.Services[1].Principal = o.Subject.Principal
	o.Services[1].Principal.CredentialNumber = "11010519491231002x" // same person, typed in lowercase
	if errs := ValidateFields(o, validateNow); len(errs) != 0 {
		t.Fatalf("same person refused: %v", errs)
	}
}

// checkProblems: every problem is Invalid, names a field and has a message in the catalogs.
func checkProblems(t *testing.T, l problem.List) {
	t.Helper()
	for _, e := range l {
		if e.Kind != problem.Invalid || e.Field == "" || !i18n.Has(e.Code) {
			t.Errorf("bad problem %v (kind %v, message known %v)", e, e.Kind, i18n.Has(e.Code))
		}
	}
}

func FuzzValidateFields(f *testing.F) {
	f.Add("张三", "11010519491231002X", "0755-26543210", "www.example.com", "203.0.113.1-203.0.113.9", "9e:10")
	f.Add("", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, name, id, phone, domain, ip, sig string) {
		o := validOrder()
		o.Subject.Name, o.Subject.Principal.Name, o.Services[0].Name = name, name, name
		o.Subject.Principal.CredentialNumber, o.Subject.LegalRepresentative.IDNumber = id, id
		o.Subject.Principal.OfficePhone, o.Services[1].Principal.Mobile = phone, phone
		o.Services[0].Domains, o.Services[1].Domains = []string{domain}, []string{domain, "api.example.com"}
		o.Services[0].IPs = []string{ip}
		o.Services[1].App.Platforms[0].Signature = sig
		errs, warns := CheckFields(o, validateNow)
		checkProblems(t, errs)
		checkProblems(t, warns)
	})
}

func hasProblem(l problem.List, field, code string) bool {
	return slices.ContainsFunc(l, func(e *problem.Error) bool { return e.Field == field && e.Code == code })
}

// The name limits count characters, not bytes: a name of exactly the limit passes, one more is refused.
func TestNameLengthLimits(t *testing.T) {
	cases := []struct {
		field string
		set   func(o *Order, n int)
		max   int
	}{
		{"subject.name", func(o *Order, n int) { o.Subject.Name = strings.Repeat("深", n-4) + "有限公司" }, MaxSubjectNameRunes},
		{"services[0].name", func(o *Order, n int) { o.Services[0].Name = strings.Repeat("某", n) }, MaxServiceNameRunes},
		{"services[1].name", func(o *Order, n int) { o.Services[1].Name = strings.Repeat("助", n) }, MaxServiceNameRunes},
	}
	for _, c := range cases {
		for _, n := range []int{c.max, c.max + 1} {
			o := validOrder()
			c.set(o, n)
			got := hasProblem(ValidateFields(o, validateNow), c.field, "field.name_too_long")
			if got != (n > c.max) {
				t.Errorf("%s of %d characters: name_too_long %v", c.field, n, got)
			}
		}
	}
}

// A home page on the filed domain, with or without scheme, www. or another subdomain, passes.
func TestHomeURLOnTheDomainPasses(t *testing.T) {
	for _, u := range []string{"www.example.com", "example.com", "http://www.example.com", "https://shop.example.com:8443/index.html?x=1"} {
		o := validOrder()
		o.Services[0].HomeURL = u
		if errs := ValidateFields(o, validateNow); len(errs) != 0 {
			t.Errorf("%s: %v", u, errs)
		}
	}
}
