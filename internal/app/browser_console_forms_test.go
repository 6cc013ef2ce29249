package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// The console's forms in a real browser, each as a reviewer, an officer or the public meets it: a mistake (a
// blank, a character pasted from elsewhere, a photo without a face) comes back beside its field, named as the
// form labels it, with what was typed kept and nothing done; corrected, the form does what it says, and a reload
// shows it done. One app and one browser for all of them, in zh-CN (the browser's language); the steps of the
// table consoleLangs are also taken in zh-TW and en by TestBrowserConsoleFormErrorsInLanguages.
func TestBrowserConsoleFormErrors(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, "", func(c *app.Config) { c.Evidence.Require = false })
	base := a.URL()
	p := newParties(t, a)
	demo := login(t, base, "applicant@beian.local", app.DemoPassword)

	// The reviewer's decision, then the order's verification page (the steps every language takes).
	zh := consoleLangs[0]
	c, o := p.submittedVerified("forms@example.com", "console-forms.cn")
	rev := newTab(t, browser, base, viewports[0])
	rev.login("reviewer@beian.local", app.DemoPassword)
	decisionRefused(p, rev, c, o.ID, zh)
	c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
	verificationRefused(p, rev, c, o.ID, zh)

	// The claim's authorization: a formatting character in the remark is refused beside it, named 总体说明 (the
	// form's label, not the catalog's generic 原因); without it the claim is authorized.
	var claim filing.Order
	demo.must(201, "POST", "/api/v1/claims", provider.ClaimInput{SubjectNumber: "京ICP备2024000001号"}, &claim)
	demo.must(200, "POST", path("/api/v1/orders/%d/claim-code", claim.ID), nil, nil)
	edit(demo, &claim, nil)
	var conf struct{ Phrase string }
	demo.must(200, "GET", path("/api/v1/orders/%d/consequences", claim.ID), nil, &conf)
	demo.must(200, "POST", path("/api/v1/orders/%d/submit", claim.ID), map[string]string{"confirm": conf.Phrase}, nil)
	rev.open(path("/console/orders/%d", claim.ID))
	rev.fill("authorize-reason", "营业执照与\u202d主体一致")
	rev.submit("#btn-authorize")
	rev.refusedBeside("authorize-reason", "总体说明", "U+202D")
	rev.kept(map[string]string{"authorize-reason": "营业执照与\u202d主体一致"})
	unchanged(t, p.state(demo, claim.ID), filing.Submitted)
	rev.fill("authorize-reason", "营业执照与主体一致")
	rev.submit("#btn-authorize")
	rev.reload()
	if st := p.state(demo, claim.ID); st != filing.Approved {
		t.Errorf("after the authorization the claim is %s", st)
	}
	rev.absent("#btn-authorize")

	// An applicant's request for an authorization code: declining without a reason, and issuing for an address
	// that is no IP, are refused beside those fields, the validity typed kept; then the code is issued.
	var q struct{ ID int64 }
	demo.must(201, "POST", "/api/v1/authorization-code-requests", map[string]string{"domain": "forms-code.cn",
		"reason": "网站部署在自建机房"}, &q)
	n := fmt.Sprint(q.ID)
	rev.open("/console/code-requests")
	rev.fill("reason-"+n, " ")
	rev.submit("#request-" + n + " .decline-form button")
	rev.refusedBeside("reason-"+n, "未通过原因")
	rev.fill("ips-"+n, "203.0.113.300")
	rev.fill("validity_days-"+n, "45")
	rev.submit("#request-" + n + " .issue-form button")
	rev.refusedBeside("ips-"+n, "“203.0.113.300”", "IP 地址格式不正确")
	rev.kept(map[string]string{"ips-" + n: "203.0.113.300", "validity_days-" + n: "45"})
	rev.accessible("code request refused")
	rev.fill("ips-"+n, "203.0.113.30")
	rev.submit("#request-" + n + " .issue-form button")
	rev.reload()
	rev.contains("#request-"+n, "已签发")

	// The sweep schedule, sent from a page left open while its choices changed (a frequency the platform no
	// longer offers), is refused beside the choice; a frequency it offers is saved.
	rev.open("/console/compliance")
	rev.eval(`(function(){var o=document.querySelector('#every option[value="weekly"]'); o.value="hourly"; o.selected=true; return ""})()`)
	rev.submit("#btn-schedule")
	rev.refusedBeside("every", "频率")
	rev.fill("every", "daily")
	rev.submit("#btn-schedule")
	rev.reload()
	if got := rev.value("every"); got != "daily" {
		t.Errorf("after the reload the schedule reads %q, want daily", got)
	}

	// Shanghai: the administration's app, then its officer's decision.
	owner, sh := p.shanghaiAtSMS("shanghai-forms@example.com", "shanghai-forms.cn", zhang)
	pub := newTab(t, browser, base, viewports[1])
	appRefused(p, pub, owner, sh.ID, zh)
	off := newTab(t, browser, base, viewports[0])
	off.login("officer@beian.local", app.DemoPassword)
	officerRefused(p, off, owner, sh.ID, zh)
}

