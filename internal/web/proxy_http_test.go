package web_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
	"github.com/beian/beian/internal/web"
)

// Behind a TLS-terminating proxy the session cookie is Secure, for API and form logins alike, but only when the
// proxy is configured as trusted; BEIAN_COOKIE_SECURE=true marks it whatever the request says.
func TestSessionCookieSecureBehindProxy(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	cases := []struct {
		name   string
		proxy  web.Proxy
		proto  string
		secure bool
	}{
		{"trusted proxy, https", web.Proxy{Trusted: loopback}, "https", true},
		{"trusted proxy, http", web.Proxy{Trusted: loopback}, "http", false},
		{"untrusted peer claims https", web.Proxy{}, "https", false},
		{"always", web.Proxy{CookieSecure: web.SecureAlways}, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := apptest.Start(t, "", func(cfg *app.Config) { cfg.Proxy = c.proxy })
			api, _ := http.NewRequest("POST", a.URL()+"/api/v1/session",
				strings.NewReader(`{"email":"applicant@beian.local","password":"`+app.DemoPassword+`"}`))
			api.Header.Set("Content-Type", "application/json")
			form, _ := http.NewRequest("POST", a.URL()+"/login", strings.NewReader(url.Values{
				"email": {"reviewer@beian.local"}, "password": {app.DemoPassword}, "next": {"/"}}.Encode()))
			form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for _, req := range []*http.Request{api, form} {
				if c.proto != "" {
					req.Header.Set("X-Forwarded-Proto", c.proto)
				}
				resp, err := http.DefaultTransport.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				var session *http.Cookie
				for _, ck := range resp.Cookies() {
					if ck.Name == web.SessionCookie {
						session = ck
					}
				}
				if session == nil || session.Secure != c.secure {
					t.Fatalf("%s: status %d, session cookie %v; want Secure=%v", req.URL.Path, resp.StatusCode, session, c.secure)
				}
			}
		})
	}
}
