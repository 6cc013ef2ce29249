package rules

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
)

type engineCase struct {
	name   string
	source string
	order  func() *filing.Order
	date   string   // default: day
	want   []string // violation, material or notice codes that must be reported
	not    []string // codes that must not be
}

func runCases(t *testing.T, cases []engineCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			on := day
			if c.date != "" {
				on = at(c.date)
			}
			got := codesIn(Evaluate(c.order(), on))
			for _, w := range c.want {
				if !got.has(w) {
					t.Errorf("want %s (%s); got %+v", w, c.source, got)
				}
			}
			for _, n := range c.not {
				if got.has(n) {
					t.Errorf("did not want %s (%s); got %+v", n, c.source, got)
				}
			}
		})
	}
}

func with(o *filing.Order, f func(o *filing.Order)) func() *filing.Order {
	return func() *filing.Order { f(o); return o }
}

func TestCleanOrdersPass(t *testing.T) {
	for _, o := range []*filing.Order{individualOrder("44", "44"), enterpriseOrder("44"), enterpriseOrder("11"), individualOrder("11", "11")} {
		rep := Evaluate(o, day)
		if !rep.OK() {
			t.Errorf("%s %s: unexpected violations %+v", o.Province, o.Subject.Nature, rep.Violations)
		}
	}
}

func TestOneServicePerOrder(t *testing.T) {
	two := func(prov string) func() *filing.Order {
		return with(enterpriseOrder(prov), func(o *filing.Order) {
			o.Services = append(o.Services, website("示例科技商城", "shop-example.cn", "unit_portal"))
		})
	}
	runCases(t, []engineCase{
		{"hunan two", "Huawei Cloud's first-filing guide", two("43"), "", []string{"rules.one_service_per_order"}, nil},
		{"hubei two", "Huawei Cloud's first-filing guide", two("42"), "", []string{"rules.one_service_per_order"}, nil},
		{"hunan one", "Huawei Cloud's first-filing guide", func() *filing.Order { return enterpriseOrder("43") }, "", nil, []string{"rules.one_service_per_order"}},
		{"guangdong two", "no such rule in 44", two("44"), "", nil, []string{"rules.one_service_per_order"}},
		{"hunan two before Huawei Cloud's first-filing guide attests it", "Huawei Cloud's first-filing guide dated 2023-09-01", two("43"), "2023-08-31", nil, []string{"rules.one_service_per_order"}},
	})
}

// docs/rules.md table: personal cross-province filings refused, accepted with a residence permit, or accepted.
func TestCrossProvincePersonal(t *testing.T) {
	refuse := []string{"14", "23", "36", "41", "50", "54", "61", "62", "63", "64", "65"}
	permit := []string{"15", "22", "31", "32", "33", "34", "35", "37", "42", "44", "51", "52"}
	accept := []string{"11", "12", "13", "21", "43", "45", "46", "53"}
	if n := len(refuse) + len(permit) + len(accept); n != 31 {
		t.Fatalf("table covers %d provinces", n)
	}
	other := func(p string) string {
		if p == "11" {
			return "12"
		}
		return "11"
	}
	for _, p := range refuse {
		rep := codesIn(Evaluate(individualOrder(p, other(p)), day))
		if !rep.has("rules.cross_province_refused") || rep.has("residence_permit") {
			t.Errorf("%s: want refusal (docs/rules.md), got %+v", p, rep)
		}
		if rep := codesIn(Evaluate(individualOrder(p, p), day)); rep.has("rules.cross_province_refused") {
			t.Errorf("%s: local ID refused", p)
		}
	}
	for _, p := range permit {
		rep := codesIn(Evaluate(individualOrder(p, other(p)), day))
		if !rep.has("residence_permit") || rep.has("rules.cross_province_refused") {
			t.Errorf("%s: want residence_permit (docs/rules.md), got %+v", p, rep)
		}
		if rep := codesIn(Evaluate(individualOrder(p, p), day)); rep.has("residence_permit") {
			t.Errorf("%s: local ID asked for a residence permit", p)
		}
	}
	for _, p := range accept {
		rep := codesIn(Evaluate(individualOrder(p, other(p)), day))
		if rep.has("residence_permit") || rep.has("rules.cross_province_refused") {
			t.Errorf("%s: cross-province accepted per docs/rules.md, got %+v", p, rep)
		}
	}
	// Fujian's residence permit is attested by Alibaba Cloud's materials guide (2023-06-08); Shanxi's refusal by the UC snapshot.
	runCases(t, []engineCase{
		{"fujian on Alibaba Cloud's materials guide date", "Alibaba Cloud's materials guide", func() *filing.Order { return individualOrder("35", "11") }, "2023-06-08", []string{"residence_permit"}, nil},
		{"fujian before Alibaba Cloud's materials guide", "Alibaba Cloud's materials guide", func() *filing.Order { return individualOrder("35", "11") }, "2023-06-07", nil, []string{"residence_permit"}},
		{"shanxi on UC snapshot", "docs/rules.md", func() *filing.Order { return individualOrder("14", "11") }, "2026-02-27", []string{"rules.cross_province_refused"}, nil},
		{"shanxi before UC snapshot", "docs/rules.md", func() *filing.Order { return individualOrder("14", "11") }, "2026-02-26", nil, []string{"rules.cross_province_refused"}},
		{"enterprise not concerned", "docs/rules.md personal only", func() *filing.Order {
			o := enterpriseOrder("14")
			o.Subject.Principal.CredentialNumber = idFor("11", "19800101")
			return o
		}, "", nil, []string{"rules.cross_province_refused"}},
	})
}

