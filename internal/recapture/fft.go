package recapture

import (
	"math"
	"math/cmplx"
)

// fft transforms a in place (radix-2, len(a) a power of two).
func fft(a []complex128) {
	n := len(a)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			a[i], a[j] = a[j], a[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		w := cmplx.Exp(complex(0, -2*math.Pi/float64(size)))
		for start := 0; start < n; start += size {
			wk := complex(1, 0)
			for k := range size / 2 {
				u, v := a[start+k], a[start+k+size/2]*wk
				a[start+k], a[start+k+size/2] = u+v, u-v
				wk *= w
			}
		}
	}
}

// power2D returns the power spectrum of a tile×tile block (row-major), Hann-windowed, its mean removed.
func power2D(block []float64, tile int, window []float64) []float64 {
	mean := 0.0
	for _, v := range block {
		mean += v
	}
	mean /= float64(len(block))
	rows := make([]complex128, tile*tile)
	for y := range tile {
		for x := range tile {
			rows[y*tile+x] = complex((block[y*tile+x]-mean)*window[x]*window[y], 0)
		}
		fft(rows[y*tile : (y+1)*tile])
	}
	col := make([]complex128, tile)
	out := make([]float64, tile*tile)
	for x := range tile {
		for y := range tile {
			col[y] = rows[y*tile+x]
		}
		fft(col)
		for y := range tile {
			out[y*tile+x] = real(col[y])*real(col[y]) + imag(col[y])*imag(col[y])
		}
	}
	return out
}

// hann is the Hann window of n samples.
func hann(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n-1))
	}
	return w
}

func sqrt(x float64) float64 { return math.Sqrt(x) }
