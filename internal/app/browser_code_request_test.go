package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A new account with no instance is not stuck at the wizard's resource step (issue #10, item 8): the applicant
// asks for an authorization code from there, the reviewer issues it on the console, the applicant reads it on
// their page and in their messages, and files with it.
func TestBrowserCodeRequest(t *testing.T) {
	browser := newBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			a := startApp(t, "")
			base := a.URL()
			email, domain := "newcomer-"+vp.name+"@example.com", "own-server-"+vp.name+".cn"
			(&client{t: t, base: base}).must(202, "POST", "/api/v1/accounts", map[string]string{"email": email, "name": "王芳",
				"mobile": "13912340099", "password": "correct horse 1"}, nil)
			applicant := newTab(t, browser, base, vp)
			applicant.login(email, "correct horse 1")

			// Step 2 offers nothing to file on but the code, and the way to ask for one.
			checkDomain := func() {
				applicant.open("/filings/new")
				applicant.checkFilingType(domain)
			}
			checkDomain()
			applicant.contains("#no-instance", "没有可用的云服务器实例")
			applicant.submit("#link-request-code")
			applicant.contains("h1", "申请备案授权码")
			if got := applicant.eval("document.getElementById('f-domain').value"); got != domain {
				t.Fatalf("the domain is not carried over: %q", got)
			}

			// Sending without a reason shows the error beside the field; what was typed stays.
			applicant.set("f-reason", "  ")
			applicant.submit("#btn-request-code")
			applicant.contains("#f-reason-err", "请填写申请原因")
			if got := applicant.eval("document.getElementById('f-domain').value"); got != domain {
				t.Fatalf("the domain typed was lost: %q", got)
			}
			applicant.set("f-reason", "网站部署在自建机房，IP 198.51.100.7")
			applicant.submit("#btn-request-code")
			applicant.contains("[role=status]", "申请已提交")
			applicant.contains(".code-requests", domain, "待处理")
			applicant.accessible("code request sent")

			// The reviewer sees it on the console; issuing with no IP is refused, then the code is issued.
			reviewer := newTab(t, browser, base, vp)
			reviewer.login("reviewer@beian.local", "Demo@2026")
			reviewer.open("/console")
			reviewer.contains("#open-code-requests", "1 个授权码申请等待处理")
			reviewer.submit("#open-code-requests a")
			reviewer.contains(".code-requests", domain, "自建机房", email)
			reviewer.accessible("code requests on the console")
			id := reviewer.eval(fmt.Sprintf(`(function(){for (const li of document.querySelectorAll('.code-request'))
				if (li.innerText.includes(%q)) return li.id.replace('request-', ''); return ''})()`, domain))
			reviewer.submit("#request-" + id + " .issue-form button")
			reviewer.contains("#error-summary", "公网IP")
			if n := reviewer.eval(`String(document.querySelectorAll("#error-summary, [role=alert]").length)`); n != "1" {
				t.Errorf("the console lists the refusal in %s boxes, want one summary", n)
			}
			reviewer.set("ips-"+id, "198.51.100.7")
			reviewer.submit("#request-" + id + " .issue-form button")
			reviewer.contains("[role=status]", "授权码已签发")
			reviewer.contains("#request-"+id, "已签发")

			// The applicant reads the code on their page and in their messages, and files with it.
			applicant.until("/code-requests", ".code-requests", "已签发")
			code := strings.TrimSpace(applicant.text("#request-" + id + " .issued-code"))
			if len(code) != 16 {
				t.Fatalf("code %q", code)
			}
			applicant.open("/inbox")
			applicant.contains(".inbox", "备案授权码已签发", code, domain)
			checkDomain()
			applicant.do(chromedp.Click(chromedp.CSS(`input[name="resource.instance_id"][value="code"]`)))
			applicant.set("f-resource-authorization_code", strings.ToLower(code))
			applicant.submit("#btn-create")
			if loc := applicant.eval("location.pathname"); !orderPathRE.MatchString(loc) || !strings.HasSuffix(loc, "/subject") {
				t.Fatalf("not on the subject step after using the code: %s", loc)
			}
		})
	}
}

// A request with errors, in a real browser: each error is listed once in one summary, linking to its field, and
// shown once beside that field; what was typed stays. A good request then goes through and is still listed,
// once, after a reload.
func TestBrowserCodeRequestErrorsOnce(t *testing.T) {
	browser := newBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			a := startApp(t, "")
			email := "asker-" + vp.name + "@example.com"
			(&client{t: t, base: a.URL()}).must(202, "POST", "/api/v1/accounts", map[string]string{"email": email, "name": "王芳",
				"mobile": "13912340099", "password": "correct horse 1"}, nil)
			b := newTab(t, browser, a.URL(), vp)
			b.login(email, "correct horse 1")
			b.open("/code-requests")
			b.contains("h1", "申请备案授权码")

			b.set("f-domain", "http://own server.cn")
			b.set("f-reason", " ")
			b.submit("#btn-request-code")
			if n := b.eval(`String(document.querySelectorAll("#error-summary, [role=alert]").length)`); n != "1" {
				t.Fatalf("%s error boxes, want one summary: %s", n, b.text("main"))
			}
			links := b.eval(`Array.from(document.querySelectorAll("#error-summary li a")).map(function(a){return a.getAttribute("href")}).join(" ")`)
			if links != "#f-domain #f-reason" {
				t.Errorf("the summary links %q, want #f-domain #f-reason: %s", links, b.text("#error-summary"))
			}
			for _, id := range []string{"f-domain", "f-reason"} {
				msg := strings.TrimSpace(b.text("#" + id + "-err"))
				if n := b.eval(fmt.Sprintf(`String(document.body.innerText.split(%q).length - 1)`, msg)); msg == "" || n != "2" {
					t.Errorf("%s: its error %q is on the page %s times, want twice (the summary, beside the field)", id, msg, n)
				}
				if inv := b.eval(`document.getElementById("` + id + `").getAttribute("aria-invalid")`); inv != "true" {
					t.Errorf("%s is not marked invalid", id)
				}
			}
			if got := b.value("f-domain"); got != "http://own server.cn" {
				t.Errorf("the domain typed reads %q", got)
			}
			b.do(chromedp.Click(chromedp.CSS(`#error-summary a[href="#f-reason"]`)))
			b.waitFor("the reason's link focuses it", `document.activeElement && document.activeElement.id === "f-reason"`, 5*time.Second)
			b.inView("f-reason")

			b.set("f-domain", "own-server.cn")
			b.set("f-reason", "网站部署在自建机房，IP 198.51.100.7")
			b.submit("#btn-request-code")
			b.contains("[role=status]", "申请已提交")
			b.absent("#error-summary")
			b.contains(".code-requests", "own-server.cn", "待处理")
			b.reload()
			b.absent("#error-summary")
			b.contains(".code-requests", "own-server.cn", "待处理", "自建机房")
			if n := b.eval(`String(document.querySelectorAll(".code-request").length)`); n != "1" {
				t.Errorf("after a reload %s requests are listed, want one: %s", n, b.text(".code-requests"))
			}
		})
	}
}
