package imaging

import (
	"encoding/binary"
	"errors"
	"math"
	"sync"
)

// The clarity of a baseline JPEG read from its DCT coefficients: the entropy-coded data is Huffman-decoded, which
// checks it as far as image/jpeg's decoder does for such a file, but no block is transformed back to pixels and
// no plane is allocated. Each 8×8 luma block gives:
//
//   - its mean level, from the DC coefficient (the DCT of JPEG is orthonormal: F(0,0) is 8 × the block's mean);
//   - the energy of its Laplacian with the block reflected at its edges, which the DCT diagonalises: Σ λ(u,v)²
//     F(u,v)², λ(u,v) = 4 sin²(πu/16) + 4 sin²(πv/16). It differs from the variance of the Laplacian of the
//     decoded picture (LaplacianVariance) where an edge crosses a block boundary, and it counts a smooth slope
//     that meets a block edge: it is an estimate, not the measure itself.
//
// So it serves as a fast path only (quickClear): an image whose estimate is far above MinSharpness and whose
// mean is clearly above MinMeanLuma is accepted; any other image, and any file outside the profile read here
// (progressive, 12-bit, CMYK or RGB, Adobe colour transform, unusual sampling, several scans, anything
// image/jpeg might read differently), is decoded and measured as before.
//
// Limit: the decoder clamps pixels to 0-255, which the coefficients do not show. A file crafted with huge
// coefficients that clamp to a flat picture would pass here and not after a decode; no encoder writes such
// files (the ringing of real edges clamps a few pixels, see TestQuickClearVerdicts), and the clarity check
// guards against honest mistakes (a shaky or dark photo), not forgery: any sharp picture passes it, and the
// reviewer sees the image. Bounding each block's pixels from its coefficients (Σ |F| c(u)c(v)/4) was tried:
// it flags most blocks of a sharp text page, which would then all take the full decode.

// errNotQuick says that scanDCT does not read this file; the caller decodes it with image/jpeg.
var errNotQuick = errors.New("not a file the DCT scan reads")

// dctStats is what scanDCT learns of a file's luma.
type dctStats struct {
	width, height int
	blocks        int     // luma blocks inside the picture (partial blocks at the right and bottom included)
	level         float64 // Σ over those blocks of their mean level, 0-255
	energy        float64 // Σ over those blocks of Σ λ² F²
}

// mean is the picture's mean luma as the blocks give it (the padding of partial blocks included).
func (st dctStats) mean() float64 { return st.level / float64(st.blocks) }

// laplacian is the estimate of the variance of the Laplacian per pixel.
func (st dctStats) laplacian() float64 { return st.energy / float64(64*st.blocks) }

type huffTable struct {
	// lut decodes a prefix of lutBits: value<<8 | length for a code of up to lutBits; for a prefix of longer
	// codes, the index of their subtable<<8 | longCodes; 0 for a prefix of no code.
	lut [1 << lutBits]uint16
	// long holds the subtables of the codes longer than lutBits, 1<<(16-lutBits) entries each, indexed by the
	// bits after the prefix: value<<8 | length, 0 for none. Each holds at least one code, so there are at most
	// 256 of them.
	long []uint16
	// fast decodes an AC code and its magnitude together when both fit in lutBits (stb_image's fast_ac):
	// coefficient<<16 | (run+1)<<8 | bits taken, or endOfBlock<<8 | bits taken; 0 for any other prefix and
	// runs of 16 zeros.
	fast [1 << lutBits]int32
}

// lutBits is the prefix the tables decode in one look-up (6 KB a table at 10 bits); 9 to 12 bits decoded an
// 800 × 600 scan equally fast.
const lutBits = 10

// longCodes marks a prefix of lut whose codes are longer than lutBits: no code has that length.
const longCodes = 0x80

// endOfBlock stands for run+1 in a fast entry that ends the block: more than any position in it.
const endOfBlock = 0x80

type dctComp struct {
	id, h, v, tq uint8
	dc, ac       *huffTable
	pred         int32
}

type dctDecoder struct {
	b        []byte
	quant    [4][64]int32
	qSet     [4]bool
	huff     [2][2]*huffTable // [class: 0 DC, 1 AC][id]; nil: not defined
	comps    []dctComp
	ri       int // restart interval in MCUs, 0: none
	st       dctStats
	weight   [64]float64 // λ² q² of the luma table, in zigzag order
	bits     bitReader
	data     *entropyData // the scan's data, while it is decoded
	interval int          // the restart interval being read
}

