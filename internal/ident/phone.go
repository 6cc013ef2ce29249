package ident

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Mobile validates a mainland mobile number: 11 digits 1[3-9]xxxxxxxxx, written with or without +86 / 0086
// and with spaces, dashes, dots or brackets. The principals' mobiles receive MIIT's SMS verification code
// from 12381 (docs/design.md §4.9), so only mainland numbers are accepted. Baidu AI Cloud's app filing guide and Huawei Cloud's first-filing guide: a mobile field may not hold a
// landline ("不能为座机号码"). Obvious placeholders are refused (the police platform's filing procedure): a number whose 11 digits, or
// whose last 8 digits (the subscriber part after the 3-digit network prefix), are all one digit or a
// sequence stepping by ±1 (9 and 0 adjoin), e.g. 13800000000, 13888888888, 13812345678, 12345678901.
func Mobile(s string) Result {
	r := newResult(KindMobile, s)
	c := strings.Map(dropPhoneSeparators, fold(s))
	num, intl := cutCountryCode(c)
	r.Normalized = c
	if len(num) == 11 && num[0] == '1' && isDigits(num) {
		r.Normalized = num
	}
	switch {
	case c == "":
		r.fail("empty")
	case intl && !strings.HasPrefix(c, "+86") && !strings.HasPrefix(c, "0086"):
		r.fail("foreign")
	case !isDigits(num):
		r.fail("charset")
	case num[0] == '0':
		r.fail("landline_given")
	case len(num) != 11:
		r.fail("length", "length", strconv.Itoa(len(num)))
	case fakeDigits(num) || fakeDigits(num[3:]):
		r.fail("fake")
	case num[1] < '3':
		r.fail("prefix")
	}
	return r
}

// dropPhoneSeparators is a strings.Map function removing what people put between digit groups.
func dropPhoneSeparators(r rune) rune {
	switch {
	case unicode.IsSpace(r), r == '-', r == '.', r == '(', r == ')', r == 0x200B, r == 0xFEFF:
		return -1
	}
	return r
}

// cutCountryCode removes +86, 0086 or a bare 86 in front of an 11-digit mobile number. intl reports an
// international prefix of any country (+…, 00…).
func cutCountryCode(c string) (num string, intl bool) {
	for _, p := range []string{"+86", "0086"} {
		if rest, ok := strings.CutPrefix(c, p); ok {
			return rest, true
		}
	}
	if rest, ok := strings.CutPrefix(c, "86"); ok && len(rest) == 11 && rest[0] == '1' {
		return rest, false
	}
	return c, strings.HasPrefix(c, "+") || strings.HasPrefix(c, "00")
}

// extensionRE splits off an extension written 转123, 分机123, ext 123, ext. 123, x123 or #123.
var extensionRE = regexp.MustCompile(`^(.*\d)\s*(?:转|分机|[Ee][Xx][Tt]\.?|[Xx]|#)\s*(\d+)$`)

// areaCodeRE: 010 (Beijing), 02X (the other 3-digit areas), 0[3-9]XX (4-digit areas).
var areaCodeRE = regexp.MustCompile(`^0(10|2\d|[3-9]\d\d)$`)

// Landline validates a mainland fixed-line number with its area code and an optional extension.
// Accepted forms include 010-12345678, (010)12345678, 010 1234 5678, 01012345678, +86 10 12345678,
// 0755-1234567-123, 010-12345678转123 and 010-12345678 ext 123. Normalized: 0AREA-NUMBER[-EXT].
// Areas 010 and 02X have 8-digit numbers, 4-digit areas 7 or 8 digits; local numbers never start with 0
// or 1. Placeholders such as 010-00000000 or 0755-12345678 are refused (the police platform's filing procedure: "不得出现“010-00000000”
// 等明显不真实的联系方式"), and so are mobiles (specific message) and 400/800 service numbers.
// Info: area_code, number, extension.
func Landline(s string) Result {
	r := newResult(KindLandline, s)
	c := strings.TrimSpace(fold(s))
	r.Normalized = c
	if c == "" {
		r.fail("empty")
		return r
	}
	p, ok := parseLandline(c)
	switch {
	case !ok:
		r.fail("charset")
	case len(p.digits) == 11 && p.digits[0] == '1':
		r.fail("mobile_given")
	case !p.intl && (strings.HasPrefix(p.digits, "400") || strings.HasPrefix(p.digits, "800")):
		r.fail("service_number")
	case p.digits[0] != '0':
		r.fail("area_code_missing")
	default:
		checkLandlineParts(&r, p)
	}
	return r
}

