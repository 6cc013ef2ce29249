package imaging

import (
	"image"

	"github.com/beian/beian/internal/problem"
)

// MeasureSide is the long side at which clarity is measured: about the resolution Fit sends on, so an image
// counts as sharp when it is sharp at the size reviewers will see. Measuring at full phone resolution would
// call every 12 MP photo blurred (a few pixels of blur vanish when it is scaled down); measuring smaller would
// hide blur that makes text unreadable.
const MeasureSide = 1024

// Clarity thresholds for credential photos and scans, on the 0-255 grey scale at MeasureSide. They refuse
// only clearly unusable images, leaving borderline ones to the human reviewer.
const (
	// MinSharpness is the variance of the Laplacian below which a document is refused as blurred. On the
	// synthetic page of the calibration test (14 px glyphs, 2 px strokes at MeasureSide) the page in focus
	// measures about 15 000, blurred by σ ≈ 1.4 px about 140, σ ≈ 2.4 px about 8 (soft but still legible:
	// accepted) and σ ≈ 3.5 px about 2.4 (illegible: refused). Real photos add sensor noise, which raises the
	// measure, so the threshold errs on the side of accepting; the reviewer judges the rest.
	MinSharpness = 5
	// MinMeanLuma is the mean grey level below which an image is refused as too dark. A page photographed
	// under ordinary room light averages 120-220; under 50 the text is lost in noise.
	MinMeanLuma = 50
)

// Grey returns img as 8-bit luma (ITU-R BT.601) scaled down by area averaging to a long side of at most
// maxSide (0: full size), row-major, with its width and height. An empty image, or one beyond MaxPixels or
// MaxSideLimit, gives no pixels.
func Grey(img image.Image, maxSide int) (pix []uint8, w, h int) {
	w, h = img.Bounds().Dx(), img.Bounds().Dy()
	if w <= 0 || h <= 0 || w > MaxSideLimit || h > MaxSideLimit || int64(w)*int64(h) > MaxPixels {
		return nil, 0, 0
	}
	if maxSide > 0 {
		w, h = scaleToLong(w, h, maxSide)
	}
	if plane, stride, ok := lumaPlane(img); ok {
		return resizePlane(plane, stride, img.Bounds().Dx(), img.Bounds().Dy(), w, h), w, h
	}
	m := resize(img, w, h)
	pix = make([]uint8, w*h)
	for y := range h {
		row := m.Pix[y*m.Stride:]
		for x := range w {
			r, g, b := int(row[4*x]), int(row[4*x+1]), int(row[4*x+2])
			pix[y*w+x] = uint8((299*r + 587*g + 114*b + 500) / 1000)
		}
	}
	return pix, w, h
}

// lumaPlane returns the pixels of img that already are its luma, with their row stride: the Y plane of a JPEG
// (JFIF's Y is the BT.601 luma of its RGB) or a grey image; ok is false for any other image.
func lumaPlane(img image.Image) (pix []uint8, stride int, ok bool) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.YCbCr:
		return m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride, true
	case *image.Gray:
		return m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, true
	}
	return nil, 0, false
}

// CheckClear is Check followed by CheckClarity with one decode of the file, and no conversion to RGBA when
// the file's pixels carry their luma (JPEG). The measures are taken on the image as stored: turning it by its
// EXIF orientation changes neither the mean nor the variance of the 4-neighbour Laplacian.
//
// A baseline JPEG that fits within MeasureSide is first read without decoding its pixels (scanDCT): when its
// DCT coefficients show it clearly sharp and bright (quickSharpness, quickLumaMargin) and its entropy-coded
// data is whole, it is accepted as it stands. Any other file is decoded and measured.
func CheckClear(b []byte, l Limit) (Info, error) {
	d, s, err := header(b, l, true)
	if err != nil {
		return d.info, err
	}
	if s.typ == JPEG && quickClear(b[:s.end], d.w, d.h) {
		return d.info, nil
	}
	d, err = decodePixels(b, d, s, true)
	if err != nil {
		return d.info, err
	}
	defer d.release()
	return d.info, CheckClarity(d.img)
}

// The margins of the fast path of CheckClear. Its sharpness estimate (see scanDCT) was 0.03 (heavy blur) to
// 2.9 (smooth waves) times the variance of the Laplacian on the pages, photos and waves of
// TestQuickClearVerdicts; for a picture blurred below MinSharpness, the slopes meeting block edges add to it
// about 50 at most (a full-contrast sinusoid; 14 measured on waves of 64 px). Mean levels agreed within 0.3;
// the padding of partial blocks can move the estimate by a few levels on a small image.
const (
	quickSharpness  = 20 * MinSharpness
	quickLumaMargin = 16
)

// quickClear reports whether the baseline JPEG b of w×h stored pixels is, by its DCT coefficients, clearly
// sharp and bright enough. False means "not shown", never "blurred".
func quickClear(b []byte, w, h int) bool {
	if max(w, h) > MeasureSide {
		return false // measured after a reduction, which the coefficients do not show
	}
	st, err := scanDCT(b)
	return err == nil && st.width == w && st.height == h && st.mean() >= MinMeanLuma+quickLumaMargin &&
		st.laplacian() >= quickSharpness
}

// Sharpness is the variance of the Laplacian of img's luma at MeasureSide: high when there are crisp edges,
// low when the image is blurred or featureless. It compares images of similar content; a blank wall is
// "blurred" too.
func Sharpness(img image.Image) float64 {
	pix, w, h := Grey(img, MeasureSide)
	return LaplacianVariance(pix, w, h)
}

// MeanLuma is the mean luma of img, 0 (black) to 255 (white).
func MeanLuma(img image.Image) float64 {
	pix, _, _ := Grey(img, MeasureSide)
	return Mean(pix)
}

// Mean is the mean of grey pixels; 0 for none.
func Mean(pix []uint8) float64 {
	if len(pix) == 0 {
		return 0
	}
	var sum int64
	for _, v := range pix {
		sum += int64(v)
	}
	return float64(sum) / float64(len(pix))
}

// LaplacianVariance is the variance of the 4-neighbour Laplacian over the interior of a w×h grey image;
// 0 when it has no interior.
func LaplacianVariance(pix []uint8, w, h int) float64 {
	if w < 3 || h < 3 || len(pix) < w*h {
		return 0
	}
	var sum, sq int64 // |l| ≤ 1020: exact below 8·10^12 pixels
	for y := 1; y < h-1; y++ {
		row, up, down := pix[y*w:(y+1)*w], pix[(y-1)*w:], pix[(y+1)*w:]
		for x := 1; x < w-1; x++ {
			l := 4*int64(row[x]) - int64(row[x-1]) - int64(row[x+1]) - int64(up[x]) - int64(down[x])
			sum += l
			sq += l * l
		}
	}
	n := float64((w - 2) * (h - 2))
	m := float64(sum) / n
	return float64(sq)/n - m*m
}

// CheckClarity refuses a credential photo or scan that is too dark (imaging.too_dark, param luma) or
// blurred (imaging.blurred, param sharpness), using MinMeanLuma and MinSharpness.
func CheckClarity(img image.Image) error {
	pix, w, h := Grey(img, MeasureSide)
	if l := Mean(pix); l < MinMeanLuma {
		return problem.Invalidf("imaging.too_dark", "", "luma", itoa(int(l)))
	}
	if s := LaplacianVariance(pix, w, h); s < MinSharpness {
		return problem.Invalidf("imaging.blurred", "", "sharpness", itoa(int(s)))
	}
	return nil
}
