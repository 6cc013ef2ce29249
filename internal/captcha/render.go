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

// encoder reuses its compressor (about 1 MB) from one image to the next, at the fastest compression (0.71 →
// 0.42 ms an image; the image is small either way).
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

// render draws answer as a PNG: each digit in its own dark colour, shifted and slanted at random, over a light
// background with noise dots and lines.
func render(answer string) []byte {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	bg := color.RGBA{uint8(230 + rnd(26)), uint8(230 + rnd(26)), uint8(230 + rnd(26)), 255}
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = bg.R, bg.G, bg.B, 255
	}
	for range 300 {
		img.Set(rnd(width), rnd(height), color.RGBA{uint8(rnd(200)), uint8(rnd(200)), uint8(rnd(200)), 255})
	}
	step := (width - 10) / len(answer)
	for i, d := range answer {
		ink := color.RGBA{uint8(rnd(120)), uint8(rnd(120)), uint8(rnd(120)), 255}
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
	for range 4 {
		line(img, rnd(width), rnd(height), rnd(width), rnd(height), color.RGBA{uint8(rnd(160)), uint8(rnd(160)), uint8(rnd(160)), 255})
	}
	var buf bytes.Buffer
	encoder.Encode(&buf, img)
	return buf.Bytes()
}

func fill(img *image.RGBA, x, y int, c color.RGBA) {
	for dy := range scale {
		for dx := range scale {
			img.SetRGBA(x+dx, y+dy, c)
		}
	}
}

// line draws a straight line (Bresenham).
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	err := dx + dy
	for {
		img.SetRGBA(x0, y0, c)
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
