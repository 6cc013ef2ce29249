package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// A JSON body over the 1 MB limit is refused with 413 and a message that states the limit, on a plain decode, an
// idempotent request and a raw body alike; a body under the limit still decodes.
func TestBodyOverLimitIs413(t *testing.T) {
	a := startApp(t)
	base := a.URL()
	operator := apiLogin(t, base, "operator@beian.local")
	applicant := apiLogin(t, base, "applicant@beian.local")
	huge := `{"email":"` + strings.Repeat("a", 1<<20) + `@example.com"}`
	cases := []struct {
		name, method, path, token, key string
	}{
		{"register", "POST", "/api/v1/accounts", "", ""},
		{"idempotent create", "POST", "/api/v1/orders", applicant, "k-1"},
		{"calendar year", "PUT", "/api/v1/console/calendar/2030", operator, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, base+c.path, strings.NewReader(huge))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept-Language", "en")
			if c.token != "" {
				req.Header.Set("Authorization", "Bearer "+c.token)
			}
			if c.key != "" {
				req.Header.Set("Idempotency-Key", c.key)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			var body struct {
				Error struct{ Code, Message string }
			}
			json.Unmarshal(raw, &body)
			if resp.StatusCode != http.StatusRequestEntityTooLarge || body.Error.Code != "common.body_too_large" ||
				!strings.Contains(body.Error.Message, "1 MB") {
				t.Fatalf("status %d, body %s; want 413 common.body_too_large stating 1 MB", resp.StatusCode, raw)
			}
		})
	}
	under := `{"email":"x@example.com","name":"` + strings.Repeat("名", 300_000) + `"}` // 900 KB
	resp, err := http.Post(base+"/api/v1/accounts", "application/json", strings.NewReader(under))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusRequestEntityTooLarge {
		t.Fatal("a body under the limit is refused as too large")
	}
}
