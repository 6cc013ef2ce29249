package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/police"
)

// The police filing in a real browser: one applicant whose website was just filed at MIIT gives consent on the
// provider's portal and gets a data code, registers on the police platform, logs in (the captcha's answer read
// through the demo hook, never from the page), passes credit verification, files the subject and the website
// pre-filled from the data code, police staff approve them in their console, and the portal then shows the
// police number and the footer with both numbers; on a desktop and on a phone. Screenshots go to
// docs/screenshots when BEIAN_SCREENSHOTS=1.
func TestBrowserPoliceJourney(t *testing.T) {
	browser := newBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) { policeJourney(t, browser, vp) })
	}
}

func policeJourney(t *testing.T, browser context.Context, vp viewport) {
	a := startApp(t, "")
	p := newParties(t, a)
	api, resourceID := p.newApplicant("chenwei@example.com")
	o := p.approvedICP(api, resourceID, "gz-police-demo.cn")
	base := a.URL()

	portal := newTab(t, browser, base, vp)
	portal.login("chenwei@example.com", "correct horse 1")
	portal.open(fmt.Sprintf("/orders/%d", o.ID))
	portal.contains("#police", "公安联网备案", "30 日内", "gz-police-demo.cn")
	portal.contains("#police .police-state", "未备案")
	portal.submit("#btn-police-push-0")  // without the tick: refused, nothing pushed
	portal.contains("main", "须取得申请人的同意") // the refusal, in the page
	if portal.eval(`document.querySelector('.data-code') ? 'yes' : ''`) != "" {
		t.Fatal("a data code without consent")
	}
	portal.tick("police-consent-0")
	portal.submit("#btn-police-push-0")
	code := portal.text("#police .data-code")
	if len(code) != 12 {
		t.Fatalf("data code %q", code)
	}
	portal.contains("#police .police-state", "已推送数据")
	portal.shot("police-consent", "#police")

	platform := newTab(t, browser, base, vp)
	platform.open("/mps/register")
	for id, v := range map[string]string{"username": "chenwei", "password": "Chen2026ab", "password_confirm": "Chen2026ab",
		"name": "陈伟", "credential_number": legalRep, "mobile": mobile, "email": "chenwei@gz-demo.cn"} {
		platform.fill(id, v)
	}
	platform.submit("#mps-submit")
	platform.open("/mps/login")
	platform.shot("police-login", "")
	platform.policeLogin(p.operator, "chenwei", "Chen2026ab")
	platform.open("/mps/center")
	platform.submit("#send-code")
	platform.fill("code", outboxMatch(t, p.operator, mobile, `手机验证码为 (\d{6})`))
	platform.submit("#credit #mps-submit")
	platform.contains("#credit-mobile", "已验证")
	platform.submit("#send-mail")
	platform.open("/mps/verify-email?token=" + outboxMatch(t, p.operator, "chenwei@gz-demo.cn", `token=([A-Za-z0-9_-]+)`))
	platform.open("/mps/center")
	platform.contains("#credit-email", "已验证")

	// the data code pre-fills the subject
	platform.fill("data_code", code)
	platform.fill("mobile", mobile)
	platform.submit("#data-code #mps-submit")
	if got := platform.eval(`document.getElementById('name').value`); got != "广州示例云科技有限公司" {
		t.Fatalf("subject not pre-filled: name %q", got)
	}
	platform.shot("police-subject", "")
	platform.contains("main", "上传后 7 天内未随主体或网站提交的图片将被删除") // said beside the uploads
	jpegs := jpegFile(t)
	platform.fill("investor", "陈伟")
	platform.fill("area_code", "440106")
	platform.fill("principal.residence", "广东省广州市天河区天河路100号")
	platform.upload(jpegs, "materials.unit_credential", "materials.legal_id_front", "materials.legal_id_back", "materials.legal_id_handheld")
	platform.submit("#mps-submit")
	platform.contains("main", "待审核")

	// the same code then pre-fills the website under that subject
	platform.open("/mps/center")
	platform.fill("data_code", code)
	platform.fill("mobile", mobile)
	platform.submit("#data-code #mps-submit")
	if got := platform.eval(`document.getElementById('icp_number').value`); got != o.Services[0].Number {
		t.Fatalf("website not pre-filled: ICP number %q", got)
	}
	platform.fill("opened_on", time.Now().Format(time.DateOnly))
	platform.fill("ips", "203.0.113.77")
	platform.tick("service_types-1") // 综合
	platform.fill("interactive", "no")
	platform.tick("notice_read")
	platform.upload(jpegs, "materials.domain_certificate", "materials.principal_id_front", "materials.principal_id_back",
		"materials.principal_id_handheld")
	platform.shot("police-website", "#notice_read")
	platform.submit("#mps-submit")
	platform.contains("main", "待审核")
	portal.open(fmt.Sprintf("/orders/%d", o.ID))
	portal.contains("#police .police-state", "审核中")

	staff := newTab(t, browser, base, vp)
	staff.policeLogin(p.operator, "police-gd", app.DemoPassword)
	staff.open("/mps/staff")
	staff.shot("police-queue", "")
	for range 2 { // the subject first, then the website
		staff.open("/mps/staff")
		link := staff.eval(`(document.querySelector('a[href^="/mps/staff/subjects/"]') || document.querySelector('a[href^="/mps/staff/websites/"]')).getAttribute('href')`)
		staff.open(link)
		staff.fill("action", "approve")
		staff.submit("#decision #mps-submit")
	}

	platform.open("/mps/center")
	platform.contains("#websites", "公网安备")
	platform.reload()
	platform.shot("police-center", "#websites")

	portal.open(fmt.Sprintf("/orders/%d", o.ID))
	portal.contains("#police .police-state", "已备案")
	number := portal.text("#police .police-number")
	footer := portal.text("#police .police-footer")
	if !regexp.MustCompile(`^粤公网安备\d{14}号$`).MatchString(number) || !strings.Contains(footer, "https://beian.miit.gov.cn/") ||
		!strings.Contains(footer, o.Services[0].Number) || !strings.Contains(footer, police.QueryURL(police.Digits(number))) ||
		!strings.Contains(footer, "/mps/badge.png") {
		t.Fatalf("portal after the police approval: %q %q", number, footer)
	}
	portal.shot("police-footer", "#police")
}

