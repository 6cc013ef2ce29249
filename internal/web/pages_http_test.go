package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
)

// The pages over HTTP, without a browser: rendering in each language, access control, language switch,
// static files, and errors placed beside the fields they name.

func startApp(t *testing.T) *app.App { return apptest.Start(t, "") }

// browser is a client with cookies that does not follow redirects.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	lang string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	status int
	body   string
	header http.Header
}

func (b *browser) do(method, path string, form url.Values, headers ...string) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.send(req)
}

// send sends req in the browser's language with its cookies and reads the page it answers.
func (b *browser) send(req *http.Request) page {
	b.t.Helper()
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(raw), resp.Header}
}

func (b *browser) get(path string) page { b.t.Helper(); return b.do("GET", path, nil) }

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	return b.do("POST", path, form)
}

func (b *browser) login(email string) {
	b.t.Helper()
	p := b.post("/login", url.Values{"email": {email}, "password": {app.DemoPassword}, "next": {"/"}})
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("login %s: %d %s", email, p.status, p.body)
	}
}

var rawKeyRE = regexp.MustCompile(`>[^<]*\bweb\.[a-z_]+\.[a-z_.]+`)

func TestPagesRenderInEveryLanguage(t *testing.T) {
	a := startApp(t)
	paths := []struct{ path, title string }{
		{"/", "web.home.title"},
		{"/login", "web.title.login"},
		{"/register", "web.title.register"},
		{"/query", "web.title.query"},
		{"/query?kind=domain&q=example-sz.cn", "web.title.query"},
		{"/miit/verify", "web.title.verify"},
	}
	accept := map[i18n.Lang]string{i18n.ZhCN: "zh-CN,zh;q=0.9", i18n.ZhTW: "zh-TW", i18n.En: "en-US,en;q=0.8"}
	for _, lang := range i18n.Langs {
		for _, p := range paths {
			b := newBrowser(t, a.URL())
			b.lang = accept[lang]
			got := b.get(p.path)
			if got.status != 200 || !strings.HasPrefix(got.header.Get("Content-Type"), "text/html") {
				t.Fatalf("%s %s: %d %s", lang, p.path, got.status, got.header.Get("Content-Type"))
			}
			if !strings.Contains(got.body, `<html lang="`+string(lang)+`">`) {
				t.Errorf("%s %s: wrong html lang", lang, p.path)
			}
			if want := i18n.T(lang, p.title, nil); !strings.Contains(got.body, want) {
				t.Errorf("%s %s: %q not on the page", lang, p.path, want)
			}
			if m := rawKeyRE.FindString(got.body); m != "" {
				t.Errorf("%s %s: raw catalog key shown: %q", lang, p.path, m)
			}
			if csp := got.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("%s: CSP %q", p.path, csp)
			}
		}
	}
	// The public query finds the seeded filing and shows no personal data.
	q := newBrowser(t, a.URL()).get("/query?kind=domain&q=example-sz.cn")
	if !strings.Contains(q.body, "粤ICP备2025000001号-1") || strings.Contains(q.body, "13900139000") {
		t.Fatalf("query page: %s", q.body)
	}
	if e := newBrowser(t, a.URL()).get("/query?kind=domain&q="); e.status != 422 || !strings.Contains(e.body, `id="error-summary"`) {
		t.Fatalf("empty query: %d", e.status)
	}
}