func TestDatedMaterials(t *testing.T) {
	gd := func() *filing.Order { return enterpriseOrder("44") }
	js := func() *filing.Order { return enterpriseOrder("32") }
	runCases(t, []engineCase{
		{"guangdong letter from 2021-06-21", "Huawei Cloud's first-filing guide, docs/rules.md", gd, "2021-06-21", []string{"guangdong_commitment_letter"}, nil},
		{"guangdong letter not before", "Huawei Cloud's first-filing guide, docs/rules.md", gd, "2021-06-20", nil, []string{"guangdong_commitment_letter"}},
		{"jiangsu letters from 2021-06-01", "Huawei Cloud's first-filing guide, docs/rules.md", js, "2021-06-01", []string{"jiangsu_responsibility_letters"}, nil},
		{"jiangsu letters not before", "Huawei Cloud's first-filing guide, docs/rules.md", js, "2021-05-31", nil, []string{"jiangsu_responsibility_letters"}},
		{"guangdong letter on new service", "Huawei Cloud's first-filing guide", with(enterpriseOrder("44"), func(o *filing.Order) { o.Type = filing.NewService }), "", []string{"guangdong_commitment_letter"}, nil},
		{"no guangdong letter elsewhere", "Huawei Cloud's first-filing guide", func() *filing.Order { return enterpriseOrder("45") }, "", nil, []string{"guangdong_commitment_letter"}},
		{"shanghai letter", "docs/rules.md", func() *filing.Order { return enterpriseOrder("31") }, "", []string{"shanghai_commitment_letter"}, nil},
	})
}

func TestEstablishmentApproval(t *testing.T) {
	gov := func(prov string) func() *filing.Order {
		return with(enterpriseOrder(prov), func(o *filing.Order) {
			o.Subject.Nature, o.Subject.Name, o.Subject.CredentialType = "government", "某某市人民政府办公室", "uscc_certificate"
		})
	}
	var cases []engineCase
	for _, p := range []string{"53", "15", "23", "36"} {
		cases = append(cases, engineCase{"government in " + p, "Alibaba Cloud's materials guide", gov(p), "", []string{"establishment_approval"}, nil},
			engineCase{"government in " + p + " before Alibaba Cloud's materials guide", "Alibaba Cloud's materials guide", gov(p), "2023-06-07", nil, []string{"establishment_approval"}})
	}
	cases = append(cases,
		engineCase{"government in Guangdong", "Alibaba Cloud's materials guide lists four provinces", gov("44"), "", nil, []string{"establishment_approval"}},
		engineCase{"enterprise in Yunnan", "Alibaba Cloud's materials guide: government and public institutions", func() *filing.Order { return enterpriseOrder("53") }, "", nil, []string{"establishment_approval"}},
	)
	runCases(t, cases)
}

