package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// refusedForm is one page form posted with a refused character in one text field.
type refusedForm struct {
	name, login, path string
	form              url.Values
	errID             string   // the id of the error beside the refused field
	kept              []string // what the form shows again
	gone              []string // what it must not show again
	// unchanged reads, before the post, what the form would have changed and returns the check that it did not
	// (nil when nothing is cheap to read through the API).
	unchanged func(*testing.T) func(*testing.T)
}

// A control character, a bidi override or invalid UTF-8 typed into a page form shows the same form again, not
// the error page: the error beside the field it names, everything else that was typed kept (passwords cleared)
// and nothing saved. Over every form that goes through Site.FormPost (the provider's applicant and console
// pages, the MIIT simulator's), and the police platform's registration.
func TestFormsShowRefusedTextBesideTheField(t *testing.T) {
	a := startApp(t)
	base := a.URL()
	f := newRefusalFixtures(t, base)
	for _, c := range portalForms(f) {
		refuse(t, base, c)
	}
	f.submit(t, f.claim, nil) // the reviewer authorizes a claim once it is submitted
	for _, c := range append(consoleForms(f), otherForms(f)...) {
		refuse(t, base, c)
	}
	// A decision that is neither approve nor reject (a crafted form) is refused, not taken for a rejection.
	t.Run("MIIT officer's unknown decision", func(t *testing.T) {
		b := newBrowser(t, base)
		b.lang = "zh-CN"
		b.login(officer)
		review := fmt.Sprintf("/miit/api/v1/reviews/%d", f.review)
		before := f.raw(t, f.officer, review)
		p := b.post(fmt.Sprintf("/miit/console/reviews/%d", f.review), url.Values{"decision": {"maybe"}, "reason": {"网站已关闭"}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "请选择“通过”或“驳回”") {
			t.Fatalf("decision=maybe: %d, want 422 asking for approve or reject:\n%s", p.status, p.body)
		}
		if after := f.raw(t, f.officer, review); after != before {
			t.Fatalf("decision=maybe changed the review:\n%s\n%s", before, after)
		}
	})
}

// The curtain forms do the same, in curtain mode (the only one where an applicant may ask for a curtain): the
// applicant's request with a control character in the address, the desk's dispatch with one in the tracking number.
func TestCurtainFormsShowRefusedTextBesideTheField(t *testing.T) {
	a := apptest.Start(t, "", func(c *app.Config) { c.Evidence.FaceMode = "curtain" })
	base := a.URL()
	f := &refusalFixtures{base: base, applicant: apiLogin(t, base, "applicant@beian.local"), reviewer: apiLogin(t, base, "reviewer@beian.local")}
	f.draft = guangzhouOrder(t, base, f.applicant, "91440101MA9W87654R", "gz-refused.cn", "广州拒收测试科技有限公司", "chenwei@gz-refused.cn", false)
	mailings := fmt.Sprintf("/api/v1/orders/%d/curtain-mailings", f.draft)
	refuse(t, base, refusedForm{"curtain request", applicant, fmt.Sprintf("/orders/%d/curtain", f.draft), url.Values{
		"recipient": {"陈伟"}, "mobile": {"13926184530"}, "province": {"44"}, "address": {"广州市天河区\x1b天河路1号"}},
		"f-address-err", []string{`value="陈伟"`, `value="13926184530"`}, nil,
		stays(func(t *testing.T) int { return f.count(t, f.applicant, mailings, "mailings") })})
	var m struct{ ID int64 }
	apiCall(t, base, f.applicant, "POST", mailings, provider.CurtainRequest{
		Recipient: "陈伟", Mobile: "13926184530", Province: "44", Address: "广州市天河区天河路1号"}, &m)
	refuse(t, base, refusedForm{"curtain dispatch", reviewer, fmt.Sprintf("/console/curtains/%d", m.ID), url.Values{
		"carrier": {"顺丰速运"}, "tracking": {"SF\x001234567"}}, fmt.Sprintf("tracking-%d-err", m.ID), []string{`value="顺丰速运"`}, nil,
		stays(func(t *testing.T) string { return f.raw(t, f.reviewer, "/api/v1/console/curtain-mailings") })})
}

// refuse posts form c and checks it comes back with the error beside its field, having acted on nothing.
func refuse(t *testing.T, base string, c refusedForm) {
	t.Run(c.name, func(t *testing.T) {
		b := newBrowser(t, base)
		b.lang = "zh-CN"
		if c.login != "" {
			b.login(c.login)
		}
		var after func(*testing.T)
		if c.unchanged != nil {
			after = c.unchanged(t)
		}
		var p page
		if withPhoto[c.path] {
			p = b.postWithPhoto(c.path, c.form)
		} else {
			p = b.post(c.path, c.form)
		}
		shownAgain(t, c, p)
		if after != nil {
			after(t)
		}
	})
}

// shownAgain checks that p is form c again: HTTP 422, the error beside the refused field, named by the field's
// aria-describedby and linked from the summary by the field's label, the rest of what was typed kept.
func shownAgain(t *testing.T, c refusedForm, p page) {
	t.Helper()
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="`+c.errID+`"`) ||
		!strings.Contains(p.body, `action="`) {
		t.Fatalf("%s: %d, want the form again with %s:\n%s", c.path, p.status, c.errID, p.body)
	}
	if !regexp.MustCompile(`aria-describedby="(?:[^"]* )?` + regexp.QuoteMeta(c.errID) + `[ "]`).MatchString(p.body) {
		t.Errorf("%s: no input is described by %s", c.path, c.errID)
	}
	input := strings.TrimSuffix(c.errID, "-err")
	if strings.Contains(p.body, `id="error-summary"`) && !strings.Contains(p.body, `href="#`+input+`"`) {
		t.Errorf("%s: the error summary does not lead to #%s:\n%s", c.path, input, summaryRE.FindString(p.body))
	}
	if raw := rawLabelRE.FindString(p.body); raw != "" {
		t.Errorf("%s: the summary names a field by its form name: %s", c.path, raw)
	}
	for _, want := range c.kept {
		if !strings.Contains(p.body, want) {
			t.Errorf("%s: %s not kept", c.path, want)
		}
	}
	for _, bad := range c.gone {
		if strings.Contains(p.body, bad) {
			t.Errorf("%s: %q shown again", c.path, bad)
		}
	}
}

