package ident

import (
	"strings"
)

// localChars are the characters of an RFC 5322 dot-atom besides letters and digits.
const localChars = "!#$%&'*+/=?^_`{|}~-."

// Email validates an e-mail address with practical rules: one @, an ASCII dot-atom local part of at most 64
// characters (no quoted forms, no leading, trailing or doubled dots), and a domain that passes the IDNA Lookup
// profile with at least two labels. Full-width characters typed by Chinese input methods (＠, ．) are folded.
// Normalized: the local part as typed and the domain in lower-case Unicode. Info: ascii_domain.
func Email(s string) Result {
	r := newResult(KindEmail, s)
	c := strings.TrimSpace(foldWidth(s))
	r.Normalized = c
	if c == "" {
		r.fail("empty")
		return r
	}
	local, host, ok := strings.Cut(c, "@")
	if !ok || strings.Contains(host, "@") {
		r.fail("at")
		return r
	}
	if !dotAtom(local) {
		r.fail("local")
	}
	sub := newResult(KindDomain, host)
	d, ok := parseDomain(&sub, host)
	if !ok || host != strings.TrimSuffix(host, ".") {
		r.fail("domain", "domain", host)
		return r
	}
	if len(local)+1+len(d.ascii) > 254 {
		r.fail("length")
	}
	r.Info["ascii_domain"] = d.ascii
	if r.Valid() {
		r.Normalized = local + "@" + d.unicode
	}
	return r
}

// dotAtom reports whether s is a non-empty dot-atom of at most 64 ASCII characters.
func dotAtom(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(localChars, c) >= 0) {
			return false
		}
	}
	return true
}
