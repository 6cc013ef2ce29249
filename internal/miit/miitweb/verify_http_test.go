package miitweb_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
	"github.com/beian/beian/internal/miit/miitweb"
	"github.com/beian/beian/internal/web"
)

type caller struct {
	t            *testing.T
	base, client string
	token        string
}

func (c caller) call(method, path string, body any, out any) (int, http.Header, web.APIError) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", c.client)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e web.ErrorBody
	json.Unmarshal(raw, &e)
	if out != nil {
		json.Unmarshal(raw, out)
	}
	return resp.StatusCode, resp.Header, e.Error
}

// The public SMS verification needs a fresh image challenge for every attempt, limits attempts per client
// address, and answers a number nothing waits for as it answers a wrong code; the page never shows the
// challenge's answer.
func TestVerificationNeedsCaptchaAndLimit(t *testing.T) {
	a := apptest.Start(t, "", func(cfg *app.Config) {
		cfg.Proxy = web.Proxy{Trusted: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}
	})
	public := caller{t: t, base: a.URL(), client: "198.51.100.7"}
	var op struct{ Token string }
	public.call("POST", "/api/v1/session", map[string]string{"email": "operator@beian.local", "password": app.DemoPassword}, &op)
	operator := caller{t: t, base: a.URL(), client: "198.51.100.8", token: op.Token}
	challenge := func() (id, answer string) {
		t.Helper()
		var c struct{ ID, Image string }
		if st, _, e := public.call("POST", "/miit/api/v1/captchas", nil, &c); st != 201 || !strings.HasPrefix(c.Image, "data:image/png;base64,") {
			t.Fatalf("captcha: %d %+v %.40s", st, e, c.Image)
		}
		var out struct{ Answer string }
		if st, _, e := operator.call("GET", "/miit/api/v1/dev/captchas/"+c.ID, nil, &out); st != 200 || len(out.Answer) != 5 {
			t.Fatalf("answer: %d %+v", st, e)
		}
		return c.ID, out.Answer
	}
	attempt := func(phone, captchaID, captcha string) (int, http.Header, web.APIError) {
		return public.call("POST", "/miit/api/v1/sms-verifications", map[string]string{"phone": phone, "code": "123456",
			"id_last6": "01123X", "captcha_id": captchaID, "captcha": captcha}, nil)
	}

	if st, _, e := attempt("13911112222", "", ""); st != 422 || e.Code != "miit.captcha_wrong" || e.Field != "captcha" {
		t.Fatalf("no captcha: %d %+v", st, e)
	}
	id, answer := challenge()
	st, _, unknown := attempt("13911112222", id, answer)
	if st != 422 || unknown.Code != "miit.sms_mismatch" {
		t.Fatalf("unknown number: %d %+v", st, unknown)
	}
	if st, _, e := attempt("13911112222", id, answer); st != 422 || e.Code != "miit.captcha_wrong" {
		t.Fatalf("a challenge used twice: %d %+v", st, e)
	}
	applicant := caller{t: t, base: a.URL(), client: "198.51.100.9"}
	var ap struct{ Token string }
	applicant.call("POST", "/api/v1/session", map[string]string{"email": "applicant@beian.local", "password": app.DemoPassword}, &ap)
	applicant.token = ap.Token
	if st, _, _ := applicant.call("GET", "/miit/api/v1/dev/captchas/"+id, nil, nil); st != http.StatusForbidden {
		t.Fatalf("an applicant read a challenge's answer: %d", st)
	}

	// The page: an image and the challenge's id, never its answer.
	req, _ := http.NewRequest("GET", a.URL()+"/miit/verify", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="captcha_id" value="([0-9a-f]+)"`).FindSubmatch(html)
	if m == nil || !bytes.Contains(html, []byte(`src="data:image/png;base64,`)) {
		t.Fatalf("no challenge on the page:\n%s", html)
	}
	var pageAnswer struct{ Answer string }
	operator.call("GET", "/miit/api/v1/dev/captchas/"+string(m[1]), nil, &pageAnswer)
	text := regexp.MustCompile(`data:image/png;base64,[A-Za-z0-9+/=]+`).ReplaceAll(html, nil)
	if pageAnswer.Answer == "" || bytes.Contains(text, []byte(pageAnswer.Answer)) {
		t.Fatalf("the page shows the answer %q", pageAnswer.Answer)
	}
	form := url.Values{"phone": {"13911112222"}, "code": {"123456"}, "id_last6": {"01123X"},
		"captcha_id": {string(m[1])}, "captcha": {pageAnswer.Answer}}
	presp, err := http.Post(a.URL()+"/miit/verify", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(presp.Body)
	presp.Body.Close()
	if presp.StatusCode != 422 || !strings.Contains(string(body), "手机号码、验证码或证件号码后6位不正确") {
		t.Fatalf("page attempt with the challenge solved: %d\n%s", presp.StatusCode, body)
	}

	// Per address: the attempts so far from 198.51.100.7 count (3), up to the limit.
	for i := 3; i < miitweb.VerifyLimit; i++ {
		if st, _, e := attempt("13911112222", "", ""); st == http.StatusTooManyRequests {
			t.Fatalf("attempt %d refused early: %+v", i+1, e)
		}
	}
	id, answer = challenge()
	st, h, e := attempt("13911112222", id, answer)
	if st != http.StatusTooManyRequests || e.Code != "miit.verify_rate_limited" || h.Get("Retry-After") == "" {
		t.Fatalf("attempt over the limit: %d %q %+v", st, h.Get("Retry-After"), e)
	}
	public.client = "198.51.100.10"
	if st, _, e := attempt("13911112222", id, answer); st != 422 || e != unknown {
		t.Fatalf("another address: %d %+v", st, e)
	}
}
