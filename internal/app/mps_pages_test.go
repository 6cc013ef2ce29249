package app_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
)

// formClient is a cookie-keeping client of the platform's pages.
type formClient struct {
	t    *testing.T
	base string
	c    *http.Client
	lang string
}

func newFormClient(t *testing.T, base, lang string) *formClient {
	jar, _ := cookiejar.New(nil)
	return &formClient{t: t, base: base, lang: lang, c: &http.Client{Jar: jar}}
}

func (b *formClient) send(req *http.Request) (int, string) {
	b.t.Helper()
	req.Header.Set("Accept-Language", b.lang)
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *formClient) get(path string) (int, string) {
	req, _ := http.NewRequest("GET", b.base+path, nil)
	return b.send(req)
}

func (b *formClient) post(path string, form url.Values) (int, string) {
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

// postFiles sends a multipart form with the same image for every file field.
func (b *formClient) postFiles(path string, form url.Values, files []string, img []byte) (int, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, _ := w.CreateFormFile(f, "x.jpg")
		fw.Write(img)
	}
	w.Close()
	req, _ := http.NewRequest("POST", b.base+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.send(req)
}

// login goes through the login page, reading the captcha through the demo hook.
func (b *formClient) login(username, pw string) {
	b.t.Helper()
	_, page := b.get("/mps/login")
	id := regexp.MustCompile(`name="captcha_id" value="([^"]+)"`).FindStringSubmatch(page)
	if id == nil {
		b.t.Fatal("no captcha on the login page")
	}
	_, raw := b.get("/mps/api/v1/dev/captchas/" + id[1])
	ans := regexp.MustCompile(`"answer":"(\w+)"`).FindStringSubmatch(raw)
	if status, page := b.post("/mps/login", url.Values{"username": {username}, "password": {pw}, "captcha_id": {id[1]},
		"captcha": {ans[1]}}); status != 200 || !strings.Contains(page, `id="mps-logout"`) {
		b.t.Fatalf("login %s: %d", username, status)
	}
}

// The pages take an applicant from registration to a police number, in the three languages, with refusals shown
// beside their fields.
func TestPolicePages(t *testing.T) {
	a := startApp(t, "")
	base := a.URL()
	operator := login(t, base, "operator@beian.local", app.DemoPassword)
	for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
		b := newFormClient(t, base, lang)
		for _, p := range []string{"/mps/", "/mps/register", "/mps/login", "/mps/query"} {
			if status, page := b.get(p); status != 200 || !strings.Contains(page, `lang="`+lang+`"`) || strings.Contains(page, "mps.web.") {
				t.Fatalf("%s %s: %d or an untranslated key", lang, p, status)
			}
		}
	}
	b := newFormClient(t, base, "zh-CN")
	reg := url.Values{"username": {"liuyang"}, "password": {"Liu2026ab"}, "password_confirm": {"Liu2026ab"}, "name": {"刘洋"},
		"credential_type": {"resident_id"}, "credential_number": {"440305198503121231"}, "mobile": {"13900139000"},
		"email": {"liuyang@example-sz.cn"}}
	bad := url.Values{}
	for k, v := range reg {
		bad[k] = v
	}
	bad.Set("mobile", "1390013")
	if status, page := b.post("/mps/register", bad); status != 422 || !strings.Contains(page, `id="mobile-err"`) {
		t.Fatalf("refused registration: %d", status)
	}
	if status, _ := b.post("/mps/register", reg); status != 200 {
		t.Fatalf("registration: %d", status)
	}
	b.login("liuyang", "Liu2026ab")
	b.post("/mps/center/mobile-code", nil)
	code := outboxMatch(t, operator, "13900139000", `(\d{6})`)
	if status, page := b.post("/mps/center/mobile", url.Values{"code": {code}}); status != 200 || !strings.Contains(page, `id="credit-mobile"><span class="badge badge-ok"`) {
		t.Fatalf("mobile verification page: %d", status)
	}
	b.post("/mps/center/email-link", nil)
	token := outboxMatch(t, operator, "liuyang@example-sz.cn", `token=([A-Za-z0-9_-]+)`)
	if status, _ := b.get("/mps/verify-email?token=" + token); status != 200 {
		t.Fatalf("e-mail link: %d", status)
	}
	img := clearJPEG(t)
	subj := url.Values{"nature": {"enterprise"}, "name": {"深圳市示例网络科技有限公司"}, "credential_type": {"business_license"},
		"credential_number": {"91440300MA5F12342Q"}, "investor": {"刘洋"}, "area_code": {"440305"},
		"address": {"广东省深圳市南山区科技园路"}, "office_phone": {"0755-86001234"}, "principal.name": {"刘洋"},
		"principal.credential_type": {"resident_id"}, "principal.credential_number": {"440305198503121231"},
		"principal.mobile": {"13900139000"}, "principal.email": {"liuyang@example-sz.cn"},
		"principal.residence": {"广东省深圳市南山区科技园路1号"}}
	files := []string{"materials.unit_credential", "materials.legal_id_front", "materials.legal_id_back", "materials.legal_id_handheld"}
	status, page := b.postFiles("/mps/subjects/new", subj, files, img)
	if status != 422 || !strings.Contains(page, `id="address-err"`) {
		t.Fatalf("imprecise address: %d", status)
	}
	kept := regexp.MustCompile(`name="kept\.(\w+)" value="(\d+)"`).FindAllStringSubmatch(page, -1)
	if len(kept) != 4 {
		t.Fatalf("uploaded images not kept: %v", kept)
	}
	subj.Set("address", "广东省深圳市南山区科技园路1号")
	for _, k := range kept {
		subj.Set("kept."+k[1], k[2])
	}
	if status, page = b.postFiles("/mps/subjects/new", subj, nil, nil); status != 200 || !strings.Contains(page, "待审核") {
		t.Fatalf("subject: %d", status)
	}
	subjectID := regexp.MustCompile(`<option value="(\d+)"`).FindStringSubmatch(func() string { _, p := b.get("/mps/websites/new"); return p }())
	site := url.Values{"subject_id": {subjectID[1]}, "name": {"示例科技官方网站"}, "domains": {"example-sz.cn"},
		"icp_number": {"粤ICP备2025000001号-1"}, "opened_on": {time.Now().Format(time.DateOnly)},
		"access_provider": {"示例云计算有限公司"}, "ips": {"203.0.113.10"}, "service_types": {"02"}, "interactive": {"no"},
		"principal_same_as_subject": {"yes"}}
	wfiles := []string{"materials.domain_certificate", "materials.principal_id_front", "materials.principal_id_back",
		"materials.principal_id_handheld"}
	if status, page = b.postFiles("/mps/websites/new", site, wfiles, img); status != 422 || !strings.Contains(page, `id="notice_read-err"`) {
		t.Fatalf("notice not ticked: %d", status)
	}
	site.Set("notice_read", "yes")
	for _, k := range regexp.MustCompile(`name="kept\.(\w+)" value="(\d+)"`).FindAllStringSubmatch(page, -1) {
		site.Set("kept."+k[1], k[2])
	}
	if status, page = b.postFiles("/mps/websites/new", site, nil, nil); status != 200 || !strings.Contains(page, "待审核") {
		t.Fatalf("website: %d", status)
	}
	_, center := b.get("/mps/center")
	websitePath := regexp.MustCompile(`/mps/websites/\d+`).FindString(center)

	staff := newFormClient(t, base, "zh-CN")
	staff.login("police-gd", app.DemoPassword)
	_, queue := staff.get("/mps/staff")
	links := regexp.MustCompile(`/mps/staff/(subjects|websites)/\d+`).FindAllString(queue, -1)
	if len(links) != 2 {
		t.Fatalf("queue links %v", links)
	}
	for _, l := range links { // the subject first: its deadline is no later and its id is lower
		if status, page := staff.post(l, url.Values{"action": {"approve"}}); status != 200 || !strings.Contains(page, "已备案") {
			t.Fatalf("approve %s: %d", l, status)
		}
	}
	_, page = b.get(websitePath)
	number := regexp.MustCompile(`粤公网安备\d{14}号`).FindString(page)
	if number == "" || !strings.Contains(page, "https://beian.mps.gov.cn/#/query/webSearch?code=") {
		t.Fatalf("no number and badge code on the website page %q", websitePath)
	}
	if _, page = b.get("/mps/messages"); !strings.Contains(page, number) {
		t.Fatal("no system message with the number")
	}
	if _, page = newFormClient(t, base, "en").get("/mps/query?kind=number&q=" + url.QueryEscape(number)); !strings.Contains(page, "Filing organ") {
		t.Fatal("public query page in English")
	}
}
