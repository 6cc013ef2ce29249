package face

import (
	"image"
	"image/color"
	"image/draw"
	"slices"
	"testing"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
)

var (
	blue     = color.RGBA{30, 90, 200, 255}   // a provider's blue curtain
	darkGrey = color.RGBA{90, 90, 90, 255}    // a dark wall
	cream    = color.RGBA{225, 200, 150, 255} // a beige wall: not white
	grey     = color.RGBA{120, 120, 120, 255} // a grey jumper
	red      = color.RGBA{200, 30, 40, 255}
	navy     = color.RGBA{20, 50, 160, 255}
)

func codes(r Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Code)
	}
	return out
}

func TestCheck(t *testing.T) {
	s := sample(t)
	white := image.NewRGBA(image.Rect(0, 0, 400, 500))
	draw.Draw(white, white.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	cases := []struct {
		name  string
		img   image.Image
		png   bool
		mode  Mode
		faces int
		want  []string // finding codes, in order
	}{
		{"pigo sample on white", s, false, WhiteBackground, 1, nil},
		{"default mode is white background", s, false, "", 1, nil},
		{"png upload", s, true, WhiteBackground, 1, nil},
		{"blank white", white, false, WhiteBackground, 0, []string{"face.no_face"}},
		{"black", image.NewGray(image.Rect(0, 0, 400, 400)), true, WhiteBackground, 0, []string{"face.too_dark", "face.no_face"}},
		{"two faces", side(t, s, s), false, WhiteBackground, 2, []string{"face.multiple_faces"}},
		{"darkened", darken(s, 0.25), false, WhiteBackground, 1, []string{"face.too_dark", "face.background_not_white"}},
		{"soft σ2.4 is accepted", blur(s, 2), false, WhiteBackground, 1, nil},
		{"blurred σ4.5", blur(s, 4), false, WhiteBackground, 1, []string{"face.blurred"}},
		{"dark grey background", onBackground(t, darkGrey), false, WhiteBackground, 1, []string{"face.background_not_white"}},
		{"beige background", onBackground(t, cream), false, WhiteBackground, 1, []string{"face.background_not_white"}},
		{"blue background", onBackground(t, blue), false, WhiteBackground, 1, []string{"face.background_not_white"}},
		{"face too small", canvas(s, 2400, 1800, 1000, 700), false, WhiteBackground, 1, []string{"face.too_small"}},
		{"face at the left edge", canvas(s, 1000, 700, 20, 150), false, WhiteBackground, 1, []string{"face.off_centre"}},
		{"head cut by the top edge", canvas(s, 500, 700, 90, -60), false, WhiteBackground, 1, []string{"face.not_whole"}},
		{"curtain photo", upperBody(t, blue, grey), false, Curtain, 1, nil},
		{"curtain photo, red clothes", upperBody(t, blue, red), false, Curtain, 1, []string{"face.clothes_red"}},
		{"curtain photo, blue clothes", upperBody(t, blue, navy), false, Curtain, 1, []string{"face.clothes_blue"}},
		{"curtain photo on a white wall", upperBody(t, color.RGBA{240, 240, 240, 255}, grey), false, Curtain, 1, []string{"face.background_not_blue"}},
		{"curtain photo as a head shot", onBackground(t, blue), false, Curtain, 1, []string{"face.not_upper_body", "face.clothes_blue"}},
		{"white-background check of a curtain photo", upperBody(t, blue, grey), false, WhiteBackground, 1, []string{"face.background_not_white"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var b []byte
			if c.png {
				b = encPNG(t, c.img)
			} else {
				b = encJPEG(t, c.img)
			}
			r, err := Check(b, c.mode)
			if err != nil {
				t.Fatal(err)
			}
			if r.Faces != c.faces {
				t.Errorf("faces = %d, want %d", r.Faces, c.faces)
			}
			if got := codes(r); !slices.Equal(got, c.want) {
				t.Errorf("findings = %v, want %v", got, c.want)
			}
			if r.OK != (len(c.want) == 0) {
				t.Errorf("OK = %v", r.OK)
			}
			if c.faces > 0 && (r.FaceBox.Empty() || r.Score < MinScore) {
				t.Errorf("box %v score %v", r.FaceBox, r.Score)
			}
			if c.faces > 0 && !r.FaceBox.In(c.img.Bounds()) {
				t.Errorf("box %v outside %v", r.FaceBox, c.img.Bounds())
			}
		})
	}
}

// The face box is reported in the coordinates of the photo as uploaded, not of the work image.
func TestCheckFaceBoxInPhotoCoordinates(t *testing.T) {
	s := sample(t)
	big := scaled(s, 3) // 960×1200, scaled to 640×800 for detection
	r, err := Check(encJPEG(t, big), WhiteBackground)
	if err != nil || !r.OK {
		t.Fatalf("%+v %v", r, err)
	}
	c := image.Pt((r.FaceBox.Min.X+r.FaceBox.Max.X)/2, (r.FaceBox.Min.Y+r.FaceBox.Max.Y)/2)
	// pigo finds the sample's face centred at about (156, 203), so (468, 609) here.
	if c.X < 440 || c.X > 500 || c.Y < 570 || c.Y > 650 || r.FaceBox.Dx() < 600 {
		t.Errorf("face box %v centre %v", r.FaceBox, c)
	}
}

func TestCheckRefusesBadFiles(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		code string
	}{
		{"pdf", []byte("%PDF-1.4\n%%EOF\n"), "imaging.unsupported_type"},
		{"garbage", []byte("not an image"), "imaging.unsupported_type"},
		{"too small", encJPEG(t, image.NewGray(image.Rect(0, 0, 200, 200))), "imaging.too_small"},
		{"truncated", encJPEG(t, sample(t))[:4000], "imaging.corrupt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Check(c.in, WhiteBackground)
			if !problem.Is(err, c.code) {
				t.Fatalf("err = %v, want %s", err, c.code)
			}
		})
	}
	if _, err := Check(encJPEG(t, sample(t)), "selfie"); problem.KindOf(err) != problem.Internal {
		t.Errorf("unknown mode: %v", err)
	}
}