func TestPagesAccessControl(t *testing.T) {
	a := startApp(t)
	anon := newBrowser(t, a.URL())
	for _, p := range []string{"/filings/new", "/inbox", "/orders/1", "/console", "/console/resources", "/miit/console", "/demo"} {
		got := anon.get(p)
		if got.status != http.StatusSeeOther || got.header.Get("Location") != "/login?next="+url.QueryEscape(p) {
			t.Errorf("anonymous %s: %d → %q", p, got.status, got.header.Get("Location"))
		}
	}
	cases := []struct {
		email string
		path  string
		want  int
	}{
		{"applicant@beian.local", "/filings/new", 200},
		{"applicant@beian.local", "/inbox", 200},
		{"applicant@beian.local", "/console", 403},
		{"applicant@beian.local", "/miit/console", 403},
		{"applicant@beian.local", "/demo", 403},
		{"reviewer@beian.local", "/console", 200},
		{"reviewer@beian.local", "/console/resources", 200},
		{"reviewer@beian.local", "/console/codes", 200},
		{"reviewer@beian.local", "/console/code-requests", 200},
		{"applicant@beian.local", "/console/code-requests", 403},
		{"applicant@beian.local", "/code-requests", 200},
		{"reviewer@beian.local", "/code-requests", 403},
		{"reviewer@beian.local", "/console/calendar", 200},
		{"applicant@beian.local", "/console/calendar", 403},
		{"operator@beian.local", "/console/calendar", 200},
		{"reviewer@beian.local", "/filings/new", 403},
		{"reviewer@beian.local", "/demo", 403},
		{"officer@beian.local", "/miit/console", 200},
		{"officer@beian.local", "/console", 403},
		{"operator@beian.local", "/demo", 200},
		{"operator@beian.local", "/console", 200},
	}
	for _, c := range cases {
		b := newBrowser(t, a.URL())
		b.login(c.email)
		if got := b.get(c.path); got.status != c.want {
			t.Errorf("%s %s: %d, want %d", c.email, c.path, got.status, c.want)
		}
	}
	// Staff land on their own area.
	for email, to := range map[string]string{"reviewer@beian.local": "/console", "officer@beian.local": "/miit/console"} {
		b := newBrowser(t, a.URL())
		b.login(email)
		if got := b.get("/"); got.header.Get("Location") != to {
			t.Errorf("%s home → %q", email, got.header.Get("Location"))
		}
	}
	// A form posted from another site is refused (cross-origin protection).
	if got := anon.do("POST", "/login", url.Values{"email": {"x"}}, "Sec-Fetch-Site", "cross-site"); got.status != 403 {
		t.Errorf("cross-site POST: %d", got.status)
	}
	// Unknown API paths still answer JSON.
	if got := anon.get("/api/v1/nope"); got.status != 404 || !strings.HasPrefix(got.header.Get("Content-Type"), "application/json") {
		t.Errorf("unknown API path: %d %s", got.status, got.header.Get("Content-Type"))
	}
	if got := anon.get("/nope"); got.status != 404 || !strings.Contains(got.body, "找不到该页面") {
		t.Errorf("unknown page: %d", got.status)
	}
}

func TestLanguageSwitch(t *testing.T) {
	a := startApp(t)
	cases := []struct{ query, location, cookie string }{
		{"to=en&next=%2Fquery%3Fkind%3Ddomain", "/query?kind=domain", "lang=en"},
		{"to=zh-TW&next=%2F%2Fevil.example", "/", "lang=zh-TW"},
		{"to=fr&next=%2Flogin", "/login", ""},
	}
	for _, c := range cases {
		b := newBrowser(t, a.URL())
		got := b.get("/lang?" + c.query)
		if got.status != http.StatusSeeOther || got.header.Get("Location") != c.location {
			t.Errorf("%s: %d → %q", c.query, got.status, got.header.Get("Location"))
		}
		if sc := got.header.Get("Set-Cookie"); !strings.HasPrefix(sc, c.cookie) || (c.cookie == "") != (sc == "") {
			t.Errorf("%s: Set-Cookie %q", c.query, sc)
		}
	}
	// The cookie then wins over Accept-Language; ?lang= wins over both.
	b := newBrowser(t, a.URL())
	b.lang = "zh-CN"
	b.get("/lang?to=en&next=/")
	if got := b.get("/login"); !strings.Contains(got.body, "<h1>Log in</h1>") {
		t.Errorf("cookie not honoured")
	}
	if got := b.get("/login?lang=zh-TW"); !strings.Contains(got.body, "<h1>登入</h1>") {
		t.Errorf("?lang= not honoured")
	}
}

var assetRE = regexp.MustCompile(`/static/([0-9a-f]{12})/app\.css`)

func TestStaticFilesAreVersioned(t *testing.T) {
	a := startApp(t)
	b := newBrowser(t, a.URL())
	m := assetRE.FindStringSubmatch(b.get("/").body)
	if m == nil {
		t.Fatal("no versioned stylesheet link")
	}
	css := b.get(m[0])
	if css.status != 200 || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") ||
		!strings.Contains(css.header.Get("Cache-Control"), "immutable") || !strings.Contains(css.body, "overflow-wrap: anywhere") {
		t.Fatalf("stylesheet: %d %v", css.status, css.header)
	}
	old := b.get("/static/000000000000/app.css")
	if old.status != 200 || old.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("stale hash: %d %q", old.status, old.header.Get("Cache-Control"))
	}
	if b.get("/static/"+m[1]+"/nope.css").status != 404 {
		t.Error("unknown static file served")
	}
}

