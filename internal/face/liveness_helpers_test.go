package face

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"
	"time"

	"github.com/beian/beian/internal/recognise/credtest"
)

// stage is a person in front of a white wall, 480×640 like a phone's portrait video frame, and where their
// eyes and mouth are (measured once on the neutral frame).
type stage struct {
	m     *image.RGBA
	o     observation
	scale float64 // work pixels (livenessSide) per stage pixel
}

func newStage(t testing.TB, photo string) stage {
	t.Helper()
	return stageAt(t, photo, 1.2, 48, 100)
}

func stageAt(t testing.TB, photo string, f float64, x, y int) stage {
	t.Helper()
	src := loadJPEG(t, "testdata/"+photo)
	m := canvas(scaled(src, f), 480, 640, x, y)
	o, err := observe(encJPEG(t, m))
	if err != nil || o.faces != 1 {
		t.Fatalf("%s: %d faces, %v", photo, o.faces, err)
	}
	return stage{m: m, o: o, scale: float64(livenessSide) / 640}
}

// lookalike places the other test photo so that its face has the same size and place as s's: a swap that
// only the face itself can give away.
func lookalike(t testing.TB, s stage) stage {
	probe := stageAt(t, "collins.jpg", 1.2, 48, 100)
	k := float64(s.o.box.Dx()) / float64(probe.o.box.Dx())
	// the face's place in the scaled photo grows with the scale
	fx, fy := float64(probe.o.box.Min.X-48)*k, float64(probe.o.box.Min.Y-100)*k
	return stageAt(t, "collins.jpg", 1.2*k, s.o.box.Min.X-int(fx), s.o.box.Min.Y-int(fy))
}

// pt converts a work-pixel point of the observation to stage pixels.
func (s stage) pt(p image.Point) image.Point {
	return image.Pt(int(float64(p.X)/s.scale), int(float64(p.Y)/s.scale))
}

func (s stage) size() float64 { return float64(s.o.box.Dx()) / s.scale }

// eyesClosed paints the eyes over with the skin just below them.
func (s stage) eyesClosed() *image.RGBA {
	m := clone(s.m)
	half := int(0.09 * s.size())
	for _, e := range s.o.eyes {
		c := s.pt(e)
		skin := m.RGBAAt(c.X, c.Y+int(0.16*s.size()))
		draw.Draw(m, image.Rect(c.X-half, c.Y-half, c.X+half, c.Y+half), image.NewUniform(skin), image.Point{}, draw.Src)
	}
	return m
}

// mouthOpen draws the dark inside of an open mouth.
func (s stage) mouthOpen() *image.RGBA {
	m := clone(s.m)
	l, r := s.pt(s.o.eyes[0]), s.pt(s.o.eyes[1])
	c := image.Pt((l.X+r.X)/2, (l.Y+r.Y)/2+int(mouthDrop*s.size()))
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

// turned shifts the inside of the face sideways (dir +1: towards the right of the frame, the person's left)
// while its outline stays: what a head turn does to a frontal view.
func (s stage) turned(dir float64) *image.RGBA {
	m := clone(s.m)
	box := image.Rect(int(float64(s.o.box.Min.X)/s.scale), int(float64(s.o.box.Min.Y)/s.scale),
		int(float64(s.o.box.Max.X)/s.scale), int(float64(s.o.box.Max.Y)/s.scale))
	w := float64(box.Dx())
	amp := 0.09 * w
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			src := float64(x) - dir*amp*math.Sin(math.Pi*float64(x-box.Min.X)/w)
			m.SetRGBA(x, y, s.m.RGBAAt(int(src), y))
		}
	}
	return m
}

func clone(m *image.RGBA) *image.RGBA {
	out := image.NewRGBA(m.Bounds())
	copy(out.Pix, m.Pix)
	return out
}

// film turns pictures into frames a camera would send: each with its own sensor noise (so no two are the
// same bytes) and a small shake, 200 ms apart.
func film(t testing.TB, seed uint64, pics ...*image.RGBA) []Frame {
	out := make([]Frame, len(pics))
	for i, p := range pics {
		shaken := canvas(p, p.Bounds().Dx(), p.Bounds().Dy(), int(seed+uint64(i))%3-1, 0)
		out[i] = Frame{Image: encJPEG(t, credtest.Dim(shaken, 1, 2.5, seed*100+uint64(i))), At: time.Duration(i) * 200 * time.Millisecond}
	}
	return out
}

func repeat(m *image.RGBA, n int) []*image.RGBA {
	out := make([]*image.RGBA, n)
	for i := range out {
		out[i] = m
	}
	return out
}

func seq(parts ...[]*image.RGBA) []*image.RGBA {
	var out []*image.RGBA
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
