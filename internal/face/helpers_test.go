package face

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"os"
	"testing"

	"github.com/beian/beian/internal/imaging/imagetest"
)

// sample is pigo's test portrait (testdata/pigo-sample.jpg, MIT, see testdata/README.md): one face in front
// of an almost white background, 320×400.
func sample(t testing.TB) *image.RGBA {
	t.Helper()
	return loadJPEG(t, "testdata/pigo-sample.jpg")
}

// loadJPEG reads a JPEG test photo as RGBA.
func loadJPEG(t testing.TB, path string) *image.RGBA {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out := image.NewRGBA(m.Bounds())
	draw.Draw(out, out.Bounds(), m, image.Point{}, draw.Src)
	return out
}

// onBackground returns the sample with its background replaced by c.
func onBackground(t testing.TB, c color.RGBA) *image.RGBA {
	m := sample(t)
	mask := imagetest.BackgroundMask(m)
	w := m.Bounds().Dx()
	for i, bg := range mask {
		if bg {
			m.SetRGBA(i%w, i/w, c)
		}
	}
	return m
}

// upperBody composes a curtain-style photo: a 900×1200 frame of background colour bg, a torso in shirt
// colour, and the sample's head (without its background) on top, about a quarter of the frame wide.
func upperBody(t testing.TB, bg, shirt color.RGBA) *image.RGBA {
	head := sample(t)
	mask := imagetest.BackgroundMask(head)
	m := image.NewRGBA(image.Rect(0, 0, 900, 1200))
	draw.Draw(m, m.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	// shoulders and chest
	draw.Draw(m, image.Rect(180, 510, 720, 1200), image.NewUniform(shirt), image.Point{}, draw.Src)
	ox, oy := 290, 180
	w := head.Bounds().Dx()
	for i, isBg := range mask {
		x, y := i%w, i/w
		if !isBg && y < 340 { // the head and neck, not the sample's own shirt
			m.SetRGBA(ox+x, oy+y, head.RGBAAt(x, y))
		}
	}
	return m
}

func side(t testing.TB, a, b image.Image) *image.RGBA {
	ra, rb := a.Bounds(), b.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, ra.Dx()+rb.Dx(), max(ra.Dy(), rb.Dy())))
	draw.Draw(m, m.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(m, ra.Sub(ra.Min), a, ra.Min, draw.Src)
	draw.Draw(m, rb.Sub(rb.Min).Add(image.Pt(ra.Dx(), 0)), b, rb.Min, draw.Src)
	return m
}

// canvas places src at (x, y) on a white w×h frame.
func canvas(src image.Image, w, h, x, y int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(m, m.Bounds(), image.NewUniform(color.RGBA{245, 245, 245, 255}), image.Point{}, draw.Src)
	draw.Draw(m, src.Bounds().Sub(src.Bounds().Min).Add(image.Pt(x, y)), src, src.Bounds().Min, draw.Src)
	return m
}

func scaled(src *image.RGBA, f float64) *image.RGBA {
	w, h := int(float64(src.Bounds().Dx())*f), int(float64(src.Bounds().Dy())*f)
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetRGBA(x, y, src.RGBAAt(int(float64(x)/f), int(float64(y)/f)))
		}
	}
	return m
}

func darken(src *image.RGBA, f float64) *image.RGBA {
	out := image.NewRGBA(src.Bounds())
	for i, v := range src.Pix {
		if i%4 == 3 {
			out.Pix[i] = v
		} else {
			out.Pix[i] = uint8(float64(v) * f)
		}
	}
	return out
}

func blur(src *image.RGBA, r int) *image.RGBA { return imagetest.Blur(src, r) }

func encJPEG(t testing.TB, m image.Image) []byte { return imagetest.JPEG(t, m, 90) }

func encPNG(t testing.TB, m image.Image) []byte { return imagetest.PNG(t, m) }
