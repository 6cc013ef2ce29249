package ident

import (
	"regexp"
	"strings"
)

// AppSignature validates the signing-certificate fingerprint of an APP: MD5 (32 hex digits, Android) or
// SHA-1 (40 hex digits, iOS) (Huawei Cloud's first-filing guide: "APP包名、公钥、MD5签名值"; docs/design.md §4.13), written with or without colons
// between bytes as keytool prints them. A SHA-256 fingerprint gets its own message. Normalized: upper-case
// hex without colons. Info: algorithm (md5 or sha1).
func AppSignature(s string) Result {
	r := newResult(KindAppSignature, s)
	c := upperASCII(dropSpaces(fold(s)))
	r.Normalized = c
	if c == "" {
		r.fail("empty")
		return r
	}
	hex := c
	if strings.Contains(c, ":") {
		if !colonHexRE.MatchString(c) {
			r.fail("format")
			return r
		}
		hex = strings.ReplaceAll(c, ":", "")
	}
	if strings.Trim(hex, "0123456789ABCDEF") != "" {
		r.fail("format")
		return r
	}
	r.Normalized = hex
	switch len(hex) {
	case 32:
		r.Info["algorithm"] = "md5"
	case 40:
		r.Info["algorithm"] = "sha1"
	case 64:
		r.fail("sha256")
	default:
		r.fail("length")
	}
	return r
}

var colonHexRE = regexp.MustCompile(`^[0-9A-F]{2}(:[0-9A-F]{2})+$`)

// appPackageRE: an Android package name or an iOS bundle ID — at least two dot-separated segments of
// letters, digits, '_' and '-', the first starting with a letter (Android applicationId rules, relaxed for
// the hyphens and leading digits that Apple allows in later segments).
var appPackageRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$`)

// AppPackage validates an APP's package name or bundle ID (Huawei Cloud's first-filing guide; docs/design.md §4.13). At most 255 characters.
func AppPackage(s string) Result {
	r := newResult(KindAppPackage, s)
	c := strings.TrimSpace(foldWidth(s))
	r.Normalized = c
	switch {
	case c == "":
		r.fail("empty")
	case len(c) > 255 || !appPackageRE.MatchString(c):
		r.fail("format")
	}
	return r
}
