// Package face checks face-verification photos locally and lets an external liveness or identity service
// verify them (docs/design.md §4.3 step 6).
//
// The local check (Check) always runs. It finds faces with pigo (a pure-Go pixel-intensity-comparison
// detector, github.com/esimov/pigo, cascade embedded from cascade/facefinder) and measures what can be
// measured on the photo:
//
//   - exactly one face (Huawei Cloud's first-filing guide: 确保互联网信息服务负责人本人操作), large enough and centred;
//   - the whole head in the frame (Baidu AI Cloud's app filing guide §6: 头像完整);
//   - the face lit and sharp;
//   - the background: white for the phone face check (Baidu AI Cloud's app filing guide §6, Huawei Cloud's first-filing guide: 背景必须为白色背景), the blue
//     curtain filling the background for the older curtain photo (Alibaba Cloud's materials guide), where the photo must also show
//     the upper body and the clothes must be neither red nor blue.
//
// What pigo cannot tell is left to the applicant's confirmation of the photo (Baidu AI Cloud's app filing guide §6 shows it before
// "确认无误"), to the reviewer and to a Verifier: closed eyes, a hat or a mask (面部无遮挡), and whether the
// face is the principal's or a live person's at all. Detection is not identification.
package face

import (
	"image"
	"math"
	"sort"
	"strconv"
	"sync"

	_ "embed"

	pigo "github.com/esimov/pigo/core"

	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/problem"
)

// Mode says which kind of photo is checked.
type Mode string

const (
	// WhiteBackground is the phone face check: head and shoulders in front of a white background (default).
	WhiteBackground Mode = "white_background"
	// Curtain is the older curtain photo: upper body in front of the provider's blue curtain, which fills the
	// whole background; no red or blue clothes (Alibaba Cloud's materials guide).
	Curtain Mode = "curtain"
)

// Finding is one problem found on the photo: a problem code (catalog "imaging", keys face.*) and its
// message parameters.
type Finding struct {
	Code   string
	Params map[string]string
}

// Report is the result of Check.
type Report struct {
	OK       bool      // no findings
	Faces    int       // faces detected
	Findings []Finding // what to fix, most important first
	// FaceBox is the detected face (the largest when there are several) in pixels of the photo as displayed
	// (EXIF orientation applied); empty when none was found. pigo's box is a square from about the hairline
	// to the chin and from ear to ear.
	FaceBox image.Rectangle
	Score   float32 // pigo's detection score of FaceBox (a sum over the merged detections; higher is surer)
}

// Err returns the findings as a problem.List on field (nil when OK), for adapters that report errors.
func (r Report) Err(field string) error {
	var l problem.List
	for _, f := range r.Findings {
		e := problem.Invalidf(f.Code, field)
		e.Params = f.Params
		l = append(l, e)
	}
	return l.Err()
}

// Thresholds. Sizes are fractions of the short side of the photo so that they hold for any resolution and
// for portrait and landscape frames alike. All were set on the pigo sample portrait and synthetic
// compositions of it (see the tests); they are deliberately lenient, since a refusal the applicant cannot
// understand is worse than a borderline photo that the reviewer sees anyway.
const (
	// WorkSide is the long side the photo is scaled to for detection and measurement: a face filling a fifth
	// of it is still 100+ px, which is plenty for pigo, and detection takes tens of milliseconds.
	WorkSide = 800
	// MinScore is the least pigo score (summed over the merged detections of one face) counted as a face.
	// The sample portrait scores 250-400, also blurred, darkened or on another background; random shapes,
	// noise and blank images give no detection at all.
	MinScore = 20
	// MinFaceWhite is the least face box (pigo's, ear to ear) for the white-background face check, as a
	// fraction of the short side: a head-and-shoulders selfie is 35-60 %, and under 20 % the face is too
	// small for a reviewer to compare with the ID photo.
	MinFaceWhite = 0.20
	// MinFaceCurtain is the same for the curtain photo, which shows the upper body: the face is 15-30 %.
	MinFaceCurtain = 0.12
	// MaxFaceCurtain is the largest face box for the curtain photo: above it the photo is a head shot, not
	// the upper body Alibaba Cloud's materials guide asks for.
	MaxFaceCurtain = 0.45
	// The face centre must lie in the middle third horizontally and between these fractions of the height
	// (a head-and-shoulders photo puts the face in the upper half, never at the very top or bottom).
	CentreTop, CentreBottom = 0.15, 0.75
	// HeadRoom is the space above the face box, as a fraction of its size, that the top of the head needs:
	// with less, the head is cut by the top edge (头像不完整).
	HeadRoom = 0.25
	// Face brightness (mean luma of the face box, 0-255): skin under ordinary light is 90-200.
	MinFaceLuma, MaxFaceLuma = 60, 235
	// MinFaceSharpness is the least variance of the Laplacian of the face box scaled to 128 px wide. The
	// sample portrait (a 230 px face) measures about 590; blurred by σ ≈ 1.4 px about 80, σ ≈ 2.4 px about 25,
	// σ ≈ 3.5 px about 11 (soft, eyes still clear: accepted) and σ ≈ 4.5 px about 7 (eyes smeared: refused).
	MinFaceSharpness = 10
	// MinBackground is the least fraction of background samples that must be white (or, for the curtain,
	// blue). Border strips can hold a door frame or a curtain's printed text; a majority is required.
	MinBackground = 0.60
	// A white background sample has luma ≥ WhiteLuma and chroma (max-min of R, G, B) ≤ WhiteChroma: a white
	// wall under room light is grey-ish and slightly warm, never saturated.
	WhiteLuma, WhiteChroma = 140, 45
	// MaxClothes is the largest fraction of the clothes region that may be red, or blue, in a curtain photo.
	MaxClothes = 0.30
)