func TestOnlineChangesRefusedInJiangsu(t *testing.T) {
	of := func(prov string, typ filing.OrderType) func() *filing.Order {
		return with(enterpriseOrder(prov), func(o *filing.Order) { o.Type = typ })
	}
	runCases(t, []engineCase{
		{"change subject", "docs/design.md §4.1", of("32", filing.ChangeSubject), "", []string{"rules.online_change_refused"}, nil},
		{"change service", "docs/design.md §4.1", of("32", filing.ChangeService), "", []string{"rules.online_change_refused"}, nil},
		{"cancel service", "docs/design.md §4.1", of("32", filing.CancelService), "", []string{"rules.online_change_refused"}, nil},
		{"change access allowed", "docs/design.md §4.1", of("32", filing.ChangeAccess), "", nil, []string{"rules.online_change_refused"}},
		{"zhejiang change subject allowed", "docs/design.md §4.1", of("33", filing.ChangeSubject), "", nil, []string{"rules.online_change_refused"}},
		{"before UC snapshot", "docs/design.md §4.1 attested 2026-02-27", of("32", filing.ChangeSubject), "2026-02-26", nil, []string{"rules.online_change_refused"}},
	})
}

func TestPrincipalAge(t *testing.T) {
	// born 2008-11-20: 17 on 2026-11-19, 18 on 2026-11-20.
	aged := func(o *filing.Order, birth string) func() *filing.Order {
		return with(o, func(o *filing.Order) {
			id := idFor(o.Province, birth)
			o.Subject.Principal.CredentialNumber = id
			if o.Subject.IsIndividual() {
				o.Subject.CredentialNumber = id
			} else {
				o.Subject.LegalRepresentative.IDNumber = id
			}
		})
	}
	runCases(t, []engineCase{
		{"tianjin personal 17", "docs/rules.md Tianjin (HW)", aged(individualOrder("12", "12"), "20081120"), "2026-11-19", []string{"rules.principal_too_young"}, nil},
		{"tianjin personal 18 on birthday", "docs/rules.md Tianjin (HW)", aged(individualOrder("12", "12"), "20081120"), "2026-11-20", nil, []string{"rules.principal_too_young"}},
		{"tianjin unit principal 17", "docs/rules.md: personal only", aged(enterpriseOrder("12"), "20081120"), "2026-11-19", nil, []string{"rules.principal_too_young"}},
		{"jiangsu 15 refused", "docs/rules.md Jiangsu", aged(enterpriseOrder("32"), "20110101"), "", []string{"rules.principal_too_young"}, []string{"employment_proof"}},
		{"jiangsu 17 needs proof", "docs/rules.md Jiangsu", aged(enterpriseOrder("32"), "20090101"), "", []string{"employment_proof"}, []string{"rules.principal_too_young"}},
		{"jiangsu 18 fine", "docs/rules.md Jiangsu", aged(enterpriseOrder("32"), "20080101"), "", nil, []string{"employment_proof", "rules.principal_too_young"}},
		{"guangdong 15 refused", "docs/rules.md Guangdong (HW)", aged(individualOrder("44", "44"), "20110101"), "", []string{"rules.principal_too_young"}, nil},
		{"guangdong personal 17 needs proof", "UCloud docs rule/rule4/guangdong", aged(individualOrder("44", "44"), "20090101"), "", []string{"employment_proof"}, []string{"rules.principal_too_young"}},
		{"hunan personal 17", "docs/rules.md Hunan (HW)", aged(individualOrder("43", "43"), "20090101"), "", []string{"rules.principal_too_young"}, nil},
		{"zhejiang personal 15", "no age rule", aged(individualOrder("33", "33"), "20110101"), "", nil, []string{"rules.principal_too_young"}},
	})
}

