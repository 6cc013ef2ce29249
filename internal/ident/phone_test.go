package ident

import "testing"

func TestMobile(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"13912345679", want{norm: "13912345679"}},
		{"+86 139-1234-5679", want{norm: "13912345679"}},
		{"0086 13912345679", want{norm: "13912345679"}},
		{"8613912345679", want{norm: "13912345679"}},
		{"(139) 1234 5679", want{norm: "13912345679"}},
		{"１３９１２３４５６７９", want{norm: "13912345679"}},
		{"19912345679", want{}},
		{"", want{errs: []string{"mobile.empty"}}},
		{"+852 91234567", want{errs: []string{"mobile.foreign"}}},
		{"0044 7700900123", want{errs: []string{"mobile.foreign"}}},
		{"139123456a9", want{errs: []string{"mobile.charset"}}},
		// Baidu AI Cloud's app filing guide, Huawei Cloud's first-filing guide: a landline is not a mobile
		{"010-62345678", want{errs: []string{"mobile.landline_given"}}},
		{"0755-26543210", want{errs: []string{"mobile.landline_given"}}},
		{"1391234567", want{errs: []string{"mobile.length"}}},
		{"139123456790", want{errs: []string{"mobile.length"}}},
		{"12912345679", want{errs: []string{"mobile.prefix"}}},
		// obviously false (the police platform's filing procedure): the 8 subscriber digits all one digit or a ±1 sequence, or the
		// whole number such a sequence
		{"13800000000", want{errs: []string{"mobile.fake"}}},
		{"13888888888", want{errs: []string{"mobile.fake"}}},
		{"13812345678", want{errs: []string{"mobile.fake"}}},
		{"13987654321", want{errs: []string{"mobile.fake"}}},
		{"12345678901", want{errs: []string{"mobile.fake"}}},
		{"11111111111", want{errs: []string{"mobile.fake"}}},
		{"13800000001", want{}}, // a run of 7 is not refused
	}
	for _, c := range cases {
		expect(t, Mobile(c.in), c.w)
	}
}

func TestLandline(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"010-62345678", want{norm: "010-62345678",
			info: map[string]any{"area_code": "010", "number": "62345678", "extension": ""}}},
		{"(010)62345678", want{norm: "010-62345678"}},
		{"（010）6234 5678", want{norm: "010-62345678"}},
		{"01062345678", want{norm: "010-62345678"}},
		{"020 3826 4519", want{norm: "020-38264519"}},
		{"0755-2654321", want{norm: "0755-2654321"}},
		{"075526543210", want{norm: "0755-26543210"}},
		{"+86 755 26543210", want{norm: "0755-26543210"}},
		{"+86-10-62345678", want{norm: "010-62345678"}},
		{"0086 21 62345678", want{norm: "021-62345678"}},
		{"010-62345678-123", want{norm: "010-62345678-123", info: map[string]any{"extension": "123"}}},
		{"010-62345678转123", want{norm: "010-62345678-123"}},
		{"010-62345678 分机 8", want{norm: "010-62345678-8"}},
		{"010-62345678 ext. 123", want{norm: "010-62345678-123"}},
		{"010-62345678x123", want{norm: "010-62345678-123"}},
		{"0755-2654-3210", want{norm: "0755-26543210"}},
		{"", want{errs: []string{"landline.empty"}}},
		{"010-6234567a", want{errs: []string{"landline.charset"}}},
		// the police platform's filing procedure: "010-00000000" and similar placeholders
		{"010-00000000", want{errs: []string{"landline.fake"}}},
		{"021-88888888", want{errs: []string{"landline.fake"}}},
		{"0755-12345678", want{errs: []string{"landline.fake"}}},
		{"0755-7654321", want{errs: []string{"landline.fake"}}},
		// a mobile in a landline field, and the reverse in TestMobile
		{"13912345679", want{errs: []string{"landline.mobile_given"}}},
		{"+86 139 1234 5679", want{errs: []string{"landline.mobile_given"}}},
		{"400-123-4567", want{errs: []string{"landline.service_number"}}},
		{"62345678", want{errs: []string{"landline.area_code_missing"}}},
		{"030-62345678", want{errs: []string{"landline.area_code"}}},
		{"011-62345678", want{errs: []string{"landline.area_code"}}},
		{"010-6234567", want{errs: []string{"landline.number_length"}}},
		{"0755-623456", want{errs: []string{"landline.number_length"}}},
		{"010-02345678", want{errs: []string{"landline.number_prefix"}}},
		{"0755-1234568", want{errs: []string{"landline.number_prefix"}}},
		{"010-62345678-1234567", want{errs: []string{"landline.extension"}}},
	}
	for _, c := range cases {
		expect(t, Landline(c.in), c.w)
	}
}

func TestFakeDigits(t *testing.T) {
	for s, fake := range map[string]bool{
		"00000000": true, "12345678": true, "87654321": true, "89012345": true, "10987654": true,
		"12345679": false, "62345678": false, "11111112": false, "": false, "1": true,
	} {
		if got := fakeDigits(s); got != fake {
			t.Errorf("fakeDigits(%q) = %v, want %v", s, got, fake)
		}
	}
}

func FuzzMobile(f *testing.F) {
	for _, s := range []string{"+86 139-1234-5679", "8613912345679", "+86+8613912345679", "010-62345678", "+852 9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, Mobile, s) })
}

func FuzzLandline(f *testing.F) {
	for _, s := range []string{"(010)62345678", "010-62345678转123", "+86 755 26543210", "0755-2654-3210",
		"010-62345678 ext. 123", "010-1234567-8 转 34", "400-123-4567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, Landline, s) })
}