//go:embed cascade/facefinder
var cascadeFile []byte

var (
	classifier     *pigo.Pigo
	classifierErr  error
	classifierOnce sync.Once
)

func detector() (*pigo.Pigo, error) {
	classifierOnce.Do(func() {
		classifier, classifierErr = pigo.NewPigo().Unpack(cascadeFile)
	})
	return classifier, classifierErr
}

// Check runs the local checks on a JPEG or PNG photo. The file is first checked like any photo upload
// (imaging.Photo: type by content, size, pixel limits, corruption); those errors are returned as the error,
// while what is wrong with the picture itself is in the Report's findings.
func Check(b []byte, mode Mode) (Report, error) {
	switch mode {
	case "":
		mode = WhiteBackground
	case WhiteBackground, Curtain:
	default:
		return Report{}, problem.Internalf("face: unknown mode %q", mode)
	}
	img, info, err := imaging.Decode(b, imaging.Photo, WorkSide)
	if err != nil {
		return Report{}, err
	}
	det, err := detector()
	if err != nil {
		return Report{}, problem.Wrap(err, "internal")
	}
	r := analyse(det, img, mode)
	// Back to the coordinates of the photo as displayed.
	if !r.FaceBox.Empty() {
		s := float64(max(info.Width, info.Height)) / float64(max(img.Bounds().Dx(), img.Bounds().Dy()))
		fb := r.FaceBox
		r.FaceBox = image.Rect(int(float64(fb.Min.X)*s), int(float64(fb.Min.Y)*s), int(math.Ceil(float64(fb.Max.X)*s)), int(math.Ceil(float64(fb.Max.Y)*s))).
			Intersect(image.Rect(0, 0, info.Width, info.Height))
	}
	return r, nil
}

// face is one detected face in work-image pixels.
type face struct {
	box   image.Rectangle
	score float32
}

// detect finds faces in a grey image: pigo over all scales from a tenth of the short side, its clustering,
// then a non-maximum suppression that folds a cluster whose centre lies in a stronger face's box into it
// (pigo sometimes reports the same face at two scales).
func detect(det *pigo.Pigo, grey []uint8, w, h int) []face {
	dets := det.ClusterDetections(det.RunCascade(cascadeParams(grey, w, h), 0), 0.2)
	sort.Slice(dets, func(i, j int) bool { return dets[i].Q > dets[j].Q })
	var faces []face
	for _, d := range dets {
		if d.Q < MinScore {
			continue
		}
		c := image.Pt(d.Col, d.Row)
		dup := false
		for i := range faces {
			if c.In(faces[i].box) {
				faces[i].score += d.Q
				dup = true
				break
			}
		}
		if !dup {
			half := d.Scale / 2
			faces = append(faces, face{box: image.Rect(d.Col-half, d.Row-half, d.Col+half, d.Row+half), score: d.Q})
		}
	}
	return faces
}

