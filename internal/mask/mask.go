// Package mask hides most of a piece of personal data for lists, notifications to third parties and logs
// (the Personal Information Protection Law, 个人信息保护法, art. 51: measures such as de-identification): the whole value is shown only to those who need it.
//
// Every function keeps a few leading and trailing characters and replaces the others with '*', one '*' per
// hidden character (Email excepted, see there). Counting is in runes, so Chinese names are never cut inside a
// character. The kept parts are those stated on each function for input of the usual length; for shorter or
// odd input they shrink, trailing part first, until at least a third of the characters (and at least one)
// are hidden, so no input of two or more characters comes back whole. Input that is not valid UTF-8 is
// masked rune by rune with U+FFFD in place of the bad bytes. The functions never panic and do not validate:
// masking "abc" as an ID number still hides part of it.
package mask

import (
	"strings"
	"unicode/utf8"
)

// IDNumber masks a resident ID card number or residence permit number: the first 6 (the region) and the last 4
// are kept. "11010519900101002X" → "110105********002X".
func IDNumber(s string) string { return keep(s, 6, 4) }

// Mobile masks a mobile number: the first 3 and the last 4 are kept. "13800138000" → "138****8000".
func Mobile(s string) string { return keep(s, 3, 4) }

// Landline masks a fixed-line number. With an area code of at most 4 characters before a '-', the area code
// and the last 4 characters after it are kept: "010-12345678" → "010-****5678". Without one it is masked as
// a mobile number: first 3 and last 4 kept.
func Landline(s string) string {
	if area, rest, ok := strings.Cut(s, "-"); ok && area != "" && utf8.RuneCountInString(area) <= 4 && rest != "" {
		return area + "-" + keep(rest, 0, 4)
	}
	return keep(s, 3, 4)
}

// Email masks the local part of an address and keeps the domain: its first character is kept and the rest
// becomes exactly "***", whatever its length, so the length is not revealed either.
// "zhangsan@example.com" → "z***@example.com"; a one-character local part becomes "***". Without an '@'
// between a local part and a domain the value is masked as Generic.
func Email(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return Generic(s)
	}
	local, domain := s[:at], s[at:]
	if utf8.RuneCountInString(local) == 1 {
		return "***" + domain
	}
	_, size := utf8.DecodeRuneInString(local)
	return local[:size] + "***" + domain
}

// Name masks a person's name: the first and last characters are kept, "张三丰" → "张*丰"; a two-character
// name keeps only the first, "张三" → "张*"; a one-character value becomes "*".
func Name(s string) string {
	if utf8.RuneCountInString(s) == 2 {
		return keep(s, 1, 0)
	}
	return keep(s, 1, 1)
}

// Credential masks a credential number of unknown type, surrounding spaces dropped: 15 or 18 characters are
// taken for a resident ID (IDNumber), any other length is masked as Generic.
func Credential(s string) string {
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n == 15 || n == 18 {
		return IDNumber(s)
	}
	return Generic(s)
}

// Generic masks any other credential number (passport, Hong Kong/Macau/Taiwan permits, unit credentials): the
// first 2 and the last 2 are kept. "E12345678" → "E1*****78".
func Generic(s string) string { return keep(s, 2, 2) }

// keep returns s with its first head and last tail runes kept and the others replaced by '*', shrinking
// head and tail (the larger first, tail on a tie) until at least a third of the runes, and at least one,
// are hidden.
func keep(s string, head, tail int) string {
	r := []rune(s)
	n := len(r)
	if n == 0 {
		return ""
	}
	minHidden := (n + 2) / 3
	for n-head-tail < minHidden {
		if tail >= head && tail > 0 {
			tail--
		} else {
			head--
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(string(r[:head]))
	b.WriteString(strings.Repeat("*", n-head-tail))
	b.WriteString(string(r[n-tail:]))
	return b.String()
}
