package ident

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// now is the fixed clock of the tests.
var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// want describes the expected outcome of one validation.
type want struct {
	norm   string   // expected Normalized ("" = not checked)
	errs   []string // expected error codes, in order (nil = none)
	warns  []string // expected warning codes, in order (nil = none)
	info   map[string]any
	anyErr bool // only check that there is at least one error
}

// expect compares r with w and reports differences.
func expect(t *testing.T, r Result, w want) {
	t.Helper()
	if w.norm != "" && r.Normalized != w.norm {
		t.Errorf("%s(%q): normalized %q, want %q", r.Kind, r.Input, r.Normalized, w.norm)
	}
	if w.anyErr {
		if r.Valid() {
			t.Errorf("%s(%q): valid, want an error", r.Kind, r.Input)
		}
	} else if got := findingCodes(r.Errors); !slices.Equal(got, w.errs) {
		t.Errorf("%s(%q): errors %v, want %v", r.Kind, r.Input, got, w.errs)
	}
	if got := findingCodes(r.Warnings); !slices.Equal(got, w.warns) {
		t.Errorf("%s(%q): warnings %v, want %v", r.Kind, r.Input, got, w.warns)
	}
	for k, v := range w.info {
		if r.Info[k] != v {
			t.Errorf("%s(%q): info[%s] = %v, want %v", r.Kind, r.Input, k, r.Info[k], v)
		}
	}
}

func findingCodes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

// fuzzIdempotent is the property every validator must have: no panic, Errors/Warnings/Info never nil, and
// validating the normalised output yields the same normalised output (and the same validity when valid).
func fuzzIdempotent(t *testing.T, validate func(string) Result, s string) {
	r := validate(s)
	if r.Errors == nil || r.Warnings == nil || r.Info == nil {
		t.Fatalf("%q: nil slices or map in %+v", s, r)
	}
	if r.Valid() && r.Normalized == "" {
		t.Fatalf("%q: valid with an empty normalized value", s)
	}
	r2 := validate(r.Normalized)
	if r2.Normalized != r.Normalized {
		t.Fatalf("%q: normalized %q, then %q", s, r.Normalized, r2.Normalized)
	}
	if r.Valid() && !r2.Valid() {
		t.Fatalf("%q valid but its normalized form %q is not: %v", s, r.Normalized, r2.Errors)
	}
	for _, f := range append(r.Errors, r.Warnings...) {
		if !strings.HasPrefix(f.Code, r.Kind+".") {
			t.Fatalf("%q: code %q outside kind %s", s, f.Code, r.Kind)
		}
	}
}

// withCheck appends the GB 11643 check character to a 17-digit body.
func withCheck(body string) string { return body + string(gb11643Check(body)) }

// badCheck replaces the check character of an 18-character number with a wrong one.
func badCheck(id string) string {
	if id[17] == '0' {
		return id[:17] + "1"
	}
	return id[:17] + "0"
}