// scanDCT reads the JPEG b (a whole file that walkJPEG accepted) and returns its luma statistics, or
// errNotQuick.
func scanDCT(b []byte) (dctStats, error) {
	d := &dctDecoder{b: b}
	i, scanned := 2, false
	for {
		for i < len(b) && b[i] == 0xFF && i+1 < len(b) && b[i+1] == 0xFF {
			i++ // fill bytes
		}
		if i+2 > len(b) || b[i] != 0xFF {
			return d.st, errNotQuick
		}
		m := b[i+1]
		i += 2
		if m == 0xD9 { // EOI
			if !scanned {
				return d.st, errNotQuick
			}
			return d.st, nil
		}
		if i+2 > len(b) {
			return d.st, errNotQuick
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if n < 2 || i+n > len(b) {
			return d.st, errNotQuick
		}
		seg := b[i+2 : i+n]
		i += n
		var err error
		switch {
		case m == 0xDB:
			err = d.dqt(seg)
		case m == 0xC4:
			err = d.dht(seg)
		case m == 0xC0 || m == 0xC1:
			err = d.sof(seg)
		case m == 0xDD:
			err = d.dri(seg)
		case m == 0xDA:
			if scanned {
				return d.st, errNotQuick
			}
			scanned = true
			i, err = d.sos(seg, i)
		case m == 0xEE && len(seg) >= 5 && string(seg[:5]) == "Adobe":
			err = errNotQuick // its colour transform decides whether the planes are YCbCr
		case m >= 0xE0 && m <= 0xEF, m == 0xFE:
		default:
			err = errNotQuick
		}
		if err != nil {
			return d.st, err
		}
	}
}

func (d *dctDecoder) dqt(seg []byte) error {
	for len(seg) > 0 {
		pq, tq := seg[0]>>4, seg[0]&0x0F
		size := 64 << pq
		if tq > 3 || pq > 1 || len(seg) < 1+size {
			return errNotQuick
		}
		for k := range 64 {
			if pq == 0 {
				d.quant[tq][k] = int32(seg[1+k])
			} else {
				d.quant[tq][k] = int32(binary.BigEndian.Uint16(seg[1+2*k:]))
			}
		}
		d.qSet[tq] = true
		seg = seg[1+size:]
	}
	return nil
}

func (d *dctDecoder) dht(seg []byte) error {
	for len(seg) > 0 {
		if len(seg) < 17 || seg[0]>>4 > 1 || seg[0]&0x0F > 1 {
			return errNotQuick
		}
		total := 0
		for _, c := range seg[1:17] {
			total += int(c)
		}
		if total == 0 || total > 256 || len(seg) < 17+total {
			return errNotQuick
		}
		t, err := huffTables.get(seg[1 : 17+total])
		if err != nil {
			return err
		}
		d.huff[seg[0]>>4][seg[0]&0x0F] = t
		seg = seg[17+total:]
	}
	return nil
}

// huffCache keeps the Huffman tables built from the DHT segments seen most recently (the lengths and the
// values, without the class and id), so that the files of one encoder — nearly all of them use the tables of
// the JPEG standard's annex K — do not each build the same look-up tables again (≈ 3 % of a scan at 10 bits).
// A cached table is never written again; a full cache builds what it does not hold for the file alone.
type huffCache struct {
	mu     sync.Mutex
	tables map[string]*huffTable
}

// maxHuffTables bounds the cache (≈ 24 KB a table): a stream of files with tables of their own costs each
// file its tables' build, as without a cache, and nothing more.
const maxHuffTables = 64

var huffTables = huffCache{tables: map[string]*huffTable{}}

// get returns the table of spec (16 counts of codes by length, then the values), built or cached.
func (c *huffCache) get(spec []byte) (*huffTable, error) {
	c.mu.Lock()
	t := c.tables[string(spec)]
	c.mu.Unlock()
	if t != nil {
		return t, nil
	}
	t, err := buildHuff(spec)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.tables) < maxHuffTables {
		c.tables[string(spec)] = t
	}
	c.mu.Unlock()
	return t, nil
}

// buildHuff builds the look-up tables of one Huffman table from its specification (whose length the caller
// checked: 16 counts, then as many values as they sum to).
func buildHuff(spec []byte) (*huffTable, error) {
	const subBits = 16 - lutBits
	t := &huffTable{}
	code, k := 0, 16
	for l := 1; l <= 16; l++ {
		for range spec[l-1] {
			if code >= 1<<l {
				return nil, errNotQuick // over-subscribed table
			}
			e := uint16(spec[k])<<8 | uint16(l)
			if l <= lutBits {
				base := code << (lutBits - l)
				for x := range 1 << (lutBits - l) {
					t.lut[base+x] = e
				}
			} else {
				p := &t.lut[code>>(l-lutBits)]
				if *p == 0 {
					*p = uint16(len(t.long)>>subBits)<<8 | longCodes
					t.long = append(t.long, make([]uint16, 1<<subBits)...)
				}
				base := int(*p>>8)<<subBits | code<<(16-l)&(1<<subBits-1)
				for x := range 1 << (16 - l) {
					t.long[base+x] = e
				}
			}
			code++
			k++
		}
		code <<= 1
	}
	t.fillFast()
	return t, nil
}