// zhang is the principal of the test's Shanghai filings, checked in the administration's app.
var zhang = filing.Principal{Name: "张三", CredentialType: "resident_id", CredentialNumber: "110105199001010029",
	CredentialValidFrom: "2016-03-01", CredentialValidTo: "2036-03-01", OfficePhone: "021-58881234",
	Mobile: "13800138011", EmergencyMobile: "13751208473", Email: "zhangsan@shanghai-forms.cn"}

// catalogKeyRE is a message key shown instead of its text.
var catalogKeyRE = regexp.MustCompile(`\b(verify|verification|miit|web|review|authreq|claim|common|compliance|face|imaging)\.[a-z_]+(\.[a-z_]+)*\b`)

// refusedBeside checks the page a refused form came back as: the error beside input holds every want, the input
// is marked invalid, the error summary leads to it, and no message key shows untranslated.
func (b *tab) refusedBeside(input string, want ...string) {
	b.t.Helper()
	b.contains("#"+input+"-err", want...)
	if inv := b.eval(`document.getElementById("` + input + `").getAttribute("aria-invalid")`); inv != "true" {
		b.t.Errorf("%s is not marked invalid", input)
	}
	if n := b.eval(`String(document.querySelectorAll('#error-summary a[href="#` + input + `"]').length)`); n == "0" {
		b.t.Errorf("the error summary does not lead to %s: %q", input, b.text("#error-summary"))
	}
	if k := catalogKeyRE.FindString(b.text("main")); k != "" {
		b.t.Errorf("the page shows the key %s", k)
	}
	if raw := b.eval(`Array.from(document.querySelectorAll("#error-summary .err-field")).map(function(e){return e.textContent})
		.filter(function(l){return /^[a-z_.\[\]0-9-]+$/.test(l)}).join(" ")`); raw != "" {
		b.t.Errorf("the error summary names fields by their form names: %s", raw)
	}
}

// unchanged fails the test when a refused form moved the order on.
func unchanged(t *testing.T, got, want filing.State) {
	t.Helper()
	if got != want {
		t.Fatalf("after the refused form the order is %s, want it still %s", got, want)
	}
}

// kept fails unless each control holds the value given (what was typed, or nothing for another form's field).
func (b *tab) kept(values map[string]string) {
	b.t.Helper()
	for id, want := range values {
		if got := b.value(id); got != want {
			b.t.Errorf("%s reads %q after the refusal, want %q", id, got, want)
		}
	}
}

// photoFile writes photo to a file to pick in a file input.
func photoFile(t *testing.T, photo []byte) string {
	f := filepath.Join(t.TempDir(), "photo.jpg")
	if err := os.WriteFile(f, photo, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// submittedVerified is a new applicant and their Guangdong website filing, its principal's face check
// confirmed, submitted to the reviewer.
func (p *parties) submittedVerified(email, domain string) (*client, *filing.Order) {
	p.t.Helper()
	c, res := p.newApplicant(email)
	o := p.draftReady(c, res, domain)
	p.verifyPerson(c, o.ID, "subject_principal")
	c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
	return c, o
}

// shanghaiAtSMS is a new applicant and their Shanghai website filing, approved by the reviewer and at the
// administration awaiting the SMS check; its principal (another person than the Guangdong filings' of the
// test: the rules keep one person's contacts the same across subjects, and an e-mail to one subject) is
// checked in the administration's app.
func (p *parties) shanghaiAtSMS(email, domain string, principal filing.Principal) (*client, *filing.Order) {
	p.t.Helper()
	c, res := p.newApplicant(email)
	o, cont := p.shanghaiDraft(c, res, domain)
	cont.Subject.Principal = principal
	cont.Subject.LegalRepresentative = &filing.LegalRepresentative{Name: principal.Name, IDNumber: principal.CredentialNumber}
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), cont, nil)
	p.forward(c, o.ID)
	return c, o
}
