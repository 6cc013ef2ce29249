package imaging

import (
	"image"
	"image/color"
	"math"
)

// span is the source range one output pixel covers and the weight of each source pixel in it.
type span struct {
	start int
	w     []float32
}

// spans returns, for each of d output pixels, the source pixels of s that it covers and their share of the
// area (weights sum to 1). d ≤ s.
func spans(s, d int) []span {
	scale := float64(s) / float64(d)
	out := make([]span, d)
	for x := range out {
		lo, hi := float64(x)*scale, float64(x+1)*scale
		i0, i1 := int(math.Floor(lo)), min(int(math.Ceil(hi)), s)
		w := make([]float32, 0, i1-i0)
		for i := i0; i < i1; i++ {
			w = append(w, float32((math.Min(hi, float64(i+1))-math.Max(lo, float64(i)))/scale))
		}
		out[x] = span{start: i0, w: w}
	}
	return out
}

// resize scales src down to dw×dh by area averaging: each output pixel is the mean of the source area it
// covers, which keeps thin strokes (text, signatures) as grey rather than dropping them as point sampling
// would. It never scales up (dw, dh are clamped to the source size) and flattens transparency onto white.
// Rows are converted and reduced one at a time, so memory beyond the source is a few rows plus the output.
func resize(src image.Image, dw, dh int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh = max(1, min(dw, sw)), max(1, min(dh, sh))
	xs, ys := spans(sw, dw), spans(sh, dh)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	srow := make([]float32, 3*sw)
	hrow := make([]float32, 3*dw)
	acc := make([]float32, 3*dw)
	last := -1
	for y := range dh {
		clear(acc)
		for k, wy := range ys[y].w {
			j := ys[y].start + k
			if j != last { // adjacent output rows share one source row: reduce it once
				readRow(src, b.Min.X, b.Min.Y+j, sw, srow)
				reduceRow(srow, xs, hrow)
				last = j
			}
			for i, v := range hrow {
				acc[i] += wy * v
			}
		}
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*dw]
		for x := range dw {
			row[4*x] = clamp8(acc[3*x])
			row[4*x+1] = clamp8(acc[3*x+1])
			row[4*x+2] = clamp8(acc[3*x+2])
			row[4*x+3] = 0xFF
		}
	}
	return dst
}

// resizePlane scales a sw×sh plane of 8-bit samples (row stride stride) down to dw×dh by area averaging, as
// resize does for colour; at the same size it copies.
func resizePlane(src []uint8, stride, sw, sh, dw, dh int) []uint8 {
	dw, dh = max(1, min(dw, sw)), max(1, min(dh, sh))
	out := make([]uint8, dw*dh)
	if dw == sw && dh == sh {
		for y := range dh {
			copy(out[y*dw:(y+1)*dw], src[y*stride:])
		}
		return out
	}
	xs, ys := spans(sw, dw), spans(sh, dh)
	hrow := make([]float32, dw)
	acc := make([]float32, dw)
	for y := range dh {
		clear(acc)
		for k, wy := range ys[y].w {
			row := src[(ys[y].start+k)*stride:]
			for x, s := range xs {
				var v float32
				for i, w := range s.w {
					v += w * float32(row[s.start+i])
				}
				hrow[x] = v
			}
			for x, v := range hrow {
				acc[x] += wy * v
			}
		}
		for x, v := range acc {
			out[y*dw+x] = clamp8(v)
		}
	}
	return out
}

func reduceRow(src []float32, xs []span, out []float32) {
	for x, s := range xs {
		var r, g, b float32
		p := src[3*s.start:]
		for k, w := range s.w {
			r += w * p[3*k]
			g += w * p[3*k+1]
			b += w * p[3*k+2]
		}
		out[3*x], out[3*x+1], out[3*x+2] = r, g, b
	}
}

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// readRow writes row y of src as RGB values 0-255 flattened onto white, n pixels from x0.
func readRow(src image.Image, x0, y, n int, out []float32) {
	switch m := src.(type) {
	case *image.YCbCr:
		yi := m.YOffset(x0, y)
		for x := range n {
			ci := m.COffset(x0+x, y)
			r, g, b := color.YCbCrToRGB(m.Y[yi+x], m.Cb[ci], m.Cr[ci])
			out[3*x], out[3*x+1], out[3*x+2] = float32(r), float32(g), float32(b)
		}
	case *image.Gray:
		p := m.Pix[m.PixOffset(x0, y):]
		for x := range n {
			v := float32(p[x])
			out[3*x], out[3*x+1], out[3*x+2] = v, v, v
		}
	case *image.RGBA: // premultiplied: over white is c + (255 - a)
		p := m.Pix[m.PixOffset(x0, y):]
		for x := range n {
			bg := float32(255 - p[4*x+3])
			out[3*x], out[3*x+1], out[3*x+2] = float32(p[4*x])+bg, float32(p[4*x+1])+bg, float32(p[4*x+2])+bg
		}
	case *image.NRGBA:
		p := m.Pix[m.PixOffset(x0, y):]
		for x := range n {
			a := float32(p[4*x+3]) / 255
			bg := 255 * (1 - a)
			out[3*x], out[3*x+1], out[3*x+2] = float32(p[4*x])*a+bg, float32(p[4*x+1])*a+bg, float32(p[4*x+2])*a+bg
		}
	default: // CMYK, paletted, 16-bit: the generic path, premultiplied 16-bit
		for x := range n {
			r, g, b, a := src.At(x0+x, y).RGBA()
			bg := float32(0xFFFF - a)
			out[3*x], out[3*x+1], out[3*x+2] = (float32(r)+bg)/257, (float32(g)+bg)/257, (float32(b)+bg)/257
		}
	}
}

// orient returns m turned as EXIF orientation o says it should be displayed (1 or unknown: m itself).
func orient(m *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return m
	}
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	// src maps a displayed pixel to the stored one.
	var src func(x, y int) (int, int)
	switch o {
	case 2: // mirrored horizontally
		src = func(x, y int) (int, int) { return w - 1 - x, y }
	case 3: // rotated 180°
		src = func(x, y int) (int, int) { return w - 1 - x, h - 1 - y }
	case 4: // mirrored vertically
		src = func(x, y int) (int, int) { return x, h - 1 - y }
	case 5: // transposed
		src = func(x, y int) (int, int) { return y, x }
	case 6: // to be turned 90° clockwise
		src = func(x, y int) (int, int) { return y, h - 1 - x }
	case 7: // transversed
		src = func(x, y int) (int, int) { return w - 1 - y, h - 1 - x }
	case 8: // to be turned 90° counter-clockwise
		src = func(x, y int) (int, int) { return w - 1 - y, x }
	}
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := range oh {
		for x := range ow {
			sx, sy := src(x, y)
			copy(out.Pix[out.PixOffset(x, y):out.PixOffset(x, y)+4], m.Pix[m.PixOffset(sx, sy):m.PixOffset(sx, sy)+4])
		}
	}
	return out
}
