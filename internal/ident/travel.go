package ident

import (
	"regexp"
	"strings"
)

var (
	// 港澳居民来往内地通行证: H (Hong Kong) or M (Macao) and 8 digits on the card issued since 2013; the
	// older booklet-style permit added 2 digits counting renewals (11 characters in all).
	hkMacaoPermitRE = regexp.MustCompile(`^[HM](\d{8}|\d{10})$`)
	// 台湾居民来往大陆通行证: 8 digits on the card issued since 2015; older permits carry the 8 digits
	// followed by an issue mark of one or two letters or digits, often printed in brackets, e.g. 12345678(B).
	taiwanPermitRE = regexp.MustCompile(`^\d{8}([0-9A-Z]{1,2})?$`)
	// Passports: ICAO Doc 9303 Part 4 gives the document number 9 character positions in the machine
	// readable zone (letters and digits, shorter numbers padded). Chinese passports are E + 8 digits,
	// E + letter + 7 digits, G + 8 digits, or D/S/P (+E) + 7-8 digits; other states use 6 to 9 letters and
	// digits (Canada 2 letters + 6 digits, Japan 2 letters + 7 digits, the US 9 digits). We accept 6 to 9
	// letters and digits with at least 5 digits, which covers all of these and refuses words.
	passportRE = regexp.MustCompile(`^[A-Z0-9]{6,9}$`)
)

// permitClean normalises a permit or passport number: full-width to ASCII, no spaces, brackets or hyphens,
// uppercase letters.
func permitClean(s string) string { return upperASCII(permitMarks.Replace(compact(s))) }

var permitMarks = strings.NewReplacer("(", "", ")", "", "-", "")

// HKMacaoPermit validates a Mainland Travel Permit for Hong Kong and Macao Residents (港澳居民来往内地通行证).
// Info: region (hong_kong or macao).
func HKMacaoPermit(s string) Result { return hkMacaoPermit(s, full) }

func hkMacaoPermit(s string, d detail) Result {
	r := start(KindHKMacaoPermit, s, d)
	n := permitClean(s)
	r.Normalized = n
	switch {
	case n == "":
		r.fail("empty")
	case !hkMacaoPermitRE.MatchString(n):
		r.fail("format")
	case !r.noting():
	case n[0] == 'H':
		r.Info["region"] = "hong_kong"
	default:
		r.Info["region"] = "macao"
	}
	return r
}

// TaiwanPermit validates a Mainland Travel Permit for Taiwan Residents (台湾居民来往大陆通行证).
func TaiwanPermit(s string) Result { return taiwanPermit(s, full) }

func taiwanPermit(s string, d detail) Result {
	r := start(KindTaiwanPermit, s, d)
	n := permitClean(s)
	r.Normalized = n
	switch {
	case n == "":
		r.fail("empty")
	case !taiwanPermitRE.MatchString(n):
		r.fail("format")
	}
	return r
}

// Passport validates a passport number by its shape (see passportRE for what is accepted and why).
func Passport(s string) Result { return passport(s, full) }

func passport(s string, d detail) Result {
	r := start(KindPassport, s, d)
	n := permitClean(s)
	r.Normalized = n
	switch {
	case n == "":
		r.fail("empty")
	case !passportRE.MatchString(n) || countDigits(n) < 5:
		r.fail("format")
	case fakeDigits(n[countLetters(n):]):
		r.fail("fake") // e.g. E00000000 or E12345678, the sample numbers of passport photos

	}
	return r
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// countLetters counts the leading ASCII letters of s.
func countLetters(s string) int {
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		i++
	}
	return i
}
