package recognise

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/beian/beian/internal/ident"
)

// interpret turns the spans read from a layout into validated fields. now is the clock of the ID number's
// birth-date check.
func interpret(kind Kind, lines []line, now time.Time) map[string]Field {
	raw := readLayout(kind, lines)
	out := map[string]Field{}
	switch kind {
	case IDFront:
		out[FieldName] = personName(raw[FieldName])
		out[FieldSex] = sex(raw[FieldSex])
		out[FieldBirthDate] = date(raw[FieldBirthDate])
		out[FieldAddress] = address(raw[FieldAddress])
		out[FieldIDNumber] = number(raw[FieldIDNumber], lines, idChars, func(s string) ident.Result { return ident.ResidentID(s, now) })
		fromIDNumber(out, now)
	case IDBack:
		out[FieldAuthority] = text(raw[FieldAuthority], 4)
		out[FieldValidFrom], out[FieldValidTo] = validity(raw[fieldValidity])
	case BusinessLicence, USCCCertificate:
		out[FieldName] = text(raw[FieldName], 4)
		out[FieldUSCC] = number(raw[FieldUSCC], lines, usccChars, ident.USCC)
		out[FieldLegalRep] = personName(raw[FieldLegalRep])
		out[FieldAddress] = address(raw[FieldAddress])
	}
	for k, f := range out {
		if f.Value != "" && f.Check == "" && f.Confidence < MinConfidence {
			f.Check = "recognise.low_confidence"
			out[k] = f
		}
	}
	return out
}

func notFound(read span) Field {
	return Field{Read: read.String(), Confidence: read.conf(), Check: "recognise.not_found"}
}

// text is a free-text value of at least minRunes characters.
func text(s span, minRunes int) Field {
	if len(s) < minRunes {
		return notFound(s)
	}
	return Field{Value: s.String(), Read: s.String(), Confidence: s.conf()}
}

// address is a free-text value whose division prefix is corrected against the list of counties.
func address(s span) Field {
	f := text(s, 4)
	if f.Value == "" {
		return f
	}
	if fixed, ok := correctDivision(s); ok {
		f.Value = fixed.String()
	}
	return f
}

// personName keeps the Chinese characters and the middle dot of minority names (阿依古丽·买买提); 2 to 30 of
// them.
func personName(s span) Field {
	var g span
	for _, x := range s {
		if unicode.Is(unicode.Han, x.r) || x.r == '·' {
			g = append(g, x)
		}
	}
	if len(g) < 2 || len(g) > 30 {
		return notFound(s)
	}
	return Field{Value: g.String(), Read: s.String(), Confidence: g.conf()}
}

func sex(s span) Field {
	for _, g := range s {
		switch g.r {
		case '男':
			return Field{Value: "male", Read: s.String(), Confidence: g.conf}
		case '女':
			return Field{Value: "female", Read: s.String(), Confidence: g.conf}
		}
	}
	return notFound(s)
}

var dateRE = regexp.MustCompile(`(\d{4})\D{0,3}?(\d{1,2})\D{0,3}?(\d{1,2})`)

// date reads "1987年10月23日", "1987 年 10 月 23 日" or "2015.03.01" as YYYY-MM-DD.
func date(s span) Field {
	v, ok := parseDate(s.String())
	if !ok {
		return notFound(s)
	}
	return Field{Value: v, Read: s.String(), Confidence: s.conf()}
}

