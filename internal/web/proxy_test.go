package web

import (
	"crypto/tls"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseProxy(t *testing.T) {
	p, err := ParseProxy("", "10.0.0.0/8, 192.168.1.7 ::1")
	if err != nil || p.CookieSecure != SecureAuto || len(p.Trusted) != 3 || p.Trusted[1].String() != "192.168.1.7/32" {
		t.Fatalf("ParseProxy = %+v, %v", p, err)
	}
	for _, bad := range [][2]string{{"yes", ""}, {"auto", "10.0.0.0/33"}, {"", "proxy.local"}} {
		if _, err := ParseProxy(bad[0], bad[1]); err == nil {
			t.Errorf("ParseProxy(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

// Only a trusted proxy is believed about the scheme and the client's address.
func TestOriginOf(t *testing.T) {
	trusted, _ := ParseProxy("", "10.0.0.0/8")
	always, _ := ParseProxy("true", "")
	never, _ := ParseProxy("false", "10.0.0.0/8")
	cases := []struct {
		name       string
		p          Proxy
		remote     string
		tls        bool
		headers    []string // name, value pairs
		secure     bool
		clientAddr string
	}{
		{"direct HTTP", trusted, "203.0.113.5:4000", false, nil, false, "203.0.113.5"},
		{"direct TLS", trusted, "203.0.113.5:4000", true, nil, true, "203.0.113.5"},
		{"untrusted peer claims https", trusted, "203.0.113.5:4000", false,
			[]string{"X-Forwarded-Proto", "https", "X-Forwarded-For", "198.51.100.1"}, false, "203.0.113.5"},
		{"trusted proxy says https", trusted, "10.1.2.3:4000", false,
			[]string{"X-Forwarded-Proto", "https", "X-Forwarded-For", "198.51.100.1"}, true, "198.51.100.1"},
		{"trusted proxy says http", trusted, "10.1.2.3:4000", false, []string{"X-Forwarded-Proto", "http"}, false, "10.1.2.3"},
		{"client's own header before the proxy's", trusted, "10.1.2.3:4000", false,
			[]string{"X-Forwarded-Proto", "https, http"}, false, "10.1.2.3"},
		{"chain of proxies", trusted, "10.1.2.3:4000", false,
			[]string{"X-Forwarded-For", "192.0.2.66, 198.51.100.1, 10.9.9.9"}, false, "198.51.100.1"},
		{"forged hop behind the client", trusted, "10.1.2.3:4000", false,
			[]string{"X-Forwarded-For", "10.0.0.1, 198.51.100.1"}, false, "198.51.100.1"},
		{"malformed hop", trusted, "10.1.2.3:4000", false, []string{"X-Forwarded-For", "nonsense, 10.0.0.9"}, false, "10.0.0.9"},
		{"IPv4 in IPv6", trusted, "[::ffff:10.1.2.3]:4000", false, []string{"X-Forwarded-Proto", "HTTPS"}, true, "10.1.2.3"},
		{"always", always, "203.0.113.5:4000", false, nil, true, "203.0.113.5"},
		{"never", never, "10.1.2.3:4000", true, []string{"X-Forwarded-Proto", "https"}, false, "10.1.2.3"},
		{"zero value is auto without proxies", Proxy{}, "10.1.2.3:4000", false, []string{"X-Forwarded-Proto", "https"}, false, "10.1.2.3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = c.remote
			if c.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for i := 0; i+1 < len(c.headers); i += 2 {
				r.Header.Add(c.headers[i], c.headers[i+1])
			}
			o := c.p.originOf(r)
			if o.secureCookie != c.secure || o.client != c.clientAddr {
				t.Fatalf("origin = %+v; want secure %v, client %s", o, c.secure, c.clientAddr)
			}
		})
	}
	if got := ClientAddr(httptest.NewRequest("GET", "/", nil)); !strings.HasPrefix(got, "192.0.2.") {
		t.Errorf("ClientAddr without the site's middleware = %q, want the peer", got)
	}
}
