package app_test

import (
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// A new applicant with no instance asks for an authorization code over the API, the reviewer issues it on the
// console's API, the applicant is texted the code and files the domain with it; the answers match the OpenAPI
// document, and refusals answer with the field.
func TestAuthorizationCodeRequestEndToEnd(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	const phone = "13912340088"
	c := &client{t: t, base: a.URL()}
	c.must(202, "POST", "/api/v1/accounts", map[string]string{"email": "newcomer@example.com", "name": "王芳", "mobile": phone,
		"password": "correct horse 1"}, nil)
	c = login(t, a.URL(), "newcomer@example.com", "correct horse 1")

	refusals := []struct {
		name   string
		body   map[string]string
		status int
		code   string
	}{
		{"a NUL in the reason", map[string]string{"domain": "own-server.cn", "reason": "自建\u0000机房"}, 422, "common.text_control_char"},
		{"no reason", map[string]string{"domain": "own-server.cn"}, 422, "common.required"},
		{"no domain", map[string]string{"reason": "自建机房"}, 422, ""},
	}
	for _, r := range refusals {
		got := c.errorCodes(r.status, "POST", "/api/v1/authorization-code-requests", r.body)
		if r.code != "" && (len(got) == 0 || got[0] != r.code) {
			t.Errorf("%s: codes %v, want %s", r.name, got, r.code)
		}
	}
	status, raw := c.do("POST", "/api/v1/authorization-code-requests", map[string]string{"domain": "Own-Server.cn",
		"reason": "网站部署在自建机房，IP 198.51.100.7"})
	if status != 201 {
		t.Fatalf("request: %d %s", status, raw)
	}
	conforms(t, "CodeRequest", raw)
	if got := c.errorCodes(409, "POST", "/api/v1/authorization-code-requests", map[string]string{"domain": "own-server.cn",
		"reason": "再次申请"}); len(got) == 0 || got[0] != "authreq.open_exists" {
		t.Fatalf("a second open request: %v", got)
	}
	if status, _ := c.do("GET", "/api/v1/console/authorization-code-requests", nil); status != 403 {
		t.Fatalf("an applicant read the console's requests: %d", status)
	}

	_, raw = p.reviewer.do("GET", "/api/v1/console/authorization-code-requests", nil)
	conforms(t, "CodeRequests", raw)
	var list struct {
		Requests []struct {
			ID                  int64
			Domain, State, Code string
		}
	}
	p.reviewer.must(200, "GET", "/api/v1/console/authorization-code-requests", nil, &list)
	if len(list.Requests) == 0 || list.Requests[0].Domain != "own-server.cn" || list.Requests[0].State != "open" {
		t.Fatalf("the reviewer's list: %+v", list)
	}
	id := list.Requests[0].ID
	if status, _ := c.do("POST", path("/api/v1/console/authorization-code-requests/%d/issue", id), map[string]any{"ips": []string{"198.51.100.7"}}); status != 403 {
		t.Fatalf("the applicant issued their own code: %d", status)
	}
	status, raw = p.reviewer.do("POST", path("/api/v1/console/authorization-code-requests/%d/issue", id),
		map[string]any{"ips": []string{"198.51.100.7"}, "validity_days": 30})
	if status != 200 {
		t.Fatalf("issue: %d %s", status, raw)
	}
	conforms(t, "CodeRequest", raw)
	if got := p.reviewer.errorCodes(409, "POST", path("/api/v1/console/authorization-code-requests/%d/decline", id),
		map[string]string{"reason": "不符合"}); len(got) == 0 || got[0] != "authreq.decided" {
		t.Fatalf("declining an issued request: %v", got)
	}

	c.must(200, "GET", "/api/v1/authorization-code-requests", nil, &list)
	if len(list.Requests) != 1 || list.Requests[0].State != "issued" || len(list.Requests[0].Code) != 16 {
		t.Fatalf("the applicant's list: %+v", list)
	}
	code := list.Requests[0].Code
	eventually(t, "the code texted to the applicant", func() bool {
		var out struct{ Messages []struct{ Body string } }
		p.operator.must(200, "GET", "/api/v1/dev/messages?to="+phone, nil, &out)
		for _, m := range out.Messages {
			if strings.Contains(m.Body, code) && strings.Contains(m.Body, "own-server.cn") {
				return true
			}
		}
		return false
	})
	// A request declined: the reason reaches the applicant's list.
	var second struct{ ID int64 }
	c.must(201, "POST", "/api/v1/authorization-code-requests", map[string]string{"domain": "elsewhere.cn", "reason": "托管在境外"}, &second)
	if got := p.reviewer.errorCodes(422, "POST", path("/api/v1/console/authorization-code-requests/%d/decline", second.ID),
		map[string]string{"reason": "‮"}); len(got) == 0 || got[0] != "common.text_control_char" {
		t.Fatalf("a decline reason with a control character: %v", got)
	}
	status, raw = p.reviewer.do("POST", path("/api/v1/console/authorization-code-requests/%d/decline", second.ID),
		map[string]string{"reason": "境外服务器不能在本接入商备案"})
	if status != 200 || !strings.Contains(string(raw), `"state":"declined"`) {
		t.Fatalf("decline: %d %s", status, raw)
	}
	conforms(t, "CodeRequest", raw)
	if status, _ := p.reviewer.do("POST", "/api/v1/console/authorization-code-requests/99999/issue", map[string]any{"ips": []string{"198.51.100.7"}}); status != 404 {
		t.Fatalf("issuing for an unknown request: %d", status)
	}

	var o filing.Order
	c.must(201, "POST", "/api/v1/orders", provider.CreateInput{Check: check("own-server.cn"),
		Resource: filing.ResourceRef{AuthorizationCode: strings.ToLower(code)}}, &o)
	if len(o.Services) != 1 || len(o.Services[0].IPs) != 1 || o.Services[0].IPs[0] != "198.51.100.7" {
		t.Fatalf("the order filed with the code: %+v", o.Services)
	}
}