// landline is a fixed-line number split into its parts.
type landline struct {
	digits    string // all digits of area code and number, with the leading 0 restored after +86
	area, num string
	ext       string
	intl      bool
}

// parseLandline splits c into area code, number and extension; ok is false when c holds anything but
// digits and the usual separators.
func parseLandline(c string) (p landline, ok bool) {
	if m := extensionRE.FindStringSubmatch(c); m != nil {
		c, p.ext = m[1], m[2]
	}
	c = strings.NewReplacer("(", " ", ")", " ").Replace(c)
	groups := strings.FieldsFunc(c, func(r rune) bool { return unicode.IsSpace(r) || r == '-' || r == '.' })
	if len(groups) > 0 {
		for _, pre := range []string{"+86", "0086"} {
			if rest, found := strings.CutPrefix(groups[0], pre); found {
				p.intl, groups[0] = true, rest
			}
		}
	}
	groups = dropEmpty(groups)
	if len(groups) == 0 {
		return p, false
	}
	for _, g := range groups {
		if !isDigits(g) {
			return p, false
		}
	}
	if all := strings.Join(groups, ""); p.intl && all[0] != '0' && !(len(all) == 11 && all[0] == '1') {
		groups[0] = "0" + groups[0] // +86 10 12345678: the trunk prefix 0 is dropped after the country code
	}
	p.digits = strings.Join(groups, "")
	p.area, p.num, p.ext = splitLandline(groups, p.ext)
	return p, true
}

// splitLandline separates area code, number and extension. The area code is the first group when that
// group is a 3- or 4-digit code, else the leading digits by the shape of the code (01X and 02X have 3
// digits, the rest 4). A last group after a 7- or 8-digit number is an extension (010-12345678-123).
func splitLandline(groups []string, ext string) (area, num, extOut string) {
	var rest []string
	if g := groups[0]; (len(g) == 3 || len(g) == 4) && g[0] == '0' && len(groups) > 1 {
		area, rest = g, groups[1:]
	} else {
		n := 4
		if len(g) > 1 && (g[1] == '1' || g[1] == '2') {
			n = 3
		}
		n = min(n, len(g))
		area, rest = g[:n], append([]string{g[n:]}, groups[1:]...)
	}
	if body := strings.Join(rest[:len(rest)-1], ""); ext == "" && len(rest) > 1 && (len(body) == 7 || len(body) == 8) {
		return area, body, rest[len(rest)-1]
	}
	return area, strings.Join(rest, ""), ext
}

// checkLandlineParts checks area code, local number and extension, and sets Normalized and Info.
func checkLandlineParts(r *Result, p landline) {
	wantLen := "7-8"
	if len(p.area) == 3 {
		wantLen = "8"
	}
	switch {
	case !areaCodeRE.MatchString(p.area):
		r.fail("area_code", "area", p.area)
	case fakeDigits(p.num) && len(p.num) >= 7:
		r.fail("fake")
	case len(p.num) != 8 && (len(p.area) == 3 || len(p.num) != 7):
		r.fail("number_length", "area", p.area, "length", wantLen)
	case p.num[0] == '0' || p.num[0] == '1':
		r.fail("number_prefix")
	case len(p.ext) > 6:
		r.fail("extension")
	}
	if areaCodeRE.MatchString(p.area) && (len(p.num) == 7 || len(p.num) == 8) {
		r.Normalized = p.area + "-" + p.num
		if p.ext != "" {
			r.Normalized += "-" + p.ext
		}
	}
	if r.Valid() {
		r.Info["area_code"], r.Info["number"], r.Info["extension"] = p.area, p.num, p.ext
	}
}

func dropEmpty(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
