// Package recapture looks for the signs that a photo was taken of a screen or of a print instead of the
// credential or the person (不可以翻拍), and flags them for the reviewer (docs/verification.md,
// "Recapture signs"):
//
//   - a periodic pattern: a screen's pixel grid or a print's halftone dots beat against the camera's sensor
//     and leave moiré, which shows as isolated peaks in the power spectrum where a real scene has a smooth
//     one (Periodicity);
//   - a screen border: a dark, uniform frame on three or four sides around a bright picture (Border);
//   - editing software named in the EXIF Software tag (Editor).
//
// Each is a sign, not proof, and the thresholds were measured on generated images (see the tests): a
// recapture made with care (a high-resolution screen photographed slightly out of focus, cropped, metadata
// stripped) shows none of them, and a black desk makes a border. So the signs are shown to the reviewer and
// never refuse an upload on their own.
package recapture

import (
	"image"
	"slices"
	"sort"
	"strings"

	"github.com/beian/beian/internal/imaging"
)

// Signs is what Inspect found.
type Signs struct {
	// Periodicity is the strongest isolated peak of the power spectrum, as a multiple of the typical power
	// at the same frequency (the median of its ring), in the channel where it is strongest.
	Periodicity float64 `json:"periodicity"`
	// Border: a dark uniform frame was found on at least three sides.
	Border bool `json:"border"`
	// Editor is the EXIF Software value when it names editing software.
	Editor string `json:"editor,omitempty"`
	// Findings are the codes of the signs found: recapture.moire, recapture.screen_border,
	// recapture.edited.
	Findings []string `json:"findings"`
}

// Found reports whether any sign was found.
func (s Signs) Found() bool { return len(s.Findings) > 0 }

// MoireThreshold is the Periodicity above which recapture.moire is reported. Measured on the test images
// (recapture_test.go; the table is in docs/verification.md): document photos as rendered, photographed tilted,
// blurred, dim and on a desk, and the face photo measure 3 to 165; a photo turned by a non-right angle in an
// editor (whose resampling is itself periodic) up to 135; screens and halftone prints photographed at an
// angle 1900 and more. The threshold sits between, nearer the genuine side's ten-fold margin.
const MoireThreshold = 500

// workSide is the long side the image is measured at: what survives the phone's own downscaling.
const workSide = 1600

// Inspect decodes a JPEG or PNG photo (checked like any photo upload) and looks for the signs.
func Inspect(b []byte) (Signs, error) {
	m, info, err := imaging.Decode(b, imaging.Photo, workSide)
	if err != nil {
		return Signs{}, err
	}
	s := Measure(m)
	if e := Editor(info.EXIF.Software); e != "" {
		s.Editor = e
		s.Findings = append(s.Findings, "recapture.edited")
	}
	return s, nil
}

// Measure looks for the signs in the pixels.
func Measure(m *image.RGBA) Signs {
	s := Signs{Findings: []string{}}
	s.Periodicity = Periodicity(m)
	if s.Periodicity > MoireThreshold {
		s.Findings = append(s.Findings, "recapture.moire")
	}
	if s.Border = Border(m); s.Border {
		s.Findings = append(s.Findings, "recapture.screen_border")
	}
	return s
}

// Spectrum analysis: tiles of tile×tile pixels on a regular grid (at most maxTiles), Hann-windowed, their
// power spectra averaged (Welch's method: the scene varies from tile to tile and averages out, a periodic
// pattern is the same everywhere and adds up). Frequencies below minRadius cycles per tile (the layout, text
// lines) and the bands next to the axes (JPEG's 8-pixel blocks, straight edges) are not looked at.
const (
	tile      = 128
	maxTiles  = 24
	minRadius = 6
)

// Periodicity returns the peak-to-ring-median ratio of the averaged power spectrum, the largest of the luma
// and the two colour-difference channels (a screen's red, green and blue subpixels make colour moiré on a
// black-and-white document).
func Periodicity(m *image.RGBA) float64 {
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	if w < tile || h < tile {
		return 0
	}
	nx, ny := w/tile, h/tile
	for nx*ny > maxTiles {
		if nx >= ny {
			nx--
		} else {
			ny--
		}
	}
	window := hann(tile)
	spectra := [3][]float64{make([]float64, tile*tile), make([]float64, tile*tile), make([]float64, tile*tile)}
	block := [3][]float64{make([]float64, tile*tile), make([]float64, tile*tile), make([]float64, tile*tile)}
	for ty := range ny {
		for tx := range nx {
			x0, y0 := tx*(w-tile)/max(nx-1, 1), ty*(h-tile)/max(ny-1, 1)
			for y := range tile {
				row := m.Pix[m.PixOffset(x0, y0+y):]
				for x := range tile {
					r, g, b := float64(row[4*x]), float64(row[4*x+1]), float64(row[4*x+2])
					block[0][y*tile+x] = 0.299*r + 0.587*g + 0.114*b
					block[1][y*tile+x] = r - g
					block[2][y*tile+x] = b - g
				}
			}
			for c := range 3 {
				for i, p := range power2D(block[c], tile, window) {
					spectra[c][i] += p
				}
			}
		}
	}
	best := 0.0
	for c := range 3 {
		best = max(best, peakRatio(spectra[c]))
	}
	return best
}

