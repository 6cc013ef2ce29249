package app_test

import (
	"fmt"
	"strings"
	"testing"

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
