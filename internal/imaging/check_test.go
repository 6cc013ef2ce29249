package imaging

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"testing"
	"time"
)

// pngChunk returns one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// pngBomb is a structurally complete PNG whose header claims w×h pixels with an empty IDAT: DecodeConfig
// believes it, and the decoder would allocate the whole image before finding out.
func pngBomb(w, h uint32, depth, colour, interlace byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, colour, 0, 0, interlace)
	return cat(sigPNG, pngChunk("IHDR", ihdr), pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}), pngChunk("IEND", nil))
}

// withJPEGSize rewrites the dimensions in a JPEG's SOF segment.
func withJPEGSize(j []byte, w, h uint16) []byte {
	out := bytes.Clone(j)
	for i := 2; i+9 < len(out); {
		m := out[i+1]
		n := int(binary.BigEndian.Uint16(out[i+2:]))
		if isSOF(m) {
			binary.BigEndian.PutUint16(out[i+5:], h)
			binary.BigEndian.PutUint16(out[i+7:], w)
			return out
		}
		i += 2 + n
	}
	panic("no SOF")
}

func TestCheck(t *testing.T) {
	big := encJPEG(t, photo(640, 480, 1), 85)
	small := encJPEG(t, photo(200, 150, 2), 85)
	bigPNG := encPNG(t, photo(400, 320, 3))
	// Entropy data cut in the middle, EOI put back: the structure is whole, the pixels are not.
	k := bytes.Index(big, []byte{0xFF, 0xDA})
	truncatedPixels := cat(big[:k+(len(big)-k)/2], []byte{0xFF, 0xD9})
	cases := []struct {
		name   string
		in     []byte
		l      Limit
		code   string
		params map[string]string
	}{
		{"photo", big, Photo, "", nil},
		{"png photo", bigPNG, Photo, "", nil},
		{"pdf upload", []byte(minimalPDF), Upload, "", nil},
		{"pdf is not a photo", []byte(minimalPDF), Photo, "imaging.unsupported_type", map[string]string{"got": "PDF", "allowed": "JPG/PNG"}},
		{"text is not a photo", []byte("just some text, not an image"), Photo, "imaging.unsupported_type", map[string]string{"allowed": "JPG/PNG"}},
		{"gif is not an upload", []byte("GIF89a\x01\x00\x01\x00"), Upload, "imaging.unsupported_type", map[string]string{"got": "GIF", "allowed": "JPG/PNG/PDF"}},
		{"too small", small, Photo, "imaging.too_small", map[string]string{"width": "200", "height": "150", "min": "300"}},
		{"too large", big, Limit{MaxBytes: 1000, Types: []Type{JPEG}}, "imaging.too_large", map[string]string{"max": "1 KB"}},
		{"icon too large", encPNG(t, photo(400, 400, 6)), AppIcon, "imaging.icon_too_large", map[string]string{"max": "100 KB"}},
		{"icon", encPNG(t, photo(128, 128, 4)), AppIcon, "", nil},
		{"icon pdf", []byte(minimalPDF), AppIcon, "imaging.unsupported_type", map[string]string{"allowed": "PNG/JPG"}},
		{"truncated pixel data", truncatedPixels, Photo, "imaging.corrupt", nil},
		{"jpeg bomb", withJPEGSize(small, 11000, 11000), Photo, "imaging.too_many_pixels", map[string]string{"width": "11000", "height": "11000", "max_megapixels": "54"}},
		{"jpeg side too long", withJPEGSize(small, 12001, 100), Photo, "imaging.too_many_pixels", nil},
		{"jpeg lies about its size", withJPEGSize(small, 400, 300), Photo, "imaging.corrupt", nil},
		{"png bomb", pngBomb(8000, 8000, 8, 6, 0), Photo, "imaging.too_many_pixels", nil},
		{"png bomb 16-bit interlaced", pngBomb(6000, 6000, 16, 6, 1), Photo, "imaging.too_many_pixels", nil},
		{"png claims pixels it lacks", pngBomb(1000, 1000, 8, 0, 0), Photo, "imaging.corrupt", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Check(c.in, c.l)
			if got := code(err); got != c.code {
				t.Fatalf("code %q (%v), want %q", got, err, c.code)
			}
			for k, v := range c.params {
				if got := paramsOf(err)[k]; got != v {
					t.Errorf("param %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestDecodeBytesEstimate(t *testing.T) {
	cases := []struct {
		s    scan
		want int64
	}{
		{scan{typ: JPEG, components: 3}, 7},
		{scan{typ: JPEG, components: 1}, 1},
		{scan{typ: JPEG, components: 3, progressive: true}, 19},
		{scan{typ: JPEG, components: 4}, 8},
		{scan{typ: PNG, pngColour: 3, pngDepth: 8}, 1},
		{scan{typ: PNG, pngColour: 0, pngDepth: 16}, 2},
		{scan{typ: PNG, pngColour: 6, pngDepth: 8}, 4},
		{scan{typ: PNG, pngColour: 6, pngDepth: 16, pngInterlace: true}, 16},
	}
	for _, c := range cases {
		if got := decodeBytes(c.s, 10, 10); got != 100*c.want {
			t.Errorf("%+v: %d, want %d", c.s, got, 100*c.want)
		}
	}
	// A 50 MP baseline phone photo passes; the same as progressive does not.
	if decodeBytes(scan{typ: JPEG, components: 3}, 8192, 6144) > MaxDecodeBytes {
		t.Error("50 MP baseline JPEG refused")
	}
	if decodeBytes(scan{typ: JPEG, components: 3, progressive: true}, 8192, 6144) <= MaxDecodeBytes {
		t.Error("50 MP progressive JPEG admitted")
	}
}

func TestInspectEXIF(t *testing.T) {
	base := encJPEG(t, photo(640, 480, 5), 85)
	b := withEXIF(base, exifOpts{make: "HUAWEI", model: "ELS-AN00", dateTimeOriginal: "2024:03:05 14:22:31", orientation: 6, gps: true})
	info, err := Inspect(b)
	if err != nil {
		t.Fatal(err)
	}
	e := info.EXIF
	if !e.Present || e.Malformed || e.Make != "HUAWEI" || e.Model != "ELS-AN00" || e.DateTimeOriginal != "2024:03:05 14:22:31" || e.Orientation != 6 || !e.HasGPS {
		t.Fatalf("EXIF = %+v", e)
	}
	if info.Width != 480 || info.Height != 640 {
		t.Errorf("oriented size %dx%d, want 480x640", info.Width, info.Height)
	}
	cst := time.FixedZone("CST", 8*3600)
	if got, ok := e.Taken(cst); !ok || !got.Equal(time.Date(2024, 3, 5, 6, 22, 31, 0, time.UTC)) {
		t.Errorf("Taken = %v %v", got, ok)
	}
	info, err = Inspect(base)
	if err != nil || info.EXIF.Present || info.Width != 640 || info.Type != JPEG || info.Bytes != len(base) {
		t.Fatalf("without EXIF: %+v %v", info, err)
	}
}

func TestEXIFTaken(t *testing.T) {
	e := EXIF{DateTimeOriginal: "2024:03:05 14:22:31", OffsetTimeOriginal: "+09:00"}
	if got, ok := e.Taken(nil); !ok || !got.Equal(time.Date(2024, 3, 5, 5, 22, 31, 0, time.UTC)) {
		t.Errorf("with offset: %v %v", got, ok)
	}
	if _, ok := (EXIF{DateTimeOriginal: "0000:00:00 00:00:00"}).Taken(nil); ok {
		t.Error("zero date accepted")
	}
	if _, ok := (EXIF{}).Taken(nil); ok {
		t.Error("no date accepted")
	}
}

func TestParseEXIF(t *testing.T) {
	le := exifPayload(exifOpts{make: "Xiaomi", model: "23127PN0CC", dateTimeOriginal: "2025:01:02 03:04:05", orientation: 3})
	be := exifPayload(exifOpts{bigEndian: true, make: "Apple", model: "iPhone 15", orientation: 8, gps: true})
	cases := []struct {
		name string
		in   []byte
		want EXIF
	}{
		{"little endian", le, EXIF{Present: true, Make: "Xiaomi", Model: "23127PN0CC", DateTimeOriginal: "2025:01:02 03:04:05", Orientation: 3}},
		{"big endian", be, EXIF{Present: true, Make: "Apple", Model: "iPhone 15", Orientation: 8, HasGPS: true}},
		{"empty", nil, EXIF{Present: true, Malformed: true}},
		{"bad header", []byte("XX*\x00\x08\x00\x00\x00"), EXIF{Present: true, Malformed: true}},
		{"IFD outside", []byte("II*\x00\xff\x00\x00\x00"), EXIF{Present: true, Malformed: true}},
		{"cut entries", le[:20], EXIF{Present: true, Malformed: true}},
		{"short ascii inline", exifPayload(exifOpts{make: "LG"}), EXIF{Present: true, Make: "LG"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := parseEXIF(c.in); got != c.want {
				t.Errorf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
	// Non-printable bytes are dropped, long strings cut.
	p := exifPayload(exifOpts{make: "Ev\x01il\x7f" + string(bytes.Repeat([]byte("m"), 100))})
	if got := parseEXIF(p).Make; got != "Evil"+string(bytes.Repeat([]byte("m"), 60)) {
		t.Errorf("sanitised Make = %q", got)
	}
	// An Exif IFD pointer back to IFD0 is read once, not followed in a loop.
	self := exifPayload(exifOpts{make: "A", dateTimeOriginal: "2025:01:02 03:04:05"})
	ifd0 := binary.LittleEndian.Uint32(self[4:])
	n := int(binary.LittleEndian.Uint16(self[ifd0:]))
	for k := range n {
		e := self[int(ifd0)+2+12*k:]
		if binary.LittleEndian.Uint16(e) == tagExifIFD {
			binary.LittleEndian.PutUint32(e[8:], ifd0)
		}
	}
	if got := parseEXIF(self); got.Make != "A" || got.DateTimeOriginal != "" {
		t.Errorf("self-pointing Exif IFD: %+v", got)
	}
}

func FuzzParseEXIF(f *testing.F) {
	f.Add(exifPayload(exifOpts{make: "HUAWEI", model: "P60", dateTimeOriginal: "2024:03:05 14:22:31", orientation: 6, gps: true}))
	f.Add(exifPayload(exifOpts{bigEndian: true, make: "Apple"}))
	f.Add([]byte("II*\x00\x08\x00\x00\x00\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e := parseEXIF(b)
		if len(e.Make) > 64 || len(e.Model) > 64 || len(e.Software) > 64 || len(e.DateTimeOriginal) > 64 {
			t.Fatalf("unbounded field: %+v", e)
		}
		if e.Orientation < 0 || e.Orientation > 8 {
			t.Fatalf("orientation %d", e.Orientation)
		}
	})
}

// FuzzCheck feeds arbitrary bytes through the whole Upload check (detection, header, limits, full decode).
// Memory stays bounded by the pixel limits checked before decoding.
func FuzzCheck(f *testing.F) {
	f.Add(encJPEG(f, photo(320, 320, 1), 60))
	f.Add(withEXIF(encJPEG(f, photo(300, 300, 2), 50), exifOpts{make: "X", orientation: 5, gps: true}))
	f.Add(encPNG(f, image.NewGray(image.Rect(0, 0, 300, 300))))
	f.Add(pngBomb(300, 300, 8, 2, 0))
	f.Add([]byte(minimalPDF))
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := Check(b, Upload)
		if err == nil && info.Type != PDF && (info.Width < Upload.MinSide || info.Height < Upload.MinSide) {
			t.Fatalf("accepted %dx%d", info.Width, info.Height)
		}
	})
}

func TestTooSmallUsesDisplayedSize(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 400, 200))
	for i := range m.Pix {
		m.Pix[i] = uint8(i)
	}
	m.Set(0, 0, color.Gray{})
	b := withEXIF(encJPEG(t, m, 80), exifOpts{orientation: 8})
	_, err := Check(b, Photo)
	if p := paramsOf(err); code(err) != "imaging.too_small" || p["width"] != "200" || p["height"] != "400" {
		t.Fatalf("%v %v", err, p)
	}
}
