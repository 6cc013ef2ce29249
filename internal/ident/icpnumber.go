package ident

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/beian/beian/internal/divisions"
)

// traditionalICP maps the traditional characters of ICP and police numbers typed in zh-TW to the simplified
// ones MIIT and the police platform issue.
var traditionalICP = strings.NewReplacer("備", "备", "號", "号", "證", "证", "網", "网", "蘇", "苏", "遼", "辽",
	"閩", "闽", "贛", "赣", "魯", "鲁", "瓊", "琼", "隴", "陇", "陝", "陕", "寧", "宁", "滬", "沪", "晉", "晋",
	"粵", "粤")

// serviceKinds maps the letter after the service index to the service kind (docs/design.md §4.11: -1 website, -2A APP,
// -3X mini program, -4K quick app).
var serviceKinds = map[byte]string{0: "website", 'A': "app", 'X': "mini_program", 'K': "quick_app"}

// ICPNumber validates an ICP filing number: <abbr>ICP备<serial>号[-N[A|X|K]] (docs/design.md §4.11). The abbreviation is one
// of the 31 province characters, 川 and 甘 recognised as variants of 蜀 and 陇 with a warning; the serial has 8
// digits (older numbers: 2-digit year and sequence) or 10 digits (4-digit year and 6-digit sequence). Spaces,
// full-width characters, traditional characters and a lowercase suffix letter are normalised; a missing 号 is
// added with a warning. An operating licence number (京ICP证030173号, 粤B2-20090059) is not a filing number
// and gets its own error, because every place that asks for an ICP number means the filing number.
// Info: province, subject_number, service_index (0 for a subject number), service_kind (website, app,
// mini_program, quick_app; empty for a subject number).
func ICPNumber(s string) Result {
	r := newResult(KindICPNumber, s)
	n := upperASCII(traditionalICP.Replace(compact(s)))
	r.Normalized = n
	if n == "" {
		r.fail("empty")
		return r
	}
	abbr, size := utf8.DecodeRuneInString(n)
	p, ok := divisions.ProvinceByAbbr(abbr)
	if !ok {
		r.fail("province", "abbr", string(abbr))
		return r
	}
	rest := n[size:]
	switch {
	case strings.HasPrefix(rest, "ICP证"), strings.HasPrefix(rest, "B1-"), strings.HasPrefix(rest, "B2-"):
		r.fail("licence")
		return r
	case !strings.HasPrefix(rest, "ICP备"):
		r.fail("format")
		return r
	}
	if abbr != p.Abbr {
		r.warn("variant_abbr", "abbr", string(abbr), "official", string(p.Abbr))
	}
	parseICPTail(&r, string(abbr), p, strings.TrimPrefix(rest, "ICP备"))
	return r
}

// parseICPTail parses <serial>号[-N[A|X|K]] after "ICP备".
func parseICPTail(r *Result, abbr string, p divisions.Province, tail string) {
	i := 0
	for i < len(tail) && tail[i] >= '0' && tail[i] <= '9' {
		i++
	}
	serial, tail := tail[:i], tail[i:]
	if rest, ok := strings.CutPrefix(tail, "号"); ok {
		tail = rest
	} else if tail == "" || tail[0] == '-' {
		r.warn("missing_hao")
	} else {
		r.fail("format")
		return
	}
	if !validSerial(serial) {
		r.fail("serial", "serial", serial)
		return
	}
	index, kind, ok := parseServiceSuffix(tail)
	if !ok {
		r.fail("suffix", "suffix", tail)
		return
	}
	subject := abbr + "ICP备" + serial + "号"
	r.Normalized = subject + tail
	r.Info["province"] = p.Code
	r.Info["subject_number"] = subject
	r.Info["service_index"] = index
	r.Info["service_kind"] = kind
}

// validSerial: 8 digits, or 10 digits starting with a year 2000-2099.
func validSerial(s string) bool {
	switch len(s) {
	case 8:
		return true
	case 10:
		return s[:2] == "20"
	}
	return false
}

// parseServiceSuffix parses "" (a subject number) or -N with an optional A, X or K.
func parseServiceSuffix(tail string) (index int, kind string, ok bool) {
	if tail == "" {
		return 0, "", true
	}
	digits, found := strings.CutPrefix(tail, "-")
	if !found || digits == "" {
		return 0, "", false
	}
	var letter byte
	if last := digits[len(digits)-1:]; last == "A" || last == "X" || last == "K" {
		letter, digits = last[0], digits[:len(digits)-1]
	}
	if !isDigits(digits) || digits[0] == '0' || len(digits) > 5 {
		return 0, "", false
	}
	index, _ = strconv.Atoi(digits)
	return index, serviceKinds[letter], true
}
