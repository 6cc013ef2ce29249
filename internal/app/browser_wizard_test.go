package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/beian/beian/internal/filing"
)

// The wizard as an applicant uses it (issue #10): what is typed is saved as it is typed and survives a reload;
// leaving with changes not yet saved either saves them first (a link on the page) or warns (anything else).
func TestBrowserWizard(t *testing.T) {
	browser := newBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Run("autosave", func(t *testing.T) { autosaveInBrowser(t, browser, vp) })
			t.Run("notices", func(t *testing.T) { noticesInBrowser(t, browser, vp) })
		})
	}
}

// wizardDraft starts a server, registers an applicant with an instance, opens a draft over the API and returns
// a browser tab logged in as that applicant, the order, and the applicant's API client.
func wizardDraft(t *testing.T, browser context.Context, vp viewport) (*tab, *filing.Order, *client) {
	t.Helper()
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("wizard@example.com")
	o := p.open(c, check("wizard-demo.cn"), res, filing.NewFiling)
	b := newTab(t, browser, a.URL(), vp)
	b.login("wizard@example.com", "correct horse 1")
	return b, o, c
}

func autosaveInBrowser(t *testing.T, browser context.Context, vp viewport) {
	b, o, _ := wizardDraft(t, browser, vp)
	subject := path("/orders/%d/subject", o.ID)

	// Typed, waited for, reloaded: still there.
	b.open(subject)
	b.do(chromedp.SendKeys(chromedp.ID("f-subject-name"), "广州示例云计算科技发展有限公司"))
	b.waitText(".autosave", "已自动保存")
	b.do(chromedp.Reload())
	if got := b.eval(`document.getElementById("f-subject-name").value`); got != "广州示例云计算科技发展有限公司" {
		t.Fatalf("after a reload the name reads %q", got)
	}

	// Changes not saved yet: closing or reloading the page asks first.
	b.do(chromedp.SendKeys(chromedp.ID("f-subject-investor"), "陈伟"))
	if got := b.eval(`(function(){var e=new Event("beforeunload",{cancelable:true});window.dispatchEvent(e);` +
		`return String(e.defaultPrevented)})()`); got != "true" {
		t.Fatalf("leaving with unsaved changes does not warn (defaultPrevented=%s)", got)
	}

	// Going to another step through the step bar right after typing keeps what was typed.
	b.do(chromedp.SendKeys(chromedp.ID("f-subject-credential_address"), "广州市天河区天河路100号"))
	b.do(void(chromedp.Evaluate[bool]("window.__old = true")), chromedp.Click(chromedp.CSS(`.steps a[href$="/services"]`)))
	b.waitNewPage()
	b.contains("h1", "网站/APP信息")
	b.open(subject)
	if got := b.eval(`document.getElementById("f-subject-investor").value + "|" +
		document.getElementById("f-subject-credential_address").value`); got != "陈伟|广州市天河区天河路100号" {
		t.Fatalf("typed text lost on leaving through the step bar: %q", got)
	}
	// Nothing unsaved now: leaving does not ask.
	if got := b.eval(`(function(){var e=new Event("beforeunload",{cancelable:true});window.dispatchEvent(e);` +
		`return String(e.defaultPrevented)})()`); got != "false" {
		t.Fatalf("a page with nothing unsaved warns on leaving")
	}
}

// noticesInBrowser: a finding that does not block (an ID number whose county code is unknown) shows beside its
// field, named for assistive technology, and again on the review page with a link to the field.
func noticesInBrowser(t *testing.T, browser context.Context, vp viewport) {
	b, o, c := wizardDraft(t, browser, vp)
	in := content(o)
	in.Subject.Principal.CredentialNumber = "11019919491231002X" // 110199: no such county
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), in, nil)

	b.open(path("/orders/%d/subject", o.ID))
	b.contains("#f-subject-principal-credential_number-warn", "请注意", "110199")
	if d := b.eval(`document.getElementById("f-subject-principal-credential_number").getAttribute("aria-describedby")`); !strings.Contains(d, "-warn") {
		t.Fatalf("the warning is not tied to its field: aria-describedby=%q", d)
	}
	b.open(path("/orders/%d/review", o.ID))
	b.contains(".notices-box", "主体负责人", "证件号码", "110199")
	b.submit(".notices-box a")
	b.contains("#f-subject-principal-credential_number-warn", "110199")
}
