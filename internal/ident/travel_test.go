package ident

import "testing"

func TestHKMacaoPermit(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"H12345678", want{norm: "H12345678", info: map[string]any{"region": "hong_kong"}}},
		{"m 1234 5678", want{norm: "M12345678", info: map[string]any{"region": "macao"}}},
		{"Ｈ１２３４５６７８０１", want{norm: "H1234567801"}},
		{"H1234567", want{errs: []string{"hk_macao_permit.format"}}},
		{"A12345678", want{errs: []string{"hk_macao_permit.format"}}},
		{"H123456789", want{errs: []string{"hk_macao_permit.format"}}},
		{" ", want{errs: []string{"hk_macao_permit.empty"}}},
	}
	for _, c := range cases {
		expect(t, HKMacaoPermit(c.in), c.w)
	}
}

func TestTaiwanPermit(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"12345678", want{norm: "12345678"}},
		{"12345678(b)", want{norm: "12345678B"}},
		{"1234567801", want{norm: "1234567801"}},
		{"1234567", want{errs: []string{"taiwan_permit.format"}}},
		{"12345678ABC", want{errs: []string{"taiwan_permit.format"}}},
		{"", want{errs: []string{"taiwan_permit.empty"}}},
	}
	for _, c := range cases {
		expect(t, TaiwanPermit(c.in), c.w)
	}
}

func TestPassport(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"E37158926", want{norm: "E37158926"}},  // China, e-passport
		{"ea 3715892", want{norm: "EA3715892"}}, // China, 2017+
		{"G28233515", want{}},                   // China, older
		{"AB381726", want{}},                    // Canada-style 2 letters + 6 digits
		{"TK3816257", want{}},                   // Japan-style
		{"561382941", want{}},                   // US-style 9 digits
		{"E00000000", want{errs: []string{"passport.fake"}}},
		{"E12345678", want{errs: []string{"passport.fake"}}},
		{"ABCDEFGH", want{errs: []string{"passport.format"}}},
		{"E1234", want{errs: []string{"passport.format"}}},
		{"E1234567890", want{errs: []string{"passport.format"}}},
		{"", want{errs: []string{"passport.empty"}}},
	}
	for _, c := range cases {
		expect(t, Passport(c.in), c.w)
	}
}

func FuzzHKMacaoPermit(f *testing.F) {
	f.Add("H12345678")
	f.Add("m(1234)5678")
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, HKMacaoPermit, s) })
}

func FuzzTaiwanPermit(f *testing.F) {
	f.Add("12345678(B)")
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, TaiwanPermit, s) })
}

func FuzzPassport(f *testing.F) {
	f.Add("E37158926")
	f.Add("ea-3715892")
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, Passport, s) })
}
