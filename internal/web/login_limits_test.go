package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
	"github.com/beian/beian/internal/web"
)

// apiLoginAs tries an API login from client (forwarded by the trusted loopback proxy) and returns the status, the
// Retry-After header and the first error.
func apiLoginAs(t *testing.T, base, client, email, pw string) (int, string, web.APIError) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"email": email, "password": pw})
	req, _ := http.NewRequest("POST", base+"/api/v1/session", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "zh-CN")
	req.Header.Set("X-Forwarded-For", client)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body web.ErrorBody
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), body.Error
}

func startBehindProxy(t *testing.T) *app.App {
	return apptest.Start(t, "", func(cfg *app.Config) {
		cfg.Proxy = web.Proxy{Trusted: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}
	})
}

// Password guessing is paused per account and per client address, for API and form logins of staff and
// applicants alike, with a message saying how long, a Retry-After header and an audit entry; an unknown e-mail
// address is treated like a known one.
func TestLoginLimits(t *testing.T) {
	a := startBehindProxy(t)
	base := a.URL()
	wrongUntilPaused := func(client, email string) {
		t.Helper()
		for i := 1; i <= 5; i++ {
			if st, _, e := apiLoginAs(t, base, client, email, "wrong password"); st != http.StatusUnauthorized || e.Code != "auth.wrong_credentials" {
				t.Fatalf("%s failure %d: %d %+v", email, i, st, e)
			}
		}
		if st, retry, e := apiLoginAs(t, base, client, email, "wrong password"); st != http.StatusTooManyRequests ||
			e.Code != "auth.too_many_attempts" || retry != "60" || !strings.Contains(e.Message, "1 分钟后再试") {
			t.Fatalf("%s sixth failure: %d Retry-After %q %+v", email, st, retry, e)
		}
	}

	t.Run("per account, staff by API", func(t *testing.T) {
		wrongUntilPaused("198.51.100.1", "reviewer@beian.local")
		// The right password is refused unchecked during the pause, from any address.
		if st, retry, e := apiLoginAs(t, base, "198.51.100.99", "reviewer@beian.local", app.DemoPassword); st != http.StatusTooManyRequests ||
			e.Code != "auth.too_many_attempts" || retry == "" {
			t.Fatalf("right password during the pause: %d %q %+v", st, retry, e)
		}
		// Another account from the same address is not paused.
		if st, _, e := apiLoginAs(t, base, "198.51.100.1", "operator@beian.local", app.DemoPassword); st != http.StatusOK {
			t.Fatalf("another account: %d %+v", st, e)
		}
		reviewer, err := a.Store.AccountByEmail(context.Background(), "reviewer@beian.local")
		if err != nil {
			t.Fatal(err)
		}
		log, _ := a.Store.AuditLog(context.Background(), fmt.Sprintf("account:%d", reviewer.ID), 20)
		var failed, paused int
		for _, e := range log {
			switch {
			case e.Action == "login_failed" && e.Detail == "client=198.51.100.1":
				failed++
			case e.Action == "login_paused" && strings.Contains(e.Detail, "by=account"):
				paused++
			}
		}
		if failed != 6 || paused != 1 {
			t.Fatalf("audit: %d failures, %d pauses; want 6, 1: %+v", failed, paused, log)
		}
	})

	t.Run("unknown address like a known one", func(t *testing.T) {
		wrongUntilPaused("198.51.100.2", "nobody@example.com")
	})

	t.Run("applicant by form", func(t *testing.T) {
		b := newBrowser(t, base)
		b.lang = "zh-CN"
		var p page
		for range 6 {
			p = b.do("POST", "/login", url.Values{"email": {"applicant@beian.local"}, "password": {"wrong"}, "next": {"/"}},
				"X-Forwarded-For", "198.51.100.3")
		}
		if p.status != http.StatusTooManyRequests || !strings.Contains(p.body, "登录失败次数过多") || p.header.Get("Retry-After") == "" {
			t.Fatalf("sixth form failure: %d %q\n%s", p.status, p.header.Get("Retry-After"), p.body)
		}
	})

	t.Run("per client address", func(t *testing.T) {
		for i := range 20 {
			if st, _, e := apiLoginAs(t, base, "198.51.100.4", fmt.Sprintf("guess%d@example.com", i), "x"); st != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d %+v", i+1, st, e)
			}
		}
		if st, _, e := apiLoginAs(t, base, "198.51.100.4", "guess20@example.com", "x"); st != http.StatusTooManyRequests {
			t.Fatalf("21st failure from one address: %d %+v", st, e)
		}
		if st, _, e := apiLoginAs(t, base, "198.51.100.4", "operator@beian.local", app.DemoPassword); st != http.StatusTooManyRequests {
			t.Fatalf("right password from the paused address: %d %+v", st, e)
		}
		if st, _, e := apiLoginAs(t, base, "198.51.100.5", "operator@beian.local", app.DemoPassword); st != http.StatusOK {
			t.Fatalf("right password from another address: %d %+v", st, e)
		}
	})

	t.Run("a success forgets the account's failures", func(t *testing.T) {
		for range 2 {
			for range 4 {
				apiLoginAs(t, base, "198.51.100.6", "officer@beian.local", "wrong")
			}
			if st, _, e := apiLoginAs(t, base, "198.51.100.6", "officer@beian.local", app.DemoPassword); st != http.StatusOK {
				t.Fatalf("login after 4 failures: %d %+v", st, e)
			}
		}
	})
}

