package imaging

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/beian/beian/internal/imaging/imagetest"
)

// checkerScan is the police benchmark's scan.
func checkerScan(t testing.TB) []byte { return imagetest.JPEG(t, imagetest.Checker(), 85) }

// BenchmarkCheckClear compares the check of a sharp 800×600 scan through the DCT coefficients with the full
// decode it replaces.
func BenchmarkCheckClear(b *testing.B) {
	scan := checkerScan(b)
	b.Run("dct", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := CheckClear(scan, PoliceImage); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			d, err := load(scan, PoliceImage, true)
			if err != nil {
				b.Fatal(err)
			}
			if err := CheckClarity(d.img); err != nil {
				b.Fatal(err)
			}
			d.release()
		}
	})
}

// reportCPU starts counting the process's CPU time; the function it returns reports it per operation
// (cpu-ms/op), which the other jobs of a shared machine disturb less than the wall time.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op") }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// waves is a smooth pattern of full contrast with the given period in pixels: the worst case for the DCT
// estimate, whose blocks see long slopes meeting their edges.
func waves(w, h int, period float64) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 127.5 + 127*math.Sin(2*math.Pi*float64(x)/period)*math.Cos(2*math.Pi*float64(y)/(1.3*period))
			m.SetRGBA(x, y, color.RGBA{uint8(v), uint8(v), uint8(v), 255})
		}
	}
	return m
}

// The DCT fast path must give the verdicts of the full decode: every image CheckClear accepts without decoding
// is one that the decoded measure accepts too, with a margin, and every other image is decided by the decoded
// measure itself. The table also shows that the fast path is taken for sharp scans.
func TestQuickClearVerdicts(t *testing.T) {
	type sample struct {
		name  string
		img   image.Image
		quick bool // the fast path must accept it
	}
	var samples []sample
	doc, small, pic := document(1024, 724, 1), document(800, 600, 3), photo(800, 600, 2)
	for _, r := range []int{0, 1, 2, 3, 4, 6, 8} {
		name := "σ" + strconv.Itoa(r)
		bd, bs, bp := doc, small, pic
		if r > 0 {
			bd, bs, bp = blur(doc, r), blur(small, r), blur(pic, r)
		}
		samples = append(samples, sample{"page 1024 " + name, bd, r <= 1}, sample{"page 800 " + name, bs, r <= 1},
			sample{"photo " + name, bp, false})
	}
	for _, p := range []float64{6, 9, 12, 16, 24, 32, 64} {
		samples = append(samples, sample{"waves " + strconv.FormatFloat(p, 'f', -1, 64), waves(800, 600, p), p <= 9})
	}
	grey := image.NewGray(image.Rect(0, 0, 640, 640))
	for i := range grey.Pix {
		grey.Pix[i] = uint8(100 + 100*((i%640/7+i/640/5)%2))
	}
	samples = append(samples, sample{"dark page", darken(doc, 0.15), false}, sample{"dim page", darken(doc, 0.3), false},
		sample{"grey checks", grey, true}, sample{"large page", document(1800, 1300, 2), false},
		sample{"odd-sized page", document(1017, 613, 4), true})
	for _, s := range samples {
		for _, q := range []int{50, 75, 90, 98} {
			b := imagetest.JPEG(t, s.img, q)
			decoded, err := jpeg.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			want := code(CheckClarity(decoded))
			_, err = CheckClear(b, Photo)
			quick := quickClear(b, decoded.Bounds().Dx(), decoded.Bounds().Dy())
			st, _ := scanDCT(b)
			t.Logf("%s q%d: estimate %.1f, measure %.1f, fast %v", s.name, q, st.laplacian(), Sharpness(decoded), quick)
			if got := code(err); got != want {
				t.Errorf("%s q%d: CheckClear %q, decoded measure %q", s.name, q, got, want)
			}
			if sharp := Sharpness(decoded); quick && sharp < 4*MinSharpness {
				t.Errorf("%s q%d: fast path accepts a sharpness of %.1f", s.name, q, sharp)
			}
			if s.quick && !quick {
				t.Errorf("%s q%d: not accepted by the fast path", s.name, q)
			}
		}
	}
}

// greyWithRestarts is a hand-made baseline JPEG of one grey component, 16×8 pixels (two blocks), with a
// restart marker between the blocks: each block codes a DC difference of +8 (×8 quantisation: level 136) and
// nothing else, so that a decoder that does not reset its prediction at the marker sees 144 in the second.
func greyWithRestarts(rst byte) []byte {
	ac := append([]byte{0x10, 1}, make([]byte, 15)...) // code 0 → end of block
	ac = append(ac, 0)
	block := byte(0b1010000_1) // DC category 4 (10), +8 (1000), end of block (0), a 1 bit of padding
	return greyJPEG(ac, []byte{0xDD, 0, 1}, []byte{block, 0xFF, rst, block})
}