func TestLocalPhones(t *testing.T) {
	phones := func(o *filing.Order, office, mobile string) func() *filing.Order {
		return with(o, func(o *filing.Order) { o.Subject.Principal.OfficePhone, o.Subject.Principal.Mobile = office, mobile })
	}
	runCases(t, []engineCase{
		{"jiangsu beijing landline", "docs/rules.md Jiangsu (JD; UC)", phones(enterpriseOrder("32"), "010-12345678", "13800000002"), "", []string{"rules.phone_not_local", "rules.mobile_locality_unverified"}, nil},
		{"jiangsu nanjing landline", "docs/rules.md Jiangsu", phones(enterpriseOrder("32"), "025-12345678", ""), "", nil, []string{"rules.phone_not_local"}},
		{"jiangsu suzhou landline", "docs/rules.md Jiangsu", phones(enterpriseOrder("32"), "0512-6543210", ""), "", nil, []string{"rules.phone_not_local"}},
		{"hubei personal mobile notice", "docs/rules.md Hubei", phones(individualOrder("42", "42"), "", "13800000001"), "", []string{"rules.mobile_locality_unverified"}, []string{"rules.phone_not_local"}},
		{"hubei enterprise not concerned", "docs/rules.md Hubei personal", phones(enterpriseOrder("42"), "010-12345678", "13800000002"), "", nil, []string{"rules.mobile_locality_unverified", "rules.phone_not_local"}},
		{"hunan personal landline elsewhere", "docs/rules.md Hunan (HW)", phones(individualOrder("43", "43"), "020-12345678", ""), "", []string{"rules.phone_not_local"}, nil},
		{"hainan 0898 inside tibet's 089", "area codes", phones(enterpriseOrder("32"), "0898-66123456", ""), "", []string{"rules.phone_not_local"}, nil},
	})
}

func TestServiceContentLimits(t *testing.T) {
	content := func(o *filing.Order, c ...string) func() *filing.Order {
		return with(o, func(o *filing.Order) { o.Services[0].Content = c })
	}
	runCases(t, []engineCase{
		{"heilongjiang personal games", "docs/rules.md Heilongjiang", content(individualOrder("23", "23"), "online_games"), "", []string{"rules.content_only_allowed"}, nil},
		{"heilongjiang personal blog", "docs/rules.md Heilongjiang", content(individualOrder("23", "23"), "blog"), "", nil, []string{"rules.content_only_allowed"}},
		{"chongqing personal music", "docs/rules.md Chongqing", content(individualOrder("50", "50"), "blog", "online_music"), "", []string{"rules.content_only_allowed"}, nil},
		{"shaanxi personal blog", "docs/rules.md Shaanxi", content(individualOrder("61", "61"), "blog"), "", []string{"rules.content_forbidden_here"}, nil},
		{"shaanxi personal pictures", "docs/rules.md Shaanxi", content(individualOrder("61", "61"), "online_pictures"), "", nil, []string{"rules.content_forbidden_here"}},
		{"shaanxi enterprise blog", "docs/rules.md personal only", content(enterpriseOrder("61"), "blog"), "", nil, []string{"rules.content_forbidden_here"}},
		{"personal shopping anywhere", "docs/design.md §4.5, Huawei Cloud's first-filing guide", content(individualOrder("11", "11"), "online_shopping"), "", []string{"rules.content_units_only"}, nil},
		{"enterprise shopping", "docs/design.md §4.5", content(enterpriseOrder("11"), "online_shopping"), "", nil, []string{"rules.content_units_only"}},
	})
}

func appOrder(prov string, n int, icon int64) func() *filing.Order {
	return with(enterpriseOrder(prov), func(o *filing.Order) {
		o.Services = []filing.Service{{Kind: filing.App, Name: "示例", Domains: domains(n), Content: []string{"tools.system"},
			Languages: []string{"zh-Hans"}, PrincipalSameAsSubject: true,
			App: &filing.AppInfo{IconMaterialID: icon, Platforms: []filing.Platform{{Platform: "android", Package: "cn.example"}}}}}
	})
}

