package ident

import "testing"

// usccWithCheck appends the GB 32100 check character to a 17-character body.
func usccWithCheck(body string) string { return body + string(usccCheck(body)) }

func TestUSCC(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		// A published sample code; its embedded organisation code M000100Y-4 passes GB 11714 too.
		{"91350100M000100Y43", want{norm: "91350100M000100Y43", info: map[string]any{
			"registration_authority": "9", "org_type": "1", "division": "350100", "province": "35",
			"org_code": "M000100Y-4"}}},
		{"91350100m000100y43", want{norm: "91350100M000100Y43"}},
		{" ９１３５０１００Ｍ０００１００Ｙ４３ ", want{norm: "91350100M000100Y43"}},
		{"91350100M000100Y44", want{errs: []string{"uscc.checksum"}}},
		{"91350100M000100O43", want{errs: []string{"uscc.charset"}}},
		{"91350100M000100Y4", want{errs: []string{"uscc.length"}}},
		{"110108000000016", want{errs: []string{"uscc.old_registration_number"}}},
		{"M000100Y-4", want{errs: []string{"uscc.org_code_given"}}},
		{"", want{errs: []string{"uscc.empty"}}},
		{usccWithCheck("B1350100M000100Y4"), want{errs: []string{"uscc.authority"}}},
		{usccWithCheck("9A350100M000100Y4"), want{errs: []string{"uscc.type_letter"}}},
		{usccWithCheck("1Y350100M000100Y4"), want{errs: []string{"uscc.type_letter"}}},
		{usccWithCheck("94350100M000100Y4"), want{warns: []string{"uscc.type_unknown"}}},
		{usccWithCheck("913501A0M000100Y4"), want{errs: []string{"uscc.division"}}},
		{usccWithCheck("91990100M000100Y4"), want{warns: []string{"uscc.division_unknown"}}},
		{usccWithCheck("11100000M000100Y4"), want{info: map[string]any{"division": "100000"}}},
		{usccWithCheck("91350100M000100Y5"), want{warns: []string{"uscc.org_code_checksum"}}},
	}
	for _, c := range cases {
		expect(t, USCC(c.in), c.w)
	}
}

func TestOrgCode(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"M000100Y-4", want{norm: "M000100Y-4"}},
		{"m000100y4", want{norm: "M000100Y-4"}},
		{"M000100Y-5", want{errs: []string{"org_code.checksum"}}},
		{"M000100-Y4", want{errs: []string{"org_code.format"}}},
		{"M000100Y", want{errs: []string{"org_code.format"}}},
		{"91350100M000100Y43", want{errs: []string{"org_code.uscc_given"}}},
		{"", want{errs: []string{"org_code.empty"}}},
	}
	for _, c := range cases {
		expect(t, OrgCode(c.in), c.w)
	}
}

func TestOrgCodeCheckSpecialValues(t *testing.T) {
	// 11 − Σ mod 11 = 10 gives X and 11 gives 0: find bodies that hit each and check both directions.
	hit := map[byte]bool{}
	for _, body := range []string{"00000000", "00000001", "00000002", "00000010", "10000000", "A0000000", "00000006"} {
		c := orgCodeCheck(body)
		hit[c] = true
		if r := OrgCode(body + string(c)); !r.Valid() {
			t.Errorf("%s%c refused: %v", body, c, r.Errors)
		}
	}
	if !hit['0'] || !hit['X'] {
		t.Errorf("checks hit %v, want both 0 and X among them", hit)
	}
}

func FuzzUSCC(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91350100m000100y43", "110108000000016", "M000100Y-4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, USCC, s) })
}

func FuzzOrgCode(f *testing.F) {
	f.Add("M000100Y-4")
	f.Add("m000100y4")
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, OrgCode, s) })
}
