package face

import (
	"image"
	"math"
	"slices"
	"strconv"

	"github.com/beian/beian/internal/imaging"
)

// livenessSide is the long side frames are measured at: a face filling a third of a 640 px frame is
// 200 px, plenty for the pupil localiser.
const livenessSide = 640

// observation is what one frame shows.
type observation struct {
	faces int
	box   image.Rectangle // the face, work pixels
	eyes  [2]image.Point  // left and right pupil as seen (image left first)
	// eyeDark is the fraction of dark pixels around the pupils: high with eyes open (iris, pupil, lashes),
	// low when closed (eyelid skin).
	eyeDark float64
	// mouthDark is the fraction of dark pixels in the mouth region: an open mouth shows its dark inside.
	mouthDark float64
	// yaw is how far the eyes sit off the middle of the face: (dL - dR) / (dL + dR), where dL and dR are the
	// distances from each eye to the edge of the cheek on its side. Turning the head brings the eyes towards
	// the side it turns to while the outline of the face stays (see yaw).
	yaw float64
	// sig is the face at sigCells×sigCells grey, normalised to zero mean and unit variance, to tell one face from
	// another and a still picture from a moving face.
	sig   []float64
	sharp float64
}

// Measures. Regions are fractions of the face box (pigo's box: hairline to chin, ear to ear).
const (
	eyePatch   = 0.10 // side of the square around each pupil
	mouthDrop  = 0.36 // the mouth's centre below the eyes
	mouthW     = 0.30 // the mouth region's width
	mouthH     = 0.14 // and height
	darkFactor = 0.55 // a pixel is dark under this fraction of the face's mean luma
	cheekEdge  = 0.25 // the skin ends where the luma differs from the cheek's by this fraction
	// sigCells is the side of the face signature: coarse enough that the detector's jitter of a few pixels
	// hardly moves it (at 24 cells the same frame filmed again fell to 0.88), fine enough to tell two people.
	sigCells = 12
)

// observe measures one frame.
func observe(b []byte) (observation, error) {
	img, _, err := imaging.Decode(b, imaging.Photo, livenessSide)
	if err != nil {
		return observation{}, err
	}
	det, err := detector()
	if err != nil {
		return observation{}, err
	}
	plc, err := pupils()
	if err != nil {
		return observation{}, err
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	grey := luma(img)
	var o observation
	faces := detect(det, grey, w, h)
	o.faces = len(faces)
	if len(faces) != 1 {
		return o, nil
	}
	f := faces[0].box.Intersect(img.Bounds())
	o.box = f
	s := float64(f.Dx())
	c := image.Pt((f.Min.X+f.Max.X)/2, (f.Min.Y+f.Max.Y)/2)
	for i, side := range []float64{-1, 1} {
		guess := image.Pt(c.X+int(side*0.175*s), c.Y-int(0.075*s))
		o.eyes[i] = guess
		if p := plc.locate(grey, w, h, guess, float32(s)*0.25); p.Y > 0 && distance(p, guess) < 0.12*s {
			o.eyes[i] = p
		}
	}
	faceMean := imaging.Mean(crop(grey, w, f))
	dark := func(r image.Rectangle) float64 {
		px := crop(grey, w, r)
		if len(px) == 0 {
			return 0
		}
		n := 0
		for _, v := range px {
			if float64(v) < darkFactor*faceMean {
				n++
			}
		}
		return float64(n) / float64(len(px))
	}
	half := int(eyePatch * s / 2)
	o.eyeDark = (dark(square(o.eyes[0], half)) + dark(square(o.eyes[1], half))) / 2
	mid := image.Pt((o.eyes[0].X+o.eyes[1].X)/2, (o.eyes[0].Y+o.eyes[1].Y)/2)
	mc := image.Pt(mid.X, mid.Y+int(mouthDrop*s))
	o.mouthDark = dark(image.Rect(mc.X-int(mouthW*s/2), mc.Y-int(mouthH*s/2), mc.X+int(mouthW*s/2), mc.Y+int(mouthH*s/2)))
	o.yaw = yaw(grey, w, o.eyes, s)
	o.sig = signature(grey, w, f, sigCells)
	o.sharp = faceSharpness(img.SubImage(f))
	return o, nil
}

// yaw measures, on the cheek row a little under the eyes, the distance from each eye outwards to where the
// skin ends (the luma differs from the cheek's by more than cheekEdge of it: the white wall, hair, an ear's
// shadow), at most 0.45 face widths.
func yaw(grey []uint8, w int, eyes [2]image.Point, s float64) float64 {
	h := len(grey) / w
	var d [2]float64
	for i, dir := range []int{-1, 1} {
		e := eyes[i]
		y := min(max(e.Y+int(0.12*s), 0), h-1)
		skin := float64(grey[y*w+min(max(e.X, 0), w-1)])
		limit := int(0.45 * s)
		k := 1
		for ; k < limit; k++ {
			x := e.X + dir*k
			if x < 0 || x >= w || math.Abs(float64(grey[y*w+x])-skin) > cheekEdge*skin {
				break
			}
		}
		d[i] = float64(k)
	}
	return (d[0] - d[1]) / (d[0] + d[1])
}

func square(c image.Point, half int) image.Rectangle {
	return image.Rect(c.X-half, c.Y-half, c.X+half+1, c.Y+half+1)
}

// signature averages the region r of a grey image into n×n cells, normalised to zero mean and unit
// variance.
func signature(grey []uint8, w int, r image.Rectangle, n int) []float64 {
	h := len(grey) / w
	r = r.Intersect(image.Rect(0, 0, w, h))
	out := make([]float64, n*n)
	if r.Empty() {
		return out
	}
	count := make([]float64, n*n)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		cy := (y - r.Min.Y) * n / r.Dy()
		for x := r.Min.X; x < r.Max.X; x++ {
			i := cy*n + (x-r.Min.X)*n/r.Dx()
			out[i] += float64(grey[y*w+x])
			count[i]++
		}
	}
	for i := range out {
		out[i] /= max(count[i], 1)
	}
	var mean, sd float64
	for _, v := range out {
		mean += v
	}
	mean /= float64(len(out))
	for _, v := range out {
		sd += (v - mean) * (v - mean)
	}
	sd = math.Sqrt(sd/float64(len(out))) + 1e-9
	for i := range out {
		out[i] = (out[i] - mean) / sd
	}
	return out
}

