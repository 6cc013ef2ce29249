// Package imagetest makes test images for the imaging and face checks: blurring and encoding, shared by the
// tests of internal/imaging, internal/face and the end-to-end tests.
package imagetest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Blur is three box blurs of radius r (σ ≈ √(r(r+1))), a cheap Gaussian for making unsharp test photos.
func Blur(src *image.RGBA, r int) *image.RGBA {
	m := src
	for range 3 {
		m = boxBlur(m, r)
	}
	return m
}

func boxBlur(src *image.RGBA, r int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	out := src
	// Two passes (rows, then columns) of a sliding-window mean with clamped edges: O(1) per pixel.
	for pass := range 2 {
		dst := image.NewRGBA(b)
		lines, length := h, w
		if pass == 1 {
			lines, length = w, h
		}
		at := func(line, k int) int { // Pix offset of pixel k on a line
			k = min(max(k, 0), length-1)
			if pass == 0 {
				return out.PixOffset(k, line)
			}
			return out.PixOffset(line, k)
		}
		n := 2*r + 1
		for line := range lines {
			var s [3]int
			for k := -r; k <= r; k++ {
				i := at(line, k)
				s[0], s[1], s[2] = s[0]+int(out.Pix[i]), s[1]+int(out.Pix[i+1]), s[2]+int(out.Pix[i+2])
			}
			for k := range length {
				var o int
				if pass == 0 {
					o = dst.PixOffset(k, line)
				} else {
					o = dst.PixOffset(line, k)
				}
				dst.Pix[o], dst.Pix[o+1], dst.Pix[o+2], dst.Pix[o+3] = uint8(s[0]/n), uint8(s[1]/n), uint8(s[2]/n), 0xFF
				add, sub := at(line, k+r+1), at(line, k-r)
				for c := range 3 {
					s[c] += int(out.Pix[add+c]) - int(out.Pix[sub+c])
				}
			}
		}
		out = dst
	}
	return out
}

// Checker is an 800 × 600 scan of sharp 20 px squares over a colour ramp: a page the platform's image checks
// accept (the police load's scan).
func Checker() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for y := range 600 {
		for x := range 800 {
			v := uint8(200)
			if (x/20+y/20)%2 == 0 {
				v = 60
			}
			m.Set(x, y, color.RGBA{v, v, uint8(x % 256), 255})
		}
	}
	return m
}

// JPEG encodes m at quality q.
func JPEG(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// PNG encodes m.
func PNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// BackgroundMask marks the sample's background: light, colourless pixels connected to the top, left or right
// edge (the white shirt at the bottom joins it through the shoulders, which is fine for these tests).
func BackgroundMask(m *image.RGBA) []bool {
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	mask := make([]bool, w*h)
	light := func(x, y int) bool {
		i := m.PixOffset(x, y)
		r, g, b := int(m.Pix[i]), int(m.Pix[i+1]), int(m.Pix[i+2])
		return r+g+b > 3*200 && max(r, g, b)-min(r, g, b) < 30
	}
	var stack []image.Point
	push := func(x, y int) {
		if x >= 0 && y >= 0 && x < w && y < h && !mask[y*w+x] && light(x, y) {
			mask[y*w+x] = true
			stack = append(stack, image.Pt(x, y))
		}
	}
	for x := range w {
		push(x, 0)
	}
	for y := range h * 3 / 4 {
		push(0, y)
		push(w-1, y)
	}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		push(p.X+1, p.Y)
		push(p.X-1, p.Y)
		push(p.X, p.Y+1)
		push(p.X, p.Y-1)
	}
	return mask
}

// TagSegment is the comment segment (COM) holding tag that Tagged inserts after a JPEG's start marker.
func TagSegment(tag string) []byte {
	return append([]byte{0xFF, 0xFE, byte((len(tag) + 2) >> 8), byte(len(tag) + 2)}, tag...)
}

// Tagged returns jpg with a comment segment holding tag after its start marker: a different file (another
// hash) with the same pixels, so that a check that remembers files it has seen decodes it again.
func Tagged(jpg []byte, tag string) []byte {
	seg := TagSegment(tag)
	return append(append(append(make([]byte, 0, len(jpg)+len(seg)), jpg[:2]...), seg...), jpg[2:]...)
}