// policeLogin logs in on the police platform's login page, the captcha's answer read through the demo hook, never
// from the page.
func (b *tab) policeLogin(operator *client, username, password string) {
	b.t.Helper()
	b.open("/mps/login")
	var ans struct{ Answer string }
	operator.must(200, "GET", "/mps/api/v1/dev/captchas/"+b.eval(`document.querySelector('input[name=captcha_id]').value`), nil, &ans)
	b.fill("username", username)
	b.fill("password", password)
	b.fill("captcha", ans.Answer)
	b.submit("#mps-submit")
}

// fill gives a form control its value, as typing or choosing would, and tells the page it changed.
func (b *tab) fill(id, value string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`(() => { const e = document.getElementById(%q); e.focus(); e.value = %q;
		e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return '' })()`, id, value))
}

// tick checks a checkbox by clicking it (unless it is checked already).
func (b *tab) tick(id string) {
	b.t.Helper()
	if b.eval(fmt.Sprintf(`document.getElementById(%q).checked ? 'y' : ''`, id)) == "" {
		b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`[id=%q]`, id))))
	}
}

// upload chooses the file for each file input.
func (b *tab) upload(file string, ids ...string) {
	b.t.Helper()
	for _, id := range ids {
		b.do(chromedp.SetUploadFiles(chromedp.CSS(fmt.Sprintf(`[id=%q]`, id)), []string{file}))
	}
}

// reload loads the page again, as a person presses F5.
func (b *tab) reload() {
	b.t.Helper()
	b.do(void(chromedp.Evaluate[bool]("window.__old = true")), chromedp.Reload())
	b.waitNewPage()
}

// jpegFile writes a clear photo-like JPEG that passes the platform's image checks.
func jpegFile(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "scan.jpg")
	if err := os.WriteFile(p, clearJPEG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
