package imaging

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"slices"
	"sync"

	"github.com/beian/beian/internal/problem"
)

// Info describes an accepted file.
type Info struct {
	Type  Type
	Bytes int
	// Width and Height are in pixels as the image is displayed, EXIF orientation applied; 0 for a PDF.
	Width, Height int
	EXIF          EXIF // JPEG capture metadata; Present is false for PNG, PDF and JPEGs without it
}

// Inspect checks an upload against the Upload limit: Check(b, Upload).
func Inspect(b []byte) (Info, error) {
	return Check(b, Upload)
}

// Check validates b against l without converting it, in order of cost:
//
//   - size: imaging.empty, l.TooLargeCode or imaging.too_large (params size, max);
//   - content type and structure (see Detect), then a type in l.Types: imaging.unsupported_type (params got,
//     allowed);
//   - for images, dimensions from the header before any pixel is decoded: sides up to MaxSideLimit, at most
//     MaxPixels and an estimated MaxDecodeBytes, else imaging.too_many_pixels (params width, height,
//     max_megapixels); a short side of at least l.MinSide, else imaging.too_small (params width, height, min);
//   - a full decode, which catches truncated and corrupt pixel data: imaging.corrupt.
//
// A PDF is checked for structure and active content only; its pages are not rendered.
func Check(b []byte, l Limit) (Info, error) {
	d, err := load(b, l, false)
	return d.info, err
}

// Decode is Check followed by conversion to an opaque RGBA image as displayed: scaled down (area averaging)
// so that its long side is at most maxSide (0: not scaled), transparency flattened onto white, EXIF
// orientation applied. Info describes the file, not the scaled image. PDFs are refused
// (imaging.pdf_not_image) as they cannot be rendered here.
func Decode(b []byte, l Limit, maxSide int) (*image.RGBA, Info, error) {
	d, err := load(b, l, true)
	if err != nil {
		return nil, d.info, err
	}
	defer d.release()
	w, h := d.img.Bounds().Dx(), d.img.Bounds().Dy()
	if maxSide > 0 {
		w, h = scaleToLong(w, h, maxSide)
	}
	return orient(resize(d.img, w, h), d.info.EXIF.Orientation), d.info, nil
}

// decoded is a loaded file; release returns its share of the decode budget.
type decoded struct {
	info    Info
	img     image.Image // stored orientation; nil unless kept
	w, h    int         // dimensions as stored, before the EXIF orientation
	release func()
}

func load(b []byte, l Limit, keep bool) (decoded, error) {
	d, s, err := header(b, l, keep)
	if err != nil || s.typ == PDF {
		return d, err
	}
	return decodePixels(b, d, s, keep)
}

// header runs the checks of load that decode no pixel: size, type, structure and the dimensions in the header.
func header(b []byte, l Limit, keep bool) (decoded, scan, error) {
	d := decoded{release: func() {}}
	d.info.Bytes = len(b)
	if len(b) == 0 {
		return d, scan{}, problem.Invalidf("imaging.empty", "")
	}
	if l.MaxBytes > 0 && len(b) > l.MaxBytes {
		code := l.TooLargeCode
		if code == "" {
			code = "imaging.too_large"
		}
		return d, scan{}, problem.Invalidf(code, "", "size", kb(len(b), true), "max", kb(l.MaxBytes, false))
	}
	s, err := detect(b)
	d.info.Type = s.typ
	if pe, ok := err.(*problem.Error); ok && pe.Code == "imaging.unsupported_type" && len(l.Types) > 0 {
		return d, s, unsupported(pe.Params["got"], l.Types) // what this limit takes, not every type known
	}
	if err != nil {
		return d, s, err
	}
	if len(l.Types) > 0 && !slices.Contains(l.Types, s.typ) {
		return d, s, unsupported(s.typ.Label(), l.Types)
	}
	if s.typ == PDF {
		if keep {
			return d, s, problem.Invalidf("imaging.pdf_not_image", "")
		}
		return d, s, nil
	}

	var cfg image.Config
	if s.typ == JPEG {
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(b))
	} else {
		cfg, err = png.DecodeConfig(bytes.NewReader(b))
	}
	if err != nil {
		return d, s, corrupt(err)
	}
	if s.exif != nil {
		d.info.EXIF = parseEXIF(s.exif)
	}
	w, h := cfg.Width, cfg.Height
	if w <= 0 || h <= 0 {
		return d, s, corrupt(nil)
	}
	d.w, d.h = w, h
	d.info.Width, d.info.Height = w, h
	if d.info.EXIF.Orientation >= 5 {
		d.info.Width, d.info.Height = h, w
	}
	need := decodeBytes(s, w, h)
	if w > MaxSideLimit || h > MaxSideLimit || int64(w)*int64(h) > MaxPixels || need > MaxDecodeBytes {
		return d, s, problem.Invalidf("imaging.too_many_pixels", "", "width", itoa(d.info.Width),
			"height", itoa(d.info.Height), "max_megapixels", itoa(MaxPixels/1_000_000))
	}
	if l.MinSide > 0 && min(w, h) < l.MinSide {
		return d, s, problem.Invalidf("imaging.too_small", "", "width", itoa(d.info.Width),
			"height", itoa(d.info.Height), "min", itoa(l.MinSide))
	}
	return d, s, nil
}

// decodePixels decodes the image whose header load checked, within the decode budget; with keep, d.img holds
// it until d.release.
func decodePixels(b []byte, d decoded, s scan, keep bool) (decoded, error) {
	w, h := d.w, d.h
	held := decodeBudget.acquire(decodeBytes(s, w, h))
	var once sync.Once
	release := func() { once.Do(func() { decodeBudget.release(held) }) }
	var img image.Image
	var err error
	if s.typ == JPEG {
		img, err = jpeg.Decode(bytes.NewReader(b[:s.end]))
	} else {
		img, err = png.Decode(bytes.NewReader(b[:s.end]))
	}
	if err == nil && (img.Bounds().Dx() != w || img.Bounds().Dy() != h) {
		err = errSizeMismatch
	}
	if err != nil {
		release()
		return d, corrupt(err)
	}
	if !keep {
		img = nil // dead before release, so that the collection a waiting decode runs can free it
		release()
		return d, nil
	}
	d.img, d.release = img, release
	return d, nil
}

var errSizeMismatch = errors.New("decoded size differs from the header")

// decodeBytes estimates the memory image/jpeg or image/png needs for a w×h image, conservatively.
func decodeBytes(s scan, w, h int) int64 {
	px := int64(w) * int64(h)
	var per int64
	if s.typ == JPEG {
		c := int64(s.components)
		if c < 1 || c > 4 {
			c = 4
		}
		per = c // planes, as if not subsampled
		if s.progressive {
			per += 4 * c // int32 coefficients per sample, kept until the end
		}
		if c >= 3 {
			per += 4 // conversion to RGBA/CMYK for RGB and 4-component files
		}
		return px * per
	}
	switch {
	case s.pngColour == 3 || s.pngColour == 0 && s.pngDepth <= 8:
		per = 1
	case s.pngColour == 0:
		per = 2
	case s.pngDepth == 16:
		per = 8
	default:
		per = 4
	}
	if s.pngInterlace {
		per *= 2
	}
	return px * per
}

// scaleToLong returns w×h scaled so that the long side is at most long, keeping the aspect ratio; never larger.
func scaleToLong(w, h, long int) (int, int) {
	if long <= 0 || max(w, h) <= long {
		return w, h
	}
	if w >= h {
		return long, max(1, (h*long+w/2)/w)
	}
	return max(1, (w*long+h/2)/h), long
}