// cascadeParams scans windows from a tenth of the short side (smaller faces are refused anyway) to the whole
// short side, moving by a tenth of the window and growing it by 10 %: pigo's recommended density.
func cascadeParams(grey []uint8, w, h int) pigo.CascadeParams {
	short := min(w, h)
	return pigo.CascadeParams{
		MinSize:     max(24, short/10),
		MaxSize:     short,
		ShiftFactor: 0.1,
		ScaleFactor: 1.1,
		ImageParams: pigo.ImageParams{Pixels: grey, Rows: h, Cols: w, Dim: w},
	}
}

func analyse(det *pigo.Pigo, img *image.RGBA, mode Mode) (r Report) {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	grey := luma(img)
	faces := detect(det, grey, w, h)
	r = Report{Faces: len(faces)}
	add := func(code string, params ...string) {
		f := Finding{Code: code}
		if len(params) > 0 {
			f.Params = map[string]string{}
			for i := 0; i+1 < len(params); i += 2 {
				f.Params[params[i]] = params[i+1]
			}
		}
		r.Findings = append(r.Findings, f)
	}
	defer func() { r.OK = len(r.Findings) == 0 }()

	if len(faces) == 0 {
		if imaging.Mean(grey) < MinFaceLuma {
			add("face.too_dark")
		}
		add("face.no_face")
		return r
	}
	// The largest face is the principal's; more faces are refused, but the box is still shown.
	sort.Slice(faces, func(i, j int) bool { return faces[i].box.Dx() > faces[j].box.Dx() })
	f := faces[0]
	r.FaceBox, r.Score = f.box.Intersect(img.Bounds()), f.score
	if len(faces) > 1 {
		add("face.multiple_faces", "count", strconv.Itoa(len(faces)))
		return r
	}

	short := float64(min(w, h))
	size := float64(f.box.Dx())
	pct := func(x float64) string { return strconv.Itoa(int(math.Round(100 * x))) }
	minFace := MinFaceWhite
	if mode == Curtain {
		minFace = MinFaceCurtain
	}
	switch {
	case size < minFace*short:
		add("face.too_small", "percent", pct(size/short), "min", pct(minFace))
	case mode == Curtain && size > MaxFaceCurtain*short:
		add("face.not_upper_body")
	}
	cx, cy := float64(f.box.Min.X+f.box.Max.X)/2, float64(f.box.Min.Y+f.box.Max.Y)/2
	if cx < float64(w)/3 || cx > 2*float64(w)/3 || cy < CentreTop*float64(h) || cy > CentreBottom*float64(h) {
		add("face.off_centre")
	}
	if float64(f.box.Min.Y) < HeadRoom*size {
		add("face.not_whole")
	}

	fl := imaging.Mean(crop(grey, w, f.box))
	switch {
	case fl < MinFaceLuma:
		add("face.too_dark")
	case fl > MaxFaceLuma:
		add("face.too_bright")
	default:
		if s := faceSharpness(img.SubImage(f.box)); s < MinFaceSharpness {
			add("face.blurred")
		}
	}

	// The border strips hold at least 4 % of the photo (samples are taken every second pixel of every second
	// row, hence /100); less means the head fills the frame and the background cannot be judged.
	bg := background(img, f.box)
	if len(bg) < w*h/100 {
		add("face.too_close")
	} else if mode == Curtain {
		if frac(bg, isBlue) < MinBackground {
			add("face.background_not_blue")
		}
	} else if frac(bg, isWhite) < MinBackground {
		add("face.background_not_white")
	}
	if mode == Curtain {
		if cl := clothes(img, f.box); len(cl) > 0 {
			if frac(cl, isRed) > MaxClothes {
				add("face.clothes_red")
			}
			if frac(cl, isBlue) > MaxClothes {
				add("face.clothes_blue")
			}
		}
	}
	return r
}

// luma is the BT.601 grey of an RGBA image (pigo's RgbToGrayscale goes through image.At per pixel).
func luma(m *image.RGBA) []uint8 {
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	g := make([]uint8, w*h)
	for y := range h {
		row := m.Pix[y*m.Stride:]
		for x := range w {
			r, gg, b := int(row[4*x]), int(row[4*x+1]), int(row[4*x+2])
			g[y*w+x] = uint8((299*r + 587*gg + 114*b + 500) / 1000)
		}
	}
	return g
}

