package imaging

import (
	"bytes"
	"slices"
	"testing"
)

// FitAll makes, from one decode, an output per limit that satisfies it as Fit's would, drops the metadata,
// and reports the upload's EXIF.
func TestFitAll(t *testing.T) {
	phone := withEXIF(encJPEG(t, photo(2400, 1800, 4), 92), exifOpts{make: "HUAWEI", model: "P60",
		dateTimeOriginal: "2024:03:05 14:22:31", gps: true, orientation: 6})
	archive := Limit{Name: "archive", MaxBytes: 2_500_000, Types: []Type{JPEG}, MinSide: 300, MaxSide: 2400}
	limits := []Limit{archive, MIITAttachment, PoliceImage, MIITVerificationForm}
	info, outs, err := FitAll(phone, limits...)
	if err != nil {
		t.Fatal(err)
	}
	if info.EXIF.Make != "HUAWEI" || info.Width != 1800 || info.Height != 2400 {
		t.Fatalf("info %+v", info)
	}
	for i, l := range limits {
		out := outs[i]
		got, err := Check(out, l)
		if err != nil {
			t.Fatalf("%s: output fails its limit: %v", l.Name, err)
		}
		long, short := max(got.Width, got.Height), min(got.Width, got.Height)
		if long > l.MaxSide || short < l.MinSide || got.Height < got.Width {
			t.Errorf("%s: %d×%d (orientation applied, long side ≤ %d, short ≥ %d)", l.Name, got.Width, got.Height, l.MaxSide, l.MinSide)
		}
		if got.EXIF.Present || bytes.Contains(out, []byte("HUAWEI")) {
			t.Errorf("%s: metadata kept", l.Name)
		}
		if segs := segments(t, out); slices.ContainsFunc(segs, func(m byte) bool { return m >= 0xE1 && m <= 0xEF || m == 0xFE }) {
			t.Errorf("%s: segments %x", l.Name, segs)
		}
	}
}

func TestFitAllErrors(t *testing.T) {
	small := encJPEG(t, photo(640, 500, 5), 90)
	cases := []struct {
		name string
		in   []byte
		ls   []Limit
		want string
		min  string
	}{
		{"too small for the second limit", small, []Limit{Photo, MIITAttachment}, "imaging.too_small", "600"},
		{"PDF", []byte("%PDF-1.4\n%%EOF\n"), []Limit{MIITAttachment}, "imaging.pdf_not_image", ""},
		{"truncated", small[:len(small)/2], []Limit{MIITAttachment}, "imaging.corrupt", ""},
		{"not an image", []byte("GIF89a......"), []Limit{MIITAttachment}, "imaging.unsupported_type", ""},
	}
	for _, c := range cases {
		_, outs, err := FitAll(c.in, c.ls...)
		if code(err) != c.want || outs != nil {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
		if c.min != "" && paramsOf(err)["min"] != c.min {
			t.Errorf("%s: params %v", c.name, paramsOf(err))
		}
	}
}

// FitAll never panics on arbitrary input, and whatever it returns satisfies each limit.
func FuzzFitAll(f *testing.F) {
	f.Add(encJPEG(f, photo(320, 240, 6), 85))
	f.Add(encPNG(f, document(300, 300, 7)))
	f.Add(withEXIF(encJPEG(f, photo(200, 300, 8), 70), exifOpts{orientation: 8, gps: true}))
	small := Limit{Name: "small", MaxBytes: 30_000, Types: []Type{JPEG}, MaxSide: 160}
	tiny := Limit{Name: "tiny", MaxBytes: 8_000, Types: []Type{JPEG}, MaxSide: 64}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, outs, err := FitAll(b, small, tiny)
		if err != nil {
			if outs != nil {
				t.Fatal("outputs with an error")
			}
			return
		}
		for i, l := range []Limit{small, tiny} {
			info, err := Check(outs[i], l)
			if err != nil || max(info.Width, info.Height) > l.MaxSide || info.EXIF.Present {
				t.Fatalf("%s: %+v %v", l.Name, info, err)
			}
		}
	})
}