// Errors from the use cases appear beside the field they name, wired for assistive technology.
func TestErrorsBesideFields(t *testing.T) {
	a := startApp(t)
	b := newBrowser(t, a.URL())

	reg := b.post("/register", url.Values{"email": {"not-an-email"}, "name": {"张三"}, "password": {"longenough1"},
		"password2": {"longenough1"}})
	if reg.status != 422 {
		t.Fatalf("register: %d", reg.status)
	}
	for _, want := range []string{`id="f-email" name="email"`, `aria-invalid="true"`, `id="f-email-err"`, `role="alert"`,
		`aria-describedby="f-email-hint f-email-err"`} {
		if !strings.Contains(reg.body, want) {
			t.Errorf("register errors: %q missing", want)
		}
	}
	mismatch := b.post("/register", url.Values{"email": {"zhangsan@example.com"}, "name": {"张三"}, "password": {"longenough1"},
		"password2": {"longenough2"}})
	if mismatch.status != 422 || !strings.Contains(mismatch.body, `id="f-password2-err"`) {
		t.Fatalf("password mismatch: %d", mismatch.status)
	}

	b.login("applicant@beian.local")
	check := url.Values{"province": {"44"}, "nature": {"enterprise"}, "credential_type": {"business_license"},
		"credential_number": {"91440101MA9W87654X"}, "service_kind": {"website"}, "domain": {"gz-pages-test.cn"}, "action": {"check"}}
	bad := b.post("/filings/new", check)
	if bad.status != 422 || !strings.Contains(bad.body, `id="f-credential_number-err"`) {
		t.Fatalf("bad credential number: %d\n%s", bad.status, bad.body)
	}
	check.Set("credential_number", "91440101MA9W87654R")
	ok := b.post("/filings/new", check)
	if ok.status != 200 || !strings.Contains(ok.body, i18n.T(i18n.ZhCN, "rules.order_type.new_filing", nil)) {
		t.Fatalf("check: %d", ok.status)
	}
	inst := regexp.MustCompile(`name="resource.instance_id" value="(\d+)" checked`).FindStringSubmatch(ok.body)
	if inst == nil {
		t.Fatalf("no usable instance preselected:\n%s", ok.body)
	}
	check.Set("action", "create")
	check.Set("resource.instance_id", inst[1])
	check.Set("idem", "pages-test-1")
	created := b.post("/filings/new", check)
	loc := created.header.Get("Location")
	if created.status != http.StatusSeeOther || !regexp.MustCompile(`^/orders/\d+/subject\?ok=created$`).MatchString(loc) {
		t.Fatalf("create: %d %q", created.status, loc)
	}
	order := strings.TrimSuffix(loc, "/subject?ok=created")

	// An invalid mobile is kept in the draft and shown beside its input.
	subject := url.Values{"action": {"next"}, "subject.name": {"广州页面测试有限公司"}, "subject.principal.mobile": {"1234"},
		"subject.principal.name": {"陈伟"}}
	got := b.post(order+"/subject", subject)
	if got.status != 422 {
		t.Fatalf("subject step: %d", got.status)
	}
	for _, want := range []string{`id="f-subject-principal-mobile-err"`, `value="1234"`, `href="#f-subject-principal-mobile"`} {
		if !strings.Contains(got.body, want) {
			t.Errorf("subject errors: %q missing", want)
		}
	}
	if again := b.get(order + "/subject"); !strings.Contains(again.body, `value="广州页面测试有限公司"`) {
		t.Error("draft not saved")
	}

	// Withdrawal needs the explicit confirmation, then is final.
	if w := b.post(order+"/withdraw", url.Values{"reason": {"测试"}}); w.status != 422 || !strings.Contains(w.body, `id="f-confirm-err"`) {
		t.Fatalf("withdraw without confirmation: %d", w.status)
	}
	if w := b.post(order+"/withdraw", url.Values{"confirm": {"yes"}}); w.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d %s", w.status, w.body)
	}
	if p := b.get(order); !strings.Contains(p.body, "已撤销") {
		t.Error("progress page does not show the withdrawal")
	}
	if w := b.get(order + "/withdraw"); w.status != http.StatusConflict {
		t.Errorf("withdraw page of a withdrawn order: %d", w.status)
	}
}