func (t *huffTable) fillFast() {
	for x, e := range t.lut {
		l, run, s := int(e&0xFF), int32(e>>12), uint(e>>8&0x0F)
		if e == 0 || l == longCodes {
			continue
		}
		if run == 0 && s == 0 {
			t.fast[x] = endOfBlock<<8 | int32(l)
		}
		if s == 0 || l+int(s) > lutBits {
			continue
		}
		v := extend(uint64(x)<<(64-lutBits+l), s)
		t.fast[x] = v<<16 | (run+1)<<8 | int32(l+int(s))
	}
}

// sof reads an 8-bit frame of one component (grey) or three (YCbCr) whose chroma is not subsampled more
// finely than 1×1 and whose luma is sampled 1 or 2 in each direction.
func (d *dctDecoder) sof(seg []byte) error {
	if d.comps != nil || len(seg) < 6 || seg[0] != 8 {
		return errNotQuick
	}
	nc := int(seg[5])
	if nc != 1 && nc != 3 || len(seg) != 6+3*nc {
		return errNotQuick
	}
	d.st.height, d.st.width = int(binary.BigEndian.Uint16(seg[1:])), int(binary.BigEndian.Uint16(seg[3:]))
	if d.st.width == 0 || d.st.height == 0 {
		return errNotQuick
	}
	d.comps = make([]dctComp, nc)
	for k := range nc {
		c := seg[6+3*k:]
		d.comps[k] = dctComp{id: c[0], h: c[1] >> 4, v: c[1] & 0x0F, tq: c[2]}
		for j := range k {
			if d.comps[j].id == c[0] {
				return errNotQuick
			}
		}
		if h, v := c[1]>>4, c[1]&0x0F; c[2] > 3 || h < 1 || h > 2 || v < 1 || v > 2 || k > 0 && c[1] != 0x11 {
			return errNotQuick
		}
		if nc == 1 {
			d.comps[k].h, d.comps[k].v = 1, 1 // one component: one block per MCU, whatever the factors say
		}
	}
	if nc == 3 && d.comps[0].id == 'R' && d.comps[1].id == 'G' && d.comps[2].id == 'B' {
		return errNotQuick // image/jpeg reads these planes as RGB
	}
	return nil
}

func (d *dctDecoder) dri(seg []byte) error {
	if len(seg) != 2 {
		return errNotQuick
	}
	d.ri = int(binary.BigEndian.Uint16(seg))
	return nil
}

// sos reads a scan header that names every component of the frame, in frame order, and decodes the
// entropy-coded data that starts at i; it returns the offset after that data.
func (d *dctDecoder) sos(seg []byte, i int) (int, error) {
	nc := len(d.comps)
	if nc == 0 || len(seg) != 4+2*nc || int(seg[0]) != nc || seg[1+2*nc] != 0 || seg[2+2*nc] != 63 || seg[3+2*nc] != 0 {
		return i, errNotQuick
	}
	for k := range d.comps {
		c := &d.comps[k]
		sel, tables := seg[1+2*k], seg[2+2*k]
		td, ta := tables>>4, tables&0x0F
		if sel != c.id || td > 1 || ta > 1 || d.huff[0][td] == nil || d.huff[1][ta] == nil || !d.qSet[c.tq] {
			return i, errNotQuick
		}
		c.dc, c.ac = d.huff[0][td], d.huff[1][ta]
	}
	q := &d.quant[d.comps[0].tq]
	for k := range 64 {
		u, v := float64(unzig[k]%8), float64(unzig[k]/8)
		su, sv := math.Sin(math.Pi*u/16), math.Sin(math.Pi*v/16)
		l := 4*su*su + 4*sv*sv
		d.weight[k] = l * l * float64(q[k]) * float64(q[k])
	}
	e := entropyBuffers.Get().(*entropyData)
	defer func() { d.data = nil; entropyBuffers.Put(e) }()
	end, ok := e.unstuff(d.b, i)
	if !ok {
		return i, errNotQuick
	}
	d.data = e
	d.bits = bitReader{b: e.b, end: e.ends[0]}
	if err := d.mcus(); err != nil {
		return i, err
	}
	if d.interval != len(e.ends)-1 || !d.bits.atEnd() {
		return i, errNotQuick // restart markers the MCUs did not call for, or data left over
	}
	return end, nil
}

