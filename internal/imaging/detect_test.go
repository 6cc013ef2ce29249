package imaging

import (
	"bytes"
	"image"
	"strings"
	"testing"

	"github.com/beian/beian/internal/i18n"
)

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

const minimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
	"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

func TestDetect(t *testing.T) {
	j := encJPEG(t, photo(64, 48, 1), 80)
	p := encPNG(t, photo(64, 48, 2))
	mp4 := cat([]byte("\x00\x00\x00\x18ftypmp42"), bytes.Repeat([]byte{1}, 500))
	sef := cat(bytes.Repeat([]byte{7}, 300), []byte("SEFH"), bytes.Repeat([]byte{0}, 40), []byte("\x30\x00\x00\x00SEFT"))
	cases := []struct {
		name string
		in   []byte
		typ  Type
		code string
	}{
		{"jpeg", j, JPEG, ""},
		{"png", p, PNG, ""},
		{"pdf", []byte(minimalPDF), PDF, ""},
		{"pdf with incremental update", []byte(minimalPDF + "3 0 obj<<>>endobj\n%%EOF\r\n"), PDF, ""},
		{"empty", nil, "", "imaging.empty"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "", "imaging.unsupported_type"},
		{"webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), "", "imaging.unsupported_type"},
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), "", "imaging.heic"},
		{"html", []byte("<!DOCTYPE html><script>alert(1)</script>"), "", "imaging.unsupported_type"},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "", "imaging.unsupported_type"},
		{"zip", []byte("PK\x03\x04rest"), "", "imaging.unsupported_type"},
		{"text", []byte("hello"), "", "imaging.unsupported_type"},
		{"jpeg name is irrelevant: png content", p, PNG, ""},
		{"jpeg truncated", j[:len(j)/2], JPEG, "imaging.corrupt"},
		{"jpeg without EOI", j[:len(j)-2], JPEG, "imaging.corrupt"},
		{"jpeg header only", j[:20], JPEG, "imaging.corrupt"},
		{"png truncated", p[:len(p)-20], PNG, "imaging.corrupt"},
		{"png signature only", p[:8], PNG, "imaging.corrupt"},
		{"pdf without EOF", []byte("%PDF-1.4\n1 0 obj<<>>endobj\n"), PDF, "imaging.corrupt"},
		{"jpeg + newline padding", cat(j, []byte("\r\n\x00\x00")), JPEG, ""},
		{"jpeg + zip", cat(j, []byte("PK\x03\x04"), bytes.Repeat([]byte("z"), 200)), JPEG, "imaging.trailing_data"},
		{"jpeg + small zip end record", cat(j, []byte("PK\x05\x06"), make([]byte, 18)), JPEG, "imaging.embedded_content"},
		{"jpeg + php within tolerance", cat(j, []byte("<?php system($_GET['c']); ?>")), JPEG, "imaging.embedded_content"},
		{"jpeg + php", cat(j, []byte("<?php "), bytes.Repeat([]byte("x"), 100)), JPEG, "imaging.trailing_data"},
		{"jpeg + pdf", cat(j, []byte(minimalPDF)), JPEG, "imaging.trailing_data"},
		{"jpeg + html", cat(j, []byte("<html><script>alert(1)</script></html>")), JPEG, "imaging.embedded_content"},
		{"jpeg + second jpeg (MPF)", cat(j, j), JPEG, ""},
		{"jpeg + two jpegs + samsung trailer", cat(j, j, j, sef), JPEG, ""},
		{"jpeg + samsung trailer", cat(j, sef), JPEG, ""},
		{"jpeg + motion photo video", cat(j, mp4), JPEG, "imaging.motion_photo"},
		{"jpeg + broken second jpeg", cat(j, j[:len(j)/2]), JPEG, "imaging.trailing_data"},
		{"jpeg + second jpeg hiding a zip", cat(j, withSegment(j, 0xFE, cat([]byte("PK\x03\x04"), make([]byte, 30)))), JPEG, "imaging.embedded_content"},
		{"jpeg with pdf header in comment", withSegment(j, 0xFE, []byte("%PDF-1.4 obj")), JPEG, "imaging.embedded_content"},
		{"jpeg with script in comment", withSegment(j, 0xFE, []byte("<SCRIPT src=//x>")), JPEG, "imaging.embedded_content"},
		{"jpeg with php in exif", withSegment(j, 0xE1, []byte("Exif\x00\x00<?php\teval($x);")), JPEG, "imaging.embedded_content"},
		{"jpeg with zip in app segment", withSegment(j, 0xE9, cat([]byte("PK\x03\x04"), make([]byte, 30))), JPEG, "imaging.embedded_content"},
		{"jpeg with harmless comment", withSegment(j, 0xFE, []byte("taken by beian <?phpx")), JPEG, ""},
		{"png + trailer", cat(p, bytes.Repeat([]byte("A"), 100)), PNG, "imaging.trailing_data"},
		{"png + jpeg", cat(p, j), PNG, "imaging.trailing_data"},
		{"png + small padding", cat(p, []byte("\n")), PNG, ""},
		{"pdf + trailer", cat([]byte(minimalPDF), bytes.Repeat([]byte("A"), 100)), PDF, "imaging.trailing_data"},
		{"pdf javascript", []byte(strings.Replace(minimalPDF, "/Type/Catalog", "/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>", 1)), PDF, "imaging.pdf_active_content"},
		{"pdf escaped javascript name", []byte(strings.Replace(minimalPDF, "/Type/Catalog", "/Type/Catalog/AA<</O<</S/J#61vaScript>>>>", 1)), PDF, "imaging.pdf_active_content"},
		{"pdf launch", []byte(strings.Replace(minimalPDF, "/Type/Catalog", "/Type/Catalog/OpenAction<</S/Launch/F(cmd.exe)>>", 1)), PDF, "imaging.pdf_active_content"},
		{"pdf embedded file", []byte(strings.Replace(minimalPDF, "/Type/Catalog", "/Type/Catalog/Names<</EmbeddedFiles 5 0 R>>", 1)), PDF, "imaging.pdf_active_content"},
		{"pdf with JSON-like name is fine", []byte(strings.Replace(minimalPDF, "/Type/Catalog", "/Type/Catalog/JSON 1", 1)), PDF, ""},
		{"pdf with script tag", []byte(strings.Replace(minimalPDF, "/Type/Catalog", "/Type/Catalog/T(<script>)", 1)), PDF, "imaging.embedded_content"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			typ, err := Detect(c.in)
			if got := code(err); got != c.code {
				t.Fatalf("Detect: code %q (%v), want %q", got, err, c.code)
			}
			if typ != c.typ {
				t.Errorf("Detect: type %q, want %q", typ, c.typ)
			}
		})
	}
}

