package rules

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed data/area_codes.json data/places.csv data/name_markers.json data/sms.json data/after_filing.json
var auxFS embed.FS

// areaCodes maps landline area-code prefixes to provinces.
type areaCodes struct {
	Version  string            `json:"version"`
	Source   string            `json:"source"`
	Notes    string            `json:"notes"`
	Prefixes map[string]string `json:"prefixes"`
}

// nameMarkers are the words that mark a unit name (the police platform's filing procedure heuristic).
type nameMarkers struct {
	Version        string   `json:"version"`
	Source         string   `json:"source"`
	Notes          string   `json:"notes"`
	UnitWords      []string `json:"unit_words"`
	UnitSuffixes   []string `json:"unit_suffixes"`
	NatureSuffixes []struct {
		Suffix  string   `json:"suffix"`
		Natures []string `json:"natures"`
		Source  string   `json:"source"`
	} `json:"nature_suffixes"`
}

// smsData is the history of MIIT SMS verification (docs/design.md §4.9).
type smsData struct {
	Version        string              `json:"version"`
	Source         string              `json:"source"`
	Notes          string              `json:"notes"`
	PilotFrom      Date                `json:"pilot_from"`
	PilotProvinces []string            `json:"pilot_provinces"`
	AllFrom        Date                `json:"all_from"`
	Recipients     map[string][]string `json:"recipients"`
}

// places maps place names (provinces, cities, unambiguous counties) to provinces.
type places struct {
	names  map[string]string
	maxLen int // in runes
}

type auxData struct {
	areas   areaCodes
	markers nameMarkers
	sms     smsData
	places  places
	after   afterData
}

var (
	auxOnce   sync.Once
	auxLoaded *auxData
	auxErr    error
)

func aux() *auxData {
	auxOnce.Do(func() { auxLoaded, auxErr = loadAux() })
	if auxErr != nil {
		panic(auxErr) // embedded data is checked by the tests
	}
	return auxLoaded
}

func loadAux() (*auxData, error) {
	a := &auxData{}
	for name, v := range map[string]any{"area_codes.json": &a.areas, "name_markers.json": &a.markers, "sms.json": &a.sms,
		"after_filing.json": &a.after} {
		raw, err := auxFS.ReadFile("data/" + name)
		if err == nil {
			err = decodeStrict(raw, v)
		}
		if err != nil {
			return nil, fmt.Errorf("rules: data/%s: %w", name, err)
		}
	}
	if !a.sms.PilotFrom.valid() || !a.sms.AllFrom.valid() || a.areas.Source == "" || a.markers.Source == "" {
		return nil, errors.New("rules: aux data needs sources and valid dates")
	}
	if err := a.after.check(); err != nil {
		return nil, err
	}
	raw, err := auxFS.ReadFile("data/places.csv")
	if err != nil {
		return nil, err
	}
	if a.places, err = parsePlaces(raw); err != nil {
		return nil, fmt.Errorf("rules: data/places.csv: %w", err)
	}
	return a, nil
}

var errBadAfterData = errors.New("rules: data/after_filing.json needs a source, a valid date and known provinces")

// decodeStrict decodes one JSON value, refusing unknown fields and trailing data.
func decodeStrict(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if err := d.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// parsePlaces reads "name,province" rows after '#' comment lines and a header.
func parsePlaces(raw []byte) (places, error) {
	r := csv.NewReader(bytes.NewReader(raw))
	r.Comment = '#'
	r.FieldsPerRecord = 2
	rows, err := r.ReadAll()
	if err != nil {
		return places{}, err
	}
	if len(rows) < 2 || rows[0][0] != "name" || rows[0][1] != "province" {
		return places{}, errors.New(`want a "name,province" header and rows`)
	}
	p := places{names: make(map[string]string, len(rows))}
	for _, row := range rows[1:] {
		name, prov := strings.TrimSpace(row[0]), strings.TrimSpace(row[1])
		if name == "" || len(prov) != 2 {
			return places{}, fmt.Errorf("bad row %q", row)
		}
		p.names[name] = prov
		p.maxLen = max(p.maxLen, utf8.RuneCountInString(name))
	}
	return p, nil
}

// province returns the province of the longest place name that starts addr ("中国" may precede it).
func (p places) province(addr string) (string, bool) {
	addr = strings.TrimSpace(addr)
	for _, prefix := range []string{"中华人民共和国", "中国"} {
		addr = strings.TrimSpace(strings.TrimPrefix(addr, prefix))
	}
	runes := []rune(addr)
	for n := min(p.maxLen, len(runes)); n >= 2; n-- {
		if prov, ok := p.names[string(runes[:n])]; ok {
			return prov, true
		}
	}
	return "", false
}
