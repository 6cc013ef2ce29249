package face

import (
	"encoding/binary"
	"errors"
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	_ "embed"
)

// The pupil localiser: pico's cascade of regression trees (Markuš et al., "Eye pupil localization with an
// ensemble of randomized trees", Pattern Recognition 2014), in the file format github.com/esimov/pigo reads.
// pigo's own runner is not used because it is not deterministic: it draws its perturbations from the global
// math/rand, randomly seeded in every process, and takes its median over a pooled array longer than the
// perturbations it filled. The same frames must give the same verdict on every node and every run, so the
// perturbations here are a fixed pattern and the median is taken over exactly them.

//go:embed cascade/puploc
var puplocFile []byte

// puplocCascade is the unpacked cascade: stages of trees; each tree's inner nodes compare two pixels placed
// relative to the current estimate, each leaf moves the estimate by (row, col) times its scale.
type puplocCascade struct {
	stages, trees, depth int
	scaleStep            float32   // the estimate's scale is multiplied by this after each stage
	codes                []int8    // per tree, 2^depth−1 nodes of four offsets (row1, col1, row2, col2) in 1/256ths
	preds                []float32 // per tree, 2^depth leaves of (row, col)
}

var (
	puploc     *puplocCascade
	puplocErr  error
	puplocOnce sync.Once
)

func pupils() (*puplocCascade, error) {
	puplocOnce.Do(func() { puploc, puplocErr = unpackPuploc(puplocFile) })
	return puploc, puplocErr
}

// unpackPuploc reads the cascade: four little-endian words (stages, scale step as float32, trees per stage,
// tree depth), then per tree its node codes and its leaves' float32 pairs.
func unpackPuploc(b []byte) (*puplocCascade, error) {
	if len(b) < 16 {
		return nil, errors.New("puploc cascade: truncated header")
	}
	u := binary.LittleEndian.Uint32
	c := &puplocCascade{stages: int(u(b)), scaleStep: math.Float32frombits(u(b[4:])), trees: int(u(b[8:])), depth: int(u(b[12:]))}
	if c.depth < 1 || c.depth > 16 || c.stages < 1 || c.trees < 1 {
		return nil, errors.New("puploc cascade: implausible header")
	}
	leaves, pos := 1<<c.depth, 16
	for range c.stages * c.trees {
		n := 4*leaves - 4
		if pos+n+8*leaves > len(b) {
			return nil, errors.New("puploc cascade: truncated tree")
		}
		for _, v := range b[pos : pos+n] {
			c.codes = append(c.codes, int8(v))
		}
		pos += n
		for range 2 * leaves {
			c.preds = append(c.preds, math.Float32frombits(u(b[pos:])))
			pos += 4
		}
	}
	return c, nil
}

// puplocPerturbs is how many perturbed starts are run; their median is the answer.
const puplocPerturbs = 31

// perturbations are the starts' offsets, drawn once from a fixed seed: row and column offsets in units of the
// scale (±7.5 %), and scale factors (0.925–1.075), as in pico.
var perturbations = func() [puplocPerturbs][3]float32 {
	r := rand.New(rand.NewPCG(0x70757030, 0x6c6f6321))
	var p [puplocPerturbs][3]float32
	for i := range p {
		p[i] = [3]float32{0.15 * (0.5 - r.Float32()), 0.15 * (0.5 - r.Float32()), 0.925 + 0.15*r.Float32()}
	}
	return p
}()

// locate returns the pupil near guess (row, col) in the w×h grey image for a search window of the given
// scale: the median of the cascade run from each perturbed start.
func (c *puplocCascade) locate(grey []uint8, w, h int, guess image.Point, scale float32) image.Point {
	var rows, cols [puplocPerturbs]float32
	for i, p := range perturbations {
		rows[i], cols[i] = c.run(grey, w, h, float32(guess.Y)+scale*p[0], float32(guess.X)+scale*p[1], scale*p[2])
	}
	slices.Sort(rows[:])
	slices.Sort(cols[:])
	return image.Pt(int(cols[puplocPerturbs/2]), int(rows[puplocPerturbs/2]))
}

// run moves the estimate (r, c, s) through every stage.
func (c *puplocCascade) run(grey []uint8, w, h int, r, col, s float32) (float32, float32) {
	leaves := 1 << c.depth
	at := func(rr, cc int) uint8 { return grey[min(h-1, max(0, rr))*w+min(w-1, max(0, cc))] }
	code, pred := 0, 0
	for range c.stages {
		var dr, dc float32
		si := int(math.Round(float64(s)))
		for range c.trees {
			idx := 0
			for range c.depth {
				n := c.codes[code+4*idx:]
				p1 := at((256*int(r)+int(n[0])*si)>>8, (256*int(col)+int(n[1])*si)>>8)
				p2 := at((256*int(r)+int(n[2])*si)>>8, (256*int(col)+int(n[3])*si)>>8)
				idx = 2*idx + 1
				if p1 > p2 {
					idx++
				}
			}
			leaf := pred + 2*(idx-(leaves-1))
			dr += c.preds[leaf]
			dc += c.preds[leaf+1]
			code += 4*leaves - 4
			pred += 2 * leaves
		}
		r += dr * s
		col += dc * s
		s *= c.scaleStep
	}
	return r, col
}
