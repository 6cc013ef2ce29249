package recognise

import (
	"bufio"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// glyph is one recognised character with the confidence of its word (0-1) and its horizontal extent.
type glyph struct {
	r           rune
	conf        float64
	left, right int
}

// line is one line of text as the engine read it, spaces dropped, in reading order.
type line struct {
	g      []glyph
	height int // of the tallest word: the gap that separates columns is measured in it
	// flat: plain text without positions (an OCR service's text); a continuation line then belongs to the
	// last open field, there being no columns to tell.
	flat bool
}

func (l line) String() string {
	var b strings.Builder
	for _, g := range l.g {
		b.WriteRune(g.r)
	}
	return b.String()
}

// maxWords bounds what is read from one engine answer: a credential holds a few hundred words.
const maxWords = 5000

// parseTSV reads tesseract's TSV output (level, page, block, paragraph, line, word, left, top, width,
// height, conf, text) into lines. Rows other than words (level 5) and malformed rows are skipped; text is
// cleaned of control characters and invalid UTF-8.
func parseTSV(tsv string) []line {
	var lines []line
	var cur *line
	key := ""
	sc := bufio.NewScanner(strings.NewReader(tsv))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	words := 0
	for sc.Scan() && words < maxWords {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 12 || f[0] != "5" {
			continue
		}
		n := make([]int, 10)
		ok := true
		for i := range 10 {
			if n[i], ok = atoi(f[i]); !ok {
				break
			}
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		text := clean(f[11])
		if !ok || err != nil || text == "" {
			continue
		}
		words++
		if k := f[1] + "/" + f[2] + "/" + f[3] + "/" + f[4]; k != key || cur == nil {
			lines = append(lines, line{})
			cur, key = &lines[len(lines)-1], k
		}
		cur.add(text, min(max(conf/100, 0), 1), n[6], n[6]+n[8], n[9])
	}
	return lines
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// add appends a word spanning left..right, giving each of its characters an equal share of the width.
func (l *line) add(word string, conf float64, left, right, height int) {
	n := utf8.RuneCountInString(word)
	w := float64(right-left) / float64(n)
	i := 0
	for _, r := range word {
		l.g = append(l.g, glyph{r: r, conf: conf, left: left + int(float64(i)*w), right: left + int(float64(i+1)*w)})
		i++
	}
	l.height = max(l.height, height)
}

// linesOf splits plain text (an HTTP service's answer without word data) into lines of full confidence.
func linesOf(text string, conf float64) []line {
	var out []line
	for _, s := range strings.Split(text, "\n") {
		l := line{flat: true}
		x := 0
		for _, w := range strings.Fields(clean(s)) {
			l.add(w, conf, x, x+10*utf8.RuneCountInString(w), 10)
			x += 10*utf8.RuneCountInString(w) + 10
		}
		if len(l.g) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// clean drops control characters and invalid UTF-8, folds full-width ASCII to half-width, and trims.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r):
			continue
		case r >= '！' && r <= '～':
			r -= 0xFEE0
		case r == '\u3000':
			r = ' '
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// span is a run of glyphs from one line: a label's value or a piece of a continuation line.
type span []glyph

func (s span) String() string {
	var b strings.Builder
	for _, g := range s {
		b.WriteRune(g.r)
	}
	return b.String()
}

// conf is the lowest confidence of the span's glyphs (0 for none): one doubtful character makes the value
// doubtful.
func (s span) conf() float64 {
	if len(s) == 0 {
		return 0
	}
	c := 1.0
	for _, g := range s {
		c = min(c, g.conf)
	}
	return c
}

// trim drops the punctuation and stray marks the engine reads around values (quotes, colons, bars) and
// spaces.
func (s span) trim() span {
	junk := func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"'“”‘’:：;；,，.。|/\-—_~、·`+"`", r)
	}
	for len(s) > 0 && junk(s[0].r) {
		s = s[1:]
	}
	for len(s) > 0 && junk(s[len(s)-1].r) {
		s = s[:len(s)-1]
	}
	return s
}

// pieces splits a line at gaps wider than twice its text height: the columns of a two-column layout.
func (l line) pieces() []span {
	var out []span
	start := 0
	gap := 2 * max(l.height, 1)
	for i := 1; i <= len(l.g); i++ {
		if i == len(l.g) || l.g[i].left-l.g[i-1].right > gap {
			out = append(out, span(l.g[start:i]))
			start = i
		}
	}
	return out
}
