package ident

import (
	"testing"

	"github.com/beian/beian/internal/divisions"
)

func TestICPNumber(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"粤ICP备2026000001号", want{norm: "粤ICP备2026000001号", info: map[string]any{
			"province": "44", "subject_number": "粤ICP备2026000001号", "service_index": 0, "service_kind": ""}}},
		{"京ICP备11018762号-11", want{norm: "京ICP备11018762号-11", info: map[string]any{
			"province": "11", "subject_number": "京ICP备11018762号", "service_index": 11, "service_kind": "website"}}},
		{"陕ICP备2024026116号-1A", want{info: map[string]any{"service_index": 1, "service_kind": "app", "province": "61"}}},
		{"沪ICP备12345678号-3x", want{norm: "沪ICP备12345678号-3X", info: map[string]any{"service_kind": "mini_program"}}},
		{"蜀ICP备2026007879号-4K", want{info: map[string]any{"service_kind": "quick_app", "province": "51"}}},
		{"京ICP备 11018762 号 - 1", want{norm: "京ICP备11018762号-1"}},
		{"京icp備11018762號－2", want{norm: "京ICP备11018762号-2"}},
		{"粵ICP備2026000001號", want{norm: "粤ICP备2026000001号", info: map[string]any{"province": "44"}}},
		// docs/design.md §4.11: 川 and 甘 occur in the wild for Sichuan and Gansu
		{"川ICP备12345678号", want{norm: "川ICP备12345678号", warns: []string{"icp_number.variant_abbr"},
			info: map[string]any{"province": "51"}}},
		{"甘ICP备12345678号-1", want{warns: []string{"icp_number.variant_abbr"}, info: map[string]any{"province": "62"}}},
		{"京ICP备11018762-1", want{norm: "京ICP备11018762号-1", warns: []string{"icp_number.missing_hao"}}},
		{"京ICP证030173号", want{errs: []string{"icp_number.licence"}}},
		{"粤B2-20090059", want{errs: []string{"icp_number.licence"}}},
		{"", want{errs: []string{"icp_number.empty"}}},
		{"港ICP备12345678号", want{errs: []string{"icp_number.province"}}},
		{"ICP备12345678号", want{errs: []string{"icp_number.province"}}},
		{"京ICP12345678号", want{errs: []string{"icp_number.format"}}},
		{"京ICP备12345678号码", want{errs: []string{"icp_number.suffix"}}},
		{"京ICP备1234567号", want{errs: []string{"icp_number.serial"}}},
		{"京ICP备123456789号", want{errs: []string{"icp_number.serial"}}},
		{"京ICP备1926000001号", want{errs: []string{"icp_number.serial"}}},
		{"京ICP备12345678号-0", want{errs: []string{"icp_number.suffix"}}},
		{"京ICP备12345678号-01", want{errs: []string{"icp_number.suffix"}}},
		{"京ICP备12345678号-1B", want{errs: []string{"icp_number.suffix"}}},
		{"京ICP备12345678号-", want{errs: []string{"icp_number.suffix"}}},
		{"京ICP备12345678号-A", want{errs: []string{"icp_number.suffix"}}},
		{"京ICP备12345678号1", want{errs: []string{"icp_number.suffix"}}},
		{"京ICP备号", want{errs: []string{"icp_number.serial"}}},
		{"京ICP备12345678X号", want{errs: []string{"icp_number.format"}}},
	}
	for _, c := range cases {
		expect(t, ICPNumber(c.in), c.w)
	}
}

func TestICPNumberEveryProvince(t *testing.T) {
	for _, p := range divisions.Provinces() {
		r := ICPNumber(string(p.Abbr) + "ICP备2026000001号-1")
		if !r.Valid() || r.Info["province"] != p.Code || len(r.Warnings) != 0 {
			t.Errorf("%c: %+v", p.Abbr, r)
		}
	}
}

func FuzzICPNumber(f *testing.F) {
	for _, s := range []string{"粤ICP备2026000001号-2A", "京icp備11018762號－2", "川ICP备12345678-1", "京ICP证030173号", "京ICP备12345678号-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, ICPNumber, s) })
}
