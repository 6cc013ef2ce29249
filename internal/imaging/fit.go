package imaging

import (
	"bytes"
	"image"
	"image/jpeg"

	"github.com/beian/beian/internal/problem"
)

// Quality ladder of Fit. 60 is where JPEG text on a light background stays crisp; below it ringing shows
// around strokes, so lower qualities are only tried at the smallest size.
const (
	fitPreferredMinQuality = 60
	fitMinQuality          = 40
	fitStep                = 0.85 // each smaller size is 85 % of the previous long side
)

// Fit re-encodes a JPEG or PNG upload as a JPEG of at most l.MaxBytes while keeping it legible:
//
//  1. decode under the Upload byte limit and the decompression-bomb limits (errors as Check; a PDF gives
//     imaging.pdf_not_image; a short side under l.MinSide gives imaging.too_small);
//  2. scale down by area averaging to a long side of l.MaxSide (DefaultMaxSide if 0; never up), flatten
//     transparency onto white and apply the EXIF orientation;
//  3. from that size down in steps of 15 % (never below a short side of l.MinSide), take the first size that
//     fits at quality 60, then the highest of 85, 75, 65 that still fits at that size;
//  4. if even the smallest size does not fit at 60, try it at 55, 50, 45 and 40;
//  5. otherwise imaging.cannot_fit (param max).
//
// The output is a baseline JPEG written by image/jpeg: no EXIF (so no GPS, no capture data), no XMP, no ICC
// profile, no comment and nothing after the EOI.
func Fit(b []byte, l Limit) ([]byte, error) {
	d, err := load(b, Limit{Name: l.Name, MaxBytes: Upload.MaxBytes, Types: []Type{JPEG, PNG, PDF}, MinSide: l.MinSide}, true)
	if err != nil {
		return nil, err
	}
	maxSide := l.MaxSide
	if maxSide <= 0 {
		maxSide = DefaultMaxSide
	}
	sw, sh := d.img.Bounds().Dx(), d.img.Bounds().Dy()
	w, h := scaleToLong(sw, sh, maxSide)
	base := orient(resize(d.img, w, h), d.info.EXIF.Orientation)
	d.release()
	d.img = nil
	return fitImage(base, l)
}

// fitImage runs the size and quality ladder of Fit on an image already at its largest output size.
func fitImage(base *image.RGBA, l Limit) ([]byte, error) {
	var buf bytes.Buffer
	encode := func(m image.Image, q int) ([]byte, bool) {
		buf.Reset()
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
			return nil, false
		}
		if buf.Len() > l.MaxBytes {
			return nil, false
		}
		return bytes.Clone(buf.Bytes()), true
	}
	var smallest *image.RGBA
	for _, L := range ladder(base.Bounds().Dx(), base.Bounds().Dy(), l.MinSide) {
		m := base
		if bw, bh := base.Bounds().Dx(), base.Bounds().Dy(); L < max(bw, bh) {
			w, h := scaleToLong(bw, bh, L)
			m = resize(base, w, h)
		}
		smallest = m
		out, ok := encode(m, fitPreferredMinQuality)
		if !ok {
			continue
		}
		// The highest of 85, 75, 65 that fits, in two encodes.
		if o75, ok := encode(m, 75); ok {
			if o85, ok := encode(m, 85); ok {
				return o85, nil
			}
			return o75, nil
		}
		if o65, ok := encode(m, 65); ok {
			return o65, nil
		}
		return out, nil
	}
	for q := fitPreferredMinQuality - 5; q >= fitMinQuality; q -= 5 {
		if out, ok := encode(smallest, q); ok {
			return out, nil
		}
	}
	return nil, problem.Invalidf("imaging.cannot_fit", "", "max", kb(l.MaxBytes, false))
}

// ladder returns the long sides Fit tries for a w×h image, largest first: w×h itself, then 85 % steps while
// the short side stays at least minSide, then the size whose short side is exactly minSide.
func ladder(w, h, minSide int) []int {
	long, short := max(w, h), min(w, h)
	// the long side at which the short side is minSide (rounded up so the short side is not below it)
	floor := 1
	if minSide > 0 {
		floor = (minSide*long + short - 1) / short
	}
	sizes := []int{long}
	for L := float64(long) * fitStep; int(L) > floor; L *= fitStep {
		sizes = append(sizes, int(L))
	}
	if floor < sizes[len(sizes)-1] {
		sizes = append(sizes, floor)
	}
	return sizes
}