// apiCall sends a JSON request with a bearer token and decodes the answer.
func apiCall(t *testing.T, base, token, method, path string, body any, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatal(err)
		}
	}
}

func apiLogin(t *testing.T, base, email string) string {
	var out struct{ Token string }
	apiCall(t, base, "", "POST", "/api/v1/session", map[string]string{"email": email, "password": app.DemoPassword}, &out)
	return out.Token
}

// The reviewer's queue puts overdue orders first and marks them; counts per state are shown.
// guangzhouOrder makes the demo applicant's order for a Guangdong enterprise with one website, filled in; it is
// submitted when submit is set.
func guangzhouOrder(t *testing.T, base, tok, credential, domain, name, email string, submit bool) int64 {
	t.Helper()
	var res struct{ Resources []struct{ ID int64 } }
	apiCall(t, base, tok, "GET", "/api/v1/resources", nil, &res)
	check := provider.CheckInput{Province: "44", Nature: "enterprise", CredentialType: "business_license",
		CredentialNumber: credential, ServiceKind: filing.Website, Domain: domain}
	var o filing.Order
	apiCall(t, base, tok, "POST", "/api/v1/orders", provider.CreateInput{Check: check,
		Resource: filing.ResourceRef{InstanceID: res.Resources[0].ID}}, &o)
	subj := o.Subject
	subj.Name, subj.CredentialAddress, subj.CommunicationAddress = name, "广州市天河区天河路1号", "广东省广州市天河区天河路1号"
	subj.LegalRepresentative = &filing.LegalRepresentative{Name: "陈伟", IDNumber: "440106199207154565"}
	subj.Principal = filing.Principal{Name: "陈伟", CredentialType: "resident_id", CredentialNumber: "440106199207154565",
		CredentialLongTerm: true, CredentialValidFrom: "2015-01-01", OfficePhone: "020-83920147", Mobile: "13926184530",
		EmergencyMobile: "13751208469", Email: email}
	svc := o.Services[0]
	svc.Name, svc.Content, svc.Languages, svc.PrincipalSameAsSubject = "广州测试科技官网", []string{"unit_portal"}, []string{"zh-Hans"}, true
	apiCall(t, base, tok, "PUT", fmt.Sprintf("/api/v1/orders/%d", o.ID), provider.Content{Subject: subj,
		Services: []filing.Service{svc}, AgreementsAccepted: true}, nil)
	if submit {
		apiCall(t, base, tok, "POST", fmt.Sprintf("/api/v1/orders/%d/submit", o.ID), nil, nil)
	}
	return o.ID
}

func TestQueueShowsOverdueFirst(t *testing.T) {
	a := startApp(t)
	base := a.URL()
	tok := apiLogin(t, base, "applicant@beian.local")
	id := guangzhouOrder(t, base, tok, "91440101MA9W87654R", "gz-overdue.cn", "广州逾期测试科技有限公司", "chenwei@gz-overdue.cn", true)
	var tl provider.Timeline
	apiCall(t, base, tok, "GET", fmt.Sprintf("/api/v1/orders/%d/timeline", id), nil, &tl)
	if tl.Next == nil || tl.Next.Deadline == nil {
		t.Fatalf("a submitted order has no deadline: %+v", tl.Next)
	}

	rev := newBrowser(t, base)
	rev.login("reviewer@beian.local")
	if q := rev.get("/console"); strings.Contains(q.body, `class="overdue"`) || !strings.Contains(q.body, "剩余") {
		t.Fatalf("fresh order shown overdue or without its working days:\n%s", q.body)
	}
	op := newBrowser(t, base)
	op.login("operator@beian.local")
	// Just past the review's deadline, two working days, which a public holiday stretches to as many as twelve
	// calendar days (a week's advance left the order on time when submitted just before the Spring Festival).
	past := tl.Next.Deadline.Sub(a.Clock.Now()) + time.Minute
	if r := op.post("/demo/clock", url.Values{"advance": {past.String()}}); r.status != http.StatusSeeOther {
		t.Fatalf("advance clock: %d", r.status)
	}
	q := rev.get("/console")
	if !strings.Contains(q.body, `<tr class="overdue">`) || !strings.Contains(q.body, "已逾期") ||
		!strings.Contains(q.body, "广州逾期测试科技有限公司") {
		t.Fatalf("overdue order not highlighted:\n%s", q.body)
	}
	if !regexp.MustCompile(`等待初审 <span class="chip-n">1</span>`).MatchString(q.body) {
		t.Error("count by state missing")
	}
	// Filters narrow the queue.
	if f := rev.get("/console?province=11"); strings.Contains(f.body, "广州逾期测试科技有限公司") {
		t.Error("province filter ignored")
	}
}

