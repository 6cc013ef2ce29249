package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/web"
)

// rawAPI sends body as it is (it may hold bytes that are not UTF-8) and returns the status and the errors.
func rawAPI(t *testing.T, base, token, method, path string, body []byte) (int, []struct{ Code, Field, Message string }) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "en")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out struct {
		Errors []struct{ Code, Field, Message string }
	}
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out.Errors
}

// Text with invalid UTF-8 or a control or format character is refused in every text field, through the API and
// the pages, with the field named; nothing of the request is saved.
func TestTextFieldsRefuseControlCharacters(t *testing.T) {
	a := startApp(t)
	base := a.URL()
	tok := apiLogin(t, base, "applicant@beian.local")
	id := guangzhouOrder(t, base, tok, "91440101MA9W87654R", "gz-text.cn", "广州文本测试科技有限公司", "chenwei@gz-text.cn", false)
	var o filing.Order
	apiCall(t, base, tok, "GET", fmt.Sprintf("/api/v1/orders/%d", id), nil, &o)
	content := func(name string) []byte {
		b, _ := json.Marshal(map[string]any{"subject": o.Subject, "services": o.Services, "agreements_accepted": true})
		return bytes.Replace(b, []byte(`"广州文本测试科技有限公司"`), []byte(name), 1)
	}
	orderPath := fmt.Sprintf("/api/v1/orders/%d", id)
	reviewer := apiLogin(t, base, "reviewer@beian.local")

	api := []struct {
		name, token, method, path string
		body                      []byte
		field, code               string
	}{
		{"NUL in the subject name", tok, "PUT", orderPath, content(`"广州\u0000文本测试科技有限公司"`), "subject.name", "common.text_control_char"},
		{"right-to-left override", tok, "PUT", orderPath, content("\"广州\u202e文本测试科技有限公司\""), "subject.name", "common.text_control_char"},
		{"invalid UTF-8", tok, "PUT", orderPath, content("\"广州\xff文本测试科技有限公司\""), "subject.name", "common.text_invalid_utf8"},
		{"account name", "", "POST", "/api/v1/accounts",
			[]byte(`{"email":"new@example.com","name":"王\u200b五","mobile":"13912345670","password":"Passw0rd!2026"}`), "name", "common.text_control_char"},
		{"review note", reviewer, "POST", fmt.Sprintf("/api/v1/console/orders/%d/decisions", id),
			[]byte(`{"decision":"request_changes","notes":[{"field":"subject.name","message":"请改\u001b[31m"}]}`), "notes[0].message", "common.text_control_char"},
	}
	for _, c := range api {
		t.Run("API "+c.name, func(t *testing.T) {
			status, errs := rawAPI(t, base, c.token, c.method, c.path, c.body)
			label := web.FieldLabel(i18n.En, c.field) // the message names the field as the page does
			if label == c.field {
				t.Fatalf("no label for the field %s: the message would show its path", c.field)
			}
			if status != http.StatusUnprocessableEntity || len(errs) == 0 || errs[0].Code != c.code || errs[0].Field != c.field ||
				!strings.Contains(errs[0].Message, "“"+label+"”") {
				t.Fatalf("status %d, errors %+v; want 422 %s naming %s", status, errs, c.code, label)
			}
		})
	}
	var after filing.Order
	apiCall(t, base, tok, "GET", orderPath, nil, &after)
	if after.Subject.Name != "广州文本测试科技有限公司" || after.Version != o.Version {
		t.Fatalf("a refused update was saved: name %q, version %d → %d", after.Subject.Name, o.Version, after.Version)
	}
	// A multi-line field keeps its line breaks.
	if status, errs := rawAPI(t, base, tok, "POST", orderPath+"/withdraw", []byte(`{"reason":"第一行\n第二行"}`)); status >= 300 {
		t.Fatalf("a reason on two lines is refused: %d %+v", status, errs)
	}

	b := newBrowser(t, base)
	b.lang = "zh-CN"
	reg := b.post("/register", url.Values{"email": {"form@example.com"}, "name": {"赵\u202e六"}, "mobile": {"13912345671"},
		"password": {"Passw0rd!2026"}, "password2": {"Passw0rd!2026"}})
	if reg.status != http.StatusUnprocessableEntity || !strings.Contains(reg.body, "202E") || !strings.Contains(reg.body, "不可见的控制字符") ||
		!strings.Contains(reg.body, `id="f-name-err"`) {
		t.Fatalf("register form with U+202E: %d\n%s", reg.status, reg.body)
	}
	if st, _ := rawAPI(t, base, "", "POST", "/api/v1/session", []byte(`{"email":"form@example.com","password":"Passw0rd!2026"}`)); st == http.StatusOK {
		t.Fatal("the refused registration created the account")
	}
	b.login("applicant@beian.local")
	id2 := guangzhouOrder(t, base, tok, "91440101MA9W87655W", "gz-text2.cn", "广州文本二测试科技有限公司", "chenwei@gz-text2.cn", false)
	wiz := b.post(fmt.Sprintf("/orders/%d/subject", id2), url.Values{"action": {"save"}, "subject.name": {"广州\x00文本二"}})
	if wiz.status != http.StatusUnprocessableEntity || !strings.Contains(wiz.body, "U&#43;0000") {
		t.Fatalf("wizard form with NUL: %d\n%s", wiz.status, wiz.body)
	}
	apiCall(t, base, tok, "GET", fmt.Sprintf("/api/v1/orders/%d", id2), nil, &after)
	if after.Subject.Name != "广州文本二测试科技有限公司" {
		t.Fatalf("the refused wizard form was saved: %q", after.Subject.Name)
	}
}