// Registration answers alike whether or not the e-mail address already has an account; the address receives
// a welcome mail, or a mail saying someone tried to register with it.
func TestRegistrationDoesNotRevealAccounts(t *testing.T) {
	a := startApp(t)
	base := a.URL()
	register := func(email, name, pw string) (int, string) {
		t.Helper()
		b, _ := json.Marshal(map[string]string{"email": email, "name": name, "password": pw})
		resp, err := http.Post(base+"/api/v1/accounts", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.ReplaceAll(string(raw), email, "EMAIL")
	}
	newStatus, newBody := register("newcomer@example.com", "新用户", "new password 1")
	takenStatus, takenBody := register("applicant@beian.local", "冒名者", "another password")
	if newStatus != http.StatusAccepted || takenStatus != newStatus || takenBody != newBody {
		t.Fatalf("new address: %d %s\ntaken address: %d %s", newStatus, newBody, takenStatus, takenBody)
	}
	if tok := apiLogin(t, base, "applicant@beian.local"); tok == "" {
		t.Fatal("the existing account's password changed")
	}
	mailTo := func(to, subject string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			msgs, err := a.Store.DevMessages(context.Background(), to, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				if m.Subject == subject {
					return
				}
			}
		}
		t.Fatalf("no mail %q to %s", subject, to)
	}
	mailTo("newcomer@example.com", "欢迎注册备案服务平台")
	mailTo("applicant@beian.local", "有人尝试用您的邮箱注册")

	// The form answers alike too: to the login page, with no session.
	var pages []string
	for _, email := range []string{"formnew@example.com", "applicant@beian.local"} {
		b := newBrowser(t, base)
		p := b.post("/register", url.Values{"email": {email}, "name": {"张三"}, "password": {"longenough1"}, "password2": {"longenough1"}})
		if p.status != http.StatusSeeOther || p.header.Get("Set-Cookie") != "" {
			t.Fatalf("register %s: %d %v", email, p.status, p.header)
		}
		pages = append(pages, strings.ReplaceAll(p.header.Get("Location"), url.QueryEscape(email), "EMAIL"))
	}
	if pages[0] != pages[1] || !strings.HasPrefix(pages[0], "/login?") {
		t.Fatalf("form registration redirects differ: %q", pages)
	}
	if _, err := a.Store.AccountByEmail(context.Background(), "formnew@example.com"); err != nil {
		t.Fatalf("the new account was not created: %v", err)
	}
}