// The reviewer's order page runs every rule the submission ran, the rules across subjects included: an e-mail
// another subject's order was submitted with after this one shows beside the field.
func TestConsoleOrderShowsRulesAcrossSubjects(t *testing.T) {
	a := startApp(t)
	base := a.URL()
	tok := apiLogin(t, base, "applicant@beian.local")
	const email = "shared@gz-cross.cn"
	first := guangzhouOrder(t, base, tok, "91440101MA9W87654R", "gz-cross-1.cn", "广州交叉一号科技有限公司", email, true)
	rev := newBrowser(t, base)
	rev.login("reviewer@beian.local")
	if p := rev.get(fmt.Sprintf("/console/orders/%d", first)); strings.Contains(p.body, "已被其他单位备案使用") {
		t.Fatal("a cross-subject violation shown before another subject used the e-mail")
	}
	// Another subject's order comes to use the same address (a race the submission check cannot exclude).
	second := guangzhouOrder(t, base, tok, loadtest.USCC(424242), "gz-cross-2.cn", "广州交叉二号科技有限公司", email, false)
	ctx := context.Background()
	r, err := a.Store.Order(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Store.Update(ctx, func(tx *store.Tx) error { return tx.IndexContacts(ctx, r) }); err != nil {
		t.Fatal(err)
	}
	p := rev.get(fmt.Sprintf("/console/orders/%d", first))
	if !strings.Contains(p.body, "电子邮箱“"+email+"”已被其他单位备案使用") {
		t.Fatalf("the reviewer does not see the e-mail used by another subject:\n%s", p.body)
	}
}

// An operator enters a new year's holiday schedule on the calendar page; a bad one is refused beside the field
// and changes nothing; a reviewer sees the page but not the form.
func TestCalendarPage(t *testing.T) {
	a := startApp(t)
	op := newBrowser(t, a.URL())
	op.login("operator@beian.local")
	bad := op.post("/console/calendar", url.Values{"year": {"2031"}, "days": {`{"year":2031,"days":[]}`}})
	if bad.status != 422 || !strings.Contains(bad.body, "工作日安排没有列出任何日期") || !strings.Contains(bad.body, `id="error-summary"`) {
		t.Fatalf("empty schedule: %d\n%s", bad.status, bad.body)
	}
	if a.Calendar().Covers(2031) {
		t.Fatal("a refused schedule was applied")
	}
	good := `{"year":2031,"papers":[],"days":[{"name":"元旦","date":"2031-01-01","isOffDay":true}]}`
	ok := op.post("/console/calendar", url.Values{"year": {"2031"}, "days": {good}})
	if ok.status != 200 || !strings.Contains(ok.body, "2031年的节假日安排已录入") {
		t.Fatalf("enter 2031: %d\n%s", ok.status, ok.body)
	}
	if !a.Calendar().Covers(2031) {
		t.Fatal("the entered year is not in force")
	}
	rev := newBrowser(t, a.URL())
	rev.login("reviewer@beian.local")
	page := rev.get("/console/calendar")
	if !strings.Contains(page.body, "<td data-label=\"年份\">2031</td>") || strings.Contains(page.body, `id="btn-calendar"`) {
		t.Fatalf("reviewer's calendar page:\n%s", page.body)
	}
	if r := rev.post("/console/calendar", url.Values{"year": {"2032"}, "days": {good}}); r.status != 403 {
		t.Fatalf("reviewer entered a calendar: %d", r.status)
	}
}
