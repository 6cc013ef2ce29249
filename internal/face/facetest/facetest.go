// Package facetest makes the frame sequences of the liveness tests: a face photo placed in a 480×640 portrait
// frame on a white wall, and the same face with the eyes closed, the mouth open or the head turned, filmed
// with sensor noise and a little shake. It is shared by the tests of internal/face and the end-to-end tests;
// nothing outside tests imports it.
package facetest

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// Frame size: a phone's portrait 720p video frame (the kept photo needs a short side of 600 px).
const W, H = 720, 960

// Stage is a person in the frame and where their face and eyes are, in frame pixels.
type Stage struct {
	M    *image.RGBA
	Box  image.Rectangle
	Eyes [2]image.Point
}

// Photo reads a face photo of internal/face/testdata scaled by f and placed at (x, y) in the frame.
func Photo(tb testing.TB, name string, f float64, x, y int) *image.RGBA {
	tb.Helper()
	_, src, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(src), "..", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	m, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	w, h := int(float64(m.Bounds().Dx())*f), int(float64(m.Bounds().Dy())*f)
	out := image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.RGBA{245, 245, 245, 255}), image.Point{}, draw.Src)
	for yy := range h {
		for xx := range w {
			if p := image.Pt(x+xx, y+yy); p.In(out.Bounds()) {
				out.Set(p.X, p.Y, m.At(int(float64(xx)/f), int(float64(yy)/f)))
			}
		}
	}
	return out
}

// Standard is pigo's sample portrait ×1.8 at (72, 150), with the face box and pupils internal/face measures
// on it (its tests check that they still do).
func Standard(tb testing.TB) Stage {
	return Stage{M: Photo(tb, "pigo-sample.jpg", 1.8, 72, 150), Box: image.Rect(123, 277, 582, 736),
		Eyes: [2]image.Point{{277, 481}, {438, 478}}}
}

func (s Stage) size() float64 { return float64(s.Box.Dx()) }

// EyesClosed paints the eyes over with the skin just below them.
func (s Stage) EyesClosed() *image.RGBA {
	m := clone(s.M)
	half := int(0.09 * s.size())
	for _, c := range s.Eyes {
		skin := m.RGBAAt(c.X, c.Y+int(0.16*s.size()))
		draw.Draw(m, image.Rect(c.X-half, c.Y-half, c.X+half, c.Y+half), image.NewUniform(skin), image.Point{}, draw.Src)
	}
	return m
}

// MouthOpen draws the dark inside of an open mouth, 0.36 face widths under the eyes.
func (s Stage) MouthOpen() *image.RGBA {
	m := clone(s.M)
	l, r := s.Eyes[0], s.Eyes[1]
	c := image.Pt((l.X+r.X)/2, (l.Y+r.Y)/2+int(0.36*s.size()))
	a, b := 0.11*s.size(), 0.07*s.size()
	for y := c.Y - int(b); y <= c.Y+int(b); y++ {
		for x := c.X - int(a); x <= c.X+int(a); x++ {
			if dx, dy := float64(x-c.X)/a, float64(y-c.Y)/b; dx*dx+dy*dy <= 1 {
				m.SetRGBA(x, y, color.RGBA{50, 15, 20, 255})
			}
		}
	}
	return m
}

// Turned shifts the inside of the face sideways (dir +1: towards the right of the frame, the person's left)
// while its outline stays: what a head turn does to a frontal view.
func (s Stage) Turned(dir float64) *image.RGBA {
	m := clone(s.M)
	w := float64(s.Box.Dx())
	amp := 0.09 * w
	for y := s.Box.Min.Y; y < s.Box.Max.Y; y++ {
		for x := s.Box.Min.X; x < s.Box.Max.X; x++ {
			src := float64(x) - dir*amp*math.Sin(math.Pi*float64(x-s.Box.Min.X)/w)
			m.SetRGBA(x, y, s.M.RGBAAt(int(src), y))
		}
	}
	return m
}

func clone(m *image.RGBA) *image.RGBA {
	out := image.NewRGBA(m.Bounds())
	copy(out.Pix, m.Pix)
	return out
}

// Shot is one filmed frame: JPEG bytes and when it was taken after the first.
type Shot struct {
	Image []byte
	At    time.Duration
}

// Film turns pictures into the frames a camera would send, 200 ms apart: each with its own sensor noise
// (σ = 2.5, seeded, so no two are the same bytes) and a shake of a pixel.
func Film(tb testing.TB, seed uint64, pics ...*image.RGBA) []Shot {
	out := make([]Shot, len(pics))
	for i, p := range pics {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		dx := int(seed+uint64(i))%3 - 1
		m := image.NewRGBA(p.Bounds())
		for y := range H {
			for x := range W {
				c := p.RGBAAt(min(max(x-dx, 0), W-1), y)
				n := rng.NormFloat64() * 2.5
				m.SetRGBA(x, y, color.RGBA{noisy(c.R, n), noisy(c.G, n), noisy(c.B, n), 255})
			}
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
			tb.Fatal(err)
		}
		out[i] = Shot{Image: b.Bytes(), At: time.Duration(i) * 200 * time.Millisecond}
	}
	return out
}

func noisy(v uint8, n float64) uint8 { return uint8(min(max(float64(v)+n, 0), 255)) }

// Repeat is n times m.
func Repeat(m *image.RGBA, n int) []*image.RGBA {
	out := make([]*image.RGBA, n)
	for i := range out {
		out[i] = m
	}
	return out
}

// Seq joins runs of pictures.
func Seq(parts ...[]*image.RGBA) []*image.RGBA {
	var out []*image.RGBA
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