func TestDomainsAndApps(t *testing.T) {
	sites := func(o *filing.Order, n int) func() *filing.Order {
		return with(o, func(o *filing.Order) {
			o.Services = nil
			for _, d := range domains(n) {
				o.Services = append(o.Services, website("示例", d, o.Subject.Nature))
				o.Services[len(o.Services)-1].Content = []string{"blog"}
			}
		})
	}
	runCases(t, []engineCase{
		{"app without icon", "Huawei Cloud's first-filing guide", appOrder("11", 1, 0), "", []string{"rules.app_icon_missing"}, nil},
		{"app with icon", "Huawei Cloud's first-filing guide", appOrder("11", 1, 42), "", nil, []string{"rules.app_icon_missing"}},
		{"app 20 domains", "Huawei Cloud's first-filing guide", appOrder("11", 20, 42), "", nil, []string{"rules.app_too_many_domains"}},
		{"app 21 domains", "Huawei Cloud's first-filing guide", appOrder("11", 21, 42), "", []string{"rules.app_too_many_domains"}, nil},
		{"henan 5 domains", "docs/rules.md Henan (HW)", sites(enterpriseOrder("41"), 5), "", nil, []string{"rules.too_many_domains"}},
		{"henan 6 domains", "docs/rules.md Henan (HW)", sites(enterpriseOrder("41"), 6), "", []string{"rules.too_many_domains"}, nil},
		{"guangdong enterprise 31 domains", "UCloud docs rule/rule4/guangdong: more than 31", sites(enterpriseOrder("44"), 31), "", nil, []string{"construction_plan"}},
		{"guangdong enterprise 32 domains", "UCloud docs rule/rule4/guangdong", sites(enterpriseOrder("44"), 32), "", []string{"construction_plan"}, nil},
		{"guangdong personal 5 domains", "UCloud docs rule/rule4/guangdong: more than 5", sites(individualOrder("44", "44"), 5), "", nil, []string{"construction_plan"}},
		{"guangdong personal 6 domains", "UCloud docs rule/rule4/guangdong", sites(individualOrder("44", "44"), 6), "", []string{"construction_plan"}, nil},
		{"beijing 5 domains", "Alibaba Cloud's materials guide (assumed capacity 5)", sites(enterpriseOrder("11"), 5), "", nil, []string{"beijing_confirmation"}},
		{"beijing 6 domains", "Alibaba Cloud's materials guide", sites(enterpriseOrder("11"), 6), "", []string{"beijing_confirmation"}, nil},
		{"hainan first personal filing 2 domains", "docs/rules.md Hainan (HW)", sites(individualOrder("46", "46"), 2), "", []string{"rules.too_many_domains"}, nil},
		{"hunan new service", "docs/rules.md Hunan; UC", with(enterpriseOrder("43"), func(o *filing.Order) { o.Type = filing.NewService }), "", []string{"construction_plan"}, nil},
		{"hunan new filing", "docs/rules.md Hunan", func() *filing.Order { return enterpriseOrder("43") }, "", nil, []string{"construction_plan"}},
	})
}

