package providerweb

import (
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/webtest"
)

// No template or handler of the provider's pages may name a key that a catalog lacks.
func TestKeysExist(t *testing.T) {
	webtest.TemplateKeys(t, "templates/*.html", 150)
	webtest.HandlerKeys(t, "*.go", 50)
}

// Keys the pages build from values (states, actions, codes, …) exist for every value.
func TestComposedKeysExist(t *testing.T) {
	var keys []string
	add := func(prefix string, vals ...string) {
		for _, v := range vals {
			keys = append(keys, prefix+v)
		}
	}
	for _, s := range filing.States {
		add("state.", string(s))
	}
	for _, ot := range filing.OrderTypes {
		add("rules.order_type.", string(ot))
	}
	add("web.kind.", string(filing.Website), string(filing.App), string(filing.MiniProgram), string(filing.QuickApp))
	add("web.action.", "create", string(filing.ActSubmit), string(filing.ActResubmit), string(filing.ActApprove),
		string(filing.ActRequestChanges), string(filing.ActReject), string(filing.ActForwarded), string(filing.ActForwardedNoSMS),
		string(filing.ActSMSVerified), string(filing.ActSMSExpired), string(filing.ActSMSFailed), string(filing.ActAdminApprove),
		string(filing.ActAdminReject), string(filing.ActWithdraw), string(filing.ActReforward))
	add("web.role.", string(filing.RoleApplicant), string(filing.RoleReviewer), string(filing.RoleRegulator),
		string(filing.RoleSystem), string(filing.RoleOperator), provider.RoleOfficer)
	add("web.who.", "applicant", "reviewer", "regulator", "principals", "system")
	for _, r := range reasonTemplates {
		add("web.reason.", r.key, r.key+".title")
	}
	// docs/rules.md material codes, the rules engine's extras, and the APP icon.
	add("web.material.", "subject_credential", "subject_principal_credential", "service_principal_credential",
		"handheld_credential_photo", "handheld_unit_credential_photo", "authorization_letter", "domain_certificate",
		"domain_holder_proof", "residence_permit", "establishment_approval", "change_proof", "guangdong_commitment_letter",
		"guangdong_financial_commitment", "construction_plan", "beijing_confirmation", "jiangsu_responsibility_letters",
		"shanghai_commitment_letter", "verification_form", "pre_approval_permit", "no_pre_approval_pledge",
		"employment_proof", "app_icon")
	add("web.billing.", "prepaid", "pay_as_you_go")
	add("web.resources.why.", "pay_as_you_go", "too_short", "expired", "quota_exhausted")
	add("web.check.explain.", string(filing.NewFiling), string(filing.NewService), string(filing.NewServiceNoSubject),
		string(filing.NewAccess))
	add("web.step.", "check", "resource", "subject", "services", "materials", "verification", "review")
	add("web.demo.advance.", "1h", "25h", "72h", "168h", "720h")
	add("web.demo.channel.", "sms", "email")
	for _, a := range []string{"commitment", "security", "terms"} {
		add("web.agreement."+a+".", "title", "accept", "text")
	}
	// Pages whose handlers set no title of their own are titled web.title.<template>.
	add("web.title.", "home", "login", "register", "dashboard", "inbox", "check", "withdraw", "queue", "resources", "codes",
		"demo")
	for _, k := range keys {
		webtest.InEveryCatalog(t, "composed", k)
	}
}

func sampleOrder(nature string) *filing.Order {
	o := &filing.Order{ID: 7, Type: filing.NewFiling, State: filing.Draft, Province: "44",
		Subject: filing.Subject{Nature: nature, CredentialType: "business_license", CredentialNumber: "91440101MA9W87654R"},
		Services: []filing.Service{
			{Kind: filing.Website, Name: "示例官网", Domains: []string{"example.cn"}, IPs: []string{"203.0.113.1"},
				PreApprovals: []filing.PreApproval{{Type: "news", PermitNumber: "X1"}}},
			{Kind: filing.App, Name: "示例APP", Domains: []string{"api.example.cn"},
				App: &filing.AppInfo{Platforms: []filing.Platform{{Platform: "android"}}, SDKs: []filing.SDK{{Vendor: "v"}}}},
		}}
	if nature == "individual" {
		o.Subject.CredentialType = "resident_id"
	}
	return o
}

