package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// applicantPages logs the demo applicant in and returns a GET of a page in a language, failing on any status
// but 200 or a raw message key; it returns the page's HTML.
func applicantPages(t *testing.T, a *app.App) (*client, func(path, lang string) string) {
	me := login(t, a.URL(), "applicant@beian.local", app.DemoPassword)
	mine := []*http.Cookie{{Name: "beian_session", Value: me.token}}
	return me, func(path, lang string) string {
		t.Helper()
		resp, body := page(t, "GET", a.URL()+path, lang, mine, "", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s (%s): %d %s", path, lang, resp.StatusCode, visible(body))
		}
		if k := rawKeyRE.FindString(visible(body)); k != "" {
			t.Fatalf("GET %s (%s) shows the raw key %s", path, lang, k)
		}
		return body
	}
}

// A finished cancellation (or withdrawal of access) is shown as such, on its order page and on the dashboard, in
// the three languages: no "filed" state, no instruction to display the number, no footer snippet, no police
// filing to do. The API keeps the order's state approved (the administration approved the order); its type says
// what that did.
func TestCancellationShownCancelled(t *testing.T) {
	site := demoSubject + "-1"
	cancelled := map[string]string{"zh-CN": "已注销", "zh-TW": "已註銷", "en": "Cancelled"}
	withdrawn := map[string]string{"zh-CN": "已取消接入", "zh-TW": "已取消接入", "en": "Access withdrawn"}
	filed := map[string]string{"zh-CN": "已备案", "zh-TW": "已備案", "en": "Filed"}
	cases := []struct {
		in      provider.FiledOrderInput
		phones  []string // SMS verifications: phone, last six of the ID
		want    map[string]string
		numbers []string // shown on the order page
		subject bool     // the subject's number is among them
	}{
		{provider.FiledOrderInput{Type: filing.CancelService, ServiceNumbers: []string{site}}, nil, cancelled, []string{site}, false},
		{provider.FiledOrderInput{Type: filing.WithdrawAccess, ServiceNumbers: []string{site}}, nil, withdrawn, []string{site}, false},
		{provider.FiledOrderInput{Type: filing.CancelSubject}, []string{"13902718465", "121231"}, cancelled,
			[]string{demoSubject, site}, true},
	}
	for _, c := range cases {
		t.Run(string(c.in.Type), func(t *testing.T) {
			a := startApp(t, "")
			p := newParties(t, a)
			me, get := applicantPages(t, a)
			o := p.openFiled(me, demoSubject, c.in)
			edit(me, o, nil)
			o = p.settle(me, o.ID, c.phones...)
			if o.State != filing.Approved {
				t.Fatalf("order %d is %s over the API, want approved", o.ID, o.State)
			}
			var police struct{ Websites []provider.PoliceWebsite }
			me.must(200, "GET", path("/api/v1/orders/%d/police", o.ID), nil, &police)
			if len(police.Websites) != 0 {
				t.Fatalf("police filings to do for a cancelled site: %+v", police.Websites)
			}
			for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
				body := get(path("/orders/%d", o.ID), lang)
				if state := between(body, `class="state-name">`, "<"); state != c.want[lang] {
					t.Errorf("%s: order page state %q, want %q", lang, state, c.want[lang])
				}
				for _, bad := range []string{"请在网站首页底部", "請在網站首頁底部", "bottom centre of the homepage", `class="snippet"`,
					`id="police"`, ">" + filed[lang] + "</span>"} {
					if strings.Contains(body, bad) {
						t.Errorf("%s: order page shows %q: %s", lang, bad, visible(body))
					}
				}
				result := between(body, `class="result"`, "</div>\n  <div class=\"actions\">")
				for _, n := range c.numbers {
					if !strings.Contains(result, n) {
						t.Errorf("%s: the result does not name %s: %s", lang, n, visible(result))
					}
				}
				if strings.Contains(result, demoSubject+"<") != c.subject {
					t.Errorf("%s: the subject's number listed %v, want %v: %s", lang, !c.subject, c.subject, visible(result))
				}
				row := between(get("/", lang), path(">#%d<", o.ID), "</tr>")
				if !strings.Contains(row, ">"+c.want[lang]+"</span>") {
					t.Errorf("%s: dashboard row %q, want the state %q", lang, visible(row), c.want[lang])
				}
			}
			inbox := get("/inbox", "zh-CN")
			if strings.Contains(inbox, "悬挂备案号") || strings.Contains(inbox, "公安联网备案") {
				t.Errorf("the inbox tells to display the number or file with the police: %s", visible(inbox))
			}
		})
	}
}

// between returns the text of s after the first from up to the next to ("" when from is missing).
func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	before, _, _ := strings.Cut(rest, to)
	return before
}

