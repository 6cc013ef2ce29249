package app_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/beian/beian/internal/imaging/imagetest"
)

// Test pictures for issue #5, all derived programmatically: phone photos of documents (several MB, with
// capture and GPS metadata), face photos made from pigo's sample portrait (internal/face/testdata), and the
// bad files an upload must refuse.

// facePortrait is pigo's sample portrait (one face on an almost white background) scaled by f.
func facePortrait(t testing.TB, f int) *image.RGBA {
	t.Helper()
	b, err := os.ReadFile("../face/testdata/pigo-sample.jpg")
	if err != nil {
		t.Fatal(err)
	}
	m, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	w, h := m.Bounds().Dx()*f, m.Bounds().Dy()*f
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	src := image.NewRGBA(m.Bounds())
	draw.Draw(src, src.Bounds(), m, m.Bounds().Min, draw.Src)
	for y := range h {
		for x := range w {
			out.SetRGBA(x, y, src.RGBAAt(x/f, y/f))
		}
	}
	return out
}

// goodFace is a face photo that passes every local check: 640×800, from a "phone" with GPS in its EXIF.
func goodFace(t testing.TB) []byte {
	return withEXIF(encodeJPEG(t, facePortrait(t, 2), 92), "BeianTestPhone", "Model 7", "2026:11:23 10:15:00", true)
}

// twoFaces puts the portrait twice side by side.
func twoFaces(t testing.TB) []byte {
	p := facePortrait(t, 2)
	m := image.NewRGBA(image.Rect(0, 0, 2*p.Bounds().Dx(), p.Bounds().Dy()))
	draw.Draw(m, p.Bounds(), p, image.Point{}, draw.Src)
	draw.Draw(m, p.Bounds().Add(image.Pt(p.Bounds().Dx(), 0)), p, image.Point{}, draw.Src)
	return encodeJPEG(t, m, 90)
}

// blankWall is a photo of a white wall: no face.
func blankWall(t testing.TB) []byte {
	m := image.NewRGBA(image.Rect(0, 0, 800, 1000))
	draw.Draw(m, m.Bounds(), image.NewUniform(color.RGBA{236, 236, 232, 255}), image.Point{}, draw.Src)
	return encodeJPEG(t, m, 90)
}

// documentPhoto is a phone photo of a document: 3000×2250 with ink strokes and sensor noise, JPEG quality 95
// (several MB), with the camera's EXIF including GPS. seed varies the content. Photos are made once per seed.
func documentPhoto(t testing.TB, seed uint64) []byte {
	return docPhoto(t, seed, 3000, 2250)
}

// smallDocumentPhoto is documentPhoto at 1200×900 (a few hundred KB), for tests that upload many.
func smallDocumentPhoto(t testing.TB, seed uint64) []byte {
	return docPhoto(t, seed, 1200, 900)
}

var docPhotos sync.Map // [3]uint64{seed, w, h} → []byte

func docPhoto(t testing.TB, seed uint64, w, h int) []byte {
	t.Helper()
	key := [3]uint64{seed, uint64(w), uint64(h)}
	if b, ok := docPhotos.Load(key); ok {
		return b.([]byte)
	}
	b := makeDocPhoto(t, seed, w, h)
	docPhotos.Store(key, b)
	return b
}

func makeDocPhoto(t testing.TB, seed uint64, w, h int) []byte {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 5))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 232 - 24*float64(x+y)/float64(w+h) + r.NormFloat64()*5
			i := m.PixOffset(x, y)
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = clamp(v), clamp(v-2), clamp(v-6), 0xFF
		}
	}
	ink := color.RGBA{28, 30, 44, 255}
	for y := h / 10; y < h*9/10; y += h / 28 {
		for x := w / 10; x < w*9/10; {
			word := 60 + r.IntN(180)
			for gx := x; gx < min(x+word, w*9/10); gx += 18 + r.IntN(10) {
				for k := range 42 {
					for d := range 5 {
						m.Set(gx+d, y+k, ink)
					}
				}
				for k := range 14 {
					for d := range 5 {
						m.Set(gx+k, y+r.IntN(42)+d, ink)
					}
				}
			}
			x += word + 36
		}
	}
	return withEXIF(encodeJPEG(t, m, 95), "BeianTestPhone", "Model 7", "2026:11:23 09:30:00", true)
}

func clamp(v float64) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}

func encodeJPEG(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombPNG is a tiny PNG whose header claims 50 000 × 50 000 pixels: refused before anything is decoded.
func bombPNG(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[16:], 50_000)
	binary.BigEndian.PutUint32(b[20:], 50_000)
	// fix the IHDR CRC so the file is structurally valid
	binary.BigEndian.PutUint32(b[29:], crc32IEEE(b[12:29]))
	return b
}

// polyglot is a valid JPEG that is also an HTML page: a comment segment carries a script, which a browser
// sniffing the bytes as HTML would run.
func polyglot(t testing.TB) []byte {
	j := encodeJPEG(t, facePortrait(t, 2), 90)
	payload := []byte("<html><script>alert(document.cookie)</script></html>")
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xFE}, uint16(len(payload)+2))
	out := append(append([]byte{}, j[:2]...), append(seg, payload...)...)
	return append(out, j[2:]...)
}

