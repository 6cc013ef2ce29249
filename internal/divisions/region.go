package divisions

import "github.com/beian/beian/internal/i18n"

// Region is a non-mainland area whose code appears in identity numbers.
type Region struct {
	Key    string // "hong_kong", "macao" or "taiwan"
	Code   string // the 2-digit prefix it was found by
	Name   string // zh-CN
	NameTW string // zh-TW
	NameEn string // English
}

// LocalName returns the region's name in lang.
func (r Region) LocalName(lang i18n.Lang) string {
	switch lang {
	case i18n.ZhTW:
		return r.NameTW
	case i18n.En:
		return r.NameEn
	}
	return r.Name
}

var (
	hongKong = Region{Key: "hong_kong", Name: "香港", NameTW: "香港", NameEn: "Hong Kong"}
	macao    = Region{Key: "macao", Name: "澳门", NameTW: "澳門", NameEn: "Macao"}
	taiwan   = Region{Key: "taiwan", Name: "台湾", NameTW: "台灣", NameEn: "Taiwan"}
)

// NonMainland returns the region for a 2-digit prefix outside the 31 mainland provinces: 81 Hong Kong and
// 82 Macao (GB/T 2260, also the prefixes 810000/820000 of their residents' residence permits), 71 Taiwan
// (GB/T 2260) and 83 (the prefix 830000 of Taiwan residents' residence permits, 国务院办公厅国办发〔2018〕81号
// 《港澳台居民居住证申领发放办法》).
func NonMainland(code2 string) (Region, bool) {
	var r Region
	switch code2 {
	case "81":
		r = hongKong
	case "82":
		r = macao
	case "71", "83":
		r = taiwan
	default:
		return Region{}, false
	}
	r.Code = code2
	return r, true
}
