package imaging

import (
	"encoding/binary"
	"github.com/beian/beian/internal/imaging/imagetest"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/beian/beian/internal/problem"
)

// photo is a synthetic camera-like picture: smooth gradients, shapes with edges and sensor-like noise, so
// that it compresses like a photo rather than like a flat test card.
func photo(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 7))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	type disc struct {
		x, y, rad float64
		c         [3]float64
	}
	discs := make([]disc, 12)
	for i := range discs {
		discs[i] = disc{r.Float64() * float64(w), r.Float64() * float64(h), (0.05 + 0.2*r.Float64()) * float64(min(w, h)),
			[3]float64{r.Float64() * 255, r.Float64() * 255, r.Float64() * 255}}
	}
	for y := range h {
		for x := range w {
			c := [3]float64{
				80 + 120*float64(x)/float64(w),
				60 + 140*float64(y)/float64(h),
				150 + 60*math.Sin(float64(x+y)/97),
			}
			for _, d := range discs {
				if dx, dy := float64(x)-d.x, float64(y)-d.y; dx*dx+dy*dy < d.rad*d.rad {
					c = d.c
				}
			}
			i := m.PixOffset(x, y)
			for k := range 3 {
				m.Pix[i+k] = clamp8(float32(c[k] + r.NormFloat64()*6))
			}
			m.Pix[i+3] = 0xFF
		}
	}
	return m
}

// document is a synthetic page: white paper, slightly uneven light, lines of dark "words" with 2-3 px
// strokes, like a form or credential photographed at about MeasureSide.
func document(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 11))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 235 - 20*float64(x+y)/float64(w+h) + r.NormFloat64()*2
			i := m.PixOffset(x, y)
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = clamp8(float32(v)), clamp8(float32(v)), clamp8(float32(v-4)), 0xFF
		}
	}
	ink := color.RGBA{30, 30, 40, 255}
	for y := h / 10; y < h*9/10; y += h / 30 {
		for x := w / 10; x < w*9/10; {
			word := 20 + r.IntN(60)
			for gx := x; gx < min(x+word, w*9/10); gx += 6 + r.IntN(4) {
				// a "glyph": a vertical and a horizontal stroke
				for k := range 14 {
					m.Set(gx, y+k, ink)
					m.Set(gx+1, y+k, ink)
				}
				for k := range 5 {
					m.Set(gx+k, y+r.IntN(14), ink)
				}
			}
			x += word + 12
		}
	}
	return m
}

// blur approximates a Gaussian blur by three box blurs of radius r: σ = √(r(r+1)), so r = 1, 2, 3, 4, 8 give
// σ ≈ 1.4, 2.4, 3.5, 4.5, 8.5 pixels.
func blur(src *image.RGBA, r int) *image.RGBA { return imagetest.Blur(src, r) }

func encJPEG(t testing.TB, m image.Image, q int) []byte { return imagetest.JPEG(t, m, q) }

func encPNG(t testing.TB, m image.Image) []byte { return imagetest.PNG(t, m) }

// exifOpts describes the APP1 Exif segment built by withEXIF.
type exifOpts struct {
	bigEndian        bool
	make, model      string
	dateTimeOriginal string
	orientation      int
	gps              bool
}

// exifPayload builds a TIFF structure: IFD0 (Make, Model, Orientation, Exif IFD, GPS IFD), the Exif IFD
// (DateTimeOriginal) and a GPS IFD with latitude and longitude.
func exifPayload(o exifOpts) []byte {
	var bo interface {
		binary.ByteOrder
		binary.AppendByteOrder
	} = binary.LittleEndian
	hdr := []byte("II*\x00\x08\x00\x00\x00")
	if o.bigEndian {
		bo = binary.BigEndian
		hdr = []byte("MM\x00*\x00\x00\x00\x08")
	}
	type entry struct {
		tag, typ uint16
		count    uint32
		data     []byte // value bytes; placed inline when ≤ 4
	}
	ascii := func(tag uint16, s string) entry { return entry{tag, 2, uint32(len(s) + 1), append([]byte(s), 0)} }
	short := func(tag uint16, v uint16) entry {
		d := make([]byte, 4)
		bo.PutUint16(d, v)
		return entry{tag, 3, 1, d}
	}
	long := func(tag uint16, v uint32) entry {
		d := make([]byte, 4)
		bo.PutUint32(d, v)
		return entry{tag, 4, 1, d}
	}
	rational := func(tag uint16, vals ...uint32) entry {
		d := make([]byte, 0, 8*len(vals))
		for _, v := range vals {
			d = bo.AppendUint32(d, v)
			d = bo.AppendUint32(d, 1)
		}
		return entry{tag, 5, uint32(len(vals)), d}
	}
	buf := append([]byte{}, hdr...)
	// writeIFD appends an IFD at the current end and its out-of-line data after it; returns its offset.
	writeIFD := func(es []entry) uint32 {
		off := uint32(len(buf))
		dataOff := off + 2 + 12*uint32(len(es)) + 4
		var data []byte
		buf = bo.AppendUint16(buf, uint16(len(es)))
		for _, e := range es {
			buf = bo.AppendUint16(buf, e.tag)
			buf = bo.AppendUint16(buf, e.typ)
			buf = bo.AppendUint32(buf, e.count)
			if len(e.data) <= 4 {
				v := make([]byte, 4)
				copy(v, e.data)
				buf = append(buf, v...)
			} else {
				buf = bo.AppendUint32(buf, dataOff+uint32(len(data)))
				data = append(data, e.data...)
			}
		}
		buf = bo.AppendUint32(buf, 0) // no next IFD
		buf = append(buf, data...)
		return off
	}
	// Sub-IFDs are written first so IFD0 can point at them; IFD0's offset is patched into the header.
	var exifOff, gpsOff uint32
	if o.dateTimeOriginal != "" {
		exifOff = writeIFD([]entry{ascii(tagDateTimeOriginal, o.dateTimeOriginal)})
	}
	if o.gps {
		gpsOff = writeIFD([]entry{
			ascii(0x0001, "N"), rational(0x0002, 39, 54, 27),
			ascii(0x0003, "E"), rational(0x0004, 116, 23, 17),
		})
	}
	var ifd0 []entry
	if o.make != "" {
		ifd0 = append(ifd0, ascii(tagMake, o.make))
	}
	if o.model != "" {
		ifd0 = append(ifd0, ascii(tagModel, o.model))
	}
	if o.orientation != 0 {
		ifd0 = append(ifd0, short(tagOrientation, uint16(o.orientation)))
	}
	if exifOff != 0 {
		ifd0 = append(ifd0, long(tagExifIFD, exifOff))
	}
	if gpsOff != 0 {
		ifd0 = append(ifd0, long(tagGPSIFD, gpsOff))
	}
	off := writeIFD(ifd0)
	bo.PutUint32(buf[4:], off)
	return buf
}

// withSegment inserts a JPEG marker segment right after SOI.
func withSegment(j []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	return append(out, j[2:]...)
}

func withEXIF(j []byte, o exifOpts) []byte {
	return withSegment(j, 0xE1, append([]byte("Exif\x00\x00"), exifPayload(o)...))
}

func code(err error) string {
	if err == nil {
		return ""
	}
	l := problem.As(err)
	return l[0].Code
}

func problemList(err error) problem.List { return problem.As(err) }

func paramsOf(err error) map[string]string {
	if l := problem.As(err); len(l) > 0 {
		return l[0].Params
	}
	return nil
}
