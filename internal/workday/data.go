package workday

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"
)

//go:embed data/*.json data/LICENSE data/README.md
var dataFS embed.FS

// File is one holiday-cn {year}.json: the schedule of Year as published, with the notices it comes from.
type File struct {
	Year   int      `json:"year"`
	Papers []string `json:"papers"`
	Days   []Day    `json:"days"`
}

// ParseFile reads a holiday-cn {year}.json (the embedded format, and what an operator imports for a new year).
// Every date must be valid and listed once; dates may spill into the neighbouring years only (元旦 often starts
// on 12-30 or 12-31 of the year before).
func ParseFile(data []byte) (File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return File{}, fmt.Errorf("workday: schedule file: %w", err)
	}
	if f.Year < 1 || f.Year > 9998 {
		return File{}, fmt.Errorf("workday: schedule file: year %d out of range", f.Year)
	}
	seen := make(map[int64]bool, len(f.Days))
	for _, d := range f.Days {
		n, err := dayNumber(d.Date)
		if err != nil {
			return File{}, err
		}
		if y := yearOf(n); y < f.Year-1 || y > f.Year+1 {
			return File{}, fmt.Errorf("workday: schedule file %d lists %s, outside the neighbouring years", f.Year, d.Date)
		}
		if seen[n] {
			return File{}, fmt.Errorf("workday: schedule file %d lists %s twice", f.Year, d.Date)
		}
		seen[n] = true
	}
	return f, nil
}

func embedded() (*Calendar, error) {
	entries, err := dataFS.ReadDir("data")
	if err != nil {
		return nil, err
	}
	var days []Day
	var years []int
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		raw, err := dataFS.ReadFile(path.Join("data", e.Name()))
		if err != nil {
			return nil, err
		}
		f, err := ParseFile(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		if strconv.Itoa(f.Year) != base {
			return nil, fmt.Errorf("workday: %s holds year %d", e.Name(), f.Year)
		}
		days = append(days, f.Days...)
		years = append(years, f.Year)
	}
	return New(days, years)
}