// Every field the wizard and the console show has a label in every language (never the JSON path).
func TestEveryFieldHasALabel(t *testing.T) {
	s := &Server{}
	for _, nature := range []string{"enterprise", "individual"} {
		for _, lang := range i18n.Langs {
			v := &web.View{Lang: lang}
			o := sampleOrder(nature)
			forms := []*web.Form{s.subjectForm(v, o), s.servicesForm(v, o), s.checkForm(v, provider.CheckInput{})}
			for _, f := range forms {
				for _, sec := range f.Sections {
					for _, fl := range sec.Fields {
						if fl.Label == "" || fl.Label == fl.Name || strings.HasPrefix(fl.Label, "web.") {
							t.Errorf("%s/%s: field %s has label %q", nature, lang, fl.Name, fl.Label)
						}
					}
				}
			}
			for _, opt := range noteFieldOptions(v, o, nil) {
				if strings.Contains(opt.Label, "web.") || strings.Contains(opt.Label, "[") {
					t.Errorf("%s/%s: note field %s is labelled %q", nature, lang, opt.Value, opt.Label)
				}
			}
		}
	}
}

// API errors name JSON paths; each lands beside the input that edits it, or its nearest enclosing one.
func TestErrorsLandBesideTheirFields(t *testing.T) {
	s := &Server{}
	v := &web.View{Lang: i18n.ZhCN}
	o := sampleOrder("enterprise")
	f := s.servicesForm(v, o)
	sub := s.subjectForm(v, o)
	f.Sections = append(f.Sections, sub.Sections...)
	cases := []struct{ field, target string }{
		{"subject.principal.mobile", "f-subject-principal-mobile"},
		{"subject.legal_representative.id_number", "f-subject-legal_representative-id_number"},
		{"services[0].name", "f-services-0-name"},
		{"services[0].domains[0]", "f-services-0-domains-0"}, // the website's domain (shown, fixed)
		{"services[1].domains[3]", "f-services-1-domains"},   // an APP's domains are one textarea
		{"services[1].content[2]", "f-services-1-content"},   // a checkbox group
		{"services[1].app.platforms[0].signature", "f-services-1-app-platforms-0-signature"},
		{"services[0].pre_approvals[0].permit_number", "f-services-0-pre_approvals-0-permit_number"},
		{"subject.principal", "sec-subject-principal"},      // the whole section
		{"services[1].principal", "f-services-1-principal"}, // the service principal's section
		{"agreements_accepted", ""},                         // not on this page: summary only
	}
	for _, c := range cases {
		f.Summary = nil
		f.Place([]web.FieldError{{Field: c.field, Message: "m"}})
		if got := f.Summary[0].Target; got != c.target {
			t.Errorf("%s: placed at %q, want %q", c.field, got, c.target)
		}
	}
	// Reviewer notes on fields not shown on a page are returned for the page to list.
	rest := f.Remark(web.Note, web.NoteRemarks([]filing.Note{{Field: "subject.name", Message: "a"}, {Field: "materials.subject_credential", Message: "b"}}))
	if len(rest) != 1 || rest[0].Field != "materials.subject_credential" {
		t.Fatalf("notes not placed: %+v", rest)
	}
	if fl, _ := f.Locate("subject.name"); len(fl.Notes) != 1 || len(fl.Warnings) != 0 {
		t.Fatalf("note not beside subject.name: %+v", fl)
	}
	// Warnings go to their own list, of the field or else of its section.
	if rest := f.Remark(web.Warning, []web.FieldError{{Field: "subject.name", Message: "w"},
		{Field: "subject.principal", Message: "s"}}); len(rest) != 0 {
		t.Fatalf("warnings not placed: %+v", rest)
	}
	fl, _ := f.Locate("subject.name")
	_, sec := f.Locate("subject.principal")
	if len(fl.Warnings) != 1 || len(fl.Notes) != 1 || sec == nil || len(sec.Warnings) != 1 {
		t.Fatalf("warnings misplaced: field %+v, section %+v", fl, sec)
	}
}

func TestStepOfField(t *testing.T) {
	cases := map[string]string{"subject.principal.mobile": "subject", "services[0].name": "services",
		"services[1].app.icon_material_id": "materials", "materials": "materials", "agreements_accepted": "review",
		"services[0].pre_approvals[0].material_id": "materials", "verification.subject_principal": "verification"}
	for in, want := range cases {
		if got := stepOfField(in); got != want {
			t.Errorf("stepOfField(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every page template of the provider parses in every language.
func TestTemplatesParse(t *testing.T) {
	site := web.NewSite(nil, nil)
	New(site, nil, nil)
	n, err := site.CheckTemplates()
	if err != nil || n < 15 {
		t.Fatalf("CheckTemplates = %d, %v", n, err)
	}
}
