package recapture

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/beian/beian/internal/imaging/imagetest"
	"github.com/beian/beian/internal/recognise/credtest"
)

// documents returns the rendered credentials, or skips (fails under CI) without the fonts.
func documents(t testing.TB) map[string]*image.RGBA {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	p, c := credtest.NewPerson(rng), credtest.NewCompany(rng)
	out := map[string]*image.RGBA{}
	for name, f := range map[string]func() (*image.RGBA, error){
		"id_front": func() (*image.RGBA, error) { return credtest.IDFront(p) },
		"id_back":  func() (*image.RGBA, error) { return credtest.IDBack(p) },
		"licence":  func() (*image.RGBA, error) { return credtest.Licence(c) },
	} {
		m, err := f()
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal(err)
			}
			t.Skip(err)
		}
		out[name] = m
	}
	return out
}

func facePhoto(t testing.TB) *image.RGBA {
	b, err := os.ReadFile("../face/testdata/pigo-sample.jpg")
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

// camera samples a scene into a w-pixel-wide photo: each photo pixel averages 3×3 samples of scene(u, v),
// where (u, v) runs over the scene turned by angle degrees and scaled to fill the frame. This is what makes
// moiré: the scene's fine pattern is sampled by a grid of another pitch.
func camera(sw, sh float64, w int, angle float64, scene func(u, v float64) (r, g, b float64)) *image.RGBA {
	h := int(float64(w) * sh / sw)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	s := sw / float64(w)
	sin, cos := math.Sincos(angle * math.Pi / 180)
	for y := range h {
		for x := range w {
			var r, g, b float64
			for j := range 3 {
				for i := range 3 {
					px, py := (float64(x)+(float64(i)+0.5)/3-float64(w)/2)*s, (float64(y)+(float64(j)+0.5)/3-float64(h)/2)*s
					u, v := cos*px-sin*py+sw/2, sin*px+cos*py+sh/2
					rr, gg, bb := scene(u, v)
					r, g, b = r+rr, g+gg, b+bb
				}
			}
			out.SetRGBA(x, y, color.RGBA{uint8(r / 9), uint8(g / 9), uint8(b / 9), 255})
		}
	}
	return out
}

// at returns the document's colour at (u, v) in its own pixels, the desk outside it.
func at(doc *image.RGBA, u, v float64) (r, g, b float64) {
	x, y := int(u), int(v)
	if x < 0 || y < 0 || x >= doc.Bounds().Dx() || y >= doc.Bounds().Dy() {
		return 110, 95, 80
	}
	c := doc.RGBAAt(x, y)
	return float64(c.R), float64(c.G), float64(c.B)
}

// onScreen is the document shown on a screen of pitch document pixels per screen pixel... each screen pixel
// three vertical subpixel stripes (red, green, blue) and a dark gap between rows, photographed at width w.
func onScreen(doc *image.RGBA, w int, angle float64) *image.RGBA {
	dw, dh := float64(doc.Bounds().Dx()), float64(doc.Bounds().Dy())
	const pitch = 1.0 // one document pixel per screen pixel
	return camera(dw, dh, w, angle, func(u, v float64) (float64, float64, float64) {
		r, g, b := at(doc, u, v)
		fu, fv := u/pitch-math.Floor(u/pitch), v/pitch-math.Floor(v/pitch)
		if fv > 0.8 {
			return 0, 0, 0
		}
		switch int(fu * 3) {
		case 0:
			return 3 * r, 0, 0
		case 1:
			return 0, 3 * g, 0
		}
		return 0, 0, 3 * b
	})
}

// printed is the document printed in halftone: black dots on a 45° screen of period cell document pixels,
// as large as the grey level is dark, photographed at width w.
func printed(doc *image.RGBA, w int, cell, angle float64) *image.RGBA {
	dw, dh := float64(doc.Bounds().Dx()), float64(doc.Bounds().Dy())
	sin, cos := math.Sincos(math.Pi / 4)
	return camera(dw, dh, w, angle, func(u, v float64) (float64, float64, float64) {
		r, g, b := at(doc, u, v)
		dark := 1 - (0.299*r+0.587*g+0.114*b)/255
		cu, cv := (cos*u-sin*v)/cell, (sin*u+cos*v)/cell
		du, dv := cu-math.Floor(cu)-0.5, cv-math.Floor(cv)-0.5
		if math.Hypot(du, dv) < math.Sqrt(dark/math.Pi) {
			return 20, 20, 20
		}
		return 245, 242, 235
	})
}

// decoded is m as a phone would store it (sensor noise of σ = 3 grey levels, JPEG) and Inspect would read it.
func decoded(t testing.TB, m *image.RGBA) *image.RGBA {
	img, _, err := imagingDecode(imagetest.JPEG(t, credtest.Dim(m, 1, 3, 11), 90))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// The threshold separates the generated genuine photos from the generated recaptures; a screen photographed
// exactly square to the sensor is a known miss (docs/verification.md), pinned here so that the docs change
// when the measure does.
func TestPeriodicityMeasured(t *testing.T) {
	const genuine, recaptured, knownMiss = "genuine", "recaptured", "known miss"
	type tc struct {
		want string
		m    *image.RGBA
	}
	cases := map[string]tc{"face": {genuine, facePhoto(t)}}
	for name, d := range documents(t) {
		for _, v := range credtest.Variants() {
			cases[name+"/"+v.Name] = tc{genuine, v.Make(d)}
		}
		w := d.Bounds().Dx()
		cases[name+"/tilted_photo"] = tc{genuine, camera(float64(w), float64(d.Bounds().Dy()), w*7/10, 4,
			func(u, v float64) (float64, float64, float64) { return at(d, u, v) })}
		cases[name+"/screen_1deg"] = tc{recaptured, onScreen(d, w*7/10, 1)}
		cases[name+"/screen_5deg"] = tc{recaptured, onScreen(d, w*6/10, 5)}
		cases[name+"/print"] = tc{recaptured, printed(d, w*8/10, 3.2, 1)}
		cases[name+"/print_coarse"] = tc{recaptured, printed(d, w*9/10, 5, 3)}
		cases[name+"/screen_square"] = tc{knownMiss, onScreen(d, w*6/10, 0)}
	}
	for name, c := range cases {
		p := Periodicity(decoded(t, c.m))
		t.Logf("%-11s %-26s %8.1f", c.want, name, p)
		if over := p > MoireThreshold; over != (c.want == recaptured) {
			t.Errorf("%s (%s): periodicity %.1f, threshold %d", name, c.want, p, MoireThreshold)
		}
	}
}

// bezel puts m inside a black screen frame of px pixels, on a desk.
func bezel(m *image.RGBA, px int, desk color.RGBA) *image.RGBA {
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	out := image.NewRGBA(image.Rect(0, 0, w+2*px+60, h+2*px+60))
	draw.Draw(out, out.Bounds(), image.NewUniform(desk), image.Point{}, draw.Src)
	draw.Draw(out, image.Rect(30, 30, w+2*px+30, h+2*px+30), image.NewUniform(color.RGBA{12, 12, 14, 255}), image.Point{}, draw.Src)
	draw.Draw(out, m.Bounds().Add(image.Pt(30+px, 30+px)), m, image.Point{}, draw.Src)
	return out
}

func TestBorder(t *testing.T) {
	docs := documents(t)
	d := docs["id_front"]
	black := color.RGBA{15, 15, 15, 255}
	for _, tt := range []struct {
		name string
		m    *image.RGBA
		want bool
	}{
		{"document alone", d, false},
		{"document on a brown desk", credtest.Margin(d, 0.15, color.RGBA{120, 100, 80, 255}), false},
		{"document on a black desk (a known false sign)", credtest.Margin(d, 0.08, black), true},
		{"screen bezel on a desk", bezel(d, 50, color.RGBA{200, 190, 170, 255}), true},
		{"screen filling the photo", bezel(d, 40, black), true},
		{"face on white", facePhoto(t), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Border(decoded(t, tt.m)); got != tt.want {
				t.Errorf("Border = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEditor(t *testing.T) {
	for sw, want := range map[string]bool{"Adobe Photoshop 25.0 (Windows)": true, "Snapseed 2.0": true,
		"MTXX 美图秀秀": true, "GIMP 2.10.36": true, "HDR+ 1.0.540104767zd": false, "17.2.1": false,
		"MediaTek Camera Application": false, "": false} {
		if got := Editor(sw) != ""; got != want {
			t.Errorf("Editor(%q) = %v, want %v", sw, got, want)
		}
	}
}

// withSoftware adds an APP1 Exif segment holding only the Software tag after the JPEG's SOI.
func withSoftware(j []byte, sw string) []byte {
	val := append([]byte(sw), 0)
	tiff := []byte("II*\x00\x08\x00\x00\x00\x01\x00") // header, IFD0 at 8 with 1 entry
	entry := make([]byte, 12)
	binary.LittleEndian.PutUint16(entry, 0x0131)
	binary.LittleEndian.PutUint16(entry[2:], 2)
	binary.LittleEndian.PutUint32(entry[4:], uint32(len(val)))
	binary.LittleEndian.PutUint32(entry[8:], 8+2+12+4)
	tiff = append(append(append(tiff, entry...), 0, 0, 0, 0), val...)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	return append(append(append([]byte{}, j[:2]...), append(seg, payload...)...), j[2:]...)
}

// Inspect combines the signs: a genuine photo shows none, an edited one its editor, a screen its moiré and
// border.
func TestInspect(t *testing.T) {
	d := documents(t)["id_front"]
	noisy := credtest.Dim(d, 1, 3, 5)
	for _, tt := range []struct {
		name string
		file []byte
		want []string
	}{
		{"genuine", imagetest.JPEG(t, noisy, 90), []string{}},
		{"edited", withSoftware(imagetest.JPEG(t, noisy, 90), "Adobe Photoshop 25.0"), []string{"recapture.edited"}},
		{"screen", imagetest.JPEG(t, credtest.Dim(bezel(onScreen(d, 800, 2), 40, color.RGBA{15, 15, 15, 255}), 1, 3, 5), 90),
			[]string{"recapture.moire", "recapture.screen_border"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Inspect(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.Findings, tt.want) || s.Found() != (len(tt.want) > 0) {
				t.Errorf("findings %v (periodicity %.0f), want %v", s.Findings, s.Periodicity, tt.want)
			}
		})
	}
	if _, err := Inspect([]byte("not an image")); err == nil {
		t.Error("Inspect accepted text")
	}
}
