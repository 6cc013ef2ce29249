// Package qrsvg renders QR codes as inline SVG: crisp at any size and zoom, no PNG round-trip, a few
// kilobytes of markup. It shows the phone-verification link on the PC (docs/design.md §4.3 step 6: a QR code valid
// 10 minutes, spent once scanned).
//
// Encoding is rsc.io/qr (byte, alphanumeric or numeric mode chosen by content; mask pattern fixed, which
// every scanner reads). The SVG draws the dark modules as one path, one sub-path per horizontal run, on a
// light background that includes the 4-module quiet zone the standard requires.
package qrsvg

import (
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"rsc.io/qr"

	"github.com/beian/beian/internal/problem"
)

// Level is the error-correction level. The zero value is Medium.
type Level int

const (
	Medium   Level = iota // 15 % of the code may be lost; the default, as for most screen codes
	Low                   // 7 %: smallest code, for long URLs on a clean screen
	Quartile              // 25 %
	High                  // 30 %: for print that may be folded or stained
)

func (l Level) qr() qr.Level {
	switch l {
	case Low:
		return qr.L
	case Quartile:
		return qr.Q
	case High:
		return qr.H
	}
	return qr.M
}

// QuietZone is the light margin around the code, in modules (ISO/IEC 18004 requires 4).
const QuietZone = 4

// DefaultModulePx is the size of a module in CSS pixels when Options.Size is 0: a 33-module code (a short
// URL) is 164 px wide with its quiet zone, easy for a phone camera at arm's length.
const DefaultModulePx = 4

// Options tune the rendering. The zero value is a black-on-white code at DefaultModulePx per module with the
// label "二维码".
type Options struct {
	// Label is the accessible name (aria-label and <title>). Say what the code is for ("用手机扫码进行人脸核验");
	// never put the encoded URL here, it may carry a one-time token.
	Label string
	Level Level
	// Size is the width and height attributes in CSS pixels; 0 means DefaultModulePx per module. The drawing
	// scales to it exactly (viewBox in modules), so CSS may size it too.
	Size int
	// Foreground and Background are CSS colours ("#000", "rgb(0,0,0)", "black"); empty means black and white.
	// Keep the contrast high and the foreground dark: inverted codes are not read by every scanner.
	Foreground, Background string
}

// SVG returns text encoded as a QR code in an inline <svg> element. Errors: the text does not fit in the
// largest QR code (qrsvg.encode, internal: the callers encode short URLs) or a colour that is not a plain CSS
// colour (internal).
func SVG(text string, opts Options) (string, error) {
	code, err := qr.Encode(text, opts.Level.qr())
	if err != nil {
		return "", problem.Wrap(err, "qrsvg.encode")
	}
	fg, bg := opts.Foreground, opts.Background
	if fg == "" {
		fg = "#000"
	}
	if bg == "" {
		bg = "#fff"
	}
	if !safeColour(fg) || !safeColour(bg) {
		return "", problem.Internalf("qrsvg: colour %q or %q is not a plain CSS colour", fg, bg)
	}
	label := opts.Label
	if label == "" {
		label = "二维码"
	}
	label = html.EscapeString(cleanLabel(label))
	n := code.Size + 2*QuietZone
	px := opts.Size
	if px <= 0 {
		px = n * DefaultModulePx
	}
	ns, ps := strconv.Itoa(n), strconv.Itoa(px)

	var b strings.Builder
	b.Grow(256 + code.Size*code.Size)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + ns + " " + ns + `" width="` + ps + `" height="` + ps +
		`" role="img" aria-label="` + label + `" shape-rendering="crispEdges"><title>` + label + `</title>`)
	b.WriteString(`<rect width="` + ns + `" height="` + ns + `" fill="` + bg + `"/><path fill="` + fg + `" d="`)
	for y := range code.Size {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < code.Size && code.Black(x+run, y) {
				run++
			}
			r := strconv.Itoa(run)
			b.WriteString("M" + strconv.Itoa(x+QuietZone) + " " + strconv.Itoa(y+QuietZone) + "h" + r + "v1h-" + r + "z")
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

// cleanLabel drops what XML 1.0 cannot carry even escaped: invalid UTF-8 and control characters.
func cleanLabel(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || r < 0x20 && r != '\t' && r != '\n' || r == 0x7F || r >= 0xFFFE && r <= 0xFFFF {
			return -1
		}
		return r
	}, s)
}

// safeColour admits hex, rgb()/hsl() and named colours: nothing that could close the attribute.
func safeColour(c string) bool {
	if len(c) == 0 || len(c) > 40 {
		return false
	}
	for _, r := range c {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("#(),.% ", r):
		default:
			return false
		}
	}
	return true
}