var (
	summaryRE  = regexp.MustCompile(`(?s)<div class="error-summary.*?</div>`)
	rawLabelRE = regexp.MustCompile(`err-field">[a-z_.\[\]0-9]+<`) // a form name, not a label
)

// withPhoto are the forms that carry a file, sent as a browser sends them (multipart).
var withPhoto = map[string]bool{"/miit/app": true}

const applicant, reviewer, operator, officer = "applicant@beian.local", "reviewer@beian.local", "operator@beian.local", "officer@beian.local"

// portalForms are the applicant's forms (and the sign-in and registration before them).
func portalForms(f *refusalFixtures) []refusedForm {
	orders := stays(func(t *testing.T) int { return f.count(t, f.applicant, "/api/v1/orders", "orders") })
	draft, submitted := fmt.Sprintf("/orders/%d", f.draft), fmt.Sprintf("/orders/%d", f.submitted)
	return []refusedForm{
		{"register", "", "/register", url.Values{"email": {"refused@example.com"}, "name": {"赵\u202e六"},
			"mobile": {"13912345679"}, "password": {"Passw0rd!2026"}, "password2": {"Passw0rd!2026"}},
			"f-name-err", []string{`value="refused@example.com"`, `value="13912345679"`}, []string{"Passw0rd!2026"}, unopened(f.base)},
		{"login", "", "/login", url.Values{"email": {applicant}, "password": {"x\x00y"}, "next": {"/"}},
			"f-password-err", []string{`value="applicant@beian.local"`}, []string{"x\x00y"}, nil},
		{"filing-type check", applicant, "/filings/new", url.Values{"action": {"check"}, "province": {"44"},
			"nature": {"enterprise"}, "credential_type": {"business_license"}, "credential_number": {"91440101MA9W8\x0076"},
			"service_kind": {"website"}, "domain": {"check-refused.cn"}},
			"f-credential_number-err", []string{`value="check-refused.cn"`}, nil, orders},
		{"wizard subject", applicant, draft + "/subject", url.Values{"action": {"save"},
			"subject.name": {"广州\x00拒收"}, "subject.principal.name": {"陈大文"}}, "f-subject-name-err", []string{`value="陈大文"`}, nil,
			stays(func(t *testing.T) string {
				o := f.order(t, f.draft)
				return o.Subject.Name + "/" + o.Subject.Principal.Name
			})},
		{"wizard services", applicant, draft + "/services", url.Values{"action": {"save"},
			"services[0].name": {"广州拒收\u202e官网"}, "services[0].home_url": {"https://gz-refused.cn/about"},
			"services[0].content": {"unit_portal"}, "services[0].languages": {"zh-Hans"}}, "f-services-0-name-err",
			[]string{`value="https://gz-refused.cn/about"`, `value="unit_portal" checked`,
				"<bdi class=\"err-field\">网站 1「广州拒收\u202e官网」"}, nil, // the override typed stays inside the label
			stays(func(t *testing.T) string {
				o := f.order(t, f.draft)
				return o.Services[0].Name + " " + o.Services[0].HomeURL
			})},
		{"claim code", applicant, fmt.Sprintf("/orders/%d/claim", f.claim), url.Values{"action": {"verify"}, "code": {"12\x003456"}},
			"f-code-err", nil, nil, stays(func(t *testing.T) string { return string(f.order(t, f.claim).State) })},
		{"withdrawal", applicant, submitted + "/withdraw", url.Values{"reason": {"不再\x00需要"}, "confirm": {"yes"}},
			"f-reason-err", []string{">不再"}, nil, stays(func(t *testing.T) string { return string(f.order(t, f.submitted).State) })},
		{"new service", applicant, "/filings/" + url.PathEscape(demoFiled) + "/new-service", url.Values{"type": {"new_service"},
			"service_kind": {"app"}, "app_name": {"示例\x07应用"}, "resource.instance_id": {"1"}},
			"f-app_name-err", []string{`value="app" checked`}, nil, orders},
		{"claim", applicant, "/claims", url.Values{"subject_number": {"京ICP备\u202d2024000009号"}}, "f-subject_number-err", []string{`value="京ICP备`}, nil, orders},
		{"code request", applicant, "/code-requests", url.Values{"domain": {"refused-code.cn"}, "reason": {"迁移\x1b[31m"}},
			"f-reason-err", []string{`value="refused-code.cn"`}, nil,
			stays(func(t *testing.T) int {
				return f.count(t, f.applicant, "/api/v1/authorization-code-requests", "requests")
			})},
	}
}

