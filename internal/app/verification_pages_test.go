package app_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
)

// page is a browser-like request of an HTML page: the session cookies, a language, no redirects followed.
func page(t *testing.T, method, u, lang string, cookies []*http.Cookie, ctype string, body []byte) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept-Language", lang)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var rawKeyRE = regexp.MustCompile(`\b(verify|verification|miit|web)\.[a-z_]+(\.[a-z_]+)*\b`)

// text is the visible text of a page, roughly: tags and the contents of attributes dropped.
func visible(html string) string {
	html = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>`).ReplaceAllString(html, "")
	return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(html, " ")
}

// The verification pages in the three languages, over plain HTTP: the PC page and its QR code, the phone's
// pages from the link to the confirmation, the reviewer's page (send back with a note) and the simulated
// Shanghai app. No message key shows untranslated.
func TestVerificationPages(t *testing.T) {
	a := startApp(t, "", func(c *app.Config) { c.Evidence.Require = false })
	p := newParties(t, a)
	c, res := p.newApplicant("pages@example.com")
	o := p.draftReady(c, res, "pages-demo.cn")
	applicant := []*http.Cookie{{Name: "beian_session", Value: c.token}}
	reviewer := []*http.Cookie{{Name: "beian_session", Value: p.reviewer.token}}
	base := a.URL()
	noKeys := func(what, body string) {
		t.Helper()
		if k := rawKeyRE.FindString(visible(body)); k != "" {
			t.Errorf("%s shows the key %s", what, k)
		}
	}
	for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
		want := map[string][]string{
			"zh-CN": {"真实性核验", "人脸核验", "核验照片审核", "人像核验"},
			"zh-TW": {"真實性核驗", "人臉核驗", "核驗照片審核", "人像核驗"},
			"en":    {"Authenticity verification", "Face check", "Verification photos", "face check"},
		}[lang]
		resp, body := page(t, "GET", base+path("/orders/%d/verification", o.ID), lang, applicant, "", nil)
		if resp.StatusCode != 200 || !strings.Contains(body, want[0]) {
			t.Fatalf("%s PC page: %d", lang, resp.StatusCode)
		}
		noKeys(lang+" PC page", body)
		form := url.Values{"person": {"subject_principal"}}.Encode()
		resp, body = page(t, "POST", base+path("/orders/%d/verification", o.ID), lang, applicant,
			"application/x-www-form-urlencoded", []byte(form))
		link := regexp.MustCompile(`href="([^"]+)" id="qr-url"`).FindStringSubmatch(body)
		if resp.StatusCode != 200 || !strings.Contains(body, "<svg") || link == nil {
			t.Fatalf("%s QR code: %d", lang, resp.StatusCode)
		}
		noKeys(lang+" QR panel", body)

		// The phone: the link sets the session cookie and is spent.
		resp, _ = page(t, "GET", link[1], lang, nil, "", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/m/verify" {
			t.Fatalf("%s open link: %d %s", lang, resp.StatusCode, resp.Header.Get("Location"))
		}
		phone := resp.Cookies()
		if len(phone) != 1 || !phone[0].HttpOnly || phone[0].Path != "/m/" {
			t.Fatalf("%s phone cookie: %+v", lang, phone)
		}
		if resp, body := page(t, "GET", link[1], lang, nil, "", nil); resp.StatusCode != 409 || !strings.Contains(body, map[string]string{
			"zh-CN": "已被扫描过", "zh-TW": "已被掃描過", "en": "already been scanned"}[lang]) {
			t.Fatalf("%s reopened link: %d", lang, resp.StatusCode)
		}
		resp, body = page(t, "GET", base+"/m/verify", lang, phone, "", nil)
		if resp.StatusCode != 200 || !strings.Contains(body, want[1]) || !strings.Contains(body, `capture="user"`) || !strings.Contains(body, "陈*") {
			t.Fatalf("%s phone page: %d", lang, resp.StatusCode)
		}
		noKeys(lang+" phone page", body)
		var mp bytes.Buffer
		ct := multipartWriter(&mp, nil, "photo", twoFaces(t))
		resp, body = page(t, "POST", base+"/m/verify/photo", lang, phone, ct, mp.Bytes())
		if resp.StatusCode != 422 || !strings.Contains(body, map[string]string{"zh-CN": "检测到 2 张人脸", "zh-TW": "偵測到 2 張人臉",
			"en": "2 faces"}[lang]) {
			t.Fatalf("%s two faces: %d %s", lang, resp.StatusCode, visible(body)[:300])
		}
		mp.Reset()
		ct = multipartWriter(&mp, nil, "photo", goodFace(t))
		if resp, _ := page(t, "POST", base+"/m/verify/photo", lang, phone, ct, mp.Bytes()); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s good photo: %d", lang, resp.StatusCode)
		}
		_, body = page(t, "GET", base+"/m/verify", lang, phone, "", nil)
		img := regexp.MustCompile(`src="(/m/verify/photo/\d+)"`).FindStringSubmatch(body)
		if img == nil {
			t.Fatalf("%s: no photo to confirm", lang)
		}
		noKeys(lang+" confirmation page", body)
		if resp, jpg := page(t, "GET", base+img[1], lang, phone, "", nil); resp.StatusCode != 200 || !strings.HasPrefix(jpg, "\xff\xd8") {
			t.Fatalf("%s captured photo: %d", lang, resp.StatusCode)
		}
		if resp, _ := page(t, "GET", base+img[1], lang, nil, "", nil); resp.StatusCode == 200 {
			t.Fatalf("%s: the captured photo is served without the phone's session", lang)
		}
		if resp, _ := page(t, "POST", base+"/m/verify/confirm", lang, phone, "application/x-www-form-urlencoded", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s confirm: %d", lang, resp.StatusCode)
		}
		_, body = page(t, "GET", base+"/m/verify", lang, phone, "", nil)
		if !strings.Contains(body, `id="done"`) {
			t.Fatalf("%s: no confirmation shown", lang)
		}

		_, body = page(t, "GET", base+"/miit/app", lang, nil, "", nil)
		if !strings.Contains(body, want[3]) {
			t.Errorf("%s app page", lang)
		}
		noKeys(lang+" app page", body)
	}

	// The verification form, pre-filled from the order, to print and sign (Alibaba Cloud's materials guide): the applicant's own data in
	// full, for the applicant only.
	resp, body := page(t, "GET", base+path("/orders/%d/verification-form", o.ID), "en", applicant, "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "网站备案信息真实性核验单") || !strings.Contains(body, "广州示例云科技有限公司") ||
		!strings.Contains(body, legalRep) || !strings.Contains(body, "black ink") {
		t.Fatalf("verification form: %d", resp.StatusCode)
	}
	other, _ := p.newApplicant("pages-other@example.com")
	if resp, _ := page(t, "GET", base+path("/orders/%d/verification-form", o.ID), "zh-CN",
		[]*http.Cookie{{Name: "beian_session", Value: other.token}}, "", nil); resp.StatusCode != 404 {
		t.Fatalf("another applicant's form: %d", resp.StatusCode)
	}

	// The reviewer's page: the credential photos beside the verification photo; sending it back with a note.
	cont := content(o)
	cont, _ = p.attachAll(c, o, cont, false)
	c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
	for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
		resp, body := page(t, "GET", base+path("/console/orders/%d/verification", o.ID), lang, reviewer, "", nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "/api/v1/verifications/") || !strings.Contains(body, "/api/v1/materials/") ||
			!strings.Contains(body, `name="note"`) {
			t.Fatalf("%s console page: %d", lang, resp.StatusCode)
		}
		noKeys(lang+" console page", body)
	}
	if resp, _ := page(t, "GET", base+path("/console/orders/%d/verification", o.ID), "zh-CN", applicant, "", nil); resp.StatusCode != 403 {
		t.Fatalf("the applicant opened the console page: %d", resp.StatusCode)
	}
	_, body = page(t, "GET", base+path("/console/orders/%d/verification", o.ID), "zh-CN", reviewer, "", nil)
	vid := regexp.MustCompile(`name="verification" value="(\d+)"`).FindStringSubmatch(body)
	if vid == nil {
		t.Fatal("no send-back form")
	}
	// A note with a control character is refused, changes nothing, and comes back in its form to be fixed.
	bad := url.Values{"action": {"return"}, "verification": {vid[1]}, "note": {"照片模糊\u0007请重拍"}}.Encode()
	resp, body = page(t, "POST", base+path("/console/orders/%d/verification", o.ID), "zh-CN", reviewer,
		"application/x-www-form-urlencoded", []byte(bad))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "error-summary") ||
		!regexp.MustCompile(`(?s)<textarea[^>]*name="note"[^>]*>照片模糊.*请重拍</textarea>`).MatchString(body) {
		t.Fatalf("refused note: %d: %s", resp.StatusCode, visible(body))
	}
	if st := p.state(c, o.ID); st == filing.NeedsChanges {
		t.Fatal("a refused note sent the order back")
	}
	form := url.Values{"action": {"return"}, "verification": {vid[1]}, "note": {"照片模糊，请重拍"}}.Encode()
	if resp, _ := page(t, "POST", base+path("/console/orders/%d/verification", o.ID), "zh-CN", reviewer,
		"application/x-www-form-urlencoded", []byte(form)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send back: %d", resp.StatusCode)
	}
	if st := p.state(c, o.ID); st != filing.NeedsChanges {
		t.Fatalf("after send back: %s", st)
	}
	_, body = page(t, "GET", base+path("/orders/%d/verification", o.ID), "zh-CN", applicant, "", nil)
	if !strings.Contains(body, "照片模糊，请重拍") {
		t.Fatal("the applicant does not see the reviewer's note")
	}
}