// Every finding Check can report has a message in every language, and Report.Err carries them.
func TestFindingsHaveMessages(t *testing.T) {
	all := []string{"face.no_face", "face.multiple_faces", "face.too_small", "face.not_upper_body", "face.off_centre",
		"face.not_whole", "face.too_dark", "face.too_bright", "face.blurred", "face.too_close",
		"face.background_not_white", "face.background_not_blue", "face.clothes_red", "face.clothes_blue",
		"face.verifier_unavailable"}
	for _, k := range all {
		if !i18n.Has(k) {
			t.Errorf("no message for %s", k)
		}
	}
	r := Report{Findings: []Finding{{Code: "face.multiple_faces", Params: map[string]string{"count": "2"}}}}
	l := problem.As(r.Err("face_photo"))
	if len(l) != 1 || l[0].Field != "face_photo" || l[0].Params["count"] != "2" || l[0].Kind != problem.Invalid {
		t.Fatalf("Err = %v", l)
	}
	if msg := i18n.T(i18n.ZhCN, l[0].Code, l[0].Params); msg == l[0].Code || !containsRune(msg, '2') {
		t.Errorf("message %q", msg)
	}
	if (Report{OK: true}).Err("x") != nil {
		t.Error("OK report has an error")
	}
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

func TestColourClasses(t *testing.T) {
	cases := []struct {
		c                  rgb
		white, isblue, red bool
	}{
		{rgb{250, 250, 250}, true, false, false},
		{rgb{200, 195, 185}, true, false, false}, // white wall under warm light
		{rgb{90, 90, 90}, false, false, false},
		{rgb{225, 200, 150}, false, false, false}, // beige
		{rgb{30, 90, 200}, false, true, false},
		{rgb{70, 140, 220}, false, true, false}, // light curtain blue
		{rgb{20, 20, 60}, false, false, false},  // nearly black
		{rgb{200, 30, 40}, false, false, true},
		{rgb{210, 60, 20}, false, false, true},    // orange-red
		{rgb{205, 150, 125}, false, false, false}, // skin
		{rgb{190, 120, 100}, false, false, false}, // ruddy skin
		{rgb{150, 20, 60}, false, false, true},    // crimson
	}
	for _, c := range cases {
		if isWhite(c.c) != c.white || isBlue(c.c) != c.isblue || isRed(c.c) != c.red {
			t.Errorf("%v: white %v blue %v red %v", c.c, isWhite(c.c), isBlue(c.c), isRed(c.c))
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add(encJPEG(f, sample(f)))
	f.Add(encPNG(f, image.NewGray(image.Rect(0, 0, 300, 300))))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Check(b, WhiteBackground)
		if err == nil && r.OK != (len(r.Findings) == 0) {
			t.Fatalf("OK %v with %v", r.OK, r.Findings)
		}
	})
}

func BenchmarkCheckPhone12MP(b *testing.B) {
	photo := encJPEG(b, canvas(scaled(sample(b), 6), 4000, 3000, 1040, 100))
	b.SetBytes(int64(len(photo)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Check(photo, WhiteBackground); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDetect800(b *testing.B) {
	det, err := detector()
	if err != nil {
		b.Fatal(err)
	}
	m := canvas(sample(b), 800, 600, 240, 100)
	g := luma(m)
	b.ResetTimer()
	for b.Loop() {
		detect(det, g, 800, 600)
	}
}