// consoleForms are the reviewer's and the operator's forms.
func consoleForms(f *refusalFixtures) []refusedForm {
	order := func(id int64) func(*testing.T) func(*testing.T) {
		return stays(func(t *testing.T) string { return string(f.order(t, id).State) })
	}
	request := stays(func(t *testing.T) string {
		return f.raw(t, f.reviewer, "/api/v1/console/authorization-code-requests")
	})
	return []refusedForm{
		{"reviewer's decision", reviewer, fmt.Sprintf("/console/orders/%d", f.submitted), url.Values{
			"decision": {"request_changes"}, "note_field_0": {"subject.name"}, "note_template_0": {""},
			"note_message_0": {"请核对名称"}, "reason": {"名称\x1b不符"}}, "reason-err", []string{"请核对名称"}, nil, order(f.submitted)},
		{"reviewer's call log", reviewer, fmt.Sprintf("/console/orders/%d/calls", f.submitted), url.Values{
			"person": {"subject_principal"}, "number": {"mobile"}, "outcome": {"no_answer"}, "note": {"未接\x07"}},
			"f-note-err", []string{`<option value="no_answer" selected>`}, nil, stays(func(t *testing.T) int {
				return f.count(t, f.reviewer, fmt.Sprintf("/api/v1/console/orders/%d/calls", f.submitted), "calls")
			})},
		{"claim authorization", reviewer, fmt.Sprintf("/console/orders/%d/claim", f.claim), url.Values{
			"reason": {"营业执照\x00一致"}}, "authorize-reason-err", []string{">营业执照"}, nil, order(f.claim)},
		{"verification request", reviewer, fmt.Sprintf("/console/orders/%d/verification", f.submitted), url.Values{
			"action": {"request"}, "person": {"legal_representative"}, "note": {"请法定代表人\u202e核验"}}, "note-lr-err", []string{">请法定代表人"}, nil,
			stays(func(t *testing.T) string {
				return f.raw(t, f.reviewer, fmt.Sprintf("/api/v1/orders/%d/verification", f.submitted))
			})},
		{"verification return", reviewer, fmt.Sprintf("/console/orders/%d/verification", f.submitted), url.Values{
			"action": {"return"}, "verification": {fmt.Sprint(f.verification)}, "note": {"照片模糊\a请重拍"}},
			"note-subject_principal-err", []string{">照片模糊"}, nil, stays(func(t *testing.T) string {
				return f.raw(t, f.reviewer, fmt.Sprintf("/api/v1/orders/%d/verification", f.submitted)) + string(f.order(t, f.submitted).State)
			})},
		{"code request issue", reviewer, fmt.Sprintf("/console/code-requests/%d/issue", f.codeRequest), url.Values{
			"ips": {"203.0.113.9\x00"}, "validity_days": {"45"}}, fmt.Sprintf("ips-%d-err", f.codeRequest),
			[]string{`value="45"`}, nil, request},
		{"code request decline", reviewer, fmt.Sprintf("/console/code-requests/%d/decline", f.codeRequest), url.Values{
			"reason": {"不予\x00签发"}}, fmt.Sprintf("reason-%d-err", f.codeRequest), []string{">不予"}, nil, request},
		{"channels", reviewer, "/console/channels/pc", url.Values{"provinces": {"44", "4\x005"}}, "f-provinces-err", nil, nil,
			stays(func(t *testing.T) string { return f.raw(t, "", "/api/v1/channels") })},
		{"resources", operator, "/console/resources", url.Values{"owner_email": {applicant}, "name": {"ecs\x00refused"},
			"region": {"cn-guangzhou"}, "ips": {"203.0.113.99"}, "billing": {"prepaid"}, "starts_at": {"2026-01-01"},
			"expires_at": {"2027-01-01"}, "quota_total": {"5"}}, "f-name-err", []string{`value="203.0.113.99"`}, nil,
			stays(func(t *testing.T) int { return f.count(t, f.applicant, "/api/v1/resources", "resources") })},
		{"authorization codes", operator, "/console/codes", url.Values{"domain": {"codes-refused.cn"},
			"ips": {"203.0.113.5\x00"}, "validity_days": {"30"}}, "f-ips-err", []string{`value="codes-refused.cn"`}, nil,
			stays(func(t *testing.T) int { return f.count(t, f.operator, "/api/v1/console/authorization-codes", "codes") })},
		{"calendar", operator, "/console/calendar", url.Values{"year": {"2031"}, "days": {"2031-01-01 休\x00"}},
			"f-days-err", []string{`value="2031"`}, nil,
			stays(func(t *testing.T) int { return f.count(t, f.operator, "/api/v1/console/calendar", "entered") })},
		{"sweep schedule", operator, "/console/compliance/schedule", url.Values{"every": {"daily\x00"}}, "every-err", nil, nil,
			stays(func(t *testing.T) string { return f.raw(t, f.operator, "/api/v1/console/compliance/schedule") })},
	}
}

