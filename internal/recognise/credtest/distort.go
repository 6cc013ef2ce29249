package credtest

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/beian/beian/internal/imaging/imagetest"
)

// Variant is one way a phone photo of a document differs from the document.
type Variant struct {
	Name string
	Make func(*image.RGBA) *image.RGBA
}

// Variants are the conditions the accuracy benchmark reports on: as rendered, tilted by hand, held sideways,
// out of focus, in dim light with sensor noise, and photographed on a desk with a margin around the document.
func Variants() []Variant {
	desk := color.RGBA{120, 100, 80, 255}
	return []Variant{
		{"clean", func(m *image.RGBA) *image.RGBA { return m }},
		{"rotated_4deg", func(m *image.RGBA) *image.RGBA { return Rotate(m, 4, desk) }},
		{"rotated_90deg", func(m *image.RGBA) *image.RGBA { return Rotate(m, 90, desk) }},
		{"blurred", func(m *image.RGBA) *image.RGBA { return imagetest.Blur(m, 1) }},
		{"low_light", func(m *image.RGBA) *image.RGBA { return Dim(m, 0.35, 10, 7) }},
		{"on_desk", func(m *image.RGBA) *image.RGBA { return Margin(m, 0.15, desk) }},
	}
}

// Rotate turns m by deg degrees anticlockwise about its centre (bilinear), on a canvas large enough to hold
// all of it; uncovered pixels are bg.
func Rotate(m *image.RGBA, deg float64, bg color.RGBA) *image.RGBA {
	a := deg * math.Pi / 180
	sin, cos := math.Sin(a), math.Cos(a)
	w, h := float64(m.Bounds().Dx()), float64(m.Bounds().Dy())
	nw := int(math.Ceil(math.Abs(w*cos) + math.Abs(h*sin)))
	nh := int(math.Ceil(math.Abs(w*sin) + math.Abs(h*cos)))
	out := image.NewRGBA(image.Rect(0, 0, nw, nh))
	cx, cy, ncx, ncy := w/2, h/2, float64(nw)/2, float64(nh)/2
	for y := range nh {
		for x := range nw {
			dx, dy := float64(x)+0.5-ncx, float64(y)+0.5-ncy
			sx, sy := cos*dx-sin*dy+cx-0.5, sin*dx+cos*dy+cy-0.5
			out.SetRGBA(x, y, bilinear(m, sx, sy, bg))
		}
	}
	return out
}

func bilinear(m *image.RGBA, x, y float64, bg color.RGBA) color.RGBA {
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	if x < -0.5 || y < -0.5 || x > float64(w)-0.5 || y > float64(h)-0.5 {
		return bg
	}
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(x, y int) color.RGBA { return m.RGBAAt(min(max(x, 0), w-1), min(max(y, 0), h-1)) }
	p00, p10, p01, p11 := at(x0, y0), at(x0+1, y0), at(x0, y0+1), at(x0+1, y0+1)
	mix := func(a, b, c, d uint8) uint8 {
		top := float64(a)*(1-fx) + float64(b)*fx
		bot := float64(c)*(1-fx) + float64(d)*fx
		return uint8(math.Round(top*(1-fy) + bot*fy))
	}
	return color.RGBA{mix(p00.R, p10.R, p01.R, p11.R), mix(p00.G, p10.G, p01.G, p11.G), mix(p00.B, p10.B, p01.B, p11.B), 255}
}

// Dim scales the light by f and adds Gaussian sensor noise of standard deviation sigma (seeded).
func Dim(m *image.RGBA, f, sigma float64, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := image.NewRGBA(m.Bounds())
	for i, v := range m.Pix {
		if i%4 == 3 {
			out.Pix[i] = 255
			continue
		}
		out.Pix[i] = uint8(min(max(float64(v)*f+rng.NormFloat64()*sigma, 0), 255))
	}
	return out
}

// Margin places m on a bg canvas with frac of its size free on every side.
func Margin(m *image.RGBA, frac float64, bg color.RGBA) *image.RGBA {
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	dx, dy := int(float64(w)*frac), int(float64(h)*frac)
	out := image.NewRGBA(image.Rect(0, 0, w+2*dx, h+2*dy))
	for i := 0; i < len(out.Pix); i += 4 {
		out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = bg.R, bg.G, bg.B, 255
	}
	for y := range h {
		copy(out.Pix[out.PixOffset(dx, dy+y):], m.Pix[m.PixOffset(0, y):m.PixOffset(w, y)])
	}
	return out
}
