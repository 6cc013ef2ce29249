package imaging

import (
	"encoding/binary"
	"math/bits"
)

// bitReader reads the entropy-coded data of a JPEG scan, most significant bit first, removing the stuffed
// zero after each 0xFF data byte. It stops at the first marker: bits asked for beyond it are an error, which
// overrun reports (checked once per block: once the data has ended, the bits left only decrease, so a block
// that read past the end is still past it when it ends).
type bitReader struct {
	b       []byte
	i       int    // next byte to read
	acc     uint64 // n bits, left-aligned; the bits below them are zero or the data's next bits
	n       uint
	pad     uint // zero bits appended at the bottom of acc after the data ended
	stopped bool // at a marker (b[i] is its 0xFF) or at the end of b
}

func (r *bitReader) fill() {
	for r.n <= 56 {
		if !r.stopped && r.i+8 <= len(r.b) {
			x := binary.BigEndian.Uint64(r.b[r.i:])
			ff := ffBytes(x)
			if ff == 0 {
				r.acc, r.n, r.i = refill(x, r.i, r.acc, r.n)
				return
			}
			if k := uint(bits.LeadingZeros64(ff)) / 8; k > 0 { // the whole bytes before the first 0xFF
				k = min(k, (64-r.n)/8)
				r.acc |= x >> (64 - 8*k) << (64 - 8*k) >> r.n
				r.n += 8 * k
				r.i += int(k)
				continue
			}
		}
		var c byte
		switch {
		case r.stopped || r.i >= len(r.b):
			r.stopped = true
			r.pad += 8
		case r.b[r.i] != 0xFF:
			c = r.b[r.i]
			r.i++
		case r.i+1 < len(r.b) && r.b[r.i+1] == 0x00:
			c = 0xFF
			r.i += 2
		default:
			r.stopped = true
			r.pad += 8
		}
		r.acc |= uint64(c) << (56 - r.n)
		r.n += 8
	}
}

// noFF reports whether none of the 8 bytes of x is 0xFF.
func noFF(x uint64) bool {
	t := ^x
	return (t-0x0101010101010101)&^t&0x8080808080808080 == 0
}

// refill tops acc (n bits) up to 56-63 bits from x, the 8 bytes at i, which hold no 0xFF, and returns the
// offset of the first byte it did not take whole: the bits it took of that byte are taken again, the same, by
// the next refill or fill (F. Giesen's "variant 4").
func refill(x uint64, i int, acc uint64, n uint) (uint64, uint, int) {
	return acc | x>>n, n | 56, i + int((63-n)>>3)
}

// overrun reports whether more bits were consumed than the data held.
func (r *bitReader) overrun() bool { return r.n < r.pad }

// decode returns the value of the Huffman code at the top of acc (at least 16 bits) and its length; length 0:
// no such code.
func (t *huffTable) decode(acc uint64) (uint8, uint) {
	e := t.lut[acc>>(64-lutBits)]
	if e&0xFF == longCodes {
		e = t.long[int(e>>8)<<(16-lutBits)|int(acc>>(64-16))&(1<<(16-lutBits)-1)]
	}
	return uint8(e >> 8), uint(e & 0xFF)
}

// extend returns the s-bit magnitude at the top of acc with its sign extended (JPEG's RECEIVE and EXTEND),
// 1 ≤ s ≤ 16.
func extend(acc uint64, s uint) int32 {
	v := int32(acc >> (64 - s))
	if v < 1<<(s-1) {
		v += -1<<s + 1
	}
	return v
}

// end returns the offset of the marker that follows the data, when no whole byte of data is left unread.
func (r *bitReader) end() (int, error) {
	r.fill()
	if !r.stopped || r.n-r.pad >= 8 || r.i+1 >= len(r.b) {
		return r.i, errNotQuick
	}
	return r.i, nil
}
