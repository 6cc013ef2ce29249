package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/provider"
)

// inEveryCatalog fails for a key that some language lacks.
func inEveryCatalog(t *testing.T, where, key string) {
	t.Helper()
	for _, l := range i18n.Langs {
		found := false
		for _, k := range i18n.Keys(l) {
			if k == key {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: key %q is missing from the %s catalog", where, key, l)
		}
	}
}

var tmplKeyRE = regexp.MustCompile(`\b(?:t|tf)\s+"([^"]+)"`)

// No template may name a key that a catalog lacks (a user would see the raw key).
func TestTemplatesReferenceKnownKeys(t *testing.T) {
	n := 0
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range tmplKeyRE.FindAllStringSubmatch(string(b), -1) {
			n++
			inEveryCatalog(t, p, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 200 {
		t.Fatalf("found only %d t/tf calls in the templates: is the pattern still right?", n)
	}
}

var goKeyRE = regexp.MustCompile(`"(web\.[a-z0-9_.]*[a-z0-9_])"`)

// Keys written whole in the page handlers exist too.
func TestHandlersReferenceKnownKeys(t *testing.T) {
	files, _ := filepath.Glob("pages*.go")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKeyRE.FindAllStringSubmatch(string(b), -1) {
			n++
			inEveryCatalog(t, f, m[1])
		}
	}
	if n < 50 {
		t.Fatalf("found only %d keys in the handlers", n)
	}
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
	for k := range flashKeys {
		add("web.flash.", k)
	}
	add("web.miit.state.", miitStates...)
	add("web.miit.sms_state.", "pending", "verified", "void")
	for _, r := range reasonTemplates {
		add("web.reason.", r.key, r.key+".title")
	}
	// SPEC §4.5 material codes, the rules engine's extras, and the APP icon.
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
	add("web.query.kind.", "domain", "number", "subject_name")
	for _, a := range []string{"commitment", "security", "terms"} {
		add("web.agreement."+a+".", "title", "accept", "text")
	}
	// Pages whose handlers set no title of their own are titled web.title.<template>.
	add("web.title.", "home", "login", "register", "dashboard", "inbox", "check", "withdraw", "queue", "resources", "codes",
		"verify", "officer_queue", "query", "demo", "error")
	for _, code := range []string{"sms_phone_invalid", "sms_code_invalid", "sms_last6_invalid", "sms_wrong_code",
		"sms_locked", "sms_expired", "sms_not_pending", "review_not_found", "reason_required", "not_in_review",
		"approve_conflict"} {
		if !i18n.Has("miit." + code) {
			add("web.error.miit.", code)
		}
	}
	for _, k := range keys {
		inEveryCatalog(t, "composed", k)
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
			v := &view{Lang: lang}
			o := sampleOrder(nature)
			forms := []*form{s.subjectForm(v, o), s.servicesForm(v, o), s.checkForm(v, provider.CheckInput{})}
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

func TestFieldPaths(t *testing.T) {
	cases := []struct{ path, id, parent, key string }{
		{"subject.principal.mobile", "f-subject-principal-mobile", "subject.principal", "web.field.principal.mobile"},
		{"services[0].domains[0]", "f-services-0-domains-0", "services[0].domains", "web.field.service.domains"},
		{"services[2].principal.email", "f-services-2-principal-email", "services[2].principal", "web.field.principal.email"},
		{"services[1].app.platforms[0].package", "f-services-1-app-platforms-0-package", "services[1].app.platforms[0]",
			"web.field.service.app.platforms.package"},
		{"subject.name", "f-subject-name", "subject", "web.field.subject.name"},
		{"province", "f-province", "", "web.field.province"},
		{"resource.instance_id", "f-resource-instance_id", "resource", "web.field.resource.instance_id"},
	}
	for _, c := range cases {
		if got := fieldID(c.path); got != c.id {
			t.Errorf("fieldID(%q) = %q, want %q", c.path, got, c.id)
		}
		if got := parentPath(c.path); got != c.parent {
			t.Errorf("parentPath(%q) = %q, want %q", c.path, got, c.parent)
		}
		if got := labelKey(c.path); got != c.key {
			t.Errorf("labelKey(%q) = %q, want %q", c.path, got, c.key)
		}
	}
}

// API errors name JSON paths; each lands beside the input that edits it, or its nearest enclosing one.
func TestErrorsLandBesideTheirFields(t *testing.T) {
	s := &Server{}
	v := &view{Lang: i18n.ZhCN}
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
		f.place([]fieldError{{Field: c.field, Message: "m"}})
		if got := f.Summary[0].Target; got != c.target {
			t.Errorf("%s: placed at %q, want %q", c.field, got, c.target)
		}
	}
	// Reviewer notes on fields not shown on a page are returned for the page to list.
	rest := f.notes([]filing.Note{{Field: "subject.name", Message: "a"}, {Field: "materials.subject_credential", Message: "b"}})
	if len(rest) != 1 || rest[0].Field != "materials.subject_credential" {
		t.Fatalf("notes not placed: %+v", rest)
	}
	if fl, _ := f.locate("subject.name"); len(fl.Notes) != 1 {
		t.Fatalf("note not beside subject.name: %+v", fl)
	}
}

func TestLocalPath(t *testing.T) {
	cases := map[string]string{"/orders/3": "/orders/3", "": "/", "//evil.example": "/", "https://evil.example": "/",
		"/\\evil": "/", "/query?kind=domain": "/query?kind=domain"}
	for in, want := range cases {
		if got := localPath(in, "/"); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
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

// Every page template parses in every language, and the static files have content-hash URLs.
func TestTemplatesAndAssets(t *testing.T) {
	ts, err := loadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range i18n.Langs {
		if len(ts[l]) != len(pageNames()) || len(ts[l]) < 15 {
			t.Fatalf("%s: %d templates for %d pages", l, len(ts[l]), len(pageNames()))
		}
	}
	for _, name := range []string{"app.css", "app.js", "favicon.svg"} {
		u := assetURL(name)
		if !regexp.MustCompile(`^/static/[0-9a-f]{12}/` + regexp.QuoteMeta(name) + `$`).MatchString(u) {
			t.Errorf("asset URL %q", u)
		}
	}
}