func crop(grey []uint8, w int, r image.Rectangle) []uint8 {
	h := len(grey) / w
	r = r.Intersect(image.Rect(0, 0, w, h))
	out := make([]uint8, 0, r.Dx()*r.Dy())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		out = append(out, grey[y*w+r.Min.X:y*w+r.Max.X]...)
	}
	return out
}

// faceSharpness is the variance of the Laplacian of the face scaled to 128 px wide, so that it does not
// depend on how large the face is in the photo.
func faceSharpness(m image.Image) float64 {
	pix, w, h := imaging.Grey(m, 128)
	return imaging.LaplacianVariance(pix, w, h)
}

// rgb is one pixel.
type rgb struct{ r, g, b uint8 }

// background samples the border strips where only the background can be: the top 8 % and the left and right
// 10 % of the photo, down to the bottom of the face (below it the shoulders reach the edges), without the
// head (the face box widened to the ears and raised to the top of the hair). Every other pixel is taken.
func background(m *image.RGBA, fb image.Rectangle) []rgb {
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	s := fb.Dx()
	head := image.Rect(fb.Min.X-s/10, fb.Min.Y-s/2, fb.Max.X+s/10, fb.Max.Y)
	top, side := max(1, h*8/100), max(1, w/10)
	var out []rgb
	for y := 0; y < min(h, fb.Max.Y); y += 2 {
		for x := 0; x < w; x += 2 {
			if y >= top && x >= side && x < w-side {
				continue
			}
			if image.Pt(x, y).In(head) {
				continue
			}
			i := m.PixOffset(x, y)
			out = append(out, rgb{m.Pix[i], m.Pix[i+1], m.Pix[i+2]})
		}
	}
	return out
}

// clothes samples the region under the chin: from a tenth of the face size below the face box to the bottom
// of the photo, as wide as the face box and a fifth of it on each side (shoulders and chest).
func clothes(m *image.RGBA, fb image.Rectangle) []rgb {
	s := fb.Dx()
	r := image.Rect(fb.Min.X-s/5, fb.Max.Y+s/10, fb.Max.X+s/5, m.Bounds().Dy()).Intersect(m.Bounds())
	var out []rgb
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			i := m.PixOffset(x, y)
			out = append(out, rgb{m.Pix[i], m.Pix[i+1], m.Pix[i+2]})
		}
	}
	return out
}

func frac(px []rgb, f func(rgb) bool) float64 {
	if len(px) == 0 {
		return 0
	}
	n := 0
	for _, p := range px {
		if f(p) {
			n++
		}
	}
	return float64(n) / float64(len(px))
}

func isWhite(p rgb) bool {
	hi, lo := max(p.r, p.g, p.b), min(p.r, p.g, p.b)
	l := (299*int(p.r) + 587*int(p.g) + 114*int(p.b)) / 1000
	return l >= WhiteLuma && int(hi)-int(lo) <= WhiteChroma
}

// hsv returns hue in degrees, saturation and value in 0-1.
func hsv(p rgb) (hue, sat, val float64) {
	r, g, b := float64(p.r)/255, float64(p.g)/255, float64(p.b)/255
	hi, lo := max(r, g, b), min(r, g, b)
	val = hi
	if hi == 0 {
		return 0, 0, 0
	}
	d := hi - lo
	sat = d / hi
	if d == 0 {
		return 0, sat, val
	}
	switch hi {
	case r:
		hue = 60 * math.Mod((g-b)/d, 6)
	case g:
		hue = 60 * ((b-r)/d + 2)
	default:
		hue = 60 * ((r-g)/d + 4)
	}
	if hue < 0 {
		hue += 360
	}
	return hue, sat, val
}

// isBlue: hue 190-255° (sky blue to royal blue, the colour of provider curtains), clearly saturated, not
// black.
func isBlue(p rgb) bool {
	h, s, v := hsv(p)
	return h >= 190 && h <= 255 && s >= 0.30 && v >= 0.25
}

// isRed: hue within about 20° of red (crimson to orange-red), strongly saturated (skin, even ruddy skin
// under warm light, stays under 0.5), not black.
func isRed(p rgb) bool {
	h, s, v := hsv(p)
	return (h <= 15 || h >= 340) && s >= 0.50 && v >= 0.25
}
