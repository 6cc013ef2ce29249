package mps

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/beian/beian/internal/cleantext"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/problem"
)

// form collects the problems of one input, so that every invalid field is reported at once.
type form struct{ errs problem.List }

func (f *form) fail(field, code string, params ...string) {
	f.errs = append(f.errs, problem.Invalidf(code, field, params...))
}

func (f *form) err() error { return f.errs.Err() }

// text returns v trimmed after checking it: required (mps.required), valid UTF-8 without the control and format
// characters package cleantext refuses (mps.text_invalid) and at most max characters (mps.text_too_long). ok is
// false when a problem was added.
func (f *form) text(field, v string, max int) (string, bool) {
	if !utf8.ValidString(v) {
		f.fail(field, "mps.text_invalid")
		return "", false
	}
	v = strings.TrimSpace(v)
	if v == "" {
		f.fail(field, "mps.required")
		return "", false
	}
	if cleantext.Check(field, v, false) != nil {
		f.fail(field, "mps.text_invalid")
		return "", false
	}
	if utf8.RuneCountInString(v) > max {
		f.fail(field, "mps.text_too_long", "max", strconv.Itoa(max))
		return "", false
	}
	return v, true
}

// ident adds the errors of an ident result on field and returns the normalised value.
func (f *form) ident(field string, r ident.Result) (string, bool) {
	for _, x := range r.Errors {
		f.errs = append(f.errs, x.Problem(field))
	}
	return r.Normalized, r.Valid()
}
