package ident

import (
	"strings"
	"testing"
)

func TestEmail(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"zhang.san@example.com", want{norm: "zhang.san@example.com"}},
		{" Zhang.San@Example.COM ", want{norm: "Zhang.San@example.com", info: map[string]any{"ascii_domain": "example.com"}}},
		{"user＠example．com", want{norm: "user@example.com"}},
		{"a+tag@例子.中国", want{norm: "a+tag@例子.中国", info: map[string]any{"ascii_domain": "xn--fsqu00a.xn--fiqs8s"}}},
		{"a@xn--fsqu00a.xn--fiqs8s", want{norm: "a@例子.中国"}},
		{"o'brien@example.org", want{}},
		{"", want{errs: []string{"email.empty"}}},
		{"example.com", want{errs: []string{"email.at"}}},
		{"a@b@example.com", want{errs: []string{"email.at"}}},
		{".a@example.com", want{errs: []string{"email.local"}}},
		{"a..b@example.com", want{errs: []string{"email.local"}}},
		{"a b@example.com", want{errs: []string{"email.local"}}},
		{"张三@example.com", want{errs: []string{"email.local"}}},
		{"@example.com", want{errs: []string{"email.local"}}},
		{strings.Repeat("a", 65) + "@example.com", want{errs: []string{"email.local"}}},
		{"a@b", want{errs: []string{"email.domain"}}},
		{"a@example..com", want{errs: []string{"email.domain"}}},
		{"a@exa_mple.com", want{errs: []string{"email.domain"}}},
		{"a@example.com.", want{errs: []string{"email.domain"}}},
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 60) + "." + strings.Repeat("c", 60) + "." +
			strings.Repeat("d", 60) + "." + strings.Repeat("e", 10) + ".com", want{errs: []string{"email.length"}}},
	}
	for _, c := range cases {
		expect(t, Email(c.in), c.w)
	}
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{"Zhang.San@Example.COM", "user＠example．com", "a@例子.中国", "a@xn--fsqu00a.xn--fiqs8s", "a@@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, Email, s) })
}
