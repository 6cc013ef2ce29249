package ident

import "testing"

func TestPoliceNumber(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"京公网安备 11000002000001号", want{norm: "京公网安备 11000002000001号",
			info: map[string]any{"province": "11", "division": "110000", "area": "北京市"}}},
		{"11000002000001", want{norm: "京公网安备 11000002000001号", info: map[string]any{"province": "11"}}},
		{"粤公网安备44030002017573号", want{norm: "粤公网安备 44030002017573号",
			info: map[string]any{"province": "44", "area": "广东省深圳市"}}},
		{"浙公网安备 33010202000302号", want{info: map[string]any{"area": "浙江省杭州市上城区"}}},
		{"浙公網安備 33010202000302號", want{norm: "浙公网安备 33010202000302号"}},
		{"京公网安备 11000002000001", want{norm: "京公网安备 11000002000001号", warns: []string{"police_number.missing_hao"}}},
		// Baidu AI Cloud's app filing guide footer: 330209 is not a current division (special police unit codes exist): warning only
		{"浙公网安备 33020902000368号", want{warns: []string{"police_number.division_unknown"},
			info: map[string]any{"province": "33"}}},
		{"110000020001", want{warns: []string{"police_number.legacy"}}},
		{"京公网安备 44030002017573号", want{errs: []string{"police_number.province_mismatch"}}},
		{"川公网安备 51010002000001号", want{info: map[string]any{"province": "51"}}},
		{"", want{errs: []string{"police_number.empty"}}},
		{"港公网安备 81000002000001号", want{errs: []string{"police_number.province"}}},
		{"京ICP备11018762号", want{errs: []string{"police_number.format"}}},
		{"京公网安备 1100000200000A号", want{errs: []string{"police_number.format"}}},
		{"1100000200000", want{errs: []string{"police_number.length"}}},
		{"99000002000001", want{errs: []string{"police_number.division"}}},
	}
	for _, c := range cases {
		expect(t, PoliceNumber(c.in), c.w)
	}
}

func FuzzPoliceNumber(f *testing.F) {
	for _, s := range []string{"京公网安备 11000002000001号", "11000002000001", "浙公網安備33010202000302", "京公网安备号"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, PoliceNumber, s) })
}
