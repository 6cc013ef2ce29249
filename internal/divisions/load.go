package divisions

import (
	"encoding/csv"
	"fmt"
	"io/fs"
	"strings"
	"unicode/utf8"
)

// parse reads the embedded CSV files into lookup tables, checking that every row is well formed and that
// the abbreviation table covers exactly the provinces of provinces.csv.
func parse(fsys fs.FS) (*tables, error) {
	t := &tables{
		byCode:   map[string]*Province{},
		byAbbr:   map[rune]*Province{},
		cities:   map[string]City{},
		counties: map[string]County{},
	}
	names := map[string]string{}
	if err := eachRow(fsys, "data/provinces.csv", 2, func(r []string) error {
		if len(r[0]) != 2 || !allDigits(r[0]) {
			return fmt.Errorf("bad province code %q", r[0])
		}
		names[r[0]] = r[1]
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(fsys, "data/provinces_extra.csv", 6, func(r []string) error {
		return t.addProvince(r, names)
	}); err != nil {
		return nil, err
	}
	if len(t.provinces) != len(names) {
		return nil, fmt.Errorf("provinces_extra.csv has %d provinces, provinces.csv %d", len(t.provinces), len(names))
	}
	for i := range t.provinces {
		t.index(&t.provinces[i])
	}
	if err := eachRow(fsys, "data/cities.csv", 3, t.addCity); err != nil {
		return nil, err
	}
	if err := eachRow(fsys, "data/areas.csv", 4, t.addCounty); err != nil {
		return nil, err
	}
	return t, nil
}

// addProvince adds one row of provinces_extra.csv: code,short_name,abbr,variants,name_zh_tw,name_en.
func (t *tables) addProvince(r []string, names map[string]string) error {
	name, ok := names[r[0]]
	if !ok {
		return fmt.Errorf("provinces_extra.csv: code %q is not in provinces.csv", r[0])
	}
	abbr, n := utf8.DecodeRuneInString(r[2])
	if n == 0 || n != len(r[2]) {
		return fmt.Errorf("provinces_extra.csv: abbreviation %q of %s is not one character", r[2], r[0])
	}
	t.provinces = append(t.provinces, Province{
		Code: r[0], Name: name, ShortName: r[1], Abbr: abbr, Variants: []rune(r[3]), NameTW: r[4], NameEn: r[5],
	})
	return nil
}

// index makes p findable by code and by each of its abbreviations. It runs after t.provinces stops growing,
// so the pointers stay valid.
func (t *tables) index(p *Province) {
	t.byCode[p.Code] = p
	t.byAbbr[p.Abbr] = p
	for _, v := range p.Variants {
		t.byAbbr[v] = p
	}
}

// addCity adds one row of cities.csv: code,name,provinceCode.
func (t *tables) addCity(r []string) error {
	if len(r[0]) != 4 || !allDigits(r[0]) || r[0][:2] != r[2] {
		return fmt.Errorf("cities.csv: bad row %q", r)
	}
	t.cities[r[0]] = City{Code: r[0], Name: r[1], ProvinceCode: r[2]}
	return nil
}

// addCounty adds one row of areas.csv: code,name,cityCode,provinceCode.
func (t *tables) addCounty(r []string) error {
	if len(r[0]) != 6 || !allDigits(r[0]) || r[0][:4] != r[2] || r[0][:2] != r[3] {
		return fmt.Errorf("areas.csv: bad row %q", r)
	}
	t.counties[r[0]] = County{Code: r[0], Name: r[1], CityCode: r[2], ProvinceCode: r[3]}
	return nil
}

// eachRow calls fn for every row after the header of the named CSV file, which must have cols columns.
func eachRow(fsys fs.FS, name string, cols int, fn func([]string) error) error {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	rd := csv.NewReader(strings.NewReader(string(raw)))
	rd.FieldsPerRecord = cols
	rows, err := rd.ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) < 2 {
		return fmt.Errorf("%s: no data rows", name)
	}
	for _, r := range rows[1:] {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}
