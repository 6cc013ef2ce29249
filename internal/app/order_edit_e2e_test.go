package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// fieldErrors returns the code and field of each error of a failed request, checking its status and that every
// message is translated.
func fieldErrors(c *client, want int, method, pth string, body any) [][2]string {
	c.t.Helper()
	status, raw := c.do(method, pth, body)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, pth, status, want, raw)
	}
	var e struct {
		Errors []struct{ Code, Field, Message string } `json:"errors"`
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		c.t.Fatalf("error body %s: %v", raw, err)
	}
	var out [][2]string
	for _, x := range e.Errors {
		if x.Message == "" || x.Message == x.Code {
			c.t.Errorf("error %s has no translated message", x.Code)
		}
		out = append(out, [2]string{x.Code, x.Field})
	}
	return out
}

func hasFieldError(errs [][2]string, code, field string) bool {
	for _, e := range errs {
		if e == [2]string{code, field} {
			return true
		}
	}
	return false
}

// The applicant's order editing over HTTP: IPs that are not the bound instance's are refused when saved; a
// home page that is a script or another site, and a subject name of thousands of characters, are kept in the
// draft but refuse submission, each on its field; the wizard's services step says so beside the field. The
// content fixed again is submitted.
func TestOrderEditRefusals(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("edits@example.com") // an instance with 203.0.113.77
	o := p.open(c, check("edits-demo.cn"), res, filing.NewFiling)
	put, submit := path("/api/v1/orders/%d", o.ID), path("/api/v1/orders/%d/submit", o.ID)
	cases := []struct {
		name         string
		edit         func(c *provider.Content)
		refusedOnPut bool
		code, field  string
	}{
		{"IPs elsewhere", func(c *provider.Content) { c.Services[0].IPs = []string{"8.8.8.8"} }, true,
			"order.ip_not_on_resource", "services[0].ips[0]"},
		{"a script as home page", func(c *provider.Content) { c.Services[0].HomeURL = "javascript:alert(1)" }, false,
			"home_url.scheme", "services[0].home_url"},
		{"another site as home page", func(c *provider.Content) { c.Services[0].HomeURL = "https://evil.example.com/" }, false,
			"home_url.other_host", "services[0].home_url"},
		{"a 3,000-character subject name", func(c *provider.Content) { c.Subject.Name = strings.Repeat("广州", 1500) + "有限公司" }, false,
			"field.name_too_long", "subject.name"},
	}
	for _, tc := range cases {
		body := content(o)
		tc.edit(&body)
		if tc.refusedOnPut {
			if errs := fieldErrors(c, 422, "PUT", put, body); !hasFieldError(errs, tc.code, tc.field) {
				t.Fatalf("%s: PUT refused with %v, want %s on %s", tc.name, errs, tc.code, tc.field)
			}
			continue
		}
		c.must(200, "PUT", put, body, nil)
		if errs := fieldErrors(c, 422, "POST", submit, nil); !hasFieldError(errs, tc.code, tc.field) {
			t.Fatalf("%s: submission refused with %v, want %s on %s", tc.name, errs, tc.code, tc.field)
		}
	}

	// The wizard's services step: the home page is refused beside its field, in the applicant's language.
	cookies := []*http.Cookie{{Name: "beian_session", Value: c.token}}
	form := url.Values{"action": {"next"}, "services[0].name": {"广州示例云科技官网"}, "services[0].home_url": {"javascript:alert(1)"},
		"services[0].content": {"unit_portal"}, "services[0].languages": {"zh-Hans"}, "services[0].principal_same_as_subject": {"true"}}
	for lang, want := range map[string]string{"zh-CN": "首页地址只能以 http:// 或 https:// 开头", "en": "must start with http:// or https://"} {
		resp, html := page(t, "POST", a.URL()+path("/orders/%d/services", o.ID), lang, cookies, "application/x-www-form-urlencoded",
			[]byte(form.Encode()))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(visible(html), want) {
			t.Fatalf("services step (%s) with a script as home page: %d, %q not in %s", lang, resp.StatusCode, want, visible(html))
		}
	}

	c.must(200, "PUT", put, content(o), nil) // www. + the domain, the instance's IP, a sensible name
	c.must(200, "POST", submit, nil, nil)
}
