package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// curtainMode starts the app with principals verifying by the curtain photo (BEIAN_FACE_MODE=curtain).
func curtainMode(c *app.Config) { c.Evidence.FaceMode = "curtain" }

// asksVerification has the reviewer ask the subject principal of order id to verify (a change that brings no new
// principal has nobody to verify otherwise, and so no curtain to mail).
func (p *parties) asksVerification(id int64) {
	p.t.Helper()
	p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/verification-requests", id),
		map[string]string{"person": "subject_principal"}, nil)
}

// In curtain mode, over plain HTTP in the three languages: an order nobody verifies for offers no curtain; once
// its principal must take the curtain photo, the form is there, refuses an address a courier could not deliver to
// beside the field, takes a good one; the desk sends it and the applicant sees the tracking number.
func TestCurtainPages(t *testing.T) {
	a := startApp(t, "", curtainMode)
	p := newParties(t, a)
	me := login(t, a.URL(), "applicant@beian.local", app.DemoPassword)
	mine := []*http.Cookie{{Name: "beian_session", Value: me.token}}
	staff := []*http.Cookie{{Name: "beian_session", Value: p.reviewer.token}}
	base := a.URL()
	form := formType
	pages := site{t, base}
	get := func(cookies []*http.Cookie, path, lang string, want ...string) string {
		t.Helper()
		body, _ := pages.get(cookies, path, lang, want...)
		return body
	}
	post := func(cookies []*http.Cookie, path string, v url.Values, wantStatus int) string {
		t.Helper()
		body, _ := pages.post(cookies, path, v, wantStatus)
		return body
	}

	o := p.openFiled(me, demoSubject, provider.FiledOrderInput{Type: filing.ChangeSubject})
	order := path("/orders/%d", o.ID)
	good := url.Values{"recipient": {"张伟"}, "mobile": {"13800138000"}, "province": {"44"}, "address": {"深圳市南山区科技园科苑路8号"}}
	if body := get(mine, order, "zh-CN"); strings.Contains(body, `id="curtain"`) {
		t.Fatal("a change with nobody to verify offers a curtain")
	}
	post(mine, order+"/curtain", good, http.StatusConflict)

	p.asksVerification(o.ID)
	for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
		get(mine, order, lang, `id="curtain"`, path(`action="/orders/%d/curtain"`, o.ID))
	}
	refused := []struct {
		field, value, want string
	}{
		{"province", "71", "中国大陆境内"},
		{"province", "4403", "省份本身"},
		{"address", "广东省深圳市南山区", "街道"},
		{"address", "北京市朝阳区建国路1号", "北京市"},
		{"address", "科苑路8号", "至少8个字"},
		{"recipient", "张伟（前台）", "只填写姓名"},
	}
	for _, r := range refused {
		v := url.Values{}
		for k, vs := range good {
			v[k] = vs
		}
		v.Set(r.field, r.value)
		body := post(mine, order+"/curtain", v, http.StatusUnprocessableEntity)
		i := strings.Index(body, `id="f-`+r.field+`-err"`)
		if i < 0 || !strings.Contains(body[i:min(len(body), i+600)], r.want) {
			t.Fatalf("%s %q: %q not beside the field: %s", r.field, r.value, r.want, visible(body))
		}
	}
	post(mine, order+"/curtain", good, http.StatusSeeOther)
	for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
		get(staff, "/console/curtains", lang, "张伟")
	}
	var ms struct{ Mailings []struct{ ID int64 } }
	p.reviewer.must(200, "GET", "/api/v1/console/curtain-mailings?state=requested", nil, &ms)
	// A dispatch without its tracking number is refused, records nothing, and keeps the carrier typed.
	curtain := path("/console/curtains/%d", ms.Mailings[0].ID)
	resp, body := page(t, "POST", base+curtain, "zh-CN", staff, form, []byte(url.Values{"carrier": {"顺丰速运"}, "tracking": {" "}}.Encode()))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="顺丰速运"`) || !strings.Contains(body, "error-summary") {
		t.Fatalf("dispatch without tracking: %d, carrier kept %v: %s", resp.StatusCode, strings.Contains(body, `value="顺丰速运"`), visible(body))
	}
	get(mine, order, "zh-CN", "已申请")
	post(staff, curtain, url.Values{"carrier": {"顺丰速运"}, "tracking": {"SF1234567890"}}, http.StatusSeeOther)
	get(mine, order, "zh-CN", "SF1234567890", "已寄出")
}

// The public home page describes the verification step as the provider does it: the white-background face
// photo by default, the curtain photo in curtain mode, and Shanghai's own app either way; never the other mode.
func TestHomeVerificationStep(t *testing.T) {
	type texts struct{ says, not []string }
	modes := []struct {
		name  string
		tweak func(*app.Config)
		langs map[string]texts
	}{
		{"white background", func(*app.Config) {}, map[string]texts{
			"zh-CN": {[]string{"白底人脸照片", "上海"}, []string{"幕布"}},
			"zh-TW": {[]string{"白底人臉照片", "上海"}, []string{"幕布"}},
			"en":    {[]string{"white background", "Shanghai"}, []string{"curtain"}},
		}},
		{"curtain", curtainMode, map[string]texts{
			"zh-CN": {[]string{"蓝色幕布前", "申请邮寄", "上海"}, []string{"白底", "人脸核验"}},
			"zh-TW": {[]string{"藍色幕布前", "申請郵寄", "上海"}, []string{"白底", "人臉核驗"}},
			"en":    {[]string{"blue curtain", "mailed", "Shanghai"}, []string{"white background", "face check"}},
		}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			a := startApp(t, "", m.tweak)
			pages := site{t, a.URL()}
			for lang, want := range m.langs {
				_, text := pages.get(nil, "/", lang, want.says...)
				for _, w := range want.not {
					if strings.Contains(text, w) {
						t.Errorf("%s home page (%s) says %q: %s", m.name, lang, w, text)
					}
				}
			}
		})
	}
}

// The order's verification in the API says whether a curtain can be asked for (curtain_needed), as the
// curtain-mailing request decides it: in curtain mode not while nobody verifies for a change, then yes once its
// principal must; with the white-background photo never.
func TestCurtainNeededInAPI(t *testing.T) {
	for _, m := range []struct {
		name  string
		tweak func(*app.Config)
		asked bool // curtain_needed once the principal must verify
	}{
		{"white background", func(*app.Config) {}, false},
		{"curtain", curtainMode, true},
	} {
		t.Run(m.name, func(t *testing.T) {
			a := startApp(t, "", m.tweak)
			p := newParties(t, a)
			me := login(t, a.URL(), "applicant@beian.local", app.DemoPassword)
			o := p.openFiled(me, demoSubject, provider.FiledOrderInput{Type: filing.ChangeSubject})
			needed := func() bool {
				t.Helper()
				_, raw := me.do("GET", path("/api/v1/orders/%d/verification", o.ID), nil)
				conforms(t, "Evidence", raw)
				var ev map[string]any
				if err := json.Unmarshal(raw, &ev); err != nil {
					t.Fatal(err)
				}
				need, ok := ev["curtain_needed"].(bool)
				if !ok {
					t.Fatalf("no curtain_needed in %s", raw)
				}
				return need
			}
			if needed() {
				t.Fatal("curtain_needed for a change nobody verifies for")
			}
			p.asksVerification(o.ID)
			if got := needed(); got != m.asked {
				t.Fatalf("curtain_needed = %v once the principal must verify, want %v", got, m.asked)
			}
			good := provider.CurtainRequest{Recipient: "张伟", Mobile: "13800138000", Province: "44", Address: "深圳市南山区科技园科苑路8号"}
			status := http.StatusConflict
			if m.asked {
				status = http.StatusCreated
			}
			me.must(status, "POST", path("/api/v1/orders/%d/curtain-mailings", o.ID), good, nil)
		})
	}
}
