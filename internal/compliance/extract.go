package compliance

import (
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Page is what the served HTML of a homepage shows, as far as the filing rules care.
type Page struct {
	Title  string    `json:"title"`
	ICP    []Mention `json:"icp,omitempty"`    // ICP filing numbers in the visible text, in document order
	Police []Mention `json:"police,omitempty"` // police filing numbers in the visible text
	// ScriptMentions is set when an inline script of the page contains an ICP or police number: the footer is
	// probably built in the browser, where the checker does not look.
	ScriptMentions bool `json:"script_mentions,omitempty"`
	TextLength     int  `json:"text_length"` // bytes of visible text
}

// Mention is one filing number shown on the page.
type Mention struct {
	Raw      string  `json:"raw"`              // as written
	Number   string  `json:"number,omitempty"` // normalised; empty when not a valid number
	Position float64 `json:"position"`         // where it starts in the visible text: 0 top, 1 end
	InFooter bool    `json:"in_footer"`        // inside <footer> or an element named footer, bottom, copyright…
	Href     string  `json:"href,omitempty"`   // the link around it
	Badge    bool    `json:"badge,omitempty"`  // an image in the link or beside it
}

// blockAtoms end a line of visible text, so that numbers in neighbouring blocks do not run together.
var blockAtoms = map[atom.Atom]bool{atom.Address: true, atom.Article: true, atom.Aside: true,
	atom.Blockquote: true, atom.Br: true, atom.Dd: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.Form: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true,
	atom.Hr: true, atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true, atom.Pre: true,
	atom.Section: true, atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true, atom.Ul: true}

// segment is the stretch [start, end) of the visible text that one text node contributed.
type segment struct {
	start, end int
	node       *html.Node
}

type extractor struct {
	text    strings.Builder
	segs    []segment
	title   string
	scripts strings.Builder
}

// Extract reads the title, the filing numbers in the visible text and the inline scripts of a parsed page.
// Hidden elements (the hidden attribute, display:none, visibility:hidden), <noscript>, <template> and the
// contents of <head> other than the title are not visible text.
func Extract(doc *html.Node) Page {
	var x extractor
	x.walk(doc)
	text := x.text.String()
	p := Page{Title: x.title, TextLength: len(text)}
	for _, sp := range scanICP(text) {
		p.ICP = append(p.ICP, x.mention(sp, len(text)))
	}
	for _, sp := range scanPolice(text) {
		p.Police = append(p.Police, x.mention(sp, len(text)))
	}
	scripts := x.scripts.String()
	p.ScriptMentions = len(scanICP(scripts)) > 0 || len(scanPolice(scripts)) > 0
	return p
}

func (x *extractor) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		start := x.text.Len()
		x.text.WriteString(n.Data)
		x.segs = append(x.segs, segment{start, x.text.Len(), n})
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Title:
			if x.title == "" {
				x.title = strings.Join(strings.Fields(textOf(n)), " ")
			}
			return
		case atom.Script:
			x.scripts.WriteString(textOf(n))
			x.scripts.WriteByte('\n')
			return
		case atom.Style, atom.Template, atom.Noscript, atom.Head:
			if n.DataAtom == atom.Head {
				x.walkChildren(n) // the title lives here
			}
			return
		}
		if hidden(n) {
			return
		}
		if blockAtoms[n.DataAtom] {
			x.text.WriteByte('\n')
			defer x.text.WriteByte('\n')
		}
	}
	x.walkChildren(n)
}

func (x *extractor) walkChildren(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		x.walk(c)
	}
}

// mention describes a number found at sp in the visible text of n characters.
func (x *extractor) mention(sp span, n int) Mention {
	m := Mention{Raw: sp.raw, Number: sp.number}
	if n > 0 {
		m.Position = float64(sp.start) / float64(n)
	}
	first := sort.Search(len(x.segs), func(i int) bool { return x.segs[i].end > sp.start })
	for _, s := range x.segs[first:] {
		if s.start >= sp.end {
			break
		}
		m.InFooter = m.InFooter || inFooter(s.node)
		if a := ancestor(s.node, atom.A); a != nil && m.Href == "" {
			m.Href = strings.TrimSpace(attr(a, "href"))
		}
		m.Badge = m.Badge || besideImage(s.node)
	}
	return m
}

// textOf concatenates the text inside n.
func textOf(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return b.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hidden reports an element the browser does not show: the hidden attribute or an inline style that hides it.
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "hidden" {
			return true
		}
	}
	style := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", "")
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

func ancestor(n *html.Node, a atom.Atom) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == a {
			return p
		}
	}
	return nil
}

// footerWords are the id and class words sites give their footer.
var footerWords = []string{"footer", "foot", "bottom", "copyright", "beian", "icp"}

// inFooter reports whether n sits inside <footer> or an element whose id or class names a footer.
func inFooter(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if p.DataAtom == atom.Footer {
			return true
		}
		names := strings.ToLower(attr(p, "id") + " " + attr(p, "class"))
		for _, w := range footerWords {
			if strings.Contains(names, w) {
				return true
			}
		}
	}
	return false
}

// besideImage reports whether an <img> is in the link around n or in the element that holds the link (the
// platform's snippet puts the badge just before the link), looking at most two levels up from the text.
func besideImage(n *html.Node) bool {
	p := n.Parent
	for level := 0; p != nil && level < 2; level++ {
		if hasImage(p) {
			return true
		}
		if blockAtoms[p.DataAtom] {
			return false
		}
		p = p.Parent
	}
	return false
}

func hasImage(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Img || c.DataAtom == atom.Svg) || hasImage(c) {
			return true
		}
	}
	return false
}
