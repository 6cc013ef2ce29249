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

// The pages after the number over plain HTTP, in the three languages: my filings, each order type's steps, the
// claim, no curtain in the white-background mode, and the desk's pages (calls, channels, claim authorization). No
// message key shows untranslated, and what a form posts lands where it should.
func TestAfterPages(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	me := login(t, a.URL(), "applicant@beian.local", app.DemoPassword)
	mine := []*http.Cookie{{Name: "beian_session", Value: me.token}}
	staff := []*http.Cookie{{Name: "beian_session", Value: p.reviewer.token}}
	base := a.URL()
	form := formType
	pages := site{t, base}
	get := func(cookies []*http.Cookie, path, lang string, want ...string) string {
		t.Helper()
		_, text := pages.get(cookies, path, lang, want...)
		return text
	}
	post := func(cookies []*http.Cookie, path string, v url.Values, wantStatus int) string {
		t.Helper()
		_, loc := pages.post(cookies, path, v, wantStatus)
		return loc
	}
	for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
		get(mine, "/filings", lang, demoSubject, "example-sz.cn")
	}

	// Each type opens on its own first step from the buttons of My filings.
	steps := []struct {
		typ     filing.OrderType
		service string
		step    string
		want    string
	}{
		{filing.ChangeSubject, "", "/subject", "91440300MA5F12342Q"},
		{filing.ChangeAccess, demoSubject + "-1", "/access", "服务器放置地"},
		{filing.CancelService, demoSubject + "-1", "/review", "注销"},
		{filing.WithdrawAccess, demoSubject + "-1", "/review", "只有本接入商一个接入"},
		{filing.CancelSubject, "", "/review", "不再使用"},
	}
	for _, s := range steps {
		loc := post(mine, "/filings/"+url.PathEscape(demoSubject)+"/orders", url.Values{"type": {string(s.typ)},
			"service": {s.service}}, http.StatusSeeOther)
		if !strings.Contains(loc, s.step) {
			t.Fatalf("%s opened at %s, want %s", s.typ, loc, s.step)
		}
		u, _ := url.Parse(loc)
		for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
			get(mine, u.Path, lang)
		}
		get(mine, u.Path, "zh-CN", s.want)
		if s.typ == filing.ChangeAccess {
			post(mine, u.Path, url.Values{"action": {"save"}, "services[0].ips": {"198.51.100.8"},
				"services[0].access_method": {"cloud_host"}, "services[0].access_location": {"广东省深圳市"}}, http.StatusSeeOther)
			get(mine, strings.TrimSuffix(u.Path, "/access")+"/review", "zh-CN", "198.51.100.8", "云主机")
		}
		id := orderID(t, u.Path)
		me.must(200, "POST", path("/api/v1/orders/%d/withdraw", id), nil, nil)
	}

	// A new website: the form asks for the domain and the server, never the subject.
	text := get(mine, "/filings", "zh-CN")
	if !strings.Contains(text, "新增网站/APP") {
		t.Fatal("no new-service button")
	}
	resp, body := page(t, "POST", base+"/filings/"+url.PathEscape(demoSubject)+"/orders", "zh-CN", mine, form,
		[]byte(url.Values{"type": {"new_service"}}.Encode()))
	if resp.StatusCode != 200 || !strings.Contains(body, `name="domain"`) || strings.Contains(body, "subject.name") {
		t.Fatalf("new service form: %d %s", resp.StatusCode, visible(body))
	}

	// White-background mode (the default): a new filing's principals verify on the phone, so its order page says
	// nothing of curtains, and a curtain asked for through the page or the API is refused, with nothing recorded.
	wc, wres := p.newApplicant("white-curtain@example.com")
	wo := p.draftReady(wc, wres, "white-curtain.cn")
	white := []*http.Cookie{{Name: "beian_session", Value: wc.token}}
	for lang, word := range map[string]string{"zh-CN": "幕布", "zh-TW": "幕布", "en": "curtain"} {
		if text := get(white, path("/orders/%d", wo.ID), lang); strings.Contains(strings.ToLower(text), word) {
			t.Fatalf("white-background order page (%s) speaks of curtains: %s", lang, text)
		}
	}
	resp, body = page(t, "GET", base+path("/orders/%d", wo.ID), "zh-CN", white, "", nil)
	if strings.Contains(body, `id="curtain"`) || strings.Contains(body, path(`action="/orders/%d/curtain"`, wo.ID)) {
		t.Fatal("white-background order page has the curtain form")
	}
	addr := url.Values{"recipient": {"张伟"}, "mobile": {"13800138000"}, "province": {"44"}, "address": {"深圳市南山区科技园科苑路8号"}}
	resp, body = page(t, "POST", base+path("/orders/%d/curtain", wo.ID), "zh-CN", white, form, []byte(addr.Encode()))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(visible(body), "不使用幕布照") {
		t.Fatalf("curtain posted in white-background mode: %d %s", resp.StatusCode, visible(body))
	}
	status, raw := wc.do("POST", path("/api/v1/orders/%d/curtain-mailings", wo.ID), provider.CurtainRequest{
		Recipient: "张伟", Mobile: "13800138000", Province: "44", Address: "深圳市南山区科技园科苑路8号"})
	if status != http.StatusConflict || !strings.Contains(string(raw), `"code":"curtain.not_needed"`) ||
		!strings.Contains(string(raw), `"field":"verification"`) {
		t.Fatalf("curtain through the API in white-background mode: %d %s", status, raw)
	}
	var none struct{ Mailings []any }
	wc.must(200, "GET", path("/api/v1/orders/%d/curtain-mailings", wo.ID), nil, &none)
	if len(none.Mailings) != 0 {
		t.Fatalf("refused curtains recorded: %+v", none.Mailings)
	}
	wc.must(200, "POST", path("/api/v1/orders/%d/withdraw", wo.ID), nil, nil) // its subject is checked again below

	o := p.openFiled(me, demoSubject, provider.FiledOrderInput{Type: filing.ChangeSubject})
	order := path("/orders/%d", o.ID)

	// Calls, and the reviewer's diff against the filed record.
	edit(me, o, func(c *provider.Content) { c.Subject.Principal.Email = "chenming2@example-sz.cn" })
	me.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
	post(staff, path("/console/orders/%d/calls", o.ID), url.Values{"person": {"subject_principal"}, "number": {"mobile"},
		"outcome": {"no_answer"}, "note": {"工作时间再拨"}}, http.StatusSeeOther)
	for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
		get(staff, path("/console/orders/%d", o.ID), lang, "chenming2@example-sz.cn", "139****8465")
	}
	get(staff, path("/console/orders/%d", o.ID), "zh-CN", "无人接听", "工作时间再拨", "与已备案信息对比")
	get(mine, order, "zh-CN", "审核员电话核实")
	me.must(200, "POST", path("/api/v1/orders/%d/withdraw", o.ID), nil, nil)

	// A claim by papers, authorized by the reviewer on the order page.
	loc := post(mine, "/claims", url.Values{"subject_number": {"京ICP备2024000001号"}}, http.StatusSeeOther)
	get(mine, strings.Split(loc, "?")[0], "zh-CN", "北京示范信息技术有限公司", "发送验证码")
	claim := orderID(t, loc)
	var co filing.Order
	me.must(200, "GET", path("/api/v1/orders/%d", claim), nil, &co)
	edit(me, &co, nil)
	me.must(200, "POST", path("/api/v1/orders/%d/submit", claim), nil, nil)
	get(staff, path("/console/orders/%d", claim), "zh-CN", "授权认领", "13600136000")
	post(staff, path("/console/orders/%d/claim", claim), url.Values{"reason": {"营业执照与备案信息一致"}}, http.StatusSeeOther)
	get(mine, "/filings", "zh-CN", "京ICP备2024000001号")

	// Channels: the phone takes only Zhejiang; a phone's check for Guangdong is refused with the reason.
	for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
		get(staff, "/console/channels", lang)
	}
	post(staff, "/console/channels/phone", url.Values{"provinces": {"33"}}, http.StatusSeeOther)
	in := check("phone-only.cn")
	in.Channel = provider.ChannelPhone
	if codes := me.errorCodes(409, "POST", "/api/v1/filing-type-checks", in); !hasCode(codes, "check.channel_province") {
		t.Fatalf("phone channel: %v", codes)
	}
	in.Channel = provider.ChannelPC
	me.must(200, "POST", "/api/v1/filing-type-checks", in, nil)
}

