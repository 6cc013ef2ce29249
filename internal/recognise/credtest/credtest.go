// Package credtest renders synthetic credential images for the recognition tests and benchmarks: a resident
// ID card (front and back) and a business licence, laid out as the real documents are, with numbers that pass
// their checksums, and the ways phone photos go wrong (rotated, blurred, dim and noisy).
//
// It needs the Noto CJK fonts of the Debian package fonts-noto-cjk (FontPath); without them Font returns an
// error and the tests that need it fail or skip, as the caller decides. It is test support, not product code:
// nothing outside tests imports it.
package credtest

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// FontPath is where Debian's fonts-noto-cjk installs the sans-serif collection.
const FontPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

var (
	fontOnce sync.Once
	cjk      *sfnt.Font
	fontErr  error
)

// Font returns Noto Sans CJK SC from FontPath.
func Font() (*sfnt.Font, error) {
	fontOnce.Do(func() { cjk, fontErr = loadSC(FontPath) })
	return cjk, fontErr
}

func loadSC(path string) (*sfnt.Font, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("credtest: %w (install fonts-noto-cjk)", err)
	}
	c, err := opentype.ParseCollection(b)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	for i := range c.NumFonts() {
		f, err := c.Font(i)
		if err != nil {
			return nil, err
		}
		if name, _ := f.Name(&buf, sfnt.NameIDFamily); name == "Noto Sans CJK SC" {
			return f, nil
		}
	}
	return nil, errors.New("credtest: no Noto Sans CJK SC in " + path)
}

// canvas draws text on an image.
type canvas struct {
	m     *image.RGBA
	font  *sfnt.Font
	faces map[float64]font.Face
}

func newCanvas(w, h int, bg color.Color) (*canvas, error) {
	f, err := Font()
	if err != nil {
		return nil, err
	}
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(m, m.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	return &canvas{m: m, font: f, faces: map[float64]font.Face{}}, nil
}

func (c *canvas) face(size float64) font.Face {
	if f, ok := c.faces[size]; ok {
		return f
	}
	f, err := opentype.NewFace(c.font, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic(err) // a valid parsed font and a positive size cannot fail
	}
	c.faces[size] = f
	return f
}

// text draws s with its baseline at (x, y), letter-spaced by track pixels, and returns the x after it.
func (c *canvas) text(s string, x, y int, size float64, col color.Color, track int) int {
	d := font.Drawer{Dst: c.m, Src: image.NewUniform(col), Face: c.face(size), Dot: fixed.P(x, y)}
	for _, r := range s {
		d.DrawString(string(r))
		d.Dot.X += fixed.I(track)
	}
	return d.Dot.X.Round()
}

// rect fills r with col.
func (c *canvas) rect(r image.Rectangle, col color.Color) {
	draw.Draw(c.m, r, image.NewUniform(col), image.Point{}, draw.Src)
}

// wrap cuts s into lines of at most n runes.
func wrap(s string, n int) []string {
	r := []rune(s)
	var out []string
	for len(r) > n {
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	return append(out, string(r))
}

// spaced puts a full-width gap between the two characters of a label, as cards print 姓  名.
func spaced(label string, gap int) string {
	if len([]rune(label)) != 2 {
		return label
	}
	r := []rune(label)
	return string(r[0]) + strings.Repeat(" ", gap) + string(r[1])
}
