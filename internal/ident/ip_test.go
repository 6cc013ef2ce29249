package ident

import "testing"

func TestIP(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"203.0.113.10", want{norm: "203.0.113.10", info: map[string]any{"family": 4}}},
		{" 203.0.113.1 - 203.0.113.20 ", want{norm: "203.0.113.1-203.0.113.20"}},
		{"203.0.113.1~203.0.113.1", want{norm: "203.0.113.1-203.0.113.1"}},
		{"2001:DB8:0:0::1", want{norm: "2001:db8::1", info: map[string]any{"family": 6}}},
		{"::ffff:203.0.113.10", want{norm: "203.0.113.10"}},
		{"", want{errs: []string{"ip.empty"}}},
		{"203.0.113", want{errs: []string{"ip.syntax"}}},
		{"fe80::1%eth0", want{errs: []string{"ip.syntax"}}},
		{"203.0.113.1-2001:db8::1", want{errs: []string{"ip.range_family"}}},
		{"203.0.113.20-203.0.113.1", want{errs: []string{"ip.range_order"}}},
		{"192.168.1.10", want{errs: []string{"ip.not_public"}}},
		{"10.0.0.1", want{errs: []string{"ip.not_public"}}},
		{"127.0.0.1", want{errs: []string{"ip.not_public"}}},
		{"100.64.0.1", want{errs: []string{"ip.not_public"}}},
		{"0.0.0.0", want{errs: []string{"ip.not_public"}}},
		{"224.0.0.1", want{errs: []string{"ip.not_public"}}},
		{"fd00::1", want{errs: []string{"ip.not_public"}}},
	}
	for _, c := range cases {
		expect(t, IP(c.in), c.w)
	}
}

func FuzzIP(f *testing.F) {
	for _, s := range []string{"203.0.113.1 - 203.0.113.20", "::ffff:1.2.3.4", "1-2-3", "2001:DB8::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, IP, s) })
}
