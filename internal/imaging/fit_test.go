package imaging

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"slices"
	"testing"
)

// segments lists the marker bytes of a JPEG's segments up to SOS.
func segments(t *testing.T, j []byte) []byte {
	t.Helper()
	var ms []byte
	for i := 2; i+4 <= len(j); {
		if j[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		m := j[i+1]
		ms = append(ms, m)
		if m == 0xDA {
			break
		}
		i += 2 + (int(j[i+2])<<8 | int(j[i+3]))
	}
	return ms
}

func TestFit(t *testing.T) {
	phone := withEXIF(encJPEG(t, photo(2000, 1500, 1), 92), exifOpts{
		make: "HUAWEI", model: "P60", dateTimeOriginal: "2024:03:05 14:22:31", gps: true})
	form := encPNG(t, document(1240, 1754, 2)) // A4 at 150 dpi
	cases := []struct {
		name     string
		in       []byte
		l        Limit
		maxLong  int
		minShort int
	}{
		{"phone photo for MIIT", phone, MIITAttachment, 1600, 600},
		{"A4 form for MIIT", form, MIITVerificationForm, 1600, 600},
		{"phone photo for police", phone, PoliceImage, 2000, 600},
		{"A4 form as attachment", form, MIITAttachment, 1600, 600},
		{"already small", encJPEG(t, photo(700, 650, 3), 90), MIITAttachment, 700, 600},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := Fit(c.in, c.l)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) > c.l.MaxBytes {
				t.Fatalf("%d bytes > %d", len(out), c.l.MaxBytes)
			}
			info, err := Check(out, c.l)
			if err != nil {
				t.Fatalf("output fails its own limit: %v", err)
			}
			long, short := max(info.Width, info.Height), min(info.Width, info.Height)
			if long > c.maxLong || short < c.minShort {
				t.Errorf("output %dx%d, want long ≤ %d, short ≥ %d", info.Width, info.Height, c.maxLong, c.minShort)
			}
			if info.EXIF.Present {
				t.Error("output carries EXIF")
			}
			if ms := segments(t, out); slices.ContainsFunc(ms, func(m byte) bool { return m >= 0xE0 && m <= 0xEF || m == 0xFE }) {
				t.Errorf("output has APPn/COM segments: % x", ms)
			}
			for _, s := range []string{"Exif", "HUAWEI", "P60", "2024:03:05"} {
				if bytes.Contains(out, []byte(s)) {
					t.Errorf("output contains %q", s)
				}
			}
			t.Logf("%d bytes, %dx%d", len(out), info.Width, info.Height)
		})
	}
}

// The first size tried is the largest: a budget that is easy to meet keeps MaxSide and a high quality.
func TestFitPrefersSizeAndQuality(t *testing.T) {
	in := encJPEG(t, photo(2000, 1500, 4), 90)
	out, err := Fit(in, Limit{MaxBytes: 2_000_000, MinSide: 600, MaxSide: 1600})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
	if err != nil || cfg.Width != 1600 || cfg.Height != 1200 {
		t.Fatalf("%+v %v", cfg, err)
	}
	q85 := encJPEG(t, resize(mustDecode(t, in), 1600, 1200), 85)
	if len(out) != len(q85) {
		t.Errorf("generous budget: %d bytes, quality 85 gives %d", len(out), len(q85))
	}
}

func mustDecode(t *testing.T, b []byte) image.Image {
	t.Helper()
	m, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFitErrors(t *testing.T) {
	noise := encPNG(t, noiseImage(900, 900))
	cases := []struct {
		name string
		in   []byte
		l    Limit
		code string
	}{
		{"cannot fit", noise, Limit{Name: "tiny", MaxBytes: 5_000, MinSide: 600}, "imaging.cannot_fit"},
		{"pdf", []byte(minimalPDF), MIITAttachment, "imaging.pdf_not_image"},
		{"too small for documents", encJPEG(t, photo(500, 400, 1), 80), MIITAttachment, "imaging.too_small"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), MIITAttachment, "imaging.unsupported_type"},
		{"corrupt", encJPEG(t, photo(800, 800, 1), 80)[:5000], MIITAttachment, "imaging.corrupt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := Fit(c.in, c.l)
			if got := code(err); got != c.code || out != nil {
				t.Fatalf("code %q (%v), %d bytes; want %q", got, err, len(out), c.code)
			}
		})
	}
	_, err := Fit(noise, Limit{MaxBytes: 5_000, MinSide: 600})
	if p := paramsOf(err); p["max"] != "5 KB" {
		t.Errorf("params %v", p)
	}
}

