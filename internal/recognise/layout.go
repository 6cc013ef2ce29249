package recognise

import (
	"slices"
	"unicode"
)

// label is a printed caption of a layout and the field its value fills ("" for captions that are only read
// to know where the previous value ends). multi: the value may continue on the following lines.
type label struct {
	text  string
	field string
	multi bool
}

// Captions as printed. A licence names its representative by the organisation's form (法定代表人 for a
// company, 负责人 for a branch, 经营者 for a sole trader, 执行事务合伙人 for a partnership, 投资人 for a
// sole-proprietorship enterprise) and its address likewise (住所, 经营场所, 主要经营场所).
var layouts = map[Kind][]label{
	IDFront: {{"姓名", FieldName, false}, {"性别", FieldSex, false}, {"民族", "", false}, {"出生", FieldBirthDate, false},
		{"住址", FieldAddress, true}, {"公民身份号码", FieldIDNumber, false}},
	IDBack: {{"签发机关", FieldAuthority, false}, {"有效期限", fieldValidity, false}, {"中华人民共和国", "", false},
		{"居民身份证", "", false}},
	BusinessLicence: licenceLabels,
	USCCCertificate: licenceLabels,
}

// fieldValidity is the raw "2015.03.01-2035.03.01" before it is split into FieldValidFrom and FieldValidTo.
const fieldValidity = "validity"

var licenceLabels = []label{{"统一社会信用代码", FieldUSCC, false}, {"名称", FieldName, true},
	{"法定代表人", FieldLegalRep, false}, {"负责人", FieldLegalRep, false}, {"经营者", FieldLegalRep, false},
	{"执行事务合伙人", FieldLegalRep, false}, {"投资人", FieldLegalRep, false},
	{"主要经营场所", FieldAddress, true}, {"经营场所", FieldAddress, true}, {"住所", FieldAddress, true},
	{"类型", "", false}, {"注册资本", "", false}, {"出资额", "", false}, {"成立日期", "", false}, {"注册日期", "", false},
	{"营业期限", "", false}, {"合伙期限", "", false}, {"经营范围", "", true}, {"组成形式", "", false},
	{"登记机关", "", false}, {"营业执照", "", false}, {"证书", "", false}}

// hit is a caption found in a line: glyphs [start, end).
type hit struct {
	label
	start, end int
}

// findLabels returns the captions of layout in l, left to right, longest first where they overlap. A caption
// at the start of the line whose second character the engine misread into one or two marks ("住 tt" for the
// letter-spaced 住  址) counts when its first character is there and a Chinese character follows the marks.
func findLabels(l line, layout []label) []hit {
	var hits []hit
	for i := 0; i < len(l.g); {
		h, ok := labelAt(l.g, i, layout)
		if !ok {
			i++
			continue
		}
		hits = append(hits, h)
		i = h.end
	}
	return hits
}

func labelAt(g []glyph, i int, layout []label) (hit, bool) {
	best := hit{}
	for _, lb := range layout {
		r := []rune(lb.text)
		if i+len(r) <= len(g) && slices.Equal(runesOf(g[i:i+len(r)]), r) && len(r) > best.end-best.start {
			best = hit{lb, i, i + len(r)}
		}
	}
	if best.end > 0 {
		return best, true
	}
	if i != 0 {
		return hit{}, false
	}
	for _, lb := range layout {
		r := []rune(lb.text)
		if len(r) != 2 || len(g) < 3 || g[0].r != r[0] {
			continue
		}
		for n := 1; n <= 2 && n+1 < len(g); n++ {
			if isMark(g[n].r) && (n == 1 || isMark(g[1].r)) && unicode.Is(unicode.Han, g[n+1].r) {
				return hit{lb, 0, n + 1}, true
			}
		}
	}
	return hit{}, false
}

// isMark: a misread that is neither a Chinese character nor a digit.
func isMark(r rune) bool { return !unicode.Is(unicode.Han, r) && !unicode.IsDigit(r) }

func runesOf(g []glyph) []rune {
	out := make([]rune, len(g))
	for i, x := range g {
		out[i] = x.r
	}
	return out
}

// open is a field whose value may continue on the next line, from column x.
type open struct {
	field string
	x     int
}

// readLayout assigns the text of lines to the fields of kind's layout: a caption's value runs to the next
// caption on the line; a line without captions continues the open fields, each piece (column) going to the
// open field whose value starts at or left of it. A caption with nothing after it on its line takes the
// next line's piece (the licence prints its code under the caption).
func readLayout(kind Kind, lines []line) map[string]span {
	layout := layouts[kind]
	values := map[string]span{}
	var opens []open
	for _, l := range lines {
		hits := findLabels(l, layout)
		first := len(l.g)
		if len(hits) > 0 {
			first = hits[0].start
		}
		continueOpen(values, opens, line{g: l.g[:first], height: l.height, flat: l.flat})
		if len(hits) == 0 {
			continue
		}
		opens = opens[:0]
		for i, h := range hits {
			end := len(l.g)
			if i+1 < len(hits) {
				end = hits[i+1].start
			}
			v := span(l.g[h.end:end]).trim()
			if h.field != "" && len(values[h.field]) == 0 {
				values[h.field] = v
			}
			if h.multi || len(v) == 0 {
				x := l.g[h.end-1].right
				if len(v) > 0 {
					x = v[0].left
				}
				opens = append(opens, open{h.field, x})
			}
		}
	}
	return values
}

// continueOpen appends the pieces of a caption-less line (or of the part of a line before its first
// caption) to the open fields: a piece continues the field whose value starts in the same column (within
// two text heights), as wrapped lines are printed aligned.
func continueOpen(values map[string]span, opens []open, l line) {
	if len(opens) == 0 || len(l.g) == 0 {
		return
	}
	if l.flat {
		if f := opens[len(opens)-1].field; f != "" {
			values[f] = append(slices.Clip(values[f]), span(l.g).trim()...)
		}
		return
	}
	for _, p := range l.pieces() {
		p = p.trim()
		if len(p) == 0 {
			continue
		}
		best, tol := -1, 2*max(l.height, 8)
		for i, o := range opens {
			if d := p[0].left - o.x; d >= -tol && d <= tol && (best < 0 || o.x > opens[best].x) {
				best = i
			}
		}
		if best < 0 {
			continue // text in no open field's column: another caption's value whose caption was misread
		}
		if f := opens[best].field; f != "" {
			values[f] = append(slices.Clip(values[f]), p...)
		}
	}
}
