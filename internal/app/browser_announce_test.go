package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/beian/beian/internal/filing"
)

// announced waits until text is spoken to a screen reader: it enters a live region (role status or alert, or
// aria-live) after the page has loaded, or it is in a live region that takes the focus. A confirmation the
// server put in the page's .flash is there at load, which a live region does not speak; app.js copies it into a
// region of its own once the page has loaded, and that copy is what counts.
func (b *tab) announced(text string) {
	b.t.Helper()
	js := fmt.Sprintf(`(function(t){
		var live = '[role=status],[role=alert],[aria-live=polite],[aria-live=assertive]';
		var rs = document.querySelectorAll(live);
		for (var i = 0; i < rs.length; i++) {
			if (!rs[i].classList.contains('flash') && rs[i].textContent.indexOf(t) >= 0) return 'yes';
		}
		var a = document.activeElement;
		return a && a !== document.body && a.matches(live) && a.textContent.indexOf(t) >= 0 ? 'yes' : '';
	})(%q)`, text)
	deadline := time.Now().Add(10 * time.Second)
	for b.eval(js) != "yes" {
		if time.Now().After(deadline) {
			b.t.Fatalf("%q is not announced; the live regions hold %q", text, b.eval(`Array.from(document.querySelectorAll(
				'[role=status],[role=alert],[aria-live]')).map(function(e){return e.className+': '+e.textContent}).join(' | ')`))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The three confirmations an applicant waits for are announced (issue #10, item 18): 已保存 after saving a step,
// 已提交初审 after submitting, and MIIT's 核验成功 after the SMS verification; the pages stay free of serious
// accessibility violations.
func TestBrowserAnnouncesSuccess(t *testing.T) {
	browser := newBrowser(t)
	vp := viewports[0]
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("announce@example.com")
	o := p.draftReady(c, res, "announce-demo.cn")
	b := newTab(t, browser, a.URL(), vp)
	b.login("announce@example.com", "correct horse 1")

	b.open(path("/orders/%d/subject", o.ID))
	b.submit("#btn-save")
	b.announced("已保存")
	b.accessible("subject step, saved")

	b.open(path("/orders/%d/review", o.ID))
	for _, id := range []string{"f-agree_commitment", "f-agree_security", "f-agree_terms"} {
		if b.eval(`String(document.getElementById("`+id+`").checked)`) == "false" {
			b.do(chromedp.Click(chromedp.ID(id)))
		}
	}
	b.submit("#btn-submit")
	b.announced("已提交初审")

	p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", o.ID), map[string]string{"decision": "approve"}, nil)
	p.waitState(c, o.ID, filing.SMSPending)
	code := p.smsCode(mobile)
	b.open("/miit/verify")
	b.set("f-phone", mobile)
	b.set("f-code", code)
	b.set("f-id_last6", legalRep[12:])
	b.set("f-captcha", captchaAnswer(t, a.URL(), b.eval(`document.querySelector("input[name=captcha_id]").value`)))
	b.submit("#btn-verify")
	b.announced("核验成功")
	b.accessible("MIIT verification done")
}

// At 1366 px in English every label of the wizard's step bar shows whole: none is cut off (issue #10, item 7).
func TestBrowserStepLabelsFitInEnglish(t *testing.T) {
	browser := newBrowser(t)
	vp := viewports[0]
	if vp.width != 1366 {
		t.Fatalf("the desktop viewport is %d px wide, want 1366", vp.width)
	}
	b, o, _ := wizardDraft(t, browser, vp)
	for _, step := range []string{"subject", "review"} {
		b.open(path("/lang?to=en&next=/orders/%d/%s", o.ID, step))
		b.contains(".steps", "Check filing type", "Review & submit")
		cut := b.eval(`Array.from(document.querySelectorAll('.steps .lbl')).filter(function(e){
			return e.scrollWidth > e.clientWidth || e.getBoundingClientRect().width < 1;
		}).map(function(e){return e.textContent + ' (' + e.scrollWidth + '>' + e.clientWidth + ')'}).join(', ')`)
		if cut != "" {
			t.Errorf("%s step: labels cut at %d px: %s", step, vp.width, strings.TrimSpace(cut))
		}
		b.fitsWidth(step + " step in English")
	}
}