// greyJPEG is a hand-made baseline JPEG of one grey component, 16×8 pixels (two blocks), quantised by 8
// everywhere, with DC codes 0 → category 0 and 10 → category 4, the AC table given (a DHT segment's body) and
// extra segments before the scan, whose entropy-coded data is scan.
func greyJPEG(ac, extra, scan []byte) []byte {
	seg := func(m byte, p ...byte) []byte {
		return append([]byte{0xFF, m, byte((len(p) + 2) >> 8), byte(len(p) + 2)}, p...)
	}
	q := make([]byte, 65)
	for i := 1; i < 65; i++ {
		q[i] = 8
	}
	dc := append([]byte{0x00, 1, 1}, make([]byte, 14)...) // codes 0 → 0, 10 → 4
	dc = append(dc, 0, 4)
	var more []byte
	if len(extra) > 0 {
		more = seg(extra[0], extra[1:]...)
	}
	return slices.Concat([]byte{0xFF, 0xD8}, seg(0xDB, q...), seg(0xC0, 8, 0, 8, 0, 16, 1, 1, 0x11, 0),
		seg(0xC4, dc...), seg(0xC4, ac...), more, seg(0xDA, 1, 1, 0x00, 0, 63, 0), scan, []byte{0xFF, 0xD9})
}

// An end of block whose code is longer than the tables' one-look-up prefix (lutBits) is read by the long path:
// here its code has 12 bits, after one code of each length from 1 to 11.
func TestScanDCTLongEndOfBlock(t *testing.T) {
	ac := []byte{0x10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0} // one code of each length 1-12
	ac = append(ac, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x11, 0x00)
	// Each block: DC category 4 (10), +8 (1000), end of block (111111111110); then 1 bits of padding.
	// 10100011 11111111 10101000 11111111 11101111: A3 FF A8 FF EF, each FF followed by a stuffed 00.
	scan := []byte{0xA3, 0xFF, 0x00, 0xA8, 0xFF, 0x00, 0xEF}
	b := greyJPEG(ac, nil, scan)
	m, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	st, err := scanDCT(b)
	if err != nil || st.blocks != 2 || st.mean() != 140 || st.laplacian() != 0 { // levels 136, then 144
		t.Fatalf("scanDCT = %+v, %v", st, err)
	}
	if g := m.(*image.Gray); g.Pix[0] != 136 || g.Pix[15] != 144 {
		t.Fatalf("image/jpeg reads %d, %d", g.Pix[0], g.Pix[15])
	}
}

