package recognise

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/problem"
)

// Tesseract runs the Tesseract 5 command-line engine (Debian: tesseract-ocr, tesseract-ocr-chi-sim) once per
// orientation tried, the image on stdin (a greyscale PNG, levelled and deskewed here) and TSV on stdout,
// which gives each word's box and confidence. Runs are bounded in time (Timeout), output (MaxOutput) and
// number at once (one per CPU); the engine gets one thread each (OMP_THREAD_LIMIT=1) so that parallel
// requests do not oversubscribe the CPUs.
type Tesseract struct {
	Path    string        // the binary
	Version string        // "tesseract 5.3.0", from --version
	Langs   string        // -l argument; "chi_sim+eng"
	Timeout time.Duration // per run; 0 means 60 s (a licence takes 1-3 s alone, far more on a loaded machine)
	Now     func() time.Time
	slots   chan struct{}
}

// MaxOutput bounds what one run may print: a credential's TSV is a few tens of KB.
const MaxOutput = 1 << 20

// ocrSide is the long side the image is scaled to: the text of an ID card photographed to fill the frame
// stays 30-40 px high, where the engine is at its best; larger costs time and gains nothing.
const ocrSide = 2000

// NewTesseract finds the binary (path, or "tesseract" in PATH when empty) and checks it has the simplified
// Chinese data. The error says what to install; callers then run Off and say recognition is off.
func NewTesseract(path string) (*Tesseract, error) {
	if path == "" {
		path = "tesseract"
	}
	bin, err := exec.LookPath(path)
	if err != nil {
		return nil, fmt.Errorf("recognise: %w (install tesseract-ocr and tesseract-ocr-chi-sim)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ver, err := exec.CommandContext(ctx, bin, "--version").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("recognise: %s --version: %w", bin, err)
	}
	langs, err := exec.CommandContext(ctx, bin, "--list-langs").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("recognise: %s --list-langs: %w", bin, err)
	}
	if !strings.Contains(string(langs), "\nchi_sim") {
		return nil, errors.New("recognise: tesseract has no chi_sim data (install tesseract-ocr-chi-sim)")
	}
	v, _, _ := strings.Cut(string(ver), "\n")
	return &Tesseract{Path: bin, Version: strings.TrimSpace(v), Langs: "chi_sim", Now: time.Now,
		slots: make(chan struct{}, runtime.NumCPU())}, nil
}

// Recognise implements Recogniser: the image is checked and decoded like any photo upload, levelled,
// read upright after deskewing; when that finds fewer than half the kind's fields, it is read turned by 90°,
// 270° and 180° too (a card photographed sideways) and the best reading is kept.
func (t *Tesseract) Recognise(ctx context.Context, img []byte, kind Kind) (Result, error) {
	if err := checkKind(kind); err != nil {
		return Result{}, err
	}
	m, _, err := imaging.Decode(img, imaging.Photo, ocrSide)
	if err != nil {
		return Result{}, err
	}
	g := levelled(greyOf(m))
	var best Result
	bestScore := -1
	for _, quarter := range []int{0, 1, 3, 2} {
		turned := g.quarterTurn(quarter)
		skew := skewAngle(turned)
		if skew != 0 {
			turned = turned.rotate(-skew)
		}
		res, err := t.read(ctx, turned, kind)
		if err != nil {
			return Result{}, err
		}
		res.Rotation = skew + float64(90*quarter)
		if s := score(res); s > bestScore {
			best, bestScore = res, s
		}
		if 2*bestScore >= len(FieldsOf(kind)) {
			break
		}
	}
	return best, nil
}

// score counts the fields read and valid.
func score(r Result) int {
	n := 0
	for _, f := range r.Fields {
		if f.Value != "" {
			n++
		}
	}
	return n
}

// read runs the engine once on an upright image.
func (t *Tesseract) read(ctx context.Context, g grey, kind Kind) (Result, error) {
	png, err := g.png()
	if err != nil {
		return Result{}, problem.Wrap(err, "recognise.engine_failed")
	}
	out, err := t.run(ctx, png, "--psm", "6", "tsv")
	if err != nil {
		return Result{}, err
	}
	lines := parseTSV(out)
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	return Result{Kind: kind, Engine: t.Version, Fields: interpret(kind, lines, now()), Text: joinLines(lines)}, nil
}

func joinLines(lines []line) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// run executes the engine on stdin data with args after "- - -l LANGS" and returns stdout.
func (t *Tesseract) run(ctx context.Context, stdin []byte, args ...string) (string, error) {
	select {
	case t.slots <- struct{}{}:
		defer func() { <-t.slots }()
	case <-ctx.Done():
		return "", problem.Wrap(ctx.Err(), "recognise.engine_failed")
	}
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.Path, append([]string{"-", "-", "-l", t.Langs}, args...)...)
	cmd.Env = []string{"OMP_THREAD_LIMIT=1", "PATH=/usr/bin:/bin"}
	cmd.Stdin = bytes.NewReader(stdin)
	stdout, stderr := &capped{max: MaxOutput}, &capped{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		return "", problem.Wrap(fmt.Errorf("tesseract: %w: %s", err, stderr.String()), "recognise.engine_failed")
	}
	if stdout.over {
		return "", problem.Wrap(errors.New("tesseract: output over 1 MiB"), "recognise.engine_failed")
	}
	return stdout.String(), nil
}

// capped is a buffer that keeps the first max bytes and notes that more came.
type capped struct {
	bytes.Buffer
	max  int
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); len(p) > room {
		c.over = true
		c.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.Buffer.Write(p)
}
