package recognise

import (
	"bytes"
	"image"
	"image/png"
	"math"

	"github.com/beian/beian/internal/imaging"
)

// grey is an 8-bit luma image, row-major.
type grey struct {
	pix  []uint8
	w, h int
}

func greyOf(m image.Image) grey {
	pix, w, h := imaging.Grey(m, 0)
	return grey{pix, w, h}
}

// levelled stretches the grey levels so that the darkest 1 % become black and the brightest 1 % white: a
// photo taken in dim light becomes as contrasted as one taken in daylight (the noise is left to the engine's
// own binarisation).
func levelled(g grey) grey {
	var hist [256]int
	for _, v := range g.pix {
		hist[v]++
	}
	lo, hi := percentile(hist, len(g.pix)/100), percentile(hist, len(g.pix)-len(g.pix)/100)
	if hi-lo < 16 { // a blank image: nothing to stretch
		return g
	}
	out := grey{make([]uint8, len(g.pix)), g.w, g.h}
	for i, v := range g.pix {
		out.pix[i] = uint8(min(max((int(v)-lo)*255/(hi-lo), 0), 255))
	}
	return out
}

// percentile returns the grey level below which n pixels lie.
func percentile(hist [256]int, n int) int {
	sum := 0
	for v, c := range hist {
		sum += c
		if sum > n {
			return v
		}
	}
	return 255
}

// Skew estimation: the angle (within ±maxSkew, in steps of skewStep) at which the edge points of the text
// line up into the most sharply separated rows (the sum of squared row counts of their projection is
// largest), measured on the image scaled to skewSide. Edge points (a step of edgeStep grey levels to the
// right-hand neighbour) are the strokes of the characters; uniform areas such as the desk around a card do
// not count. A 4° hand tilt costs the engine whole lines; this puts them back level. An answer at the limit
// means the text is not horizontal at all (a card held sideways) and is reported as 0.
const (
	maxSkew  = 15.0
	skewStep = 0.5
	skewSide = 800
	edgeStep = 40
)

func skewAngle(g grey) float64 {
	s := g.scaled(skewSide)
	type pt struct{ x, y float64 }
	var edges []pt
	for y := range s.h {
		row := s.pix[y*s.w : (y+1)*s.w]
		for x := 0; x+1 < s.w; x++ {
			if d := int(row[x]) - int(row[x+1]); d > edgeStep || d < -edgeStep {
				edges = append(edges, pt{float64(x), float64(y)})
			}
		}
	}
	if len(edges) < 100 {
		return 0
	}
	best, bestScore := 0.0, -1.0
	diag := int(math.Hypot(float64(s.w), float64(s.h))) + 2
	bins := make([]float64, 2*diag)
	for a := -maxSkew; a <= maxSkew; a += skewStep {
		rad := a * math.Pi / 180
		sin, cos := math.Sin(rad), math.Cos(rad)
		clear(bins)
		for _, p := range edges {
			bins[int(p.y*cos+p.x*sin)+diag]++
		}
		sc := 0.0
		for _, b := range bins {
			sc += b * b
		}
		if sc > bestScore {
			best, bestScore = a, sc
		}
	}
	if math.Abs(best) >= maxSkew {
		return 0
	}
	return best
}

// scaled returns g scaled down to a long side of at most side (nearest neighbour: enough for measuring).
func (g grey) scaled(side int) grey {
	f := float64(side) / float64(max(g.w, g.h))
	if f >= 1 {
		return g
	}
	w, h := max(1, int(float64(g.w)*f)), max(1, int(float64(g.h)*f))
	out := grey{make([]uint8, w*h), w, h}
	for y := range h {
		for x := range w {
			out.pix[y*w+x] = g.pix[int(float64(y)/f)*g.w+int(float64(x)/f)]
		}
	}
	return out
}

// rotate turns g by deg degrees (the sign skewAngle measures) about its centre, bilinear, same size, the
// uncovered corners white.
func (g grey) rotate(deg float64) grey {
	rad := deg * math.Pi / 180
	sin, cos := math.Sin(rad), math.Cos(rad)
	out := grey{make([]uint8, len(g.pix)), g.w, g.h}
	cx, cy := float64(g.w)/2, float64(g.h)/2
	for y := range g.h {
		for x := range g.w {
			dx, dy := float64(x)-cx, float64(y)-cy
			sx, sy := cos*dx-sin*dy+cx, sin*dx+cos*dy+cy
			out.pix[y*g.w+x] = g.at(sx, sy)
		}
	}
	return out
}

func (g grey) at(x, y float64) uint8 {
	if x < 0 || y < 0 || x > float64(g.w-1) || y > float64(g.h-1) {
		return 255
	}
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, g.w-1), min(y0+1, g.h-1)
	fx, fy := x-float64(x0), y-float64(y0)
	p := func(x, y int) float64 { return float64(g.pix[y*g.w+x]) }
	v := (p(x0, y0)*(1-fx)+p(x1, y0)*fx)*(1-fy) + (p(x0, y1)*(1-fx)+p(x1, y1)*fx)*fy
	return uint8(math.Round(v))
}

// quarterTurn turns g by q × 90° clockwise.
func (g grey) quarterTurn(q int) grey {
	q = ((q % 4) + 4) % 4
	if q == 0 {
		return g
	}
	w, h := g.w, g.h
	if q != 2 {
		w, h = h, w
	}
	out := grey{make([]uint8, len(g.pix)), w, h}
	for y := range g.h {
		for x := range g.w {
			var nx, ny int
			switch q {
			case 1:
				nx, ny = g.h-1-y, x
			case 2:
				nx, ny = g.w-1-x, g.h-1-y
			case 3:
				nx, ny = y, g.w-1-x
			}
			out.pix[ny*w+nx] = g.pix[y*g.w+x]
		}
	}
	return out
}

// png encodes g as a greyscale PNG (fast compression: it only crosses a pipe).
func (g grey) png() ([]byte, error) {
	m := &image.Gray{Pix: g.pix, Stride: g.w, Rect: image.Rect(0, 0, g.w, g.h)}
	var b bytes.Buffer
	err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, m)
	return b.Bytes(), err
}
