package imaging

import "encoding/binary"

// bitReader reads the entropy-coded data of a JPEG scan, most significant bit first, removing the stuffed
// zero after each 0xFF data byte. It stops at the first marker: bits asked for beyond it are an error, which
// overrun reports (checked once per block: once the data has ended, the bits left only decrease, so a block
// that read past the end is still past it when it ends).
type bitReader struct {
	b       []byte
	i       int    // next byte to read
	acc     uint64 // n bits, left-aligned
	n       uint
	pad     uint // zero bits appended at the bottom of acc after the data ended
	stopped bool // at a marker (b[i] is its 0xFF) or at the end of b
}

func (r *bitReader) fill() {
	if !r.stopped && r.i+8 <= len(r.b) {
		// Eight bytes at once when none is 0xFF (no stuffing, no marker): the whole bytes that fit.
		x := binary.BigEndian.Uint64(r.b[r.i:])
		if t := ^x; (t-0x0101010101010101)&^t&0x8080808080808080 == 0 {
			k := (64 - r.n) / 8
			r.acc |= x >> (64 - 8*k) << (64 - 8*k) >> r.n
			r.n += 8 * k
			r.i += int(k)
			return
		}
	}
	for r.n <= 56 {
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

// overrun reports whether more bits were consumed than the data held.
func (r *bitReader) overrun() bool { return r.n < r.pad }

// decode returns the value of the Huffman code at the top of acc (at least 16 bits) and its length; length 0:
// no such code.
func (t *huffTable) decode(acc uint64) (uint8, uint) {
	if e := t.lut[acc>>(64-lutBits)]; e != 0 {
		return uint8(e >> 8), uint(e & 0xFF)
	}
	return t.decodeLong(acc)
}

// decodeLong is decode for the codes longer than lutBits.
func (t *huffTable) decodeLong(acc uint64) (uint8, uint) {
	for l := lutBits + 1; l <= 16; l++ {
		if code := int32(acc >> (64 - l)); code <= t.maxCode[l] {
			return t.vals[t.valPtr[l]+code], uint(l)
		}
	}
	return 0, 0
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
