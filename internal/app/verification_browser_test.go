package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/qrsvg"
)

// The PC → phone hand-off of issue #5 in a real browser, with two browser contexts: the applicant's PC shows
// the QR code; the principal's phone opens its link (no login), is refused a bad photo with the reason, takes a
// good one, sees it and confirms it; the PC page follows each step and shows the success without reloading.
// The spent link then refuses a second phone.
func TestVerificationHandOffInBrowser(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, "", func(c *app.Config) { c.Evidence.Require = true })
	p := newParties(t, a)
	c, res := p.newApplicant("handoff@example.com")
	o := p.draftReady(c, res, "handoff-demo.cn")

	pc := newTab(t, browser, a.URL(), viewports[0])
	pc.login("handoff@example.com", "correct horse 1")
	pc.open(path("/orders/%d/verification", o.ID))
	pc.contains("#person-subject_principal", "陈*", "未核验")
	pc.submit("#btn-qr-subject_principal")
	pc.contains("#qr-panel", "10分钟")

	// The QR code on the page encodes exactly the link offered beside it.
	link := pc.eval(`document.getElementById("qr-url").href`)
	if !strings.HasPrefix(link, a.URL()+"/m/v?t=") {
		t.Fatalf("link %q", link)
	}
	want, err := qrsvg.SVG(link, qrsvg.Options{Label: "用手机扫码进行真实性核验", Size: 220})
	if err != nil {
		t.Fatal(err)
	}
	dRE := regexp.MustCompile(`<path[^>]* d="([^"]+)"`)
	shown := dRE.FindStringSubmatch(pc.eval(`document.querySelector("#qr-code svg").outerHTML`))
	if len(shown) < 2 || shown[1] != dRE.FindStringSubmatch(want)[1] {
		t.Fatalf("the QR code shown does not encode %s", link)
	}
	pc.waitText("#qr-status", "等待手机扫码")
	pc.vshot("verification-qr")
	pc.eval(`window.__sameDocument = "yes"; "ok"`)

	// The phone opens the link: the PC sees it.
	ph := newTab(t, browser, a.URL(), viewports[1])
	ph.do(chromedp.Navigate(link))
	ph.contains("#who", "陈*", "互联网信息服务负责人")
	ph.contains("main", "白色", "帽子")
	ph.vshot("verification-capture")
	pc.waitText("#qr-status", "已在手机上打开")

	// A bad photo is refused with what to fix; a good one is shown for confirmation.
	dir := t.TempDir()
	file := func(name string, data []byte) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	ph.do(chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{file("two.jpg", twoFaces(t))}))
	ph.submit("#btn-upload")
	ph.contains("#error-summary", "检测到 2 张人脸")
	ph.vshot("verification-refused")
	ph.do(chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{file("wall.jpg", blankWall(t))}))
	ph.submit("#btn-upload")
	ph.contains("#error-summary", "没有检测到人脸")
	ph.do(chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{file("me.jpg", goodFace(t))}))
	ph.submit("#btn-upload")
	ph.contains("#confirm", "照片已通过检查")
	ph.waitText("#captured-loaded", "yes")
	pc.waitText("#qr-status", "等待在手机上确认")
	ph.vshot("verification-confirm")
	ph.submit("#btn-confirm")
	ph.contains("#done", "核验完成")

	// The PC page shows the success by itself, in the same document.
	pc.do(chromedp.WaitVisible(chromedp.CSS("#qr-done")))
	pc.contains("#qr-done", "核验通过")
	if pc.eval(`String(window.__sameDocument)`) != "yes" {
		t.Fatal("the PC page reloaded")
	}
	pc.contains("#person-subject_principal", "核验通过")
	pc.vshot("verification-done")

	pc.open(path("/orders/%d/verification-form", o.ID))
	pc.contains("#verification-form", "网站备案信息真实性核验单", "广州示例云科技有限公司")
	pc.vshot("verification-form")

	// The link was spent when first opened: another phone is refused with the reason.
	other := newTab(t, browser, a.URL(), viewports[1])
	other.do(chromedp.Navigate(link))
	other.contains("main", "已被扫描过")
}

// vshot saves a screenshot of the viewport to $BEIAN_VERIFY_SHOTS (a directory) when it is set.
func (b *tab) vshot(name string) {
	b.t.Helper()
	dir := os.Getenv("BEIAN_VERIFY_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, b.vp.name+"-"+name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// waitText waits, without reloading, until the element's text has want.
func (b *tab) waitText(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	js := fmt.Sprintf(`(function(){var e=document.querySelector(%q);return e?(e.innerText||e.textContent||""):""})()`, sel)
	if sel == "#captured-loaded" {
		js = `(function(){var i=document.getElementById("captured");return i&&i.complete&&i.naturalWidth>0?"yes":""})()`
	}
	for {
		got := b.eval(js)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: %q never showed; last text %q", sel, want, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
