package ident

import (
	"strings"
	"testing"
)

// A home page address is an http(s) URL, or one without a scheme, on the service's filed domains or below
// them; any other scheme, a user or password, another host, spaces and control characters are refused.
func TestHomeURL(t *testing.T) {
	domains := []string{"example.cn", "示例.中国"}
	cases := []struct {
		in string
		w  want
	}{
		{"www.example.cn", want{norm: "www.example.cn", info: map[string]any{"host": "www.example.cn"}}},
		{" example.cn ", want{norm: "example.cn"}},
		{"https://www.example.cn/", want{info: map[string]any{"host": "www.example.cn"}}},
		{"HTTP://WWW.Example.CN:8080/index.html?a=1#top", want{info: map[string]any{"host": "www.example.cn"}}},
		{"www.example.cn:8443/home", want{}},
		{"http://shop.www.example.cn.", want{}},
		{"https://www.示例.中国/", want{info: map[string]any{"host": "www.示例.中国"}}},
		{"https://www.xn--fsq092h.xn--fiqs8s/", want{}},
		{"", want{errs: []string{"home_url.empty"}}},
		{"javascript:alert(1)", want{errs: []string{"home_url.scheme"}}},
		{"JavaScript://www.example.cn/%0aalert(1)", want{errs: []string{"home_url.scheme"}}},
		{"data:text/html,<script>alert(1)</script>", want{errs: []string{"home_url.scheme"}}},
		{"ftp://www.example.cn/", want{errs: []string{"home_url.scheme"}}},
		{"https://evil.example.com/", want{errs: []string{"home_url.other_host"}}},
		{"https://example.cn.evil.com/", want{errs: []string{"home_url.other_host"}}},
		{"https://badexample.cn/", want{errs: []string{"home_url.other_host"}}},
		{"http://203.0.113.9/", want{errs: []string{"home_url.other_host"}}},
		{"https://user:pass@www.example.cn/", want{errs: []string{"home_url.credentials"}}},
		{"https://www.example.cn@evil.com/", want{errs: []string{"home_url.credentials"}}},
		{"https://evil.com\\@www.example.cn/", want{errs: []string{"home_url.syntax"}}},
		{"https://www.example.cn/a b", want{errs: []string{"home_url.syntax"}}},
		{"https://www.example.cn:99999/", want{errs: []string{"home_url.syntax"}}},
		{"https:///path", want{errs: []string{"home_url.syntax"}}},
		{"//www.example.cn/", want{errs: []string{"home_url.syntax"}}},
		{"https://www.example.cn/\x00", want{errs: []string{"home_url.control_char"}}},
		{"https://www.example.cn/\u202e", want{errs: []string{"home_url.control_char"}}},
		{"https://www.example.cn/" + strings.Repeat("a", MaxHomeURLRunes), want{errs: []string{"home_url.too_long"}}},
	}
	for _, c := range cases {
		expect(t, HomeURL(c.in, domains), c.w)
	}
	// Without a filed domain the host is not compared (the domain field says what is missing).
	expect(t, HomeURL("https://anything.example.org/", nil), want{})
}