// otherForms are the MIIT simulator's (its Shanghai app's form carries a photo, so its text reaches the handler
// unchecked and the simulator refuses it) and the police platform's.
func otherForms(f *refusalFixtures) []refusedForm {
	return []refusedForm{
		{"MIIT verification", "", "/miit/verify", url.Values{"phone": {"13912345678"}, "code": {"123456"},
			"id_last6": {"12345\xff"}, "captcha_id": {"x"}, "captcha": {"1"}},
			"f-id_last6-err", []string{`value="13912345678"`}, nil, nil},
		{"MIIT officer's decision", officer, fmt.Sprintf("/miit/console/reviews/%d", f.review), url.Values{
			"decision": {"reject"}, "reason": {"网站\x00已关闭"}}, "reason-err", []string{">网站"}, nil,
			stays(func(t *testing.T) string {
				return f.raw(t, f.officer, fmt.Sprintf("/miit/api/v1/reviews/%d", f.review))
			})},
		{"Shanghai administration app", "", "/miit/app", url.Values{"name": {"张\u202e三"}, "id_number": {"310101199001011234"}},
			"app-name-err", []string{`value="310101199001011234"`}, nil, nil},
		{"police platform", "", "/mps/register", url.Values{"username": {"refused_user"}, "password": {"Passw0rd!2026"},
			"password_confirm": {"Passw0rd!2026"}, "name": {"赵\u202e六"}, "credential_type": {"resident_id"},
			"credential_number": {"11010519491231002X"}, "mobile": {"13912345677"}, "email": {"mps-refused@example.com"}},
			"name-err", []string{`value="refused_user"`, `value="13912345677"`, `value="mps-refused@example.com"`},
			[]string{"Passw0rd!2026"}, nil},
	}
}

