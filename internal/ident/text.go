package ident

import (
	"strings"
	"unicode"
)

// fold maps what Chinese input methods produce to plain ASCII: full-width forms (see foldWidth) and dash
// look-alikes (‐ ‑ ‒ – — ― − ﹣) to '-'. It is idempotent.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0x2010 && r <= 0x2015 || r == 0x2212 || r == 0xFE63 {
			return '-'
		}
		return r
	}, foldWidth(s))
}

// foldWidth maps full-width forms U+FF01–U+FF5E (０-９, Ａ-Ｚ, ＠, －, （）…) to their ASCII twins and the
// ideographic space to a space. It is idempotent.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// dropSpaces removes white space and the invisible characters that copy-paste brings along
// (zero-width space, zero-width joiners, byte-order mark).
func dropSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF {
			return -1
		}
		return r
	}, s)
}

// compact is fold then dropSpaces: the usual first step for codes and numbers.
func compact(s string) string {
	if printableASCII(s) { // nothing to fold or drop: the common case, quickly
		return s
	}
	return dropSpaces(fold(s))
}

// printableASCII reports whether s holds only ASCII letters, digits and punctuation (no space, no control
// character), which fold and dropSpaces leave alone.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7F {
			return false
		}
	}
	return true
}

// upperASCII upper-cases ASCII letters only, leaving every other rune alone (so it is idempotent on any
// input, unlike strings.ToUpper on some Unicode letters).
func upperASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// sameDigits reports whether every character of s is the same digit, e.g. "00000000".
func sameDigits(s string) bool {
	return isDigits(s) && strings.Count(s, s[:1]) == len(s)
}

// sequentialDigits reports whether the digits of s step by +1 or by -1 throughout, wrapping 9→0 and 0→9,
// e.g. "12345678", "87654321", "12345678901".
func sequentialDigits(s string) bool {
	if !isDigits(s) || len(s) < 2 {
		return false
	}
	step := (int(s[1]) - int(s[0]) + 10) % 10
	if step != 1 && step != 9 {
		return false
	}
	for i := 2; i < len(s); i++ {
		if (int(s[i])-int(s[i-1])+10)%10 != step {
			return false
		}
	}
	return true
}

// fakeDigits reports whether a run of digits is an obvious placeholder: all one digit or a sequence
// (the police platform's filing procedure forbids "明显不真实" numbers such as 010-00000000).
func fakeDigits(s string) bool { return sameDigits(s) || sequentialDigits(s) }
