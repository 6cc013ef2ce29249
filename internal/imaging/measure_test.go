package imaging

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"

	"github.com/beian/beian/internal/imaging/imagetest"
)

// The clarity thresholds against synthetic pages: in focus, slightly soft (still readable: accepted) and
// blurred past readability (refused).
func TestClarityCalibration(t *testing.T) {
	doc := document(1024, 724, 1)
	cases := []struct {
		name  string
		img   image.Image
		code  string
		sharp func(float64) bool
	}{
		{"sharp page", doc, "", func(s float64) bool { return s > 50*MinSharpness }},
		{"soft page σ1.4", blur(doc, 1), "", func(s float64) bool { return s > 10*MinSharpness }},
		{"soft page σ2.4", blur(doc, 2), "", nil},
		{"blurred page σ3.5", blur(doc, 3), "imaging.blurred", func(s float64) bool { return s < MinSharpness }},
		{"blurred page σ4.5", blur(doc, 4), "imaging.blurred", nil},
		{"dark page", darken(doc, 0.15), "imaging.too_dark", nil},
		{"black", image.NewGray(image.Rect(0, 0, 100, 100)), "imaging.too_dark", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Sharpness(c.img)
			t.Logf("sharpness %.1f, mean luma %.1f", s, MeanLuma(c.img))
			if c.sharp != nil && !c.sharp(s) {
				t.Errorf("sharpness %.1f outside the expected band", s)
			}
			if got := code(CheckClarity(c.img)); got != c.code {
				t.Errorf("CheckClarity = %q, want %q", got, c.code)
			}
		})
	}
	// Images beyond the pixel limit (here: unbounded) are not measured.
	if s, l := Sharpness(image.NewUniform(color.White)), MeanLuma(image.NewUniform(color.White)); s != 0 || l != 0 {
		t.Errorf("unbounded image: %v %v", s, l)
	}
	// A large photo of a page (as from a phone) is measured at MeasureSide, so a few pixels of blur at full
	// resolution do not count while blur that survives the reduction does.
	big := document(1800, 1300, 2)
	if err := CheckClarity(blur(big, 2)); err != nil {
		t.Errorf("large page, σ2.4 at full size: %v", err)
	}
	if got := code(CheckClarity(blur(big, 8))); got != "imaging.blurred" {
		t.Errorf("large page, σ8.5 at full size: %q", got)
	}
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

func TestLaplacianVariance(t *testing.T) {
	flat := make([]uint8, 100)
	for i := range flat {
		flat[i] = 200
	}
	if v := LaplacianVariance(flat, 10, 10); v != 0 {
		t.Errorf("flat: %v", v)
	}
	if v := LaplacianVariance(flat[:4], 2, 2); v != 0 {
		t.Errorf("no interior: %v", v)
	}
	checker := make([]uint8, 100)
	for i := range checker {
		if (i%10+i/10)%2 == 0 {
			checker[i] = 255
		}
	}
	if v := LaplacianVariance(checker, 10, 10); v < 100000 {
		t.Errorf("checkerboard: %v", v)
	}
	if m := Mean([]uint8{0, 255}); m != 127.5 {
		t.Errorf("Mean = %v", m)
	}
	if m := Mean(nil); m != 0 {
		t.Errorf("Mean(nil) = %v", m)
	}
}

func BenchmarkSharpness12MP(b *testing.B) {
	m := photo(4000, 3000, 1)
	b.ResetTimer()
	for b.Loop() {
		Sharpness(m)
	}
}

// CheckClear measures a JPEG on its own luma plane, without the RGBA conversion of Decode: the measures and the
// verdicts must be those of the slower path, at the size measured and for a large photo scaled down.
func TestCheckClearMatchesDecode(t *testing.T) {
	doc, big := document(1024, 724, 1), document(1800, 1300, 2)
	cases := []struct {
		name string
		img  *image.RGBA
		code string
	}{
		{"sharp page", doc, ""},
		{"soft page σ2.4", blur(doc, 2), ""},
		{"blurred page σ3.5", blur(doc, 3), "imaging.blurred"},
		{"dark page", darken(doc, 0.15), "imaging.too_dark"},
		{"large page σ2.4", blur(big, 2), ""},
		{"large page σ8.5", blur(big, 8), "imaging.blurred"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := imagetest.JPEG(t, c.img, 90)
			_, err := CheckClear(b, Photo)
			if got := code(err); got != c.code {
				t.Errorf("CheckClear = %q, want %q", got, c.code)
			}
			rgba, _, err := Decode(b, Photo, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := code(CheckClarity(rgba)); got != c.code {
				t.Errorf("CheckClarity(Decode) = %q, want %q", got, c.code)
			}
			ycc, err := jpeg.Decode(bytes.NewReader(b))
			if _, ok := ycc.(*image.YCbCr); err != nil || !ok {
				t.Fatalf("decoded %T %v", ycc, err)
			}
			fast, slow := Sharpness(ycc), Sharpness(rgba)
			if fast < 0.97*slow || fast > 1.03*slow || math.Abs(MeanLuma(ycc)-MeanLuma(rgba)) > 1 {
				t.Errorf("luma plane: sharpness %.2f, mean %.2f; RGBA: %.2f, %.2f", fast, MeanLuma(ycc), slow, MeanLuma(rgba))
			}
		})
	}
	if _, err := CheckClear(make([]byte, PoliceImage.MaxBytes+1), PoliceImage); code(err) != "imaging.too_large" {
		t.Errorf("oversized: %v", err)
	}
}
