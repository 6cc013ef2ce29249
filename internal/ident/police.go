package ident

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/beian/beian/internal/divisions"
)

// PoliceNumber validates a police filing number: <abbr>公网安备 <14 digits>号, or the 14 digits alone
// (docs/design.md §4.11, the police platform's filing procedure). The first six digits are the division code of the accepting cyber-security unit
// (province, city or county level): the province must exist and agree with the abbreviation; an unknown
// division below it is a warning. Old 12-digit numbers still shown on some sites get a warning, not an error.
// Normalized: <abbr>公网安备 <digits>号, the abbreviation derived from the digits when only digits were given.
// Info: province, division, area (the division's full name when known).
func PoliceNumber(s string) Result {
	r := newResult(KindPoliceNumber, s)
	n := traditionalICP.Replace(compact(s))
	r.Normalized = n
	if n == "" {
		r.fail("empty")
		return r
	}
	abbr, digits, ok := splitPoliceNumber(&r, n)
	if !ok {
		return r
	}
	switch len(digits) {
	case 14:
	case 12:
		r.warn("legacy")
	default:
		r.fail("length", "length", strconv.Itoa(len(digits)))
		return r
	}
	p, ok := divisions.ProvinceByCode(digits[:2])
	if !ok {
		r.fail("division", "code", digits[:6])
		return r
	}
	if abbr == 0 {
		abbr = p.Abbr
	} else if q, _ := divisions.ProvinceByAbbr(abbr); q.Code != p.Code {
		r.fail("province_mismatch", "abbr", string(abbr), "province", p.Name, "code", digits[:6])
	}
	r.Normalized = string(abbr) + "公网安备 " + digits + "号"
	r.Info["province"], r.Info["division"] = p.Code, digits[:6]
	if d, known := divisions.Lookup(digits[:6]); known {
		r.Info["area"] = d.FullName
	} else {
		r.warn("division_unknown", "code", digits[:6])
	}
	return r
}

// splitPoliceNumber separates the province character (0 for bare digits) from the digits; a missing 号 is
// accepted with a warning.
func splitPoliceNumber(r *Result, n string) (abbr rune, digits string, ok bool) {
	if isDigits(n) {
		return 0, n, true
	}
	abbr, size := utf8.DecodeRuneInString(n)
	if _, known := divisions.ProvinceByAbbr(abbr); !known {
		r.fail("province", "abbr", string(abbr))
		return 0, "", false
	}
	rest, found := strings.CutPrefix(n[size:], "公网安备")
	if !found {
		r.fail("format")
		return 0, "", false
	}
	if d, cut := strings.CutSuffix(rest, "号"); cut {
		rest = d
	} else {
		r.warn("missing_hao")
	}
	if !isDigits(rest) {
		r.fail("format")
		return 0, "", false
	}
	return abbr, rest, true
}
