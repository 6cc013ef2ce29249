package app_test

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/recognise"
	"github.com/beian/beian/internal/recognise/credtest"
)

// The credential photo first (issue 14), as an applicant does it: on the subject step they upload a business
// licence rendered for a generated company; the page comes back with the name, address and legal
// representative filled and marked "已识别，请核对", except the legal representative they had typed before.
// They correct the name, reload, and what they typed stays, unmarked. The principal's ID card, whose number
// fails its check character, fills the name but not the number, and the number's field says what to check.
func TestBrowserAutofill(t *testing.T) {
	if _, err := recognise.NewTesseract(""); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the recognition engine is needed under CI: %v", err)
		}
		t.Skip(err)
	}
	browser := newBrowser(t)
	a := startApp(t, "", func(c *app.Config) { c.Recognition.Mode = "local" })
	p := newParties(t, a)
	c, res := p.newApplicant("autofill@example.com")
	o := p.open(c, check("autofill-demo.cn"), res, filing.NewFiling)
	b := newTab(t, browser, a.URL(), viewports[0])
	b.login("autofill@example.com", "correct horse 1")

	rng := rand.New(rand.NewPCG(14, 1))
	co := credtest.NewCompany(rng)
	person := credtest.NewPerson(rng)
	dir := t.TempDir()
	licence := pngFile(t, dir, "licence.png", must(t)(credtest.Licence(co)))
	bad := person
	bad.Number = person.Number[:17] + otherCheck(person.Number[17])
	idCard := pngFile(t, dir, "id.png", must(t)(credtest.IDFront(bad)))

	subject := path("/orders/%d/subject", o.ID)
	b.open(subject)
	b.contains("#autofill-title", "上传证件照片")
	// Typed first: the legal representative.
	b.do(chromedp.SendKeys(chromedp.ID("f-subject-legal_representative-name"), "欧阳娜娜"))
	b.waitText(".autosave", "已自动保存")

	// Choosing the photo uploads it (the script), and the page comes back filled.
	b.do(void(chromedp.Evaluate[bool]("window.__old = true")),
		chromedp.SetUploadFiles(chromedp.ID("f-materials-subject_credential-autofill-file"), []string{licence}))
	b.waitNewPageWithin(readTime)
	b.contains(".flash", "已识别")
	if got := b.value("f-subject-name"); got != co.Name {
		t.Fatalf("the name reads %q, the licence shows %q", got, co.Name)
	}
	b.contains("#f-subject-name-wrap .recognised-mark", "已识别")
	if got := b.value("f-subject-credential_address"); got == "" {
		t.Fatal("the address was not filled")
	}
	b.contains("#f-subject-credential_address-wrap .recognised-mark", "已识别")
	if got := b.value("f-subject-legal_representative-name"); got != "欧阳娜娜" {
		t.Fatalf("the typed legal representative was replaced by %q", got)
	}
	b.absent("#f-subject-legal_representative-name-wrap .recognised-mark")
	// The generated company's code is not the one entered at the first step: the fixed number says so.
	b.contains("#f-subject-credential_number-wrap .warn", co.USCC, "不一致")

	// The applicant corrects the name: the mark goes at once, and after a reload the typed name stays.
	b.do(chromedp.Clear(chromedp.ID("f-subject-name")), chromedp.SendKeys(chromedp.ID("f-subject-name"), "深圳星河网络科技有限公司"))
	if b.eval(`String(document.querySelector("#f-subject-name-wrap .recognised-mark").hidden)`) != "true" {
		t.Fatal("the mark stays on a field the applicant changed")
	}
	b.waitText(".autosave", "已自动保存")
	b.do(chromedp.Reload())
	if got := b.value("f-subject-name"); got != "深圳星河网络科技有限公司" {
		t.Fatalf("after a reload the name reads %q", got)
	}
	b.absent("#f-subject-name-wrap .recognised-mark")
	b.contains("#f-subject-credential_address-wrap .recognised-mark", "已识别")

	// The principal's ID card: its number fails the check character, so it is not filled and the field says so.
	b.do(void(chromedp.Evaluate[bool]("window.__old = true")),
		chromedp.SetUploadFiles(chromedp.ID("f-materials-subject_principal_credential-autofill-file"), []string{idCard}))
	b.waitNewPageWithin(readTime)
	if got := b.value("f-subject-principal-name"); got != person.Name {
		t.Fatalf("the principal's name reads %q, the card shows %q", got, person.Name)
	}
	b.contains("#f-subject-principal-name-wrap .recognised-mark", "已识别")
	if got := b.value("f-subject-principal-credential_number"); got != "" {
		t.Fatalf("a number failing its checksum was filled: %q", got)
	}
	b.contains("#f-subject-principal-credential_number-wrap .warn", bad.Number, "校验")
	b.accessible("subject step filled from the credential photos")
	// A second upload of the licence keeps the name the applicant typed.
	b.do(void(chromedp.Evaluate[bool]("window.__old = true")),
		chromedp.SetUploadFiles(chromedp.ID("f-materials-subject_credential-autofill-file"), []string{licence}))
	b.waitNewPageWithin(readTime)
	if got := b.value("f-subject-name"); got != "深圳星河网络科技有限公司" {
		t.Fatalf("a second reading replaced the typed name with %q", got)
	}

	// The reviewer sees what was read, with the confidence, beside the order.
	rv := newTab(t, browser, a.URL(), viewports[0])
	rv.login("reviewer@beian.local", "Demo@2026")
	rv.open(path("/console/orders/%d", o.ID))
	got := rv.contains("#readings", "证件识别结果", "营业执照", co.Name, co.LegalRep, "居民身份证人像面", bad.Number, "校验位")
	if !regexp.MustCompile(`\d+%`).MatchString(got) {
		t.Fatalf("no confidence shown: %q", got)
	}
	rv.accessible("reviewer's order page with readings")
}

// readTime is how long a page that reads a credential photo may take on a busy machine.
const readTime = 90 * time.Second

// otherCheck is a check character other than c: the number then fails GB 11643's check.
func otherCheck(c byte) string {
	if c == '1' {
		return "2"
	}
	return "1"
}

func pngFile(t *testing.T, dir, name string, m image.Image) string {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, name)
	if err := os.WriteFile(f, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// must unwraps a value or fails the test.
func must(t *testing.T) func(m *image.RGBA, err error) image.Image {
	return func(m *image.RGBA, err error) image.Image {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}

func (b *tab) value(id string) string {
	b.t.Helper()
	return b.eval(`document.getElementById("` + id + `").value`)
}

// absent fails when sel matches a visible element.
func (b *tab) absent(sel string) {
	b.t.Helper()
	if got := b.eval(`(function(){var e=document.querySelector("` + strings.ReplaceAll(sel, `"`, `\"`) + `");` +
		`return e && !e.hidden ? e.innerText : ""})()`); got != "" {
		b.t.Fatalf("%s shows %q", sel, got)
	}
}