// correlation of two normalised signatures: 1 identical, around 0 unrelated.
func correlation(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s / float64(len(a))
}

// Thresholds, measured on the generated sequences of the tests (liveness_test.go): the same face with its
// actions and sensor noise, another face swapped in, eyes closed, mouth open, head turned.
const (
	// StillSame: with every measure near its median, a sequence whose face signatures all correlate this
	// well with the reference shows nothing moving. The same picture filmed 40 times (sensor noise, shake,
	// the detector's jitter) measured 0.93 or more; a turned head 0.67.
	StillSame = 0.85
	// SameFace: the least correlation of a frame's face signature with the previous frame's or the
	// reference (the most ordinary frame's), whichever is higher. The same face through its actions measured
	// 0.67 and more (a turn moves the face box), another person placed at the same size and place under 0.
	SameFace = 0.45
	// BlinkRatio: eyes count as closed when their dark fraction falls under this share of the sequence's
	// median, and open again over ReopenRatio of it.
	BlinkRatio, ReopenRatio = 0.5, 0.8
	// MouthRise: the mouth counts as open when its dark fraction rises this much over the median.
	MouthRise = 0.12
	// TurnYaw: the head counts as turned when yaw moves this much from its median. Facing the camera, with
	// eyes closed or mouth open, it stays within ±0.05; the turns of the tests (the inside of the face
	// shifted by 8 % of its width) measure ±0.17-0.19.
	TurnYaw = 0.10
	// MaxJump: between consecutive frames the face may move at most this share of its size: a face that
	// jumps is another face cut in.
	MaxJump = 0.5
)