func TestFinance(t *testing.T) {
	svc := func(prov string, f func(s *filing.Service)) func() *filing.Order {
		return with(enterpriseOrder(prov), func(o *filing.Order) { f(&o.Services[0]) })
	}
	finance := filing.PreApproval{Type: "finance", PermitNumber: "银复〔2020〕1号"}
	runCases(t, []engineCase{
		{"payment content without approval", "docs/design.md §3", svc("11", func(s *filing.Service) { s.Content = []string{"online_payment"} }), "", []string{"rules.finance_content_needs_approval"}, nil},
		{"payment content with approval", "docs/design.md §3", svc("11", func(s *filing.Service) {
			s.Content, s.PreApprovals = []string{"online_payment"}, []filing.PreApproval{finance}
		}), "", []string{"pre_approval_permit"}, []string{"rules.finance_content_needs_approval"}},
		{"trigger word in name", "docs/design.md §3 (银发〔2017〕119号)", svc("11", func(s *filing.Service) { s.Name = "示例理财" }), "", []string{"rules.finance_words_in_name"}, nil},
		{"foundation name is not finance", "docs/design.md §3 exception", svc("11", func(s *filing.Service) { s.Name = "示例基金会官网" }), "", nil, []string{"rules.finance_words_in_name"}},
		{"trigger word in remark", "docs/design.md §3 (UCloud docs problem9)", svc("11", func(s *filing.Service) { s.Remark = "商品展示，支持支付宝支付" }), "", []string{"no_pre_approval_pledge"}, []string{"rules.finance_words_in_name"}},
		{"guangdong finance commitment", "Alibaba Cloud's materials guide", svc("44", func(s *filing.Service) {
			s.Content, s.PreApprovals = []string{"online_payment"}, []filing.PreApproval{finance}
		}), "", []string{"guangdong_financial_commitment"}, nil},
		{"guangdong no finance", "Alibaba Cloud's materials guide", func() *filing.Order { return enterpriseOrder("44") }, "", nil, []string{"guangdong_financial_commitment"}},
	})
}

func TestPreApprovalPermitPerItem(t *testing.T) {
	o := enterpriseOrder("11")
	o.Services = append(o.Services, website("示例新闻", "news-example.cn", "news"))
	o.Services[1].PreApprovals = []filing.PreApproval{{Type: "news"}, {Type: "radio_film_tv"}}
	var got []int
	for _, m := range Evaluate(o, day).Materials {
		if m.Code == "pre_approval_permit" {
			if m.Service == nil {
				t.Fatal("a permit belongs to its service")
			}
			got = append(got, *m.Service)
			if !strings.Contains(m.Reason, "许可证") {
				t.Errorf("reason names no permit: %s", m.Reason)
			}
		}
	}
	if len(got) != 2 || got[0] != 1 || got[1] != 1 {
		t.Errorf("want two permits for service 1 (Huawei Cloud's first-filing guide, docs/design.md §3), got %v", got)
	}
}

func TestPrincipalsAndMaterials(t *testing.T) {
	other := person("陈静", idFor("11", "19920815"), "13700000003", "cj@example.com")
	runCases(t, []engineCase{
		{"individual: one credential upload", "Alibaba Cloud's materials guide", func() *filing.Order { return individualOrder("11", "11") }, "",
			[]string{"subject_credential"}, []string{"subject_principal_credential", "service_principal_credential"}},
		{"enterprise: three credentials", "Alibaba Cloud's materials guide", with(enterpriseOrder("11"), func(o *filing.Order) {
			o.Services[0].PrincipalSameAsSubject, o.Services[0].Principal = false, other
		}), "", []string{"subject_credential", "subject_principal_credential", "service_principal_credential", "authorization_letter"}, nil},
		{"same principal: no extra credential", "Alibaba Cloud's materials guide", func() *filing.Order { return enterpriseOrder("11") }, "",
			[]string{"subject_credential", "subject_principal_credential"}, []string{"service_principal_credential", "authorization_letter"}},
		{"subject principal not legal rep", "Alibaba Cloud's materials guide; UC guangdong", with(enterpriseOrder("44"), func(o *filing.Order) { o.Subject.Principal = other }), "",
			[]string{"authorization_letter", "rules.subject_principal_not_legal_rep"}, nil},
		{"not legal rep outside the four provinces", "docs/rules.md", with(enterpriseOrder("11"), func(o *filing.Order) { o.Subject.Principal = other }), "",
			[]string{"authorization_letter"}, []string{"rules.subject_principal_not_legal_rep"}},
		{"personal: service principal someone else", "Huawei Cloud's first-filing guide", with(individualOrder("11", "11"), func(o *filing.Order) {
			o.Services[0].PrincipalSameAsSubject, o.Services[0].Principal = false, other
		}), "", []string{"rules.individual_principal_not_self"}, nil},
		{"shared contacts", "Huawei Cloud's first-filing guide", with(enterpriseOrder("11"), func(o *filing.Order) {
			p := other
			p.Email = o.Subject.Principal.Email
			o.Services[0].PrincipalSameAsSubject, o.Services[0].Principal = false, p
		}), "", []string{"rules.principal_contacts_shared"}, nil},
		{"non-mainland subject principal", "Alibaba Cloud's filing notes", with(enterpriseOrder("11"), func(o *filing.Order) {
			o.Subject.Principal.CredentialType = "hk_macao_travel_permit"
		}), "", []string{"rules.non_mainland_face_check"}, nil},
		{"unit credential for a principal", "Alibaba Cloud's materials guide", with(enterpriseOrder("11"), func(o *filing.Order) {
			o.Subject.Principal.CredentialType = "business_license"
		}), "", []string{"rules.principal_credential_not_person"}, nil},
		{"change order: verification form", "Alibaba Cloud's materials guide", with(enterpriseOrder("11"), func(o *filing.Order) { o.Type = filing.ChangeSubject }), "",
			[]string{"verification_form"}, nil},
		{"new filing: no verification form", "Alibaba Cloud's materials guide", func() *filing.Order { return enterpriseOrder("11") }, "", nil, []string{"verification_form"}},
		{"inner mongolia legal rep from beijing", "docs/rules.md", with(enterpriseOrder("15"), func(o *filing.Order) {
			id := idFor("11", "19800101")
			o.Subject.LegalRepresentative.IDNumber, o.Subject.Principal.CredentialNumber = id, id
		}), "", []string{"handheld_unit_credential_photo"}, nil},
		{"jiangxi personal handheld photo", "docs/rules.md (HW)", func() *filing.Order { return individualOrder("36", "36") }, "", []string{"handheld_credential_photo"}, nil},
		{"cancel order needs nothing", "docs/design.md §4.1", with(enterpriseOrder("11"), func(o *filing.Order) { o.Type = filing.CancelSubject }), "",
			nil, []string{"subject_credential", "authorization_letter"}},
	})
}