// The reviewer's button that sends a returned order to the administration again carries no text, but a POST of
// it with refused text (a crafted or garbled form) sends nothing: the order page answers 422 and the order stays
// returned, while the same POST without it does send the order.
func TestRefusedReforwardSendsNothing(t *testing.T) {
	base := startApp(t).URL()
	f := &refusalFixtures{base: base, applicant: apiLogin(t, base, applicant), reviewer: apiLogin(t, base, reviewer),
		operator: apiLogin(t, base, operator)}
	id := guangzhouOrder(t, base, f.applicant, "91440101MA9W87654R", "gz-reforward.cn", "广州重报测试科技有限公司", "chenwei@gz-reforward.cn", true)
	apiCall(t, base, f.reviewer, "POST", fmt.Sprintf("/api/v1/console/orders/%d/decisions", id), provider.Decision{Decision: "approve"}, nil)
	f.waitState(t, id, filing.SMSPending)
	apiCall(t, base, f.operator, "POST", "/api/v1/dev/clock", map[string]string{"advance": "25h"}, nil) // SMS expired
	f.waitState(t, id, filing.Returned)

	b := newBrowser(t, base)
	b.login(reviewer)
	path := fmt.Sprintf("/console/orders/%d", id)
	if p := b.post(path, url.Values{"action": {"reforward"}, "reason": {"再次\x00报送"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("refused reforward: %d", p.status)
	}
	if st := f.order(t, id).State; st != filing.Returned {
		t.Fatalf("the refused reforward sent the order: %s", st)
	}
	if p := b.post(path, url.Values{"action": {"reforward"}, "reason": {"再次报送"}}); p.status != http.StatusSeeOther {
		t.Fatalf("reforward: %d %s", p.status, p.body)
	}
	if st := f.order(t, id).State; st == filing.Returned {
		t.Fatal("the reforward did not send the order")
	}
}

// The reviewer's note sending a confirmed face check back: left empty it is refused beside the note, which the
// error names as the form labels it, with the order and the check as they were; with a note the order goes
// back to the applicant, who reads the note on the check.
func TestVerificationReturnNote(t *testing.T) {
	base := startApp(t).URL()
	f := &refusalFixtures{base: base, applicant: apiLogin(t, base, applicant), reviewer: apiLogin(t, base, reviewer)}
	id := guangzhouOrder(t, base, f.applicant, "91440101MA9W87654R", "gz-return.cn", "广州退回测试科技有限公司", "chenwei@gz-return.cn", false)
	vid := fmt.Sprint(f.confirmFace(t, id, "subject_principal"))
	f.submit(t, id, nil)
	evidence := fmt.Sprintf("/api/v1/orders/%d/verification", id)
	before := f.raw(t, f.applicant, evidence)

	b := newBrowser(t, base)
	b.lang = "zh-CN"
	b.login(reviewer)
	form := fmt.Sprintf("/console/orders/%d/verification", id)
	empty := refusedForm{path: form, errID: "note-subject_principal-err"}
	p := b.post(form, url.Values{"action": {"return"}, "verification": {vid}, "note": {" \n "}})
	shownAgain(t, empty, p)
	if m := regexp.MustCompile(`(?s)id="note-subject_principal-err"[^>]*>(.*?)</`).FindStringSubmatch(p.body); m == nil ||
		!strings.Contains(m[1], "退回原因") {
		t.Errorf("the error beside the note does not name it: %q", m)
	}
	if after := f.raw(t, f.applicant, evidence); after != before || f.order(t, id).State != filing.Submitted {
		t.Fatalf("the empty note was acted on: %s, order %s", after, f.order(t, id).State)
	}

	if p := b.post(form, url.Values{"action": {"return"}, "verification": {vid}, "note": {"照片模糊，请重拍"}}); p.status != http.StatusSeeOther {
		t.Fatalf("send back: %d %s", p.status, p.body)
	}
	if st := f.order(t, id).State; st != filing.NeedsChanges {
		t.Errorf("after the check was sent back the order is %s, want %s", st, filing.NeedsChanges)
	}
	var ev provider.EvidenceStatus
	apiCall(t, base, f.applicant, "GET", evidence, nil, &ev)
	if len(ev.Persons) == 0 || ev.Persons[0].State != "returned" || ev.Persons[0].Note != "照片模糊，请重拍" {
		t.Errorf("the applicant reads the principal's check after it was sent back as %+v", ev.Persons)
	}
}