// gifAsJPEG is a GIF image, to be sent with a .jpg name and an image/jpeg content type.
func gifAsJPEG() []byte {
	return append([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00"), bytes.Repeat([]byte{0}, 40)...)
}

// withEXIF inserts an APP1 Exif segment (Make, Model, DateTimeOriginal and, with gps, a GPS IFD with a
// position) right after the JPEG's SOI marker.
func withEXIF(j []byte, maker, model, taken string, gps bool) []byte {
	le := binary.LittleEndian
	type entry struct {
		tag, typ uint16
		count    uint32
		data     []byte
	}
	ascii := func(tag uint16, s string) entry { return entry{tag, 2, uint32(len(s) + 1), append([]byte(s), 0)} }
	long := func(tag uint16, v uint32) entry { return entry{tag, 4, 1, le.AppendUint32(nil, v)} }
	rational := func(tag uint16, vals ...uint32) entry {
		var d []byte
		for _, v := range vals {
			d = le.AppendUint32(le.AppendUint32(d, v), 1)
		}
		return entry{tag, 5, uint32(len(vals)), d}
	}
	buf := []byte("II*\x00\x08\x00\x00\x00")
	writeIFD := func(es []entry) uint32 {
		off := uint32(len(buf))
		dataOff := off + 2 + 12*uint32(len(es)) + 4
		var data []byte
		buf = le.AppendUint16(buf, uint16(len(es)))
		for _, e := range es {
			buf = le.AppendUint16(le.AppendUint16(buf, e.tag), e.typ)
			buf = le.AppendUint32(buf, e.count)
			if len(e.data) <= 4 {
				v := make([]byte, 4)
				copy(v, e.data)
				buf = append(buf, v...)
			} else {
				buf = le.AppendUint32(buf, dataOff+uint32(len(data)))
				data = append(data, e.data...)
			}
		}
		buf = append(le.AppendUint32(buf, 0), data...)
		return off
	}
	exifOff := writeIFD([]entry{ascii(0x9003, taken)})
	ifd0 := []entry{ascii(0x010F, maker), ascii(0x0110, model), long(0x8769, exifOff)}
	if gps {
		gpsOff := writeIFD([]entry{ascii(0x0001, "N"), rational(0x0002, 39, 54, 27), ascii(0x0003, "E"), rational(0x0004, 116, 23, 17)})
		ifd0 = append(ifd0, long(0x8825, gpsOff))
	}
	le.PutUint32(buf[4:], writeIFD(ifd0))
	payload := append([]byte("Exif\x00\x00"), buf...)
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	out := append(append([]byte{}, j[:2]...), append(seg, payload...)...)
	return append(out, j[2:]...)
}

// hasEXIF reports whether a JPEG carries an Exif segment or GPS tags anywhere.
func hasEXIF(b []byte) bool {
	return bytes.Contains(b, []byte("Exif\x00\x00")) || bytes.Contains(b, []byte("BeianTestPhone"))
}

func crc32IEEE(b []byte) uint32 {
	crc := ^uint32(0)
	for _, c := range b {
		crc ^= uint32(c)
		for range 8 {
			if crc&1 == 1 {
				crc = crc>>1 ^ 0xEDB88320
			} else {
				crc >>= 1
			}
		}
	}
	return ^crc
}

// sendRaw posts a body as-is with a content type (an upload from a phone or a script).
func (c *client) sendRaw(method, path, ctype string, body []byte, headers ...string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// multipartWriter writes fields and one file into body and returns the content type.
func multipartWriter(body *bytes.Buffer, fields map[string]string, fileField string, file []byte) string {
	mw := multipart.NewWriter(body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile(fileField, "photo.jpg")
	fw.Write(file)
	mw.Close()
	return mw.FormDataContentType()
}

// curtainPhoto composes a curtain photo (Alibaba Cloud's materials guide): a 900×1200 frame of provider-blue curtain, a grey torso,
// and the portrait's head (without its white background) on top, as the face package's tests do.
func curtainPhoto(t testing.TB) []byte {
	head := facePortrait(t, 1)
	w := head.Bounds().Dx()
	bg := imagetest.BackgroundMask(head)
	m := image.NewRGBA(image.Rect(0, 0, 900, 1200))
	draw.Draw(m, m.Bounds(), image.NewUniform(color.RGBA{30, 90, 200, 255}), image.Point{}, draw.Src)
	draw.Draw(m, image.Rect(180, 510, 720, 1200), image.NewUniform(color.RGBA{128, 128, 128, 255}), image.Point{}, draw.Src)
	for i, isBg := range bg {
		x, y := i%w, i/w
		if !isBg && y < 340 {
			m.SetRGBA(290+x, 180+y, head.RGBAAt(x, y))
		}
	}
	return encodeJPEG(t, m, 92)
}
