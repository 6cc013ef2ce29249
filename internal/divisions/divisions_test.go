package divisions

import (
	"testing"
	"testing/fstest"

	"github.com/beian/beian/internal/i18n"
)

func TestProvinces(t *testing.T) {
	ps := Provinces()
	if len(ps) != 31 {
		t.Fatalf("got %d provinces, want 31", len(ps))
	}
	var abbrs []rune
	for _, p := range ps {
		abbrs = append(abbrs, p.Abbr)
		if p.Name == "" || p.ShortName == "" || p.NameTW == "" || p.NameEn == "" {
			t.Errorf("%s: missing a name: %+v", p.Code, p)
		}
	}
	if got, want := string(abbrs), "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝蜀黔滇藏陕陇青宁新"; got != want {
		t.Errorf("abbreviations in code order = %s, want %s", got, want)
	}
	ps[0].Name = "changed"
	if p, _ := ProvinceByCode("11"); p.Name != "北京市" {
		t.Error("Provinces returned shared storage")
	}
}

func TestProvinceLookups(t *testing.T) {
	cases := []struct {
		abbr rune
		code string
		name string
	}{
		{'京', "11", "北京市"}, {'粤', "44", "广东省"}, {'蜀', "51", "四川省"}, {'川', "51", "四川省"},
		{'陇', "62", "甘肃省"}, {'甘', "62", "甘肃省"}, {'蒙', "15", "内蒙古自治区"}, {'新', "65", "新疆维吾尔自治区"},
	}
	for _, c := range cases {
		p, ok := ProvinceByAbbr(c.abbr)
		if !ok || p.Code != c.code || p.Name != c.name {
			t.Errorf("ProvinceByAbbr(%c) = %+v, %v; want %s %s", c.abbr, p, ok, c.code, c.name)
		}
	}
	for _, r := range "港澳台中X" {
		if p, ok := ProvinceByAbbr(r); ok {
			t.Errorf("ProvinceByAbbr(%c) = %+v, want none", r, p)
		}
	}
	for _, code := range []string{"", "1", "10", "81", "71", "440000", "99"} {
		if _, ok := ProvinceByCode(code); ok {
			t.Errorf("ProvinceByCode(%q) found a province", code)
		}
	}
	p, _ := ProvinceByCode("44")
	for lang, want := range map[i18n.Lang]string{i18n.ZhCN: "广东省", i18n.ZhTW: "廣東省", i18n.En: "Guangdong"} {
		if got := p.LocalName(lang); got != want {
			t.Errorf("LocalName(%s) = %q, want %q", lang, got, want)
		}
	}
}

func TestCitiesAndCounties(t *testing.T) {
	if c, ok := CityByCode("4403"); !ok || c.Name != "深圳市" || c.ProvinceCode != "44" {
		t.Errorf("CityByCode(4403) = %+v, %v", c, ok)
	}
	if c, ok := CountyByCode("110101"); !ok || c.Name != "东城区" || c.CityCode != "1101" {
		t.Errorf("CountyByCode(110101) = %+v, %v", c, ok)
	}
	if !KnownCounty("440305") || KnownCounty("440399") || KnownCounty("11010") || KnownCounty("abcdef") {
		t.Error("KnownCounty misjudges")
	}
}

func TestLookup(t *testing.T) {
	cases := []struct {
		code  string
		ok    bool
		level Level
		full  string
	}{
		{"110000", true, ProvinceLevel, "北京市"},
		{"440300", true, CityLevel, "广东省深圳市"},
		{"110100", true, CityLevel, "北京市"},
		{"330102", true, CountyLevel, "浙江省杭州市上城区"},
		{"110101", true, CountyLevel, "北京市东城区"},
		{"440399", false, 0, ""},
		{"449900", false, 0, ""},
		{"810000", false, 0, ""},
		{"11000", false, 0, ""},
		{"11000a", false, 0, ""},
	}
	for _, c := range cases {
		d, ok := Lookup(c.code)
		if ok != c.ok || d.Level != c.level || d.FullName != c.full {
			t.Errorf("Lookup(%s) = %+v, %v; want level %d %q %v", c.code, d, ok, c.level, c.full, c.ok)
		}
	}
}

func TestNonMainland(t *testing.T) {
	for code, key := range map[string]string{"81": "hong_kong", "82": "macao", "71": "taiwan", "83": "taiwan"} {
		r, ok := NonMainland(code)
		if !ok || r.Key != key || r.Code != code || r.LocalName(i18n.En) == "" {
			t.Errorf("NonMainland(%s) = %+v, %v", code, r, ok)
		}
	}
	for _, code := range []string{"11", "44", "80", ""} {
		if _, ok := NonMainland(code); ok {
			t.Errorf("NonMainland(%s) found a region", code)
		}
	}
}

func TestParseRejectsBrokenData(t *testing.T) {
	good := map[string]string{
		"data/provinces.csv":       "code,name\n11,北京市\n",
		"data/provinces_extra.csv": "code,short_name,abbr,variants,name_zh_tw,name_en\n11,北京,京,,北京市,Beijing\n",
		"data/cities.csv":          "code,name,provinceCode\n1101,市辖区,11\n",
		"data/areas.csv":           "code,name,cityCode,provinceCode\n110101,东城区,1101,11\n",
	}
	if _, err := parse(mapFS(good, "", "")); err != nil {
		t.Fatalf("good data refused: %v", err)
	}
	broken := []struct{ file, content string }{
		{"data/provinces.csv", "code,name\n1,北京市\n"},
		{"data/provinces_extra.csv", "code,short_name,abbr,variants,name_zh_tw,name_en\n11,北京,京津,,北京市,Beijing\n"},
		{"data/provinces_extra.csv", "code,short_name,abbr,variants,name_zh_tw,name_en\n12,天津,津,,天津市,Tianjin\n"},
		{"data/cities.csv", "code,name,provinceCode\n1201,市辖区,11\n"},
		{"data/areas.csv", "code,name,cityCode,provinceCode\n110101,东城区,1102,11\n"},
		{"data/areas.csv", "code,name,cityCode,provinceCode\n"},
		{"data/areas.csv", "code,name\n110101,东城区\n"},
	}
	for _, b := range broken {
		if _, err := parse(mapFS(good, b.file, b.content)); err == nil {
			t.Errorf("%s %q: accepted", b.file, b.content)
		}
	}
}

func mapFS(files map[string]string, replace, content string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		if name == replace {
			data = content
		}
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return m
}

func FuzzLookup(f *testing.F) {
	for _, s := range []string{"110000", "440300", "330102", "810000", "", "1", "11010a", "４４０３００"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		d, ok := Lookup(code)
		if !ok {
			return
		}
		if d.Code != code || code[:2] != d.ProvinceCode || d.Name == "" || d.FullName == "" {
			t.Fatalf("Lookup(%q) = %+v", code, d)
		}
		if _, ok := ProvinceByCode(d.ProvinceCode); !ok {
			t.Fatalf("Lookup(%q): unknown province %q", code, d.ProvinceCode)
		}
	})
}

func TestCities(t *testing.T) {
	cs := Cities()
	if len(cs) != 342 {
		t.Fatalf("got %d cities, want 342 (the rows of cities.csv)", len(cs))
	}
	for i := 1; i < len(cs); i++ {
		if cs[i-1].Code >= cs[i].Code {
			t.Fatalf("not ordered by code at %d: %s, %s", i, cs[i-1].Code, cs[i].Code)
		}
	}
}
