package captcha

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"sync"
)

// glyphs are 5×7 bitmaps of the digits, one string of 7 rows per digit.
var glyphs = [10][7]string{
	{".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."},
	{"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."},
	{".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"},
	{"####.", "....#", "....#", ".###.", "....#", "....#", "####."},
	{"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."},
	{"#####", "#....", "####.", "....#", "....#", "#...#", ".###."},
	{"..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."},
	{"#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."},
	{".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."},
	{".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."},
}

const (
	width, height = 160, 56
	scale         = 4 // pixels per glyph dot
)

// encoder reuses its compressor (about 1 MB) from one image to the next, at the fastest compression. The image
// is paletted (half a byte a pixel, and PNG applies no row filters to a palette), which made it about 0.4 → 0.1 ms
// to draw and encode (BenchmarkRender, docs/benchmarks.md).
var encoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &encoders{}}

type encoders struct{ p sync.Pool }

func (e *encoders) Get() *png.EncoderBuffer {
	b, _ := e.p.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoders) Put(b *png.EncoderBuffer) { e.p.Put(b) }

// rnd is a uniform random integer in [0, n), for the drawing: its colours, noise and placement. The answer is
// drawn with crypto/rand (captcha.go); the drawing takes a thousand numbers, which the fast generator (seeded
// from the system's randomness) draws in a fraction of the time.
func rnd(n int) int { return rand.IntN(n) }

// The palette of an image: its background, inks for the digits, one colour per line and the colours the noise
// dots pick from, all chosen at random for each image; 16 in all, so that a pixel takes half a byte.
const (
	inks        = 6
	lines       = 4
	noise       = 5
	inkIndex    = 1                  // the first digit's ink; the others follow
	lineIndex   = inkIndex + inks    // the first line's colour
	noiseIndex  = lineIndex + lines  // the first noise colour
	paletteSize = noiseIndex + noise // 16
)

// render draws answer as a PNG: each digit in its own dark colour, shifted and slanted at random, over a light
// background with noise dots and lines.
func render(answer string) []byte {
	img := image.NewPaletted(image.Rect(0, 0, width, height), palette())
	// index 0, the background, is where NewPaletted starts
	for range 300 {
		img.SetColorIndex(rnd(width), rnd(height), uint8(noiseIndex+rnd(noise)))
	}
	step := (width - 10) / len(answer)
	for i, d := range answer {
		ink := uint8(inkIndex + i%inks)
		x0, y0 := 6+i*step+rnd(8), 4+rnd(height-7*scale-8)
		slant := rnd(3) - 1 // -1, 0 or 1 pixel per row
		for row, line := range glyphs[d-'0'] {
			for col, dot := range line {
				if dot == '#' {
					fill(img, x0+col*scale+slant*(3-row), y0+row*scale, ink)
				}
			}
		}
	}
	for k := range lines {
		line(img, rnd(width), rnd(height), rnd(width), rnd(height), uint8(lineIndex+k))
	}
	var buf bytes.Buffer
	encoder.Encode(&buf, img)
	return buf.Bytes()
}

// palette draws an image's colours: a light background, dark inks, mid-dark lines and noise.
func palette() color.Palette {
	p := make(color.Palette, paletteSize)
	p[0] = grey(230, 26)
	for i := inkIndex; i < lineIndex; i++ {
		p[i] = grey(0, 120)
	}
	for i := lineIndex; i < noiseIndex; i++ {
		p[i] = grey(0, 160)
	}
	for i := noiseIndex; i < paletteSize; i++ {
		p[i] = grey(0, 200)
	}
	return p
}

// grey is an opaque colour whose channels are each drawn from [lo, lo+n).
func grey(lo, n int) color.RGBA {
	return color.RGBA{uint8(lo + rnd(n)), uint8(lo + rnd(n)), uint8(lo + rnd(n)), 255}
}

func fill(img *image.Paletted, x, y int, c uint8) {
	for dy := range scale {
		for dx := range scale {
			img.SetColorIndex(x+dx, y+dy, c)
		}
	}
}

// line draws a straight line (Bresenham).
func line(img *image.Paletted, x0, y0, x1, y1 int, c uint8) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	err := dx + dy
	for {
		img.SetColorIndex(x0, y0, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * err
		if e2 >= dy {
			err += dy
			x0 += sx
		}
		if e2 <= dx {
			err += dx
			y0 += sy
		}
	}
}

func abs(v int) int { return max(v, -v) }

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// Image draws an answer of digits as a challenge picture (PNG), for a context that keeps its challenges itself
// (the police platform simulator keeps them in its database, shared by every node).
func Image(answer string) []byte { return render(answer) }
