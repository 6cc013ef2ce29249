// Package divisions holds the administrative divisions of mainland China (GB/T 2260-style codes) as embedded
// data: the 31 provinces with the one-character abbreviation used in ICP and police numbers, the prefecture
// cities and the counties. It also names the non-mainland prefixes that appear in identity numbers
// (Hong Kong 81, Macao 82, Taiwan 71 and the Taiwan residence permit prefix 83).
//
// The data is read once from data/*.csv (see README.md for its provenance); lookups are pure and safe for
// concurrent use.
package divisions

import (
	"embed"
	"slices"
	"strings"
	"sync"

	"github.com/beian/beian/internal/i18n"
)

//go:embed data/*.csv
var files embed.FS

// Province is one of the 31 mainland provinces, autonomous regions and municipalities.
type Province struct {
	Code      string // GB/T 2260 2-digit code, e.g. "44"
	Name      string // zh-CN full name, e.g. "广东省"
	ShortName string // zh-CN short name, e.g. "广东"
	NameTW    string // zh-TW full name, e.g. "廣東省"
	NameEn    string // English name, e.g. "Guangdong"
	// Abbr is the character MIIT puts in front of ICP numbers and the police platform in front of police
	// numbers, e.g. 粤 (docs/design.md §4.11).
	Abbr rune
	// Variants are other characters seen in the wild for the same province: 川 for Sichuan, 甘 for Gansu
	// (docs/design.md §4.11). They are recognised when parsing; MIIT itself issues 蜀 and 陇.
	Variants []rune
}

// LocalName returns the province's full name in lang.
func (p Province) LocalName(lang i18n.Lang) string {
	switch lang {
	case i18n.ZhTW:
		return p.NameTW
	case i18n.En:
		return p.NameEn
	}
	return p.Name
}

// City is a prefecture-level division (4-digit code). Municipalities have the pseudo-city "市辖区".
type City struct {
	Code         string // 4 digits, e.g. "4403"
	Name         string // e.g. "深圳市"
	ProvinceCode string // 2 digits
}

// County is a county-level division (6-digit code).
type County struct {
	Code         string // 6 digits, e.g. "440305"
	Name         string // e.g. "南山区"
	CityCode     string // 4 digits
	ProvinceCode string // 2 digits
}

// Level says which level a 6-digit division code names.
type Level int

const (
	ProvinceLevel Level = iota + 1 // xx0000
	CityLevel                      // xxxx00
	CountyLevel                    // xxxxxx
)

// Division is any 6-digit division code resolved to its level.
type Division struct {
	Code         string // 6 digits
	Level        Level
	ProvinceCode string // 2 digits
	Name         string // the name at its own level, e.g. "南山区"
	// FullName joins the levels, e.g. "广东省深圳市南山区"; pseudo-cities such as 市辖区 are left out.
	FullName string
}

type tables struct {
	provinces []Province
	byCode    map[string]*Province
	byAbbr    map[rune]*Province
	cities    map[string]City
	counties  map[string]County
}

var load = sync.OnceValue(func() *tables {
	t, err := parse(files)
	if err != nil {
		panic(err) // embedded data is checked by the tests; a broken build must not start
	}
	return t
})

// Provinces returns the 31 mainland provinces ordered by code. The slice is a copy.
func Provinces() []Province {
	return slices.Clone(load().provinces)
}

// ProvinceByCode returns the mainland province with the 2-digit code, e.g. "44".
func ProvinceByCode(code string) (Province, bool) {
	p, ok := load().byCode[code]
	if !ok {
		return Province{}, false
	}
	return *p, true
}

// Abbr is the character of province code in ICP numbers, as a string (for the MIIT simulator's numbering).
func Abbr(code string) (string, bool) {
	p, ok := ProvinceByCode(code)
	if !ok {
		return "", false
	}
	return string(p.Abbr), true
}

// ProvinceByAbbr returns the province whose ICP abbreviation is r, including the variants 川 and 甘.
func ProvinceByAbbr(r rune) (Province, bool) {
	p, ok := load().byAbbr[r]
	if !ok {
		return Province{}, false
	}
	return *p, true
}

// Cities returns every prefecture-level division ordered by code.
func Cities() []City {
	t := load()
	out := make([]City, 0, len(t.cities))
	for _, c := range t.cities {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b City) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// CityByCode returns the prefecture-level division with the 4-digit code.
func CityByCode(code4 string) (City, bool) {
	c, ok := load().cities[code4]
	return c, ok
}

// CountyByCode returns the county-level division with the 6-digit code.
func CountyByCode(code6 string) (County, bool) {
	c, ok := load().counties[code6]
	return c, ok
}

// KnownCounty reports whether code6 is a county in the current data. Historic codes that no longer exist
// still occur in valid ID numbers, so callers treat false as a warning, never a refusal.
func KnownCounty(code6 string) bool {
	_, ok := load().counties[code6]
	return ok
}

// Lookup resolves a 6-digit code at whatever level it names: a province (xx0000), a city (xxxx00) or a
// county. Police numbers, for instance, start with the code of the accepting unit at any of the three levels
// (docs/design.md §4.11: 110000 for the Beijing municipal unit, 440300 for Shenzhen, 330102 for a Hangzhou district).
func Lookup(code6 string) (Division, bool) {
	if len(code6) != 6 || !allDigits(code6) {
		return Division{}, false
	}
	p, ok := ProvinceByCode(code6[:2])
	if !ok {
		return Division{}, false
	}
	d := Division{Code: code6, ProvinceCode: p.Code}
	if code6[2:] == "0000" {
		d.Level, d.Name, d.FullName = ProvinceLevel, p.Name, p.Name
		return d, true
	}
	if code6[4:] == "00" {
		c, ok := CityByCode(code6[:4])
		if !ok {
			return Division{}, false
		}
		d.Level, d.Name, d.FullName = CityLevel, c.Name, p.Name+cityPart(c)
		return d, true
	}
	c, ok := CountyByCode(code6)
	if !ok {
		return Division{}, false
	}
	city, _ := CityByCode(c.CityCode)
	d.Level, d.Name, d.FullName = CountyLevel, c.Name, p.Name+cityPart(city)+c.Name
	return d, true
}

// cityPart is the city name as it appears inside a full name: pseudo-cities are left out.
func cityPart(c City) string {
	switch c.Name {
	case "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划":
		return ""
	}
	return c.Name
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
