package ident

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/beian/beian/internal/codes"
)

// NameContext is what the website-name rules depend on besides the name.
type NameContext struct {
	Nature   string // docs/design.md §3 nature name, e.g. "individual", "enterprise", "government"
	Province string // GB/T 2260 2-digit code of the filing province
	// SubjectName is the subject's registered name when known. A unit whose own name holds a state word
	// (中国移动通信集团…) may use it in the site name; when SubjectName is empty that cannot be decided and a
	// state word in a unit's site name is only a warning.
	SubjectName string
}

// WebsiteName checks a website name for the subject nature and filing province, without the subject's
// name (see WebsiteNameFor).
func WebsiteName(name, nature, province string) Result {
	return WebsiteNameFor(name, NameContext{Nature: nature, Province: province})
}

// domainLikeRE matches names that are a domain or URL rather than a name (docs/design.md §4.5: no domain as the name).
var domainLikeRE = regexp.MustCompile(`(?i)^(https?://)?[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+/?$`)

// WebsiteNameFor checks a website name against docs/design.md §4.5 (UCloud docs problem/problem2 #3): at least 3 Chinese
// characters; not only digits or Latin letters; not a domain; no symbols; the state words 中国, 中华, 中央, 人民,
// 人大, 国家 for state units only; 博客, 论坛, 在线, 社区, 交流 hint at content that needs a pre-approval (warning).
// Personal filings may not use the words of personalBannedWords or personalBusinessWords and should not carry
// place names (warning); in Jiangsu (32) a personal site must be named "某某的个人博客" or "某某的个人主页", which
// overrides the ban on 博客 and 主页 for that exact form. Person names and idioms, also banned for personal
// sites, cannot be recognised without dictionaries and are left to the reviewer, as is whether the name
// matches the content.
func WebsiteNameFor(name string, c NameContext) Result {
	r := newResult(KindWebsiteName, name)
	n := strings.TrimSpace(foldWidth(name))
	r.Normalized = n
	if n == "" {
		r.fail("empty")
		return r
	}
	if _, known := codes.Nature(c.Nature); c.Nature != "" && !known {
		r.fail("nature_unknown", "nature", c.Nature)
	}
	if domainLikeRE.MatchString(n) {
		r.fail("domain")
		return r
	}
	checkNameCharacters(&r, n)
	checkStateWords(&r, n, c)
	rest := n // the part subject to the word rules
	if c.Nature == "individual" {
		rest = checkPersonalName(&r, n, c.Province)
	}
	if words := wordsIn(rest, preApprovalWords); len(words) > 0 {
		if c.Nature == "individual" {
			words = slices.DeleteFunc(words, func(w string) bool { return slices.Contains(personalBannedWords, w) })
		}
		if len(words) > 0 {
			r.warn("pre_approval_word", "words", strings.Join(words, "、"))
		}
	}
	return r
}

// checkNameCharacters: Chinese characters, Latin letters, digits and the middle dot of transliterated names
// only, and at least 3 Chinese characters.
func checkNameCharacters(r *Result, n string) {
	var symbols []rune
	seen := map[rune]bool{}
	han := 0
	for _, ch := range n {
		switch {
		case unicode.Is(unicode.Han, ch):
			han++
		case ch < 0x80 && (unicode.IsLetter(ch) || unicode.IsDigit(ch)), ch == '·':
		case !seen[ch]:
			seen[ch] = true
			symbols = append(symbols, ch)
		}
	}
	if len(symbols) > 0 {
		r.fail("symbols", "symbols", string(symbols))
	}
	switch {
	case han == 0 && isDigits(n):
		r.fail("digits_only")
	case han == 0 && len(symbols) == 0:
		r.fail("latin_only")
	case han < 3:
		r.fail("too_short", "count", strconv.Itoa(han))
	}
}

// checkStateWords applies the rule on 中国, 中华, 中央, 人民, 人大 and 国家.
func checkStateWords(r *Result, n string, c NameContext) {
	words := wordsIn(n, stateWords)
	if len(words) == 0 || slices.Contains(stateNatures, c.Nature) {
		return
	}
	if c.Nature != "individual" && c.SubjectName != "" {
		words = slices.DeleteFunc(words, func(w string) bool { return strings.Contains(c.SubjectName, w) })
	}
	switch {
	case len(words) == 0:
	case c.Nature == "individual" || c.SubjectName != "":
		r.fail("state_word", "words", strings.Join(words, "、"))
	default:
		r.warn("state_word_unit", "words", strings.Join(words, "、"))
	}
}

// jiangsuPersonalRE is the form Jiangsu requires of personal site names: "<name>的个人博客" or
// "<name>的个人主页" (docs/design.md §4.5).
var jiangsuPersonalRE = regexp.MustCompile(`^(.+)的个人(博客|主页)$`)

// checkPersonalName applies the personal-filing word rules and returns the part of the name that the
// remaining word rules apply to (in Jiangsu, the person's part before "的个人博客/主页").
func checkPersonalName(r *Result, n, province string) string {
	if province == "32" {
		m := jiangsuPersonalRE.FindStringSubmatch(n)
		if m == nil {
			r.fail("jiangsu_personal_pattern")
			return n
		}
		n = m[1]
	}
	if words := wordsIn(n, personalBannedWords); len(words) > 0 {
		r.fail("personal_banned", "words", strings.Join(words, "、"))
	}
	if words := wordsIn(n, personalBusinessWords); len(words) > 0 {
		r.fail("personal_business", "words", strings.Join(words, "、"))
	}
	if words := wordsIn(n, placeNames()); len(words) > 0 {
		r.warn("personal_place_name", "words", strings.Join(words, "、"))
	}
	return n
}