func TestCodeListsAndConsistency(t *testing.T) {
	ent := func(f func(o *filing.Order)) func() *filing.Order { return with(enterpriseOrder("11"), f) }
	runCases(t, []engineCase{
		{"unknown province", "docs/design.md §4.11", ent(func(o *filing.Order) { o.Province = "99" }), "", []string{"rules.unknown_province"}, nil},
		{"unknown nature", "docs/design.md §3", ent(func(o *filing.Order) { o.Subject.Nature = "company" }), "", []string{"rules.unknown_nature"}, nil},
		{"unknown credential type", "docs/design.md §3", ent(func(o *filing.Order) { o.Subject.CredentialType = "licence" }), "", []string{"rules.unknown_credential_type"}, nil},
		{"credential not allowed", "docs/design.md §3 WeChat", ent(func(o *filing.Order) {
			o.Subject.Nature, o.Subject.Name = "government", "某某区人民政府办公室"
		}), "", []string{"rules.credential_not_allowed"}, nil},
		{"unknown kind", "docs/design.md §2", ent(func(o *filing.Order) { o.Services[0].Kind = "blog" }), "", []string{"rules.unknown_service_kind"}, nil},
		{"unknown content", "docs/design.md §3", ent(func(o *filing.Order) { o.Services[0].Content = []string{"lottery"} }), "", []string{"rules.unknown_service_content"}, nil},
		{"app code on a website", "docs/design.md §3", ent(func(o *filing.Order) { o.Services[0].Content = []string{"tools.system"} }), "", []string{"rules.unknown_service_content"}, nil},
		{"app content group", "docs/design.md §3", with(appOrder("11", 1, 1)(), func(o *filing.Order) { o.Services[0].Content = []string{"life"} }), "",
			[]string{"rules.app_content_not_leaf"}, []string{"rules.unknown_service_content"}},
		{"unknown language", "Huawei Cloud's first-filing guide", ent(func(o *filing.Order) { o.Services[0].Languages = []string{"klingon"} }), "", []string{"rules.unknown_language"}, nil},
		{"unknown pre-approval", "docs/design.md §3", ent(func(o *filing.Order) { o.Services[0].PreApprovals = []filing.PreApproval{{Type: "lottery"}} }), "", []string{"rules.unknown_pre_approval"}, nil},
		{"unknown platform", "Huawei Cloud's first-filing guide", with(appOrder("11", 1, 1)(), func(o *filing.Order) { o.Services[0].App.Platforms[0].Platform = "symbian" }), "",
			[]string{"rules.unknown_platform"}, nil},
		{"公司 must be an enterprise", "the police platform's filing procedure", ent(func(o *filing.Order) {
			o.Subject.Nature, o.Subject.CredentialType = "public_institution", "public_institution_certificate"
		}), "", []string{"rules.unit_name_nature_mismatch"}, nil},
		{"individual named like a unit", "the police platform's filing procedure", with(individualOrder("11", "11"), func(o *filing.Order) { o.Subject.Name = "李明摄影工作室" }), "",
			[]string{"rules.individual_name_looks_like_unit"}, nil},
		{"individual with a person's name", "the police platform's filing procedure", func() *filing.Order { return individualOrder("11", "11") }, "", nil, []string{"rules.individual_name_looks_like_unit"}},
		{"address in another province", "Huawei Cloud's first-filing guide table 2", ent(func(o *filing.Order) { o.Subject.CommunicationAddress = "上海市浦东新区世纪大道1号" }), "",
			[]string{"rules.address_other_province"}, nil},
		{"address by district", "Huawei Cloud's first-filing guide table 2", ent(func(o *filing.Order) { o.Subject.CommunicationAddress = "海淀区中关村大街1号" }), "",
			nil, []string{"rules.address_other_province", "rules.address_province_unknown"}},
		{"address without place", "Huawei Cloud's first-filing guide table 2", ent(func(o *filing.Order) { o.Subject.CommunicationAddress = "中关村大街1号" }), "",
			[]string{"rules.address_province_unknown"}, []string{"rules.address_other_province"}},
	})
}

