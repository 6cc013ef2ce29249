package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/beian/beian/internal/web"
)

// The pages of issue #4 in a real browser: the core journey of an ICP filing through the HTML pages only, on a
// desktop and on a phone, in zh-CN; then the other languages. Screenshots go to docs/screenshots when
// BEIAN_SCREENSHOTS=1.

const chromium = "/usr/bin/chromium"

type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var viewports = []viewport{{"desktop", 1366, 900, false}, {"phone", 390, 844, true}}

// newBrowser starts one headless Chromium for the test. It is skipped only where Chromium is missing and CI is
// not set: CI installs it, and a missing browser there is a failure.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: CI must install chromium (see .ci/run)", chromium)
		}
		t.Skipf("%s not installed; the browser tests need it (apt-get install chromium)", chromium)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("accept-lang", "zh-CN,zh"), chromedp.Flag("force-color-profile", "srgb"),
	}
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	// The first run starts the browser; it has no timeout, which would stop the whole browser.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// tab is one party's browser window: its own cookies (a separate browser context) and the viewport.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	vp   viewport
}

func newTab(t *testing.T, browser context.Context, base string, vp viewport) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	emulate := chromedp.EmulateViewport(vp.width, vp.height)
	if vp.mobile {
		emulate = chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
	}
	// The first run opens the tab, which lives as long as the context of that run: no timeout here either.
	if err := chromedp.Do(ctx, emulate); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return &tab{t: t, ctx: ctx, base: base, vp: vp}
}

// do runs actions with a time limit per step.
func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		defer cancel()
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.body ? document.body.innerText.slice(0, 1500) : ''"))
		b.t.Fatalf("browser at %s: %v\npage text:\n%s", loc, err, body)
	}
}

func (b *tab) open(path string) { b.t.Helper(); b.do(chromedp.Navigate(b.base + path)) }

func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v; the page %s shows %q", sel, err, b.eval("location.href"), b.eval("document.body.innerText"))
	}
	return s
}

func (b *tab) eval(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("eval %s: %v", js, err)
	}
	return s
}

// set gives a form control its value, as typing or choosing would.
func (b *tab) set(id, value string) {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.ID(id), value))
}

// submit clicks a button that loads a new page and waits for that page.
func (b *tab) submit(sel string) {
	b.t.Helper()
	b.do(void(chromedp.Evaluate[bool]("window.__old = true")), chromedp.Click(chromedp.CSS(sel)))
	b.waitNewPage()
}

// waitNewPage waits until the page that was marked with window.__old is replaced and loaded. Evaluations fail
// while the navigation destroys the old page's context; they are simply tried again.
func (b *tab) waitNewPage() { b.t.Helper(); b.waitNewPageWithin(20 * time.Second) }

// waitNewPageWithin is waitNewPage for a page that takes long to come (a credential photo being read).
func (b *tab) waitNewPageWithin(d time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!window.__old && document.readyState === 'complete'"))
		cancel()
		if err == nil && done {
			return
		}
		time.Sleep(30 * time.Millisecond)
	}
	b.t.Fatalf("no new page loaded (at %s)", b.eval("location.href"))
}

// void drops an action's value.
func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

// contains fails unless the element's text has every want.
func (b *tab) contains(sel string, want ...string) string {
	b.t.Helper()
	got := b.text(sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.t.Fatalf("%s: %q not in %q", sel, w, got)
		}
	}
	return got
}

