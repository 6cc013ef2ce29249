package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
)

// A control character or invalid UTF-8 typed into a page form shows the same form again, not the error page:
// the error beside the field it names, everything else that was typed kept (passwords cleared) and nothing
// saved. Over the provider's pages (applicant's and reviewer's), the MIIT simulator's and the police platform's.
func TestFormsShowRefusedTextBesideTheField(t *testing.T) {
	a := startApp(t)
	base := a.URL()
	tok := apiLogin(t, base, "applicant@beian.local")
	order := guangzhouOrder(t, base, tok, "91440101MA9W87654R", "gz-refused.cn", "广州拒收测试科技有限公司", "chenwei@gz-refused.cn", false)
	submitted := guangzhouOrder(t, base, tok, "91440101MA9W87655W", "gz-refused2.cn", "广州拒收二测试科技有限公司", "chenwei@gz-refused2.cn", true)

	cases := []struct {
		name, login, path string
		form              url.Values
		errID             string   // the id of the error beside the refused field
		kept              []string // what the form shows again
		gone              []string // what it must not show again
	}{
		{"register", "", "/register", url.Values{"email": {"refused@example.com"}, "name": {"赵\u202e六"},
			"mobile": {"13912345679"}, "password": {"Passw0rd!2026"}, "password2": {"Passw0rd!2026"}},
			"f-name-err", []string{`value="refused@example.com"`, `value="13912345679"`}, []string{"Passw0rd!2026"}},
		{"login", "", "/login", url.Values{"email": {"applicant@beian.local"}, "password": {"x\x00y"}, "next": {"/"}},
			"f-password-err", []string{`value="applicant@beian.local"`}, []string{"x\x00y"}},
		{"wizard subject", "applicant@beian.local", fmt.Sprintf("/orders/%d/subject", order), url.Values{"action": {"save"},
			"subject.name": {"广州\x00拒收"}, "subject.principal.name": {"陈大文"}},
			"f-subject-name-err", []string{`value="陈大文"`}, nil},
		{"code request", "applicant@beian.local", "/code-requests", url.Values{"domain": {"refused-code.cn"},
			"reason": {"迁移\x1b[31m"}}, "f-reason-err", []string{`value="refused-code.cn"`}, nil},
		{"reviewer's call log", "reviewer@beian.local", fmt.Sprintf("/console/orders/%d/calls", submitted), url.Values{
			"person": {"subject_principal"}, "number": {"mobile"}, "outcome": {"no_answer"}, "note": {"未接\x07"}},
			"f-note-err", []string{`<option value="no_answer" selected>`}, nil},
		{"MIIT verification", "", "/miit/verify", url.Values{"phone": {"13912345678"}, "code": {"123456"},
			"id_last6": {"12345\xff"}, "captcha_id": {"x"}, "captcha": {"1"}},
			"f-id_last6-err", []string{`value="13912345678"`}, nil},
		{"police platform", "", "/mps/register", url.Values{"username": {"refused_user"}, "password": {"Passw0rd!2026"},
			"password_confirm": {"Passw0rd!2026"}, "name": {"赵\u202e六"}, "credential_type": {"resident_id"},
			"credential_number": {"11010519491231002X"}, "mobile": {"13912345677"}, "email": {"mps-refused@example.com"}},
			"name-err", []string{`value="refused_user"`, `value="13912345677"`, `value="mps-refused@example.com"`},
			[]string{"Passw0rd!2026"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newBrowser(t, base)
			b.lang = "zh-CN"
			if c.login != "" {
				b.login(c.login)
			}
			p := b.post(c.path, c.form)
			if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="`+c.errID+`"`) ||
				!strings.Contains(p.body, `action="`) {
				t.Fatalf("%s: %d, want the form again with %s:\n%s", c.path, p.status, c.errID, p.body)
			}
			for _, want := range c.kept {
				if !strings.Contains(p.body, want) {
					t.Errorf("%s: %s not kept", c.path, want)
				}
			}
			for _, bad := range c.gone {
				if strings.Contains(p.body, bad) {
					t.Errorf("%s: %q shown again", c.path, bad)
				}
			}
		})
	}
	var after filing.Order
	apiCall(t, base, tok, "GET", fmt.Sprintf("/api/v1/orders/%d", order), nil, &after)
	if after.Subject.Name != "广州拒收测试科技有限公司" || after.Subject.Principal.Name == "陈大文" {
		t.Fatalf("the refused wizard form was saved: %q, %q", after.Subject.Name, after.Subject.Principal.Name)
	}
	if st, _ := rawAPI(t, base, "", "POST", "/api/v1/session", []byte(`{"email":"refused@example.com","password":"Passw0rd!2026"}`)); st == http.StatusOK {
		t.Fatal("the refused registration opened the account")
	}
}