func noiseImage(w, h int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	x := uint32(1)
	for i := range m.Pix {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		m.Pix[i] = uint8(x)
	}
	return m
}

// Transparency becomes white, not black.
func TestFitFlattensOntoWhite(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 800, 700))
	for y := range 700 {
		for x := range 800 {
			if x < 400 {
				m.SetNRGBA(x, y, color.NRGBA{200, 0, 0, 255})
			} // right half fully transparent
		}
	}
	out, err := Fit(encPNG(t, m), MIITAttachment)
	if err != nil {
		t.Fatal(err)
	}
	d := mustDecode(t, out)
	r, g, b, _ := d.At(d.Bounds().Dx()*3/4, d.Bounds().Dy()/2).RGBA()
	if r>>8 < 245 || g>>8 < 245 || b>>8 < 245 {
		t.Errorf("transparent area = %d,%d,%d, want white", r>>8, g>>8, b>>8)
	}
	r, g, _, _ = d.At(d.Bounds().Dx()/4, d.Bounds().Dy()/2).RGBA()
	if r>>8 < 180 || g>>8 > 30 {
		t.Errorf("opaque area = %d,%d", r>>8, g>>8)
	}
}

// A phone photo stored sideways with EXIF orientation 6 comes out upright.
func TestFitAppliesOrientation(t *testing.T) {
	// Stored 1000×700, a red block in the stored top-left corner. Displayed (turned 90° clockwise) it is
	// 700×1000 with the block in the top-right corner.
	m := image.NewRGBA(image.Rect(0, 0, 1000, 700))
	for i := range m.Pix {
		m.Pix[i] = 0xFF
	}
	for y := range 200 {
		for x := range 200 {
			m.SetRGBA(x, y, color.RGBA{220, 0, 0, 255})
		}
	}
	in := withEXIF(encJPEG(t, m, 90), exifOpts{orientation: 6})
	out, err := Fit(in, MIITAttachment)
	if err != nil {
		t.Fatal(err)
	}
	d := mustDecode(t, out)
	w, h := d.Bounds().Dx(), d.Bounds().Dy()
	if w != 700 || h != 1000 {
		t.Fatalf("size %dx%d, want 700x1000", w, h)
	}
	red := func(x, y int) bool { r, g, _, _ := d.At(x, y).RGBA(); return r>>8 > 180 && g>>8 < 60 }
	if !red(w-50, 50) || red(50, 50) || red(50, h-50) || red(w-50, h-50) {
		t.Error("block is not in the top-right corner")
	}
}

func TestOrient(t *testing.T) {
	// A 3×2 image with distinct pixels; for each orientation the expected displayed layout as stored indices.
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		src.Pix[4*i] = uint8(i)
	}
	want := map[int][][]int{
		1: {{0, 1, 2}, {3, 4, 5}},
		2: {{2, 1, 0}, {5, 4, 3}},
		3: {{5, 4, 3}, {2, 1, 0}},
		4: {{3, 4, 5}, {0, 1, 2}},
		5: {{0, 3}, {1, 4}, {2, 5}},
		6: {{3, 0}, {4, 1}, {5, 2}},
		7: {{5, 2}, {4, 1}, {3, 0}},
		8: {{2, 5}, {1, 4}, {0, 3}},
	}
	for o, rows := range want {
		m := orient(src, o)
		for y, row := range rows {
			for x, v := range row {
				if got := int(m.Pix[m.PixOffset(x, y)]); got != v {
					t.Errorf("orientation %d: (%d,%d) = %d, want %d", o, x, y, got, v)
				}
			}
		}
		if m.Bounds().Dx() != len(rows[0]) || m.Bounds().Dy() != len(rows) {
			t.Errorf("orientation %d: size %v", o, m.Bounds())
		}
	}
}