func parseDate(s string) (string, bool) {
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	t, err := time.Parse("2006-1-2", m[1]+"-"+m[2]+"-"+m[3])
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// validity splits "2015.03.01-2035.03.01" or "2015.03.01-长期" into its two ends.
func validity(s span) (from, to Field) {
	str := s.String()
	i := strings.IndexAny(str, "-—~至")
	if i < 0 {
		return notFound(s), notFound(s)
	}
	from = date(span(runeSpan(s, str[:i])))
	rest := str[i:]
	switch {
	case strings.Contains(rest, "长期"):
		to = Field{Value: "long_term", Read: "长期", Confidence: s.conf()}
	default:
		to = date(s[len([]rune(str[:i])):])
	}
	if from.Value != "" && to.Value != "" && to.Value != "long_term" && to.Value <= from.Value {
		to.Check = "recognise.validity_order"
	}
	return from, to
}

// runeSpan is the prefix of s holding the characters of prefix.
func runeSpan(s span, prefix string) span { return s[:len([]rune(prefix))] }

// Character sets of the two checksummed numbers, and the letters the engine confuses with them.
const (
	idChars   = "0123456789X"
	usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
)

var (
	// In an ID number only the last character can be a letter (X); elsewhere a letter is a misread digit.
	digitLike = map[rune]rune{'O': '0', 'o': '0', 'D': '0', 'Q': '0', 'I': '1', 'l': '1', '|': '1', 'i': '1',
		'Z': '2', 'z': '2', 'S': '5', 's': '5', 'B': '8', 'G': '6', 'b': '6', 'g': '9', 'x': 'X', '×': 'X'}
	// The USCC never uses I, O, Z, S, V (GB 32100-2015), so those are misreads of 1, 0, 2, 5 and U.
	usccLike = map[rune]rune{'O': '0', 'o': '0', 'I': '1', 'l': '1', '|': '1', 'i': '1', 'Z': '2', 'z': '2',
		'S': '5', 's': '5', 'V': 'U', 'v': 'U'}
)

// number reads a checksummed number: from the captioned value, else from the first run of 18 characters of
// its set anywhere in the text (the caption may be misread). Misread look-alikes are mapped back; the value
// is filled only when validate accepts it, otherwise Check names the failed check (e.g.
// resident_id.checksum) and the applicant is told to compare the field with the credential.
func number(s span, lines []line, chars string, validate func(string) ident.Result) Field {
	cand, from := normaliseNumber(s, chars), s
	if len(cand) != 18 {
		for _, l := range lines {
			if c, sp := runOf18(l, chars); c != "" {
				cand, from = c, sp
				break
			}
		}
	}
	if cand == "" {
		return notFound(s)
	}
	r := validate(cand)
	f := Field{Read: from.String(), Confidence: from.conf()}
	if !r.Valid() {
		f.Check = r.Errors[0].Code
		return f
	}
	f.Value = r.Normalized
	return f
}

// lookAlikes returns the misread map of a character set.
func lookAlikes(chars string) map[rune]rune {
	if chars == usccChars {
		return usccLike
	}
	return digitLike
}

// numberish: r is a character of chars or one the engine confuses with one.
func numberish(r rune, chars string) bool {
	_, ok := lookAlikes(chars)[r]
	return ok || strings.ContainsRune(chars, unicode.ToUpper(r))
}

func normaliseNumber(s span, chars string) string {
	like := lookAlikes(chars)
	var b strings.Builder
	for i, g := range s {
		r := unicode.ToUpper(g.r)
		if m, ok := like[g.r]; ok && !(chars == idChars && g.r == 'X' && i == len(s)-1) {
			r = m
		}
		if strings.ContainsRune(chars, r) {
			b.WriteRune(r)
		}
	}
	n := b.String()
	if chars == idChars && strings.IndexByte(n, 'X') >= 0 && strings.IndexByte(n, 'X') != len(n)-1 {
		n = strings.ReplaceAll(n[:len(n)-1], "X", "") + n[len(n)-1:]
	}
	return n
}

// runOf18 finds a run of exactly 18 characters of chars (after mapping look-alikes) in a line, with at
// least 10 digits (so that a run of capitals in a name is not taken for a code).
func runOf18(l line, chars string) (string, span) {
	for _, p := range l.pieces() {
		start := 0
		for i := 0; i <= len(p); i++ {
			if i < len(p) && numberish(p[i].r, chars) {
				continue
			}
			if i-start == 18 {
				sp := p[start:i]
				if n := normaliseNumber(sp, chars); len(n) == 18 && len(n)-countLetters(n) >= 10 {
					return n, sp
				}
			}
			start = i + 1
		}
	}
	return "", nil
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			n++
		}
	}
	return n
}

// fromIDNumber cross-checks the printed birth date and sex with those the valid ID number encodes: the
// number passed its checksum, so it wins; a printed value that disagrees or was not read is replaced, with
// the number's confidence.
func fromIDNumber(f map[string]Field, now time.Time) {
	id := f[FieldIDNumber]
	if id.Value == "" {
		return
	}
	r := ident.ResidentID(id.Value, now)
	for field, info := range map[string]string{FieldBirthDate: "birth_date", FieldSex: "sex"} {
		want, _ := r.Info[info].(string)
		if got := f[field]; want != "" && got.Value != want {
			f[field] = Field{Value: want, Read: got.Read, Confidence: id.Confidence}
		}
	}
}