// mcus decodes every MCU of the scan, adding the luma blocks inside the picture to d.st. The sums are kept in
// local variables; the mean levels are summed as the quantised DC coefficients, whose sum is exact.
func (d *dctDecoder) mcus() error {
	h0, v0 := int(d.comps[0].h), int(d.comps[0].v)
	mx, my := (d.st.width+8*h0-1)/(8*h0), (d.st.height+8*v0-1)/(8*v0)
	bw, bh := (d.st.width+7)/8, (d.st.height+7)/8 // luma blocks inside the picture
	var (
		blocks int
		dc     int64 // Σ of the luma blocks' quantised DC coefficients
		energy float64
	)
	mcu, left := 0, d.ri // left: MCUs before the next restart marker
	for y := range my {
		for x := range mx {
			if d.ri > 0 {
				if left == 0 {
					if err := d.restart(mcu / d.ri); err != nil {
						return err
					}
					left = d.ri
				}
				left--
			}
			mcu++
			for k := range d.comps {
				c := &d.comps[k]
				for by := range int(c.v) {
					for bx := range int(c.h) {
						if k > 0 || x*h0+bx >= bw || y*v0+by >= bh { // chroma, or padding
							if _, err := d.block(c, &noWeight); err != nil {
								return err
							}
							continue
						}
						e, err := d.block(c, &d.weight)
						if err != nil {
							return err
						}
						blocks++
						dc += int64(c.pred)
						energy += e
					}
				}
			}
		}
	}
	q0 := float64(d.quant[d.comps[0].tq][0])
	d.st.blocks, d.st.level, d.st.energy = blocks, 128*float64(blocks)+float64(dc)*q0/8, energy
	return nil
}

// restart expects the n-th restart marker at the end of the interval read, and resets the predictions.
func (d *dctDecoder) restart(n int) error {
	e, k := d.data, d.interval
	if k+1 >= len(e.ends) || !d.bits.atEnd() || e.rst[k] != 0xD0+byte((n-1)%8) {
		return errNotQuick
	}
	d.interval++
	d.bits = bitReader{b: e.b, end: e.ends[k+1], i: e.ends[k]}
	for k := range d.comps {
		d.comps[k].pred = 0
	}
	return nil
}

// noWeight weighs the blocks that do not count (chroma, padding): their sum is 0.
var noWeight [64]float64

// block decodes one block, updating the component's DC prediction, and returns Σ w F² over its AC
// coefficients (w in zigzag order). The bits are kept in local variables between refills, where the compiler
// can hold them in registers; the sum, off the path the bits take, costs next to nothing.
func (d *dctDecoder) block(c *dctComp, w *[64]float64) (float64, error) {
	r := &d.bits
	if r.n < 32 {
		r.fill() // a DC code and its magnitude take at most 16 + 11 bits
	}
	acc, n := r.acc, r.n
	v, l := c.dc.decode(acc)
	if l == 0 || v > 11 {
		return 0, errNotQuick
	}
	acc <<= l & 63
	n -= l
	if s := uint(v); s > 0 {
		c.pred += extend(acc, s)
		acc <<= s & 63
		n -= s
	}
	t := c.ac
	var e float64
	b, i := r.b, r.i
	k := 1
	for {
		// The inner loop makes no call, so that the bits stay in registers; it leaves it for fill past the
		// data's padding.
		for ; k < 64; k++ {
			if n < 32 { // an AC code and its magnitude take at most 16 + 10 bits
				if i+8 > len(b) {
					break
				}
				acc, n, i = refill(binary.BigEndian.Uint64(b[i:]), i, acc, n)
			}
			f := t.fast[acc>>(64-lutBits)]
			if f == 0 {
				rs, l := t.decode(acc)
				if l == 0 {
					return 0, errNotQuick
				}
				acc <<= l & 63
				n -= l
				run, s := int(rs>>4), uint(rs&0x0F)
				if s == 0 {
					if run == 0 {
						k = 64 // end of block
						break
					}
					if run != 15 {
						return 0, errNotQuick // an end-of-band run: progressive only, read so by image/jpeg
					}
					k += 15
					continue
				}
				if k += run; k > 63 || s > 10 {
					return 0, errNotQuick
				}
				v := extend(acc, s)
				acc <<= s & 63
				n -= s
				e += w[k&63] * float64(v*v)
				continue
			}
			acc <<= uint(f) & 63
			n -= uint(f) & 63
			if k += int(f>>8&0xFF) - 1; k > 63 {
				if f>>8&0xFF == endOfBlock {
					break
				}
				return 0, errNotQuick
			}
			v := f >> 16
			e += w[k&63] * float64(v*v)
		}
		if k >= 64 {
			break
		}
		r.acc, r.n, r.i = acc, n, i
		r.fill()
		acc, n, i = r.acc, r.n, r.i
	}
	r.acc, r.n, r.i = acc, n, i
	if r.overrun() {
		return 0, errNotQuick // read past the end of the data
	}
	return e, nil
}

// unzig maps a zigzag index to its natural (row-major) position in the block.
var unzig = [64]uint8{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
	28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
	54, 47, 55, 62, 63,
}