func TestDetectUnsupportedNamesTheFormat(t *testing.T) {
	for in, want := range map[string]string{
		"GIF87a....":                  "GIF",
		"RIFF\x00\x00\x00\x00WEBPVP8": "WebP",
		"II*\x00\x08\x00\x00\x00":     "TIFF",
		"BM6\x00\x00\x00":             "BMP",
		"\x00\x00\x00\x18ftypavif":    "AVIF",
		"\xef\xbb\xbf <html>":         "HTML/SVG/XML",
		"\x00\x01\x02":                "?",
	} {
		_, err := Detect([]byte(in))
		l := problemList(err)
		if len(l) != 1 || l[0].Code != "imaging.unsupported_type" || l[0].Params["got"] != want {
			t.Errorf("Detect(%q) = %v %v, want got=%s", in, err, paramsOf(err), want)
		}
		if l[0].Params["allowed"] != "JPG/PNG/PDF" {
			t.Errorf("allowed = %q", l[0].Params["allowed"])
		}
	}
}

// A JPEG with stray bytes between segments decodes (image/jpeg skips them) but a run long enough to hide a
// payload is refused.
func TestDetectStrayBytes(t *testing.T) {
	j := encJPEG(t, photo(32, 32, 3), 80)
	at := 4 + (int(j[4])<<8 | int(j[5])) // after the first segment
	few := cat(j[:at], []byte("abcd"), j[at:])
	if _, err := Detect(few); err != nil {
		t.Fatalf("4 stray bytes: %v", err)
	}
	many := cat(j[:at], bytes.Repeat([]byte("x"), 100), j[at:])
	if c := code(func() error { _, err := Detect(many); return err }()); c != "imaging.corrupt" {
		t.Fatalf("100 stray bytes: %q", c)
	}
}

