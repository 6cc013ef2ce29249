package ident

import (
	"testing"
	"time"
)

func TestGB11643Check(t *testing.T) {
	// The examples of GB 11643-1999 itself.
	for _, id := range []string{"11010519491231002X", "440524188001010014"} {
		if got := gb11643Check(id[:17]); got != id[17] {
			t.Errorf("check of %s = %c, want %c", id, got, id[17])
		}
	}
}

func TestResidentID(t *testing.T) {
	male := withCheck("44030519900307123") // 17th digit 3: male
	cases := []struct {
		in string
		w  want
	}{
		{"11010519491231002X", want{norm: "11010519491231002X",
			info: map[string]any{"birth_date": "1949-12-31", "sex": "female", "province": "11"}}},
		// Alibaba Cloud's filing notes: uppercase X; full-width digits and spaces from Chinese input methods
		{"11010519491231002x", want{norm: "11010519491231002X"}},
		{"１１０１０５ １９４９１２３１ ００２Ｘ", want{norm: "11010519491231002X"}},
		{male, want{norm: male, info: map[string]any{"sex": "male", "birth_date": "1990-03-07", "province": "44"}}},
		{"", want{errs: []string{"resident_id.empty"}}},
		{"110105491231002", want{errs: []string{"resident_id.first_generation"}}},
		{"11010519491231002", want{errs: []string{"resident_id.length"}}},
		{"1101051949123100211", want{errs: []string{"resident_id.length"}}},
		{"1101051949123X002X", want{errs: []string{"resident_id.charset"}}},
		{"11010519491231002Y", want{errs: []string{"resident_id.charset"}}},
		{"110105194912310021", want{errs: []string{"resident_id.checksum"}}},
		{withCheck("11010519490230002"), want{errs: []string{"resident_id.birth_date"}}},
		{"440524188001010014", want{errs: []string{"resident_id.birth_too_early"},
			warns: []string{"resident_id.county_unknown"}}}, // 440524: a county code since abolished
		{withCheck("11010520261124002"), want{errs: []string{"resident_id.birth_future"}}},
		{withCheck("11010520261123002"), want{info: map[string]any{"birth_date": "2026-11-23"}}},
		{withCheck("99010519491231002"), want{errs: []string{"resident_id.province"}}},
		{withCheck("81000019900101123"), want{errs: []string{"resident_id.residence_permit_given"}}},
		{withCheck("71000019900101123"), want{errs: []string{"resident_id.province"}}},
		// historic county codes stay valid in old numbers: a warning only
		{withCheck("11019919491231002"), want{warns: []string{"resident_id.county_unknown"},
			info: map[string]any{"province": "11"}}},
	}
	for _, c := range cases {
		expect(t, ResidentID(c.in, now), c.w)
	}
}

func TestResidentIDUsesChinaDate(t *testing.T) {
	id := withCheck("11010520261124002")
	// 2026-11-23 17:00 UTC is already 2026-11-24 in China.
	late := time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC)
	if r := ResidentID(id, late); !r.Valid() {
		t.Errorf("born today in China refused: %v", r.Errors)
	}
	if r := ResidentID(id, late.Add(-2*time.Hour)); r.Valid() {
		t.Error("born tomorrow in China accepted")
	}
}

func TestResidencePermit(t *testing.T) {
	hk := withCheck("81000019900101123")
	cases := []struct {
		in string
		w  want
	}{
		{hk, want{norm: hk, info: map[string]any{"region": "hong_kong", "birth_date": "1990-01-01", "sex": "male"}}},
		{withCheck("82000019900101124"), want{info: map[string]any{"region": "macao", "sex": "female"}}},
		{withCheck("83000019900101123"), want{info: map[string]any{"region": "taiwan"}}},
		{"11010519491231002X", want{errs: []string{"residence_permit.resident_id_given"}}},
		{withCheck("81010019900101123"), want{errs: []string{"residence_permit.prefix"}}},
		{withCheck("71000019900101123"), want{errs: []string{"residence_permit.prefix"}}},
		{badCheck(hk), want{errs: []string{"residence_permit.checksum"}}},
		{"", want{errs: []string{"residence_permit.empty"}}},
		{"810000", want{errs: []string{"residence_permit.length"}}},
	}
	for _, c := range cases {
		expect(t, ResidencePermit(c.in, now), c.w)
	}
}

func TestForeignPermanentID(t *testing.T) {
	id := withCheck("93184019900101123")
	cases := []struct {
		in string
		w  want
	}{
		{id, want{norm: id, info: map[string]any{"birth_date": "1990-01-01", "sex": "male"}}},
		{"usa440119900101", want{norm: "USA440119900101"}},
		{withCheck("13184019900101123"), want{errs: []string{"foreign_permanent_id.prefix"}}},
		{badCheck(id), want{errs: []string{"foreign_permanent_id.checksum"}}},
		{"", want{errs: []string{"foreign_permanent_id.empty"}}},
	}
	for _, c := range cases {
		expect(t, ForeignPermanentID(c.in, now), c.w)
	}
}

func FuzzResidentID(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "１１０１０５", "110105491231002", " x ", "\u200b1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzIdempotent(t, func(v string) Result { return ResidentID(v, now) }, s)
	})
}

func FuzzResidencePermit(f *testing.F) {
	f.Add(withCheck("81000019900101123"))
	f.Add("83000019900101123x")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzIdempotent(t, func(v string) Result { return ResidencePermit(v, now) }, s)
	})
}

func FuzzForeignPermanentID(f *testing.F) {
	f.Add(withCheck("93184019900101123"))
	f.Add("usa440119900101")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzIdempotent(t, func(v string) Result { return ForeignPermanentID(v, now) }, s)
	})
}
