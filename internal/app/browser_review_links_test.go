package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
)

// The review step lists what blocks the submission, each error a link to the step and field to fix: followed in
// a real browser, the link lands on that step with the field in view, its error beside it and the focus in it;
// once fixed, the error is gone from the review, after a reload too. The links to the review's own checkboxes
// (the agreements, the confirmation of a cancellation) take the applicant to them the same way.
func TestBrowserReviewErrorLinks(t *testing.T) {
	browser := newBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) { reviewLinks(t, browser, vp) })
	}
}

func reviewLinks(t *testing.T, browser context.Context, vp viewport) {
	a := startApp(t, "")
	p := newParties(t, a)
	email := "links-" + vp.name + "@example.com"
	c, res := p.newApplicant(email)
	o := p.open(c, check("links-"+vp.name+".cn"), res, filing.NewFiling)
	in := content(o)
	in.Subject.Name, in.Services[0].Name = "", "" // one error on the subject step, one on the services step
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), in, nil)

	b := newTab(t, browser, a.URL(), vp)
	b.login(email, "correct horse 1")
	review := path("/orders/%d/review", o.ID)
	b.open(review)
	b.contains("#error-summary", "主办单位名称", "网站 1 · 名称")

	// The subject's name: the link opens the subject step at the field, which shows its error and has the focus.
	b.submit(`#error-summary a[href*="/subject"]`)
	b.contains("h1", "主体信息")
	b.atField("f-subject-name", "请填写主办单位名称")
	b.do(chromedp.SendKeys(chromedp.ID("f-subject-name"), "广州示例云科技有限公司"))
	b.waitText(".autosave", "已自动保存")
	b.reload()
	b.absent("#f-subject-name-err")

	// Back on the review (through the step bar), that error is gone and the other one is still listed.
	b.toReview()
	b.stillListed("网站 1 · 名称", "主办单位名称")
	b.reload()
	b.stillListed("网站 1 · 名称", "主办单位名称")

	// The website's name, on the services step; saved with the step's button this time.
	b.submit(`#error-summary a[href*="/services"]`)
	b.contains("h1", "网站/APP信息")
	b.atField("f-services-0-name", "请填写网站或 APP 名称")
	b.do(chromedp.SendKeys(chromedp.ID("f-services-0-name"), "广州示例云科技官网"))
	b.submit("#btn-save")
	b.absent("#f-services-0-name-err")
	b.toReview()
	b.stillListed("", "主办单位名称", "网站 1 · 名称")
	b.reload()
	b.stillListed("", "主办单位名称", "网站 1 · 名称")

	// On the review itself: a cancellation submitted without the agreements and the confirmation links to both
	// checkboxes; each link brings its checkbox into view with the focus.
	me := newTab(t, browser, a.URL(), vp)
	me.login("applicant@beian.local", app.DemoPassword)
	me.open("/filings")
	me.submit(`[id="svc-` + demoSubject + `-1"] button[data-type="cancel_service"]`)
	me.submit("#btn-submit")
	me.contains("#error-summary", "协议", "不可撤回")
	for link, box := range map[string]string{"#agreements": "f-agree_commitment", "#confirm-box": "confirm-box"} {
		me.eval("window.scrollTo(0, 0); ''")
		me.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#error-summary a[href=%q]`, link))))
		me.waitFor(link+" focuses "+box, fmt.Sprintf(`document.activeElement && document.activeElement.id === %q`, box), 5*time.Second)
		me.inView(box)
	}
	me.agree()
	me.tick("confirm-box")
	me.submit("#btn-submit")
	me.contains(".state-name", "等待初审")
}

// atField checks that the page was opened at field id: in view, not covered (by the sticky bar), with the
// focus, and its error (want) beside it, named for assistive technology.
func (b *tab) atField(id, want string) {
	b.t.Helper()
	b.contains("#"+id+"-err", want)
	if got := b.eval(`location.hash`); got != "#"+id+"-wrap" {
		b.t.Errorf("the link lands at %q, not at the field %s", got, id)
	}
	b.waitFor(id+" has the focus", fmt.Sprintf(`document.activeElement && document.activeElement.id === %q`, id), 5*time.Second)
	b.inView(id)
	if d := b.eval(`document.getElementById("` + id + `").getAttribute("aria-describedby") || ""`); !strings.Contains(d, id+"-err") {
		b.t.Errorf("%s: the error is not tied to the field: aria-describedby=%q", id, d)
	}
}

// inView fails unless the element is within the viewport and nothing covers its middle.
func (b *tab) inView(id string) {
	b.t.Helper()
	if got := b.eval(`(function(){var e=document.getElementById("` + id + `"), r=e.getBoundingClientRect();
		if (r.top < 0 || r.bottom > innerHeight) return "out of view: top " + r.top + ", bottom " + r.bottom + " of " + innerHeight;
		var hit=document.elementFromPoint(r.left + r.width/2, r.top + r.height/2);
		return hit === e || e.contains(hit) || (hit && hit.htmlFor === e.id) ? "" : "covered by " + (hit ? hit.outerHTML.slice(0, 80) : "nothing")})()`); got != "" {
		b.t.Errorf("%s (%s): %s", id, b.vp.name, got)
	}
}

// toReview goes to the review step through the step bar.
func (b *tab) toReview() {
	b.t.Helper()
	b.submit(`.steps a[href$="/review"]`)
	b.contains("h1", "核对并提交")
}

// stillListed checks the review's error summary: it lists want ("" for no summary at all) and none of gone.
func (b *tab) stillListed(want string, gone ...string) {
	b.t.Helper()
	summary := b.eval(`(function(){var s=document.getElementById("error-summary");return s?s.innerText:""})()`)
	if !strings.Contains(summary, want) || want == "" && summary != "" {
		b.t.Errorf("the review's errors read %q, want %q", summary, want)
	}
	for _, g := range gone {
		if strings.Contains(summary, g) {
			b.t.Errorf("the review still lists %q, fixed: %q", g, summary)
		}
	}
}