// The JPEG walker must find the same end as the decoder, also for progressive and restart-marker files and
// for an EXIF thumbnail (a whole JPEG, with its own EOI, inside APP1).
func TestDetectEndOfImage(t *testing.T) {
	j := encJPEG(t, photo(40, 30, 4), 80)
	thumb := encJPEG(t, photo(8, 6, 5), 50)
	withThumb := withSegment(j, 0xE1, cat([]byte("Exif\x00\x00"), thumb))
	s, err := detect(withThumb)
	if err != nil || s.end != len(withThumb) {
		t.Fatalf("with thumbnail: end %d of %d, %v", s.end, len(withThumb), err)
	}
	// Restart markers and fill bytes inside the entropy-coded data.
	k := bytes.Index(j, []byte{0xFF, 0xDA})
	n := int(j[k+2])<<8 | int(j[k+3])
	body := k + 2 + n
	rst := cat(j[:body+3], []byte{0xFF, 0xD0}, j[body+3:len(j)-2], []byte{0xFF, 0xFF, 0xFF, 0xD9})
	s, err = detect(rst)
	if err != nil || s.end != len(rst) {
		t.Fatalf("with RST and fill: end %d of %d, %v", s.end, len(rst), err)
	}
}

func TestTypeNames(t *testing.T) {
	for _, c := range []struct {
		t          Type
		ext, label string
	}{{JPEG, ".jpg", "JPG"}, {PNG, ".png", "PNG"}, {PDF, ".pdf", "PDF"}, {"x/y", "", "x/y"}} {
		if c.t.Ext() != c.ext || c.t.Label() != c.label {
			t.Errorf("%s: %q %q", c.t, c.t.Ext(), c.t.Label())
		}
	}
}

func FuzzDetect(f *testing.F) {
	j := encJPEG(f, photo(16, 16, 1), 70)
	p := encPNG(f, image.NewGray(image.Rect(0, 0, 4, 4)))
	for _, s := range [][]byte{j, p, []byte(minimalPDF), cat(j, j), withEXIF(j, exifOpts{make: "X", gps: true}), j[:30], nil} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := detect(b)
		if err == nil && (s.end <= 0 || s.end > len(b)) {
			t.Fatalf("end %d outside 1..%d", s.end, len(b))
		}
		for _, r := range s.meta {
			if r[0] < 0 || r[0] > r[1] || r[1] > len(b) {
				t.Fatalf("meta range %v outside the data", r)
			}
		}
	})
}

// Every code this package returns has a message (the i18n test checks the languages agree).
func TestCodesHaveMessages(t *testing.T) {
	for _, k := range []string{"imaging.empty", "imaging.unsupported_type", "imaging.heic", "imaging.corrupt",
		"imaging.trailing_data", "imaging.motion_photo", "imaging.embedded_content", "imaging.pdf_active_content",
		"imaging.too_large", "imaging.icon_too_large", "imaging.too_many_pixels", "imaging.too_small",
		"imaging.pdf_not_image", "imaging.cannot_fit", "imaging.blurred", "imaging.too_dark"} {
		if !i18n.Has(k) {
			t.Errorf("no message for %s", k)
		}
	}
}