// formType is the content type of a posted HTML form.
const formType = "application/x-www-form-urlencoded"

// site reads and posts the pages of one server for a test.
type site struct {
	t    *testing.T
	base string
}

// get fetches path in lang and fails the test unless it answers 200, shows no raw message key, and holds each
// of want in its HTML or in its visible text; it returns the HTML and the text.
func (s site) get(cookies []*http.Cookie, path, lang string, want ...string) (body, text string) {
	s.t.Helper()
	resp, body := page(s.t, "GET", s.base+path, lang, cookies, "", nil)
	if resp.StatusCode != 200 {
		s.t.Fatalf("GET %s (%s): %d %s", path, lang, resp.StatusCode, visible(body))
	}
	text = visible(body)
	if k := rawKeyRE.FindString(text); k != "" {
		s.t.Fatalf("GET %s (%s) shows the raw key %s", path, lang, k)
	}
	for _, w := range want {
		if !strings.Contains(body, w) && !strings.Contains(text, w) {
			s.t.Fatalf("GET %s (%s): %q not in %s", path, lang, w, text)
		}
	}
	return body, text
}

// post posts the form v to path and fails the test unless it answers wantStatus; it returns the response's
// HTML and its Location.
func (s site) post(cookies []*http.Cookie, path string, v url.Values, wantStatus int) (body, location string) {
	s.t.Helper()
	resp, body := page(s.t, "POST", s.base+path, "zh-CN", cookies, formType, []byte(v.Encode()))
	if resp.StatusCode != wantStatus {
		s.t.Fatalf("POST %s: %d, want %d: %s", path, resp.StatusCode, wantStatus, visible(body))
	}
	return body, resp.Header.Get("Location")
}