// judge checks the observations against the challenge: one face in every frame, the same face throughout,
// something moving, the actions in order; picks the best neutral frame.
func judge(res *LivenessResult, c Challenge, obs []observation) {
	add := func(code string, params ...string) { res.Findings = append(res.Findings, finding(code, params...)) }
	for i, o := range obs {
		switch {
		case o.faces == 0:
			add("liveness.no_face", "frame", strconv.Itoa(i+1))
			return
		case o.faces > 1:
			add("liveness.multiple_faces", "frame", strconv.Itoa(i+1))
			return
		}
	}
	med := medians(obs)
	ref := obs[med.index].sig
	for i, o := range obs {
		same, jump := correlation(o.sig, ref), false
		if i > 0 {
			same = max(same, correlation(o.sig, obs[i-1].sig))
			jump = distance(centre(o.box), centre(obs[i-1].box)) > MaxJump*float64(obs[i-1].box.Dx())
		}
		if jump || same < SameFace {
			add("liveness.face_changed", "frame", strconv.Itoa(i+1))
			return
		}
	}
	if still(obs, med) {
		add("liveness.still")
		return
	}
	res.Seen = make([]int, len(c.Actions))
	from := 0
	for k, a := range c.Actions {
		res.Seen[k] = seenAt(a, obs, med, from)
		if res.Seen[k] < 0 {
			if k > 0 && seenAt(a, obs, med, 0) >= 0 {
				add("liveness.wrong_order", "first", string(c.Actions[0]), "second", string(c.Actions[1]))
			} else {
				add("liveness.action_missing", "action", string(a))
			}
			return
		}
		from = res.Seen[k] + 1
	}
	res.Best = best(obs, med)
}

// still reports a sequence in which nothing moves beyond half of any action's threshold and the face stays
// as it is: a photo held up to the camera (or a person who did nothing).
func still(obs []observation, b baseline) bool {
	ref := obs[b.index].sig
	for _, o := range obs {
		if o.eyeDark < (1+BlinkRatio)/2*b.eyeDark || o.mouthDark > b.mouthDark+MouthRise/2 ||
			math.Abs(o.yaw-b.yaw) > TurnYaw/2 || correlation(o.sig, ref) < StillSame {
			return false
		}
	}
	return true
}

// baseline is the sequence's median of each measure and the frame closest to it.
type baseline struct {
	eyeDark, mouthDark, yaw float64
	index                   int
}

func medians(obs []observation) baseline {
	m := func(f func(observation) float64) float64 {
		v := make([]float64, len(obs))
		for i, o := range obs {
			v[i] = f(o)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	b := baseline{eyeDark: m(func(o observation) float64 { return o.eyeDark }),
		mouthDark: m(func(o observation) float64 { return o.mouthDark }), yaw: m(func(o observation) float64 { return o.yaw })}
	d := math.Inf(1)
	for i, o := range obs {
		if x := math.Abs(o.eyeDark-b.eyeDark) + math.Abs(o.mouthDark-b.mouthDark) + math.Abs(o.yaw-b.yaw); x < d {
			b.index, d = i, x
		}
	}
	return b
}

// seenAt returns the first frame at or after from where action a is performed (a blink: eyes closed and
// open again afterwards), or -1.
func seenAt(a Action, obs []observation, b baseline, from int) int {
	for i := from; i < len(obs); i++ {
		o := obs[i]
		switch a {
		case Blink:
			if o.eyeDark < BlinkRatio*b.eyeDark && slices.ContainsFunc(obs[i+1:], func(p observation) bool { return p.eyeDark >= ReopenRatio*b.eyeDark }) {
				return i
			}
		case OpenMouth:
			if o.mouthDark > b.mouthDark+MouthRise {
				return i
			}
		case TurnLeft: // the person's left: the eyes move to the right of the frame
			if o.yaw > b.yaw+TurnYaw {
				return i
			}
		case TurnRight:
			if o.yaw < b.yaw-TurnYaw {
				return i
			}
		}
	}
	return -1
}

// best is the sharpest neutral frame: eyes open, mouth closed, facing as usual.
func best(obs []observation, b baseline) int {
	idx, sharp := b.index, -1.0
	for i, o := range obs {
		neutral := o.eyeDark >= ReopenRatio*b.eyeDark && o.mouthDark <= b.mouthDark+MouthRise/2 && math.Abs(o.yaw-b.yaw) < TurnYaw/2
		if neutral && o.sharp > sharp {
			idx, sharp = i, o.sharp
		}
	}
	return idx
}

func centre(r image.Rectangle) image.Point { return image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2) }

func distance(a, b image.Point) float64 { return math.Hypot(float64(a.X-b.X), float64(a.Y-b.Y)) }
