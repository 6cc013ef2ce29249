package imaging

import (
	"encoding/binary"
	"math/bits"
	"sync"
)

// The entropy-coded data of a scan is first copied without its stuffed zeros and split at its restart markers
// (unstuff), so that the Huffman decoding reads plain bytes: no test for 0xFF on its path. The copy costs a
// pass at memory speed; it saves the tests and the byte-by-byte reads of the stuffed bytes, which are many in
// scans of documents (one byte in 15 of the police load's scans is a stuffed 0xFF).

// entropyData is the scan's data without stuffing: the intervals between restart markers end at ends, the
// i-th of them followed by the restart marker rst[i] (the last interval is followed by the marker that ends
// the scan). tailPad zero bytes follow the data in b.
type entropyData struct {
	b    []byte
	ends []int
	rst  []byte
}

// tailPad is the zero bytes after the data: a block reads at most 16 + 11 + 63 × (16 + 10) bits, 209 bytes,
// before its end is checked, and a refill loads 8 bytes. Past them, the reader supplies zero bits itself.
const tailPad = 256

var entropyBuffers = sync.Pool{New: func() any { return new(entropyData) }}

// unstuff copies the entropy-coded data of b that starts at i into e, and returns the offset of the marker
// that ends it (a 0xFF not followed by 0x00 or a restart marker). ok is false when no such marker comes.
func (e *entropyData) unstuff(b []byte, i int) (end int, ok bool) {
	out := e.b[:0]
	if need := len(b) - i + tailPad + 8; cap(out) < need {
		out = make([]byte, 0, need)
	}
	out = out[:cap(out)]
	e.ends, e.rst = e.ends[:0], e.rst[:0]
	o := 0
	for {
		if i, o, ok = copyThroughFF(out, b, i, o); !ok || i == len(b) {
			return i, false
		}
		switch m := b[i]; {
		case m == 0x00: // stuffed: the 0xFF stays
		case m >= 0xD0 && m <= 0xD7:
			o--
			e.ends, e.rst = append(e.ends, o), append(e.rst, m)
		default:
			o--
			e.ends = append(e.ends, o)
			clear(out[o : o+tailPad])
			e.b = out[:o+tailPad]
			return i - 1, true
		}
		i++
	}
}

// copyThroughFF copies b from i to out from o, up to and including the next 0xFF, and returns the offsets
// after it; ok is false when b has none. It copies 8 bytes at a time (the bytes stored past the 0xFF are
// overwritten by the next copy), so out has 8 bytes to spare.
func copyThroughFF(out, b []byte, i, o int) (int, int, bool) {
	for i+8 <= len(b) {
		x := binary.BigEndian.Uint64(b[i:])
		binary.BigEndian.PutUint64(out[o:], x)
		if ff := ffBytes(x); ff != 0 {
			k := bits.LeadingZeros64(ff)/8 + 1
			return i + k, o + k, true
		}
		i, o = i+8, o+8
	}
	for ; i < len(b); i, o = i+1, o+1 {
		if out[o] = b[i]; b[i] == 0xFF {
			return i + 1, o + 1, true
		}
	}
	return i, o, false
}

// bitReader reads one interval of the unstuffed data, most significant bit first. Bits asked for beyond the
// interval's end are an error, which overrun reports (checked once per block: the bits are read on, so a
// block that read past the end is still past it when it ends).
type bitReader struct {
	b   []byte // the whole data and its padding
	end int    // the interval's end in b
	i   int    // the next byte to read; beyond len(b), bytes of zeros that were never in b
	acc uint64 // n bits, left-aligned; the bits below them are zero or the data's next bits
	n   uint
}

func (r *bitReader) fill() {
	if r.n > 56 {
		return
	}
	if r.i+8 <= len(r.b) {
		r.acc, r.n, r.i = refill(binary.BigEndian.Uint64(r.b[r.i:]), r.i, r.acc, r.n)
		return
	}
	k := (63 - r.n) >> 3 // zeros past the padding: the bits below n are zeros already
	r.n += 8 * k
	r.i += int(k)
}

// refill tops acc (n bits) up to 56-63 bits from x, the 8 bytes at i, and returns the offset of the first
// byte it did not take whole: the bits it took of that byte are taken again, the same, by the next refill or
// fill (F. Giesen's "variant 4").
func refill(x uint64, i int, acc uint64, n uint) (uint64, uint, int) {
	return acc | x>>n, n | 56, i + int((63-n)>>3)
}

// read is the number of bits taken from the data.
func (r *bitReader) read() int { return 8*r.i - int(r.n) }

// overrun reports whether more bits were taken than the interval holds.
func (r *bitReader) overrun() bool { return r.read() > 8*r.end }

// atEnd reports whether the interval has been read to its end: what is left are fewer than 8 bits, the
// padding of its last byte.
func (r *bitReader) atEnd() bool { return (r.read()+7)/8 == r.end }

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