// until reloads path until the element's text has want.
func (b *tab) until(path, sel, want string) string {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		b.open(path)
		got := b.eval(fmt.Sprintf("(function(){var e=document.querySelector(%q);return e?e.innerText:''})()", sel))
		if strings.Contains(got, want) {
			return got
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s %s: %q never showed; last text %q", path, sel, want, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fitsWidth checks that the page does not scroll sideways (long Chinese names and addresses wrap).
func (b *tab) fitsWidth(what string) {
	b.t.Helper()
	if w := b.eval("String(document.documentElement.scrollWidth - window.innerWidth)"); w != "0" && !strings.HasPrefix(w, "-") {
		b.t.Errorf("%s (%s): page is %s px wider than the viewport", what, b.vp.name, w)
	}
}

// captchaAnswer reads the answer of the verification page's image challenge id through the operator's demo hook
// (the page never shows it).
func captchaAnswer(t *testing.T, base, id string) string {
	t.Helper()
	var out struct{ Answer string }
	login(t, base, "operator@beian.local", "Demo@2026").must(200, "GET", "/miit/api/v1/dev/captchas/"+id, nil, &out)
	return out.Answer
}

// checkFilingType fills step 1 of a new filing (a Guangdong enterprise's website) and goes on to step 2.
func (b *tab) checkFilingType(domain string) {
	b.t.Helper()
	b.checkFilingTypeOf(uscc, domain, "首次备案")
}

// checkFilingTypeOf is checkFilingType for the enterprise of credential number credential, its result read
// as the page's language names a new filing (want).
func (b *tab) checkFilingTypeOf(credential, domain, want string) {
	b.t.Helper()
	b.set("f-province", "44")
	b.set("f-nature", "enterprise")
	b.set("f-credential_type", "business_license")
	b.set("f-credential_number", credential)
	b.set("f-domain", domain)
	b.submit("#btn-check")
	b.contains(".result-ok", want)
}

func (b *tab) login(email, password string) {
	b.t.Helper()
	b.open("/login")
	b.set("f-email", email)
	b.set("f-password", password)
	b.submit("#btn-login")
}

// shot saves a screenshot of the viewport, scrolled to the element sel (or the top), for the README when
// BEIAN_SCREENSHOTS=1.
func (b *tab) shot(name, sel string) {
	b.t.Helper()
	if os.Getenv("BEIAN_SCREENSHOTS") != "1" {
		return
	}
	if sel != "" {
		b.eval(fmt.Sprintf("document.querySelector(%q).scrollIntoView({block: 'center'}); ''", sel))
	} else {
		b.eval("window.scrollTo(0, 0); ''")
	}
	b.eval("document.activeElement && document.activeElement.blur && document.activeElement.blur(); ''")
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, b.vp.name+"-"+name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// scanPNG writes a photo-like PNG that passes the upload checks (size, dimensions, sharpness).
func scanPNG(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 800, 600))
	r := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < 600; y++ {
		for x := 0; x < 800; x++ {
			v := uint8(200 + r.IntN(55))
			if (x/40+y/40)%2 == 0 {
				v -= 120
			}
			img.Set(x, y, color.RGBA{v, v, v, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "commitment.png")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	orderPathRE = regexp.MustCompile(`/orders/(\d+)/`)
	smsCodeRE   = regexp.MustCompile(`\d{6}`)
)

// TestBrowserJourney takes one filing through the pages, as the applicant, the reviewer, the principal, the
// administration officer and the public see it.
func TestBrowserJourney(t *testing.T) {
	browser := newBrowser(t)
	scan := scanPNG(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) { journey(t, browser, vp, scan) })
	}
	t.Run("languages", func(t *testing.T) { languages(t, browser) })
}

func journey(t *testing.T, browser context.Context, vp viewport, scan string) {
	a := startApp(t, "")
	base := a.URL()
	domain := "guangzhou-" + vp.name + ".cn"
	email := "chenwei-" + vp.name + "@example.com"
	applicant := newTab(t, browser, base, vp)
	reviewer := newTab(t, browser, base, vp)

	// The applicant registers.
	applicant.open("/register")
	applicant.accessible("register")
	applicant.set("f-email", email)
	applicant.set("f-name", "陈伟")
	applicant.set("f-mobile", mobile)
	applicant.set("f-password", "correct horse 1")
	applicant.set("f-password2", "correct horse 1")
	applicant.submit("#btn-register")
	applicant.contains(".flash", "已提交注册")
	applicant.login(email, "correct horse 1")

	// The reviewer records the cloud server the applicant bought, with filing quota.
	reviewer.login("reviewer@beian.local", "Demo@2026")
	reviewer.open("/console/resources")
	reviewer.set("f-owner_email", email)
	reviewer.set("f-name", "ecs-gz-88（广州，包年）")
	reviewer.set("f-ips", "203.0.113.88")
	reviewer.set("f-quota_total", "3")
	reviewer.submit("#btn-create-resource")
	reviewer.contains(".flash", "资源已添加")
	reviewer.contains("table", "ecs-gz-88", email)

	// Step 1: check the filing type; step 2: the resource.
	applicant.submit("#btn-new-filing")
	applicant.contains("h1", "新建备案")
	applicant.accessible("check filing type")
	applicant.checkFilingType(domain)
	applicant.contains("#f-resource-instance_id", "ecs-gz-88", "203.0.113.88")
	applicant.accessible("check result and resource")
	applicant.submit("#btn-create")
	loc := applicant.eval("location.pathname")
	m := orderPathRE.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("not on an order step: %s", loc)
	}
	order := "/orders/" + m[1]

	// Step 3: the subject. Going on with nothing entered shows the errors beside the fields.
	applicant.submit("#btn-next")
	applicant.contains("#error-summary", "主办单位名称")
	if inv := applicant.eval(`document.getElementById('f-subject-name').getAttribute('aria-invalid') + ' ' +
		document.getElementById('f-subject-name').getAttribute('aria-describedby')`); !strings.Contains(inv, "true") ||
		!strings.Contains(inv, "f-subject-name-err") {
		t.Fatalf("subject name error not wired for assistive technology: %q", inv)
	}
	applicant.contains("#f-subject-name-err", "主办单位名称")
	applicant.accessible("subject step with errors")
	applicant.set("f-subject-name", "广州示例云计算科技发展有限公司")
	applicant.set("f-subject-credential_address", "广州市天河区天河路")
	applicant.set("f-subject-communication_address", "广东省广州市天河区天河路100号")
	applicant.set("f-subject-investor", "陈伟")
	applicant.set("f-subject-legal_representative-name", "陈伟")
	applicant.set("f-subject-legal_representative-id_number", legalRep)
	applicant.set("f-subject-principal-name", "陈伟")
	applicant.set("f-subject-principal-credential_number", legalRep)
	applicant.set("f-subject-principal-credential_valid_from", "2015-01-01")
	applicant.set("f-subject-principal-credential_valid_to", "2035-01-01")
	applicant.set("f-subject-principal-office_phone", "020-83920147")
	applicant.set("f-subject-principal-mobile", mobile)
	applicant.set("f-subject-principal-emergency_mobile", emergency)
	applicant.set("f-subject-principal-email", "chenwei@gz-demo.cn")
	applicant.fitsWidth("subject step")
	applicant.submit("#btn-next")
	// An address not precise to the house number does not pass.
	applicant.contains("#f-subject-credential_address-err", "未精确到门牌号")
	applicant.set("f-subject-credential_address", "广州市天河区天河路100号")
	applicant.submit("#btn-next")

	// Step 4: the website; the service principal is the subject principal ("复制主体负责人", checked by default).
	applicant.contains("h1", "网站/APP信息")
	applicant.set("f-services-0-name", "广州示例云科技官网")
	applicant.do(chromedp.Click(chromedp.CSS(`input[name="services[0].content"][value="unit_portal"]`)))
	applicant.fitsWidth("services step")
	applicant.accessible("services step")
	applicant.shot("wizard-services", "")
	applicant.submit("#btn-next")

	// Step 5: the checklist asks for the Guangdong commitment letter (from 2021-06-21); upload it.
	applicant.contains("#f-materials-guangdong_commitment_letter", "广东《互联网信息服务备案承诺书》", "待上传")
	// A file over the limit is refused on its card by the page, before anything is uploaded.
	big := filepath.Join(t.TempDir(), "big.jpg")
	if err := os.WriteFile(big, make([]byte, web.MaxUpload+1), 0o600); err != nil {
		t.Fatal(err)
	}
	applicant.do(chromedp.SetUploadFiles(chromedp.ID("f-materials-guangdong_commitment_letter-file"), []string{big}),
		void(chromedp.Evaluate[bool]("window.__stay = true")),
		chromedp.Click(chromedp.CSS("#f-materials-guangdong_commitment_letter button[type=submit]")))
	applicant.contains("#f-materials-guangdong_commitment_letter-err", "文件过大（超过15 MB）")
	if stayed := applicant.eval("String(window.__stay === true)"); stayed != "true" {
		t.Error("a file over the limit was sent instead of refused on the page")
	}
	applicant.do(chromedp.SetUploadFiles(chromedp.ID("f-materials-guangdong_commitment_letter-file"), []string{scan}))
	applicant.submit("#f-materials-guangdong_commitment_letter button[type=submit]")
	applicant.contains("#f-materials-guangdong_commitment_letter", "已上传")
	applicant.fitsWidth("materials step")
	applicant.accessible("materials step")
	applicant.shot("wizard-materials", "")
	applicant.submit("#btn-next")

	// Then the real-person verification (its own pages; not required by this test's configuration), and the review.
	applicant.contains("h1", "真实性核验")
	applicant.open(order + "/review")

	// Step 6: review, the three agreements, submit.
	applicant.contains("main", "网站备案承诺书", "信息安全管理协议", "广州示例云计算科技发展有限公司")
	applicant.accessible("review step")
	// Submitting without the agreements: the error is tied to each checkbox.
	applicant.submit("#btn-submit")
	applicant.contains("#error-summary", "承诺")
	for _, id := range []string{"f-agree_commitment", "f-agree_security", "f-agree_terms"} {
		if got := applicant.eval(`(function(){var e=document.getElementById("` + id + `");return e.getAttribute("aria-invalid")+" "+e.getAttribute("aria-describedby")})()`); !strings.HasPrefix(got, "true ") || !strings.Contains(got, "agreements-err") {
			t.Fatalf("%s: the agreements error is not tied to the checkbox: %q", id, got)
		}
	}
	applicant.contains("#agreements-err", "承诺")
	applicant.accessible("review step, agreements not accepted")
	for _, id := range []string{"f-agree_commitment", "f-agree_security", "f-agree_terms"} {
		applicant.do(chromedp.Click(chromedp.ID(id)))
	}
	applicant.fitsWidth("review step")
	applicant.submit("#btn-submit")
	applicant.contains(".state-name", "等待初审")
	applicant.waitText(".js-announce[role=status]", "已提交") // the confirmation is announced
	applicant.contains(".next", "接入商初审", "剩余")
	applicant.accessible("progress, awaiting review")

	// The reviewer finds it in the queue and asks for the address as the licence gives it.
	reviewer.open("/console")
	reviewer.contains("table.queue", "广州示例云计算科技发展有限公司", "等待初审")
	reviewer.fitsWidth("queue")
	reviewer.accessible("console queue")
	reviewer.shot("console-queue", "")
	reviewer.submit(`a.order-link[href="/console` + order + `"]`)
	reviewer.contains("main", "广东省广州市天河区天河路", legalRep) // staff see personal data in full
	reviewer.set("note_field_0", "subject.credential_address")
	reviewer.set("note_template_0", "credential_address")
	reviewer.fitsWidth("review page")
	reviewer.accessible("console order with a note")
	reviewer.shot("console-order", "")
	reviewer.submit("#btn-request-changes")
	reviewer.contains(".flash", "审核结论已提交")

	// The applicant sees the note beside the field, fixes the address and resubmits.
	applicant.open(order)
	applicant.contains(".state-name", "接入商审核为待修改")
	applicant.contains(".notes-box", "证件住所", "与证件不一致")
	applicant.accessible("progress, needs changes")
	applicant.submit(`.notes-box a[href*="/subject#"]`) // 去修改
	applicant.contains("#f-subject-credential_address-note", "证件住所与证件不一致")
	if top := applicant.eval(`String(document.getElementById("f-subject-credential_address-note").getBoundingClientRect().top >= 0)`); top != "true" {
		t.Errorf("去修改 scrolls the reviewer's note out of view")
	}
	applicant.fitsWidth("subject step with notes")
	applicant.accessible("subject step with notes")
	applicant.shot("wizard-note", "#f-subject-credential_address-wrap")
	applicant.set("f-subject-credential_address", "广州市天河区天河路100号天河城大厦18楼")
	applicant.submit("#btn-next")
	applicant.open(order + "/review")
	applicant.contains("#btn-submit", "重新提交")
	applicant.submit("#btn-submit")
	applicant.contains(".state-name", "已修改待审核")

	// The reviewer approves; the order goes to MIIT, which sends the SMS code from 12381.
	reviewer.open("/console" + order)
	reviewer.submit("#btn-approve")
	reviewer.contains(".flash", "审核结论已提交")
	applicant.until(order, ".state-name", "待短信核验")

	operator := newTab(t, browser, base, vp)
	operator.login("operator@beian.local", "Demo@2026")
	body := operator.until("/demo?to="+mobile, `tr[data-sender="12381"] .msg-body`, "")
	code := smsCodeRE.FindString(body)
	if code == "" {
		t.Fatalf("no code in the 12381 message %q", body)
	}

	// The principal verifies on MIIT's page.
	applicant.open("/miit/verify")
	applicant.set("f-phone", mobile)
	applicant.set("f-code", code)
	applicant.set("f-id_last6", legalRep[12:])
	applicant.set("f-captcha", captchaAnswer(t, base, applicant.eval(`document.querySelector("input[name=captcha_id]").value`)))
	applicant.fitsWidth("MIIT verification")
	applicant.accessible("MIIT verification")
	applicant.submit("#btn-verify")
	applicant.contains("#verify-result", "核验成功", "管局审核")
	applicant.accessible("MIIT verification done")
	if got := applicant.eval(`document.activeElement ? document.activeElement.id : ""`); got != "verify-result" {
		t.Errorf("the verification result does not take the focus (focus on %q)", got)
	}

	// The administration officer approves.
	officer := newTab(t, browser, base, vp)
	officer.login("officer@beian.local", "Demo@2026")
	officer.contains("main", "广州示例云计算科技发展有限公司")
	officer.accessible("officer queue")
	officer.submit("a.review-link")
	officer.accessible("officer review")
	// The officer sees the files the submission carried, as the administration reviews them.
	officer.contains("#attachments", "广东《互联网信息服务备案承诺书》")
	officer.waitText("#attachments", "")
	if got := officer.eval(`(function(){var i=document.querySelector("#attachments img");return i&&i.complete&&i.naturalWidth>0?"loaded":"no"})()`); got != "loaded" {
		t.Fatalf("the attachment image does not load: %s", got)
	}
	approving := a.Clock.Now()
	officer.submit("#btn-officer-approve")
	officer.contains(".flash", "审核结论已提交")

	// The applicant's progress page shows the result and the number.
	applicant.until(order, ".state-name", "已备案")
	numbers := applicant.text(".result")
	number := regexp.MustCompile(`粤ICP备` + approvalYears(a, approving) + `\d{6}号-1`).FindString(numbers)
	if number == "" {
		t.Fatalf("no service number like 粤ICP备YYYYNNNNNN号-1 in %q", numbers)
	}
	applicant.fitsWidth("progress")
	applicant.accessible("progress, filed")
	applicant.shot("progress", "")

	// Anyone finds it by domain.
	public := newTab(t, browser, base, vp)
	public.open("/query")
	public.set("q", domain)
	public.submit("#btn-query")
	public.contains("main table", number, "广州示例云计算科技发展有限公司", domain)
	public.fitsWidth("query")
	public.accessible("public query")
	public.shot("query", "")
}

// languages: zh-TW and en by Accept-Language or ?lang=, and the visible switch that sets the lang cookie.
func languages(t *testing.T, browser context.Context) {
	a := startApp(t, "")
	b := newTab(t, browser, a.URL(), viewports[0])
	b.open("/query?lang=zh-TW")
	b.contains("h1", "ICP備案查詢")
	b.contains("nav.nav", "備案查詢", "簡訊核驗")
	b.open("/login?lang=en")
	b.contains("h1", "Log in")
	b.contains("label[for=f-password]", "Password")

	// Chosen once with the switch, the language stays for the next pages (the lang cookie).
	b.open("/login")
	b.contains("h1", "登录")
	b.submit(`ul.langs a[hreflang="zh-TW"]`)
	b.contains("h1", "登入")
	b.open("/miit/verify")
	b.contains("h1", "工信部備案簡訊核驗")
	b.submit(`ul.langs a[hreflang="en"]`)
	b.contains("h1", "MIIT filing SMS verification")
	b.open("/")
	b.contains("h1", "Your ICP filing, online, step by step")
	// the verification step as this provider does it: the white-background photo, no curtain to wait for
	b.contains("main", "face photo against a white background")
	b.reload()
	b.contains("main", "face photo against a white background")
}