func TestScanDCTRestart(t *testing.T) {
	b := greyWithRestarts(0xD0)
	m, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	st, err := scanDCT(b)
	if err != nil || st.blocks != 2 || st.mean() != 136 || st.laplacian() != 0 {
		t.Fatalf("scanDCT = %+v, %v", st, err)
	}
	if g := m.(*image.Gray); g.Pix[0] != 136 || g.Pix[15] != 136 {
		t.Fatalf("image/jpeg reads %d, %d", g.Pix[0], g.Pix[15])
	}
	ac := append(append([]byte{0x10, 1}, make([]byte, 15)...), 0)
	block := byte(0b1010000_1)
	refused := map[string][]byte{
		"wrong restart marker":          greyWithRestarts(0xD3),
		"one marker too many":           greyJPEG(ac, []byte{0xDD, 0, 1}, []byte{block, 0xFF, 0xD0, block, 0xFF, 0xD1}),
		"marker missing":                greyJPEG(ac, []byte{0xDD, 0, 1}, []byte{block, block}),
		"a byte left over":              greyJPEG(ac, []byte{0xDD, 0, 1}, []byte{block, 0x55, 0xFF, 0xD0, block}),
		"no restarts, a byte left over": greyJPEG(ac, nil, []byte{0b1010000_1, 0b010000_11, 0x55}),
	}
	for name, b := range refused {
		if _, err := scanDCT(b); err != errNotQuick {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := scanDCT(greyJPEG(ac, nil, []byte{0b1010000_1, 0b010000_11})); err != nil {
		t.Errorf("no restarts: %v", err)
	}
}

// Files outside the profile scanDCT reads, or damaged, are left to image/jpeg.
func TestScanDCTLeavesToDecoder(t *testing.T) {
	good := checkerScan(t)
	if _, err := scanDCT(good); err != nil {
		t.Fatal(err)
	}
	sos := bytes.Index(good, []byte{0xFF, 0xDA})
	cases := map[string][]byte{
		"progressive":   bytes.Replace(good, []byte{0xFF, 0xC0}, []byte{0xFF, 0xC2}, 1),
		"truncated":     slices.Concat(good[:sos+len(good[sos:])/2], []byte{0xFF, 0xD9}),
		"garbled":       slices.Concat(good[:sos+40], bytes.Repeat([]byte{0xFF, 0x00}, 200), good[sos+440:]),
		"RGB planes":    rgbIDs(good),
		"Adobe":         withSegment(good, 0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x00")),
		"no EOI":        good[:len(good)-2],
		"data after it": slices.Concat(good[:len(good)-2], []byte{1, 2, 3, 0xFF, 0xD9}),
	}
	for name, b := range cases {
		if _, err := scanDCT(b); err != errNotQuick {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A damaged file is refused as corrupt, by the full decode.
	if _, err := CheckClear(cases["garbled"], PoliceImage); code(err) != "imaging.corrupt" {
		t.Errorf("garbled: %v", err)
	}
}

// rgbIDs renames the three components of a YCbCr JPEG R, G and B, which image/jpeg then reads as RGB.
func rgbIDs(j []byte) []byte {
	b := slices.Clone(j)
	sof := bytes.Index(b, []byte{0xFF, 0xC0})
	for k := range 3 {
		b[sof+10+3*k] = "RGB"[k]
	}
	sos := bytes.Index(b, []byte{0xFF, 0xDA})
	for k := range 3 {
		b[sos+5+2*k] = "RGB"[k]
	}
	return b
}

// Whatever scanDCT accepts, image/jpeg decodes, at the same size.
func FuzzScanDCT(f *testing.F) {
	f.Add(greyWithRestarts(0xD0))
	f.Add(greyJPEG([]byte{0x10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0A, 0x11, 0x00}, nil, []byte{0xA3, 0xFF, 0x00, 0xA8, 0xFF, 0x00, 0xEF}))
	f.Add(imagetest.JPEG(f, document(64, 48, 1), 75))
	f.Add(imagetest.JPEG(f, image.NewGray(image.Rect(0, 0, 17, 9)), 90))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := detect(b)
		if err != nil || s.typ != JPEG {
			return
		}
		st, err := scanDCT(b[:s.end])
		if err != nil {
			return
		}
		m, err := jpeg.Decode(bytes.NewReader(b[:s.end]))
		if err != nil {
			t.Fatalf("scanDCT accepts what image/jpeg refuses: %v", err)
		}
		if m.Bounds().Dx() != st.width || m.Bounds().Dy() != st.height {
			t.Fatalf("size %v, scanDCT %d×%d", m.Bounds(), st.width, st.height)
		}
	})
}

// The look-up tables decode every code of a table as the canonical Huffman code of JPEG (annex C) does: codes
// of up to 16 bits, through the subtables past lutBits, and no code where an incomplete table has none.
func TestHuffDecodeCanonical(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		var counts [16]byte
		room, total := 1<<16, 0 // free leaves at depth 16 (Kraft); the last code of a complete table is left out
		for l := 1; l <= 16 && total < 256; l++ {
			most := min(room>>(16-l)-1, 256-total) // leave room for one more code
			n := min(rng.IntN(9), most)
			if l == 16 || trial%2 == 0 && l >= 12 {
				n = most // many long codes, under many prefixes
			}
			counts[l-1] = byte(max(n, 0))
			total += int(counts[l-1])
			room -= int(counts[l-1]) << (16 - l)
		}
		vals := rng.Perm(256)[:total]
		spec := append(counts[:], make([]byte, total)...)
		for i, v := range vals {
			spec[16+i] = byte(v)
		}
		h, err := buildHuff(spec)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		code, k := 0, 0
		for l := 1; l <= 16; l++ {
			for range counts[l-1] {
				acc := uint64(code)<<(64-l) | rng.Uint64()>>l
				if v, n := h.decode(acc); v != byte(vals[k]) || n != uint(l) {
					t.Fatalf("trial %d: code %0*b decodes to %d/%d bits, want %d/%d", trial, l, code, v, n, vals[k], l)
				}
				code++
				k++
			}
			code <<= 1
		}
		if _, n := h.decode(uint64(code) << (64 - 17)); n != 0 { // the first 16-bit pattern after the last code
			t.Fatalf("trial %d: a pattern of no code decodes (%d bits)", trial, n)
		}
	}
}

// BenchmarkUnstuff is the copy of the police benchmark scan's entropy-coded data without its stuffed bytes.
func BenchmarkUnstuff(b *testing.B) {
	scan := checkerScan(b)
	sos := bytes.Index(scan, []byte{0xFF, 0xDA})
	start := sos + 2 + int(scan[sos+2])<<8 | int(scan[sos+3])
	var e entropyData
	b.SetBytes(int64(len(scan) - start))
	for b.Loop() {
		if _, ok := e.unstuff(scan, start); !ok {
			b.Fatal("no end")
		}
	}
}
