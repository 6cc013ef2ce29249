package imaging

import (
	"slices"

	"github.com/beian/beian/internal/problem"
)

// FitAll is Fit for several limits at once, decoding the upload once: a material is kept re-encoded and
// copied for MIIT and the police platform from one decode, which is most of the cost of a phone photo. Each
// output is what Fit(b, l) promises for its limit (a baseline JPEG within l.MaxBytes, never below l.MinSide,
// no EXIF, GPS or other metadata); it is not byte-identical to Fit's, because smaller outputs are reduced from
// the largest one rather than from the source. Errors are Fit's: those of the file (as Check), then
// imaging.too_small for the first limit whose MinSide the image cannot reach, imaging.cannot_fit. The Info
// describes the upload, its EXIF included (read before it is dropped).
func FitAll(b []byte, ls ...Limit) (Info, [][]byte, error) {
	// Each limit's own minimum is checked after the load, so that the error names the limit that refused.
	d, err := load(b, Limit{Name: "fit_all", MaxBytes: Upload.MaxBytes, Types: []Type{JPEG, PNG, PDF}}, true)
	if err != nil {
		return d.info, nil, err
	}
	sw, sh := d.img.Bounds().Dx(), d.img.Bounds().Dy()
	for _, l := range ls {
		if l.MinSide > 0 && min(sw, sh) < l.MinSide {
			d.release()
			return d.info, nil, problem.Invalidf("imaging.too_small", "", "width", itoa(d.info.Width),
				"height", itoa(d.info.Height), "min", itoa(l.MinSide))
		}
	}
	sides := make([]int, len(ls))
	for i, l := range ls {
		sides[i] = l.MaxSide
		if sides[i] <= 0 {
			sides[i] = DefaultMaxSide
		}
	}
	w, h := scaleToLong(sw, sh, slices.Max(sides))
	base := orient(resize(d.img, w, h), d.info.EXIF.Orientation)
	d.release()
	d.img = nil
	out := make([][]byte, len(ls))
	for i, l := range ls {
		m := base
		if bw, bh := base.Bounds().Dx(), base.Bounds().Dy(); sides[i] < max(bw, bh) {
			w, h := scaleToLong(bw, bh, sides[i])
			m = resize(base, w, h)
		}
		if out[i], err = fitImage(m, l); err != nil {
			return d.info, nil, err
		}
	}
	return d.info, out, nil
}