// An order that cannot add services (a change of a website, here) offers no button to add one, says why, and a
// forged "add" changes nothing.
func TestServicesStepOffersAddOnlyWhereAllowed(t *testing.T) {
	a := startApp(t, "")
	me, get := applicantPages(t, a)
	mine := []*http.Cookie{{Name: "beian_session", Value: me.token}}
	form := "application/x-www-form-urlencoded"
	resp, body := page(t, "POST", a.URL()+"/filings/"+url.PathEscape(demoSubject)+"/orders", "zh-CN", mine, form,
		[]byte(url.Values{"type": {"change_service"}, "service": {demoSubject + "-1"}}.Encode()))
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/services") {
		t.Fatalf("change_service opened: %d at %q: %s", resp.StatusCode, loc, visible(body))
	}
	u, _ := url.Parse(loc)
	for lang, why := range map[string]string{"zh-CN": "不能添加其他网站/APP", "zh-TW": "不能新增其他網站/APP", "en": "cannot add others"} {
		html := get(u.Path, lang)
		if strings.Contains(html, "btn-add-website") || strings.Contains(html, "btn-add-app") || !strings.Contains(html, why) {
			t.Fatalf("%s: the services step of a change offers to add a service, or does not say why not: %s", lang, visible(html))
		}
	}
	resp, body = page(t, "POST", a.URL()+u.Path, "zh-CN", mine, form, []byte(url.Values{"action": {"add:website"}}.Encode()))
	if resp.StatusCode != http.StatusConflict || strings.Contains(body, "在验证备案类型时已确定") {
		t.Fatalf("forged add: %d %s", resp.StatusCode, visible(body))
	}
	var o filing.Order
	me.must(200, "GET", path("/api/v1/orders/%d", orderID(t, u.Path)), nil, &o)
	if len(o.Services) != 1 {
		t.Fatalf("the forged add left %d services", len(o.Services))
	}
}

// On first start the dashboard lists the demo subject's website under 已备案的主体, as My filings does: both read
// the registry (the subject was given to the demo applicant like a claim, which records no service).
func TestDashboardListsFiledServices(t *testing.T) {
	a := startApp(t, "")
	_, get := applicantPages(t, a)
	for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
		filed := between(get("/", lang), `id="filed-title"`, "</section>")
		for _, want := range []string{"深圳市示例网络科技有限公司", demoSubject + "-1", "example-sz.cn"} {
			if !strings.Contains(filed, want) {
				t.Errorf("%s: the dashboard's filed subjects lack %s: %s", lang, want, visible(filed))
			}
		}
		if !strings.Contains(get("/filings", lang), "example-sz.cn") {
			t.Errorf("%s: My filings lacks example-sz.cn", lang)
		}
	}
}

// Submitting a cancellation without the agreements and without ticking the confirmation lists both errors, each
// linking to its field on the page, in words: no internal phrase or order type code.
func TestReviewErrorsLinkToTheirFields(t *testing.T) {
	a := startApp(t, "")
	me, _ := applicantPages(t, a)
	mine := []*http.Cookie{{Name: "beian_session", Value: me.token}}
	form := "application/x-www-form-urlencoded"
	resp, body := page(t, "POST", a.URL()+"/filings/"+url.PathEscape(demoSubject)+"/orders", "zh-CN", mine, form,
		[]byte(url.Values{"type": {"cancel_service"}, "service": {demoSubject + "-1"}}.Encode()))
	u, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || err != nil || !strings.HasSuffix(u.Path, "/review") {
		t.Fatalf("cancel_service opened: %d at %q: %s", resp.StatusCode, resp.Header.Get("Location"), visible(body))
	}
	for lang, want := range map[string]string{"zh-CN": "勾选", "zh-TW": "勾選", "en": "tick"} {
		resp, body = page(t, "POST", a.URL()+u.Path, lang, mine, form, []byte(url.Values{"action": {"submit"}}.Encode()))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: unconfirmed submit: %d %s", lang, resp.StatusCode, visible(body))
		}
		summary := between(body, `id="error-summary"`, "</div>")
		for _, link := range []string{`href="#agreements"`, `href="#confirm-box"`} {
			if !strings.Contains(summary, link) {
				t.Errorf("%s: the error summary has no %s: %s", lang, link, summary)
			}
		}
		if strings.Contains(body, `href="agreements"`) {
			t.Errorf("%s: a link without its #: %s", lang, summary)
		}
		for _, bad := range []string{"cancel_service", "确认内容须为", "確認內容須為", "confirm it with"} {
			if strings.Contains(visible(body), bad) {
				t.Errorf("%s: the page shows %q: %s", lang, bad, summary)
			}
		}
		if !strings.Contains(visible(summary), want) || !strings.Contains(body, `id="confirm-box-err"`) {
			t.Errorf("%s: the confirmation's error is not in words beside the checkbox: %s", lang, visible(summary))
		}
	}
}

// The code request pages list each error once, in one summary: the applicant's request and the desk's decline.
func TestCodeRequestErrorsListedOnce(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	me, _ := applicantPages(t, a)
	form := "application/x-www-form-urlencoded"
	once := func(who *client, path string, v url.Values) {
		t.Helper()
		resp, body := page(t, "POST", a.URL()+path, "zh-CN", []*http.Cookie{{Name: "beian_session", Value: who.token}}, form,
			[]byte(v.Encode()))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("POST %s: %d %s", path, resp.StatusCode, visible(body))
		}
		if n, m := strings.Count(body, `id="error-summary"`), strings.Count(body, `role="alert"`); n != 1 || m != 1 {
			t.Errorf("POST %s: %d error summaries, %d alerts, want one: %s", path, n, m, visible(body))
		}
	}
	once(me, "/code-requests", url.Values{"domain": {""}, "reason": {""}})
	var req struct{ ID int64 }
	me.must(201, "POST", "/api/v1/authorization-code-requests", map[string]string{"domain": "elsewhere.cn", "reason": "托管在境外"}, &req)
	once(p.reviewer, path("/console/code-requests/%d/decline", req.ID), url.Values{"reason": {""}})
}