func TestResize(t *testing.T) {
	// Area averaging: a 1-px checkerboard halves to flat grey; 3→2 pixels share the middle one.
	c := image.NewGray(image.Rect(0, 0, 4, 4))
	for i := range c.Pix {
		if (i%4+i/4)%2 == 0 {
			c.Pix[i] = 255
		}
	}
	m := resize(c, 2, 2)
	for i := 0; i < len(m.Pix); i += 4 {
		if v := m.Pix[i]; v < 127 || v > 128 {
			t.Fatalf("checkerboard → %d, want 127/128", v)
		}
	}
	row := image.NewGray(image.Rect(0, 0, 3, 1))
	copy(row.Pix, []uint8{0, 90, 180})
	m = resize(row, 2, 1)
	if a, b := m.Pix[0], m.Pix[4]; a != 30 || b != 150 {
		t.Errorf("3→2: %d %d, want 30 150", a, b)
	}
	// Never up; sources of every kind.
	if m := resize(row, 10, 10); m.Bounds().Dx() != 3 || m.Bounds().Dy() != 1 {
		t.Errorf("upscaled to %v", m.Bounds())
	}
	ycc := image.NewYCbCr(image.Rect(0, 0, 4, 4), image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = 235
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128
	}
	cmyk := image.NewCMYK(image.Rect(0, 0, 4, 4)) // all zero: white
	nrgba := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	for _, src := range []image.Image{ycc, cmyk, nrgba, image.NewRGBA(image.Rect(0, 0, 4, 4))} {
		m := resize(src, 2, 2)
		if v := m.Pix[0]; v < 234 {
			t.Errorf("%T → %d, want white", src, v)
		}
	}
	// A sub-image that does not start at the origin.
	sub := document(100, 100, 1).SubImage(image.Rect(50, 50, 100, 100))
	if m := resize(sub, 25, 25); m.Bounds() != image.Rect(0, 0, 25, 25) {
		t.Errorf("sub-image → %v", m.Bounds())
	}
}

func TestLadder(t *testing.T) {
	cases := []struct {
		w, h, min int
		want      []int
	}{
		{1600, 1200, 600, []int{1600, 1360, 1156, 982, 835, 800}},
		{1200, 1600, 600, []int{1600, 1360, 1156, 982, 835, 800}},
		{700, 650, 600, []int{700, 647}},
		{1600, 900, 0, nil}, // checked for length only
	}
	for _, c := range cases {
		got := ladder(c.w, c.h, c.min)
		if c.want == nil {
			if len(got) < 20 || got[len(got)-1] < 1 {
				t.Errorf("ladder(%d,%d,%d) = %v", c.w, c.h, c.min, got)
			}
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("ladder(%d,%d,%d) = %v, want %v", c.w, c.h, c.min, got, c.want)
		}
	}
}

func TestKB(t *testing.T) {
	for _, c := range []struct {
		n    int
		up   bool
		want string
	}{
		{150_000, false, "150 KB"}, {150_001, true, "150.1 KB"}, {512_000, false, "512 KB"},
		{15_000_000, false, "15 MB"}, {4_210_000, true, "4.3 MB"}, {999, false, "999 B"},
	} {
		if got := kb(c.n, c.up); got != c.want {
			t.Errorf("kb(%d, %v) = %q, want %q", c.n, c.up, got, c.want)
		}
	}
}

func FuzzFit(f *testing.F) {
	f.Add(encJPEG(f, photo(620, 620, 1), 60))
	f.Add(encPNG(f, image.NewGray(image.Rect(0, 0, 600, 700))))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := Fit(b, MIITAttachment)
		if err == nil && len(out) > MIITAttachment.MaxBytes {
			t.Fatalf("%d bytes", len(out))
		}
	})
}

func BenchmarkFitPhone12MP(b *testing.B) {
	in := encJPEG(b, photo(4000, 3000, 1), 92)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Fit(in, MIITAttachment); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckPhone12MP(b *testing.B) {
	in := encJPEG(b, photo(4000, 3000, 1), 92)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Check(in, Upload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDetect(b *testing.B) {
	in := encJPEG(b, photo(4000, 3000, 1), 92)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Detect(in); err != nil {
			b.Fatal(err)
		}
	}
}