// peakRatio is the largest ratio of a bin's power to the median power around it (the bins 3 to 4 away in
// either direction): a periodic pattern is a spike, while the edges and textures of a real scene spread
// their power over neighbouring frequencies. Only the half-plane is scanned (a real image's spectrum is
// symmetric).
func peakRatio(p []float64) float64 {
	at := func(x, y int) float64 { return p[((y+tile)%tile)*tile+(x+tile)%tile] }
	best := 0.0
	var around []float64
	for y := 2; y < tile/2; y++ {
		for x := -tile/2 + 1; x < tile/2; x++ {
			if x >= -1 && x <= 1 {
				continue
			}
			if r := radius(x, y); r < minRadius || r >= tile/2 {
				continue
			}
			around = around[:0]
			for dy := -4; dy <= 4; dy++ {
				for dx := -4; dx <= 4; dx++ {
					if max(abs(dx), abs(dy)) >= 3 {
						around = append(around, at(x+dx, y+dy))
					}
				}
			}
			sort.Float64s(around)
			if m := around[len(around)/2]; m > 0 {
				best = max(best, at(x, y)/m)
			}
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func radius(x, y int) float64 {
	return sqrt(float64(x*x + y*y))
}

// Border: the outer strips (a sixth of each side) are scanned inwards; a side has a screen border when
// borderMin lines in a row are dark (mean luma under borderLuma) and uniform (standard deviation under
// borderFlat) and a bright picture (mean luma over borderInside) follows within the strip.
const (
	borderMin    = 8
	borderLuma   = 45
	borderFlat   = 10
	borderInside = 110
)

// Border reports a dark uniform frame around a bright picture on at least three sides.
func Border(m *image.RGBA) bool {
	pix, w, h := imaging.Grey(m, 800)
	if w < 100 || h < 100 {
		return false
	}
	// line(side, k) is the k-th row or column from that side's edge.
	line := func(side, k int) []uint8 {
		out := make([]uint8, 0, max(w, h))
		switch side {
		case 0:
			out = append(out, pix[k*w:(k+1)*w]...)
		case 1:
			out = append(out, pix[(h-1-k)*w:(h-k)*w]...)
		case 2, 3:
			x := k
			if side == 3 {
				x = w - 1 - k
			}
			for y := range h {
				out = append(out, pix[y*w+x])
			}
		}
		// the middle 80 %: the corners belong to two sides
		n := len(out)
		return out[n/10 : n-n/10]
	}
	sides := 0
	for side := range 4 {
		depth := h / 6
		if side >= 2 {
			depth = w / 6
		}
		if frameOn(func(k int) []uint8 { return line(side, k) }, depth) {
			sides++
		}
	}
	return sides >= 3
}

// frameOn: within depth lines of the edge, a run of at least borderMin dark flat lines (possibly after a
// desk or a hand) followed by a bright line.
func frameOn(line func(int) []uint8, depth int) bool {
	dark := func(k int) bool { mean, sd := stats(line(k)); return mean < borderLuma && sd < borderFlat }
	k := 0
	for k < depth && !dark(k) {
		k++
	}
	start := k
	for k < depth && dark(k) {
		k++
	}
	if k-start < borderMin {
		return false
	}
	for ; k < depth; k++ {
		if mean, _ := stats(line(k)); mean > borderInside {
			return true
		}
	}
	return false
}

func stats(v []uint8) (mean, sd float64) {
	for _, x := range v {
		mean += float64(x)
	}
	mean /= float64(len(v))
	for _, x := range v {
		d := float64(x) - mean
		sd += d * d
	}
	return mean, sqrt(sd / float64(len(v)))
}

// editors are names of editing software as they appear in EXIF Software (lower case). Phone cameras write
// their firmware there ("HDR+ 1.0", "MediaTek Camera Application", an iOS version), which is no sign.
var editors = []string{"photoshop", "lightroom", "gimp", "snapseed", "picsart", "meitu", "美图", "醒图", "xingtu",
	"canva", "pixelmator", "affinity", "paint.net", "acdsee", "photoscape", "facetune", "vsco", "polarr",
	"fotor", "wps", "photo editor", "faceapp", "b612"}

// Editor returns software when it names an editor, else "".
func Editor(software string) string {
	s := strings.ToLower(software)
	if slices.ContainsFunc(editors, func(e string) bool { return strings.Contains(s, e) }) {
		return software
	}
	return ""
}
