package ident

import (
	"strings"
	"testing"
)

func TestDomainWebsite(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"example.com", want{norm: "example.com", info: map[string]any{
			"ascii": "example.com", "unicode": "example.com", "registrable": "example.com", "tld": "com"}}},
		{"Example.COM.", want{norm: "example.com"}},
		{"example.com.cn", want{info: map[string]any{"registrable": "example.com.cn", "tld": "cn"}}},
		{"例子.中国", want{norm: "例子.中国", info: map[string]any{"ascii": "xn--fsqu00a.xn--fiqs8s", "tld": "中国"}}},
		{"xn--fsqu00a.xn--fiqs8s", want{norm: "例子.中国"}},
		{"例子。中国", want{norm: "例子.中国"}},
		{"ＥＸＡＭＰＬＥ.ＣＯＭ", want{norm: "example.com"}},
		{"example.top", want{}},
		{"example.xyz", want{}},
		{"example.公司", want{}},
		{"https://example.com/index.html", want{norm: "example.com", warns: []string{"domain.url_stripped"}}},
		{"http://example.com:8080", want{norm: "example.com", warns: []string{"domain.url_stripped"}}},
		{"example.com/about", want{norm: "example.com", warns: []string{"domain.url_stripped"}}},
		{"example.com:8080", want{errs: []string{"domain.syntax"}}},
		// docs/design.md §4.6: only the registrable domain is filed; the message names it
		{"www.example.com", want{errs: []string{"domain.subdomain"}, info: map[string]any{"registrable": "example.com"}}},
		{"https://www.例子.中国/", want{errs: []string{"domain.subdomain"}, warns: []string{"domain.url_stripped"},
			info: map[string]any{"registrable": "例子.中国"}}},
		{"a.example.com.cn", want{errs: []string{"domain.subdomain"}}},
		{"", want{errs: []string{"domain.empty"}}},
		{"203.0.113.10", want{errs: []string{"domain.ip"}}},
		{"[2001:db8::1]", want{errs: []string{"domain.ip"}}},
		{"*.example.com", want{errs: []string{"domain.wildcard"}}},
		{"bad_domain.com", want{errs: []string{"domain.syntax"}}},
		{"-bad.com", want{errs: []string{"domain.syntax"}}},
		{"a..com", want{errs: []string{"domain.syntax"}}},
		{"example.123", want{errs: []string{"domain.syntax"}}},
		{strings.Repeat("a", 64) + ".com", want{errs: []string{"domain.label_too_long"}}},
		{strings.Repeat(strings.Repeat("a", 60)+".", 5) + "com", want{errs: []string{"domain.too_long"}}},
		{"localhost", want{errs: []string{"domain.single_label"}}},
		{"example.notatld", want{errs: []string{"domain.tld_unknown"}}},
		{"someone.github.io", want{errs: []string{"domain.private_suffix"}}},
		{"com.cn", want{errs: []string{"domain.public_suffix"}}},
		{"example.io", want{errs: []string{"domain.tld_not_approved"}}},
		{"example.me", want{errs: []string{"domain.tld_not_approved"}}},
	}
	for _, c := range cases {
		expect(t, Domain(c.in, ForWebsite), c.w)
	}
}

func TestDomainApp(t *testing.T) {
	// Huawei Cloud's first-filing guide: APP filings list second- to fourth-level domains
	cases := []struct {
		in string
		w  want
	}{
		{"example.com", want{}},
		{"api.example.com", want{info: map[string]any{"registrable": "example.com"}}},
		{"b.api.example.com", want{}},
		{"b.api.example.com.cn", want{}},
		{"c.b.api.example.com", want{errs: []string{"domain.too_deep"}}},
		{"api.example.io", want{errs: []string{"domain.tld_not_approved"}}},
	}
	for _, c := range cases {
		expect(t, Domain(c.in, ForApp), c.w)
	}
}

func TestApprovedTLDs(t *testing.T) {
	for _, tld := range []string{"cn", "中国", "xn--fiqs8s", "com", "net", "org", "top", "xyz", "vip", "info", "cc", "tv",
		"biz", "club", "shop", "site", "online", "tech", "store", "wang", "ltd", "公司", "网络"} {
		if !ApprovedTLD(tld) {
			t.Errorf("%s should be approved", tld)
		}
	}
	for _, tld := range []string{"io", "me", "dev", "app", "", "..", "COM."} {
		if ApprovedTLD(tld) {
			t.Errorf("%q should not be approved", tld)
		}
	}
	if n := len(approvedTLDs()); n < 100 {
		t.Errorf("only %d TLDs loaded", n)
	}
}

func FuzzDomain(f *testing.F) {
	for _, s := range []string{"www.example.com", "https://user@www.例子.中国:8080/x?y#z", "Example.COM.", "a..", "xn--fsqu00a.xn--fiqs8s",
		"[::1]:80", "*.a.com", "github.io", "http:// example.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzIdempotent(t, func(v string) Result { return Domain(v, ForWebsite) }, s)
		fuzzIdempotent(t, func(v string) Result { return Domain(v, ForApp) }, s)
	})
}