func TestReportShapeAndLanguages(t *testing.T) {
	rep := Evaluate(nil, day)
	raw, _ := json.Marshal(rep)
	if string(raw) != `{"materials":[],"violations":[],"notices":[]}` {
		t.Errorf("nil order report = %s", raw)
	}
	raw, _ = json.Marshal(Evaluate(&filing.Order{}, day))
	if strings.Contains(string(raw), "null") {
		t.Errorf("arrays must never be null: %s", raw)
	}
	o := individualOrder("14", "11")
	zh := Evaluate(o, day)
	en := zh.Localize(i18n.En)
	tw := EvaluateIn(o, day, i18n.ZhTW)
	if len(en.Violations) != 1 || en.Violations[0].Code != "rules.cross_province_refused" {
		t.Fatalf("violations = %+v", en.Violations)
	}
	if !strings.Contains(en.Violations[0].Message, "Shanxi") || !strings.Contains(en.Violations[0].Message, "Beijing") {
		t.Errorf("en message = %q", en.Violations[0].Message)
	}
	if !strings.Contains(zh.Violations[0].Message, "山西省") || !strings.Contains(tw.Violations[0].Message, "身分證") {
		t.Errorf("zh/zh-TW messages = %q / %q", zh.Violations[0].Message, tw.Violations[0].Message)
	}
	if en.Materials[0].Reason == zh.Materials[0].Reason || en.Materials[0].Source != zh.Materials[0].Source {
		t.Error("Localize must translate reasons and keep sources")
	}
}

func TestMaterialsAreNotRepeated(t *testing.T) {
	o := enterpriseOrder("44")
	o.Services = append(o.Services, website("示例二", "two-example.cn", "unit_portal"))
	seen := map[string]bool{}
	for _, m := range Evaluate(o, day).Materials {
		k := m.Code + "|" + m.Reason
		if m.Service != nil {
			k += "|" + string(rune('0'+*m.Service))
		}
		if seen[k] {
			t.Errorf("material asked twice: %+v", m)
		}
		seen[k] = true
	}
}
