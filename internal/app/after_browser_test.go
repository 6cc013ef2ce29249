package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
)

// After the number, in a real browser, as the demo applicant: change a principal's mobile, add a second
// website to the filed subject without typing the subject again, and withdraw an access after confirming
// what it does. Reviewers and the administration act over the API.
func TestBrowserAfterFiling(t *testing.T) {
	browser := newBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) { afterJourney(t, browser, vp) })
	}
}

const (
	demoSubject = "粤ICP备2025000001号"
	demoMobile  = "13902718465" // the demo subject's principal
	demoLast6   = "121231"
	newMobile2  = "13711826403"
)

func afterJourney(t *testing.T, browser context.Context, vp viewport) {
	a := startApp(t, "")
	p := newParties(t, a)
	me := newTab(t, browser, a.URL(), vp)
	me.login("applicant@beian.local", app.DemoPassword)
	me.open("/filings")
	me.contains("main", "深圳市示例网络科技有限公司", demoSubject, "example-sz.cn")
	me.fitsWidth("my filings")
	me.shot("my-filings", "")

	// 1. Change the website principal's mobile: only the services step, the change shown before submitting.
	me.submit(`[id="svc-` + demoSubject + `-1"] button[data-type="change_service"]`)
	me.contains("h1", "网站/APP信息")
	me.set("f-services-0-principal-mobile", newMobile2)
	me.submit("#btn-next")
	me.contains("h1", "上传资料")
	me.open(strings.TrimSuffix(me.eval("location.pathname"), "/materials") + "/review")
	me.contains("#changes", "手机", demoMobile, newMobile2)
	me.fitsWidth("change review")
	me.shot("change-review", "#changes")
	id := orderID(t, me.eval("location.pathname"))
	me.agree()
	me.submit("#btn-submit")
	me.contains(".state-name", "等待初审")
	p.approveOver(id, newMobile2, demoLast6)
	me.until("/filings", "main", "示例科技官方网站")

	// 2. A second website, nothing retyped: the subject and its principal come from the record.
	me.submit(`[id="filing-` + demoSubject + `"] .offers button[data-type="new_service"]`)
	me.set("f-domain", "example-sz2.cn")
	me.eval(`(function(){var s=document.getElementById('f-resource-instance_id');s.value=s.options[1].value;return ''})()`)
	me.submit("#btn-open")
	me.contains("h1", "网站/APP信息")
	if me.eval(`String(!!document.getElementById('f-subject-name'))`) != "false" {
		t.Fatal("the new website asks for the subject again")
	}
	me.set("f-services-0-name", "深圳示例科技博客")
	me.do(chromedp.Click(chromedp.CSS(`input[name="services[0].content"][value="unit_portal"]`)))
	me.submit("#btn-next")
	id = orderID(t, me.eval("location.pathname"))
	me.open(path("/orders/%d/review", id))
	me.contains("main", "深圳市示例网络科技有限公司", "example-sz2.cn")
	me.agree()
	me.submit("#btn-submit")
	me.contains(".state-name", "等待初审")
	p.approveOver(id, demoMobile, demoLast6)
	me.until("/filings", "main", demoSubject+"-2")

	// 3. Withdraw the access of the new website: it has no other access, so the page says the administration
	// will cancel it, and nothing is submitted without the confirmation.
	me.submit(`[id="svc-` + demoSubject + `-2"] button[data-type="withdraw_access"]`)
	me.contains("#confirm", "只有本接入商一个接入", "注销")
	id = orderID(t, me.eval("location.pathname"))
	me.agree()
	me.fitsWidth("withdrawal confirmation")
	me.shot("withdraw-confirm", "#confirm")
	me.submit("#btn-submit")
	me.contains("#error-summary", "不可撤回")
	me.do(chromedp.Click(chromedp.ID("confirm-box")))
	me.agree()
	me.submit("#btn-submit")
	me.contains(".state-name", "等待初审")
	p.approveOver(id)
	// The finished withdrawal reads as what it did, after a reload too: no "已备案", no footer to display.
	me.until(path("/orders/%d", id), ".state-name", "已取消接入")
	me.reload()
	me.contains("main", "已取消接入的网站/APP", demoSubject+"-2")
	if txt := me.text("main"); strings.Contains(txt, "已备案") || strings.Contains(txt, "请在网站首页底部居中位置放置备案号") {
		t.Fatalf("the withdrawal's page reads as a filing: %s", txt)
	}
	me.open("/filings")
	if strings.Contains(me.text("main"), demoSubject+"-2") {
		t.Fatal("the withdrawn website is still listed")
	}
	if p.queryCount("domain=example-sz2.cn") != 0 {
		t.Fatal("the withdrawn website is still in the public query")
	}
}

// agree ticks the three agreements that are not ticked yet.
func (b *tab) agree() {
	b.t.Helper()
	for _, id := range []string{"f-agree_commitment", "f-agree_security", "f-agree_terms"} {
		b.eval(`(function(){var c=document.getElementById('` + id + `');if(c&&!c.checked)c.click();return ''})()`)
	}
}

// approveOver has the reviewer approve order id, verifies the codes of the phones given (phone, last six digits
// of the ID, …) and has the officer approve, all over the API.
func (p *parties) approveOver(id int64, phones ...string) {
	p.t.Helper()
	before := map[string]string{}
	for i := 0; i+1 < len(phones); i += 2 {
		before[phones[i]] = p.lastCode(phones[i])
	}
	p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", id), map[string]string{"decision": "approve"}, nil)
	eventually(p.t, "forwarded", func() bool {
		var o filing.Order
		p.reviewer.must(200, "GET", path("/api/v1/orders/%d", id), nil, &o)
		return o.State == filing.SMSPending || o.State == filing.AdministrationReview || o.State == filing.Approved
	})
	for i := 0; i+1 < len(phones); i += 2 {
		var code string
		eventually(p.t, "a new code texted to "+phones[i], func() bool {
			code = p.lastCode(phones[i])
			return code != "" && code != before[phones[i]]
		})
		if status, body := p.trySMS(phones[i], code, phones[i+1]); status != 200 {
			p.t.Fatalf("SMS verification of %s: %d %s", phones[i], status, body)
		}
	}
	eventually(p.t, "approved", func() bool {
		var o filing.Order
		p.reviewer.must(200, "GET", path("/api/v1/orders/%d", id), nil, &o)
		if o.State == filing.AdministrationReview {
			p.approveIfQueued(id)
		}
		return o.State == filing.Approved
	})
}

func orderID(t *testing.T, loc string) int64 {
	t.Helper()
	m := orderPathRE.FindStringSubmatch(loc + "/")
	if m == nil {
		t.Fatalf("not on an order page: %s", loc)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}
