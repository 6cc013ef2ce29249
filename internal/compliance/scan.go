package compliance

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/beian/beian/internal/ident"
)

// span is a filing number found in a text: where it starts and ends (byte offsets) and the number as written
// and as the validator normalised it.
type span struct {
	start, end int
	raw        string
	number     string // normalised by internal/ident; empty when the text is not a valid number
}

// foldRune reads full-width ASCII and traditional characters as their plain forms, so that "ＩＣＰ備" is found
// like "ICP备". Everything else is returned unchanged.
func foldRune(r rune) rune {
	switch {
	case r >= '！' && r <= '～':
		return r - '！' + '!'
	case r == '備':
		return '备'
	case r == '號':
		return '号'
	case r == '網':
		return '网'
	}
	return unicode.ToUpper(r)
}

// cursor walks a text rune by rune with folding.
type cursor struct {
	s string
	i int
}

func (c *cursor) peek() (rune, int) {
	if c.i >= len(c.s) {
		return 0, 0
	}
	r, n := utf8.DecodeRuneInString(c.s[c.i:])
	return foldRune(r), n
}

// accept consumes the runes of word (already folded) in order, allowing spaces between them.
func (c *cursor) accept(word string) bool {
	save := c.i
	for _, w := range word {
		c.skipSpaces()
		r, n := c.peek()
		if r != w {
			c.i = save
			return false
		}
		c.i += n
	}
	return true
}

func (c *cursor) skipSpaces() {
	for {
		r, n := c.peek()
		if n == 0 || !(r == ' ' || r == '\t' || r == '\u00a0' || r == '\u3000') {
			return
		}
		c.i += n
	}
}

// digits consumes ASCII or full-width digits (no spaces inside) and returns them as ASCII.
func (c *cursor) digits() string {
	var b strings.Builder
	for {
		r, n := c.peek()
		if r < '0' || r > '9' {
			return b.String()
		}
		b.WriteRune(r)
		c.i += n
	}
}

// prevRune returns the rune before byte offset i, skipping spaces, and where it starts (-1 if none).
func prevRune(s string, i int) (rune, int) {
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		i -= n
		if r != ' ' && r != '\u00a0' && r != '\u3000' && r != '\t' {
			return r, i
		}
	}
	return 0, -1
}

// maxMentions bounds the numbers found of each kind; a page showing more is not a footer.
const maxMentions = 20

// scanICP finds ICP filing numbers in text: a province character, "ICP备", the serial, "号" and an optional
// service suffix (-N, -NA…), with the spaces, full-width and traditional forms sites actually show. Operating
// licence numbers (粤B2-…, 京ICP证…) are not filing numbers and are skipped.
func scanICP(text string) []span {
	return scanMentions(text, "ICP", func(c *cursor) (int, string, bool) {
		if !c.accept("备") {
			return 0, "", false
		}
		serial, end := serialOf(c)
		if suffix := serviceSuffix(c); suffix != "" {
			return c.i, "ICP备" + serial + "号" + suffix, serial != ""
		}
		return end, "ICP备" + serial + "号", serial != ""
	}, ident.ICPNumber)
}

// scanPolice finds police filing numbers in text: a province character, "公网安备", the digits and "号".
func scanPolice(text string) []span {
	return scanMentions(text, "公网安备", func(c *cursor) (int, string, bool) {
		digits, end := serialOf(c)
		return end, "公网安备" + digits + "号", digits != ""
	}, ident.PoliceNumber)
}

// scanMentions finds at most maxMentions filing numbers in text: each starts with a province character before
// an occurrence of marker (folded); read, given the cursor after the marker, returns where the mention ends and
// the number as written after the province character (ok false: no filing number), and valid normalises it.
func scanMentions(text, marker string, read func(c *cursor) (end int, number string, ok bool),
	valid func(string) ident.Result) []span {
	var out []span
	for from := 0; len(out) < maxMentions; {
		k := indexFold(text, from, marker)
		if k < 0 {
			return out
		}
		c := cursor{s: text, i: k}
		c.acceptExact(marker)
		from = c.i
		end, number, ok := read(&c)
		abbr, start := prevRune(text, k)
		if !ok || start < 0 {
			continue
		}
		sp := span{start: start, end: end, raw: strings.TrimSpace(text[start:end])}
		if r := valid(string(abbr) + number); r.Valid() {
			sp.number = r.Normalized
		}
		out = append(out, sp)
		from = end
	}
	return out
}

// serialOf consumes the digits of a number after spaces and an optional "号", and returns them with where the
// mention ends so far.
func serialOf(c *cursor) (string, int) {
	c.skipSpaces()
	digits := c.digits()
	end := c.i
	if c.accept("号") {
		end = c.i
	}
	return digits, end
}

// serviceSuffix consumes "-N" with an optional A, X or K and returns it ("" when absent, cursor unchanged).
func serviceSuffix(c *cursor) string {
	save := c.i
	c.skipSpaces()
	r, n := c.peek()
	if r != '-' && r != '—' && r != '–' && r != '－' {
		c.i = save
		return ""
	}
	c.i += n
	c.skipSpaces()
	d := c.digits()
	if d == "" {
		c.i = save
		return ""
	}
	if r, n := c.peek(); r == 'A' || r == 'X' || r == 'K' {
		c.i += n
		return "-" + d + string(r)
	}
	return "-" + d
}

// indexFold returns the byte offset of the first occurrence of word (folded runes) in s at or after from, or -1.
func indexFold(s string, from int, word string) int {
	first, _ := utf8.DecodeRuneInString(word)
	for i := from; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if foldRune(r) == first {
			c := cursor{s: s, i: i}
			if c.acceptExact(word) {
				return i
			}
		}
		i += n
	}
	return -1
}

// acceptExact consumes the runes of word (folded) with no spaces between them.
func (c *cursor) acceptExact(word string) bool {
	save := c.i
	for _, w := range word {
		r, n := c.peek()
		if r != w {
			c.i = save
			return false
		}
		c.i += n
	}
	return true
}
