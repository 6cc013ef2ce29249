package rules

import (
	"strings"
	"time"
)

// This file reads what the rules need from identifiers: the province and birth date of a resident ID number,
// the province of a landline. It does not validate them (checksums, formats and the like are the field
// validator's, internal/ident); anything it cannot read is simply not judged here.

// idProvince returns the 2-digit province code at the start of a resident ID number of 18 (or legacy 15)
// characters, if it is one of the 31 provinces.
func idProvince(number string) (string, bool) {
	n := normID(number)
	if !idShape(n) {
		return "", false
	}
	if _, ok := Province(n[:2]); !ok {
		return "", false
	}
	return n[:2], true
}

// idBirth returns the birth date in a resident ID number (digits 7-14; 7-12 with 19YY in legacy 15-digit IDs).
func idBirth(number string) (time.Time, bool) {
	n := normID(number)
	if !idShape(n) {
		return time.Time{}, false
	}
	s := n[6:14]
	if len(n) == 15 {
		s = "19" + n[6:12]
	}
	t, err := time.Parse("20060102", s)
	return t, err == nil
}

func idShape(n string) bool {
	switch len(n) {
	case 18:
		return allDigits(n[:17]) && (allDigits(n[17:]) || n[17] == 'X')
	case 15:
		return allDigits(n)
	}
	return false
}

// ageOn returns the age in whole years of someone born on birth, on day d.
func ageOn(birth time.Time, d Date) int {
	day, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return 0
	}
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		age--
	}
	return age
}

// phoneDigits keeps the digits of a phone number, without a leading +86 / 0086 / 86 country code.
func phoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	for _, cc := range []string{"0086", "86"} {
		if rest, ok := strings.CutPrefix(d, cc); ok && len(rest) >= 10 {
			return rest
		}
	}
	return d
}

// isMobile reports whether digits are a mainland mobile number (11 digits starting with 1).
func isMobile(digits string) bool { return len(digits) == 11 && digits[0] == '1' }

// landlineProvince returns the province of a landline's area code (longest prefix first).
func landlineProvince(digits string) (string, bool) {
	if len(digits) < 7 || digits[0] != '0' {
		return "", false
	}
	for n := 4; n >= 3; n-- {
		if prov, ok := aux().areas.Prefixes[digits[:n]]; ok {
			return prov, true
		}
	}
	return "", false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
