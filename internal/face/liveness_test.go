package face

import (
	"context"
	"image"
	"slices"
	"testing"
	"time"

	"github.com/beian/beian/internal/face/facetest"
	"github.com/beian/beian/internal/problem"
)

// The measures respond to each action drawn on the face, and tell another face from the same one.
func TestLivenessMeasures(t *testing.T) {
	s := newStage(t)
	other := lookalike(t, s)
	for _, c := range []struct {
		name    string
		m       *image.RGBA
		check   func(o observation) bool
		explain string
	}{
		{"neutral", s.M, func(o observation) bool { return correlation(o.sig, s.o.sig) > 0.9 && abs(o.yaw) < TurnYaw/2 }, "like itself"},
		{"eyes closed", s.EyesClosed(), func(o observation) bool { return o.eyeDark < BlinkRatio*s.o.eyeDark }, "eyes dark fraction falls"},
		{"mouth open", s.MouthOpen(), func(o observation) bool { return o.mouthDark > s.o.mouthDark+MouthRise }, "mouth dark fraction rises"},
		{"turned left", s.Turned(1), func(o observation) bool { return o.yaw > s.o.yaw+TurnYaw }, "yaw rises"},
		{"turned right", s.Turned(-1), func(o observation) bool { return o.yaw < s.o.yaw-TurnYaw }, "yaw falls"},
		{"other face", other.M, func(o observation) bool { return correlation(o.sig, s.o.sig) < SameFace }, "signature differs"},
	} {
		o, err := observe(film(t, 1, c.m)[0].Image)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-12s eyeDark %.3f mouthDark %.3f yaw %+.3f corr %.3f", c.name, o.eyeDark, o.mouthDark, o.yaw, correlation(o.sig, s.o.sig))
		if o.faces != 1 || !c.check(o) {
			t.Errorf("%s: %d faces, want: %s", c.name, o.faces, c.explain)
		}
	}
}

func abs(x float64) float64 { return max(x, -x) }

func TestChallenge(t *testing.T) {
	now := time.Now()
	seen := map[Action]bool{}
	for range 200 {
		c := NewChallenge(now)
		if len(c.Actions) != 2 || c.Actions[0] == c.Actions[1] || isTurn(c.Actions[0]) && isTurn(c.Actions[1]) {
			t.Fatalf("actions %v", c.Actions)
		}
		if len(c.Nonce) < 20 || !c.ExpiresAt.Equal(now.Add(ChallengeTTL)) {
			t.Fatalf("challenge %+v", c)
		}
		seen[c.Actions[0]] = true
	}
	if len(seen) != len(Actions) {
		t.Errorf("first actions drawn: %v", seen)
	}
}

// Sequences as a phone sends them: the right actions pass and give the best neutral frame; a still photo, a
// replay, a swapped face, a missing action or the wrong order are refused with what to do.
func TestCheckLiveness(t *testing.T) {
	s := newStage(t)
	other := lookalike(t, s)
	n := facetest.Repeat(s.M, 3)
	closed, mouth, left := []*image.RGBA{s.EyesClosed()}, []*image.RGBA{s.MouthOpen(), s.MouthOpen()}, []*image.RGBA{s.Turned(1)}
	now := time.Now()
	for _, tt := range []struct {
		name    string
		actions []Action
		frames  []Frame
		want    []string // finding codes; nil: passes
	}{
		{"blink then mouth", []Action{Blink, OpenMouth}, film(t, 1, facetest.Seq(n, closed, n, mouth, n)...), nil},
		{"turn left then blink", []Action{TurnLeft, Blink}, film(t, 2, facetest.Seq(n, left, n, closed, n)...), nil},
		{"still photo", []Action{Blink, OpenMouth}, film(t, 3, facetest.Repeat(s.M, 8)...), []string{"liveness.still"}},
		{"the same frame looped", []Action{Blink, OpenMouth}, loop(film(t, 4, facetest.Seq(n, closed, n, mouth)...)), []string{"liveness.replayed"}},
		{"another face cut in", []Action{Blink, OpenMouth}, film(t, 5, facetest.Seq(n, closed, n, facetest.Repeat(other.MouthOpen(), 2), n)...), []string{"liveness.face_changed"}},
		{"action not done", []Action{Blink, TurnRight}, film(t, 6, facetest.Seq(n, closed, n, mouth, n)...), []string{"liveness.action_missing"}},
		{"wrong order", []Action{OpenMouth, Blink}, film(t, 7, facetest.Seq(n, closed, n, mouth, n)...), []string{"liveness.wrong_order"}},
		{"too few frames", []Action{Blink, OpenMouth}, film(t, 8, s.M, s.M), []string{"liveness.too_few_frames"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := Challenge{Nonce: tt.name, Actions: tt.actions, IssuedAt: now, ExpiresAt: now.Add(ChallengeTTL)}
			res, err := CheckLiveness(context.Background(), &MemorySpent{}, c, tt.frames, now.Add(5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Code)
			}
			if !slices.Equal(got, tt.want) || res.OK != (tt.want == nil) {
				t.Fatalf("findings %v, want %v", got, tt.want)
			}
			if res.OK && (res.Best < 0 || res.Seen[0] >= res.Seen[1] || !res.Report.OK) {
				t.Errorf("best %d, seen %v, report %+v", res.Best, res.Seen, res.Report)
			}
		})
	}
}

// loop sends the frames, then the first of them again: a recording played in a loop.
func loop(f []Frame) []Frame {
	again := f[0]
	again.At = f[len(f)-1].At + 200*time.Millisecond
	return append(f, again)
}

// A challenge serves once, within its time; frames serve once, whichever challenge they are sent for.
func TestLivenessFreshness(t *testing.T) {
	s := newStage(t)
	n := facetest.Repeat(s.M, 3)
	frames := film(t, 9, facetest.Seq(n, []*image.RGBA{s.EyesClosed()}, n, []*image.RGBA{s.MouthOpen()}, n)...)
	spent := &MemorySpent{}
	now := time.Now()
	c := Challenge{Nonce: "n1", Actions: []Action{Blink, OpenMouth}, IssuedAt: now, ExpiresAt: now.Add(ChallengeTTL)}
	codes := func(res LivenessResult, err error) string {
		if err != nil {
			t.Fatal(err)
		}
		if res.OK {
			return "ok"
		}
		return res.Findings[0].Code
	}
	if got := codes(CheckLiveness(context.Background(), spent, c, frames, now.Add(10*time.Second))); got != "ok" {
		t.Fatalf("first attempt: %s", got)
	}
	if got := codes(CheckLiveness(context.Background(), spent, c, frames, now.Add(20*time.Second))); got != "liveness.challenge_used" {
		t.Errorf("same challenge again: %s", got)
	}
	c2 := c
	c2.Nonce = "n2"
	if got := codes(CheckLiveness(context.Background(), spent, c2, frames, now.Add(20*time.Second))); got != "liveness.replayed" {
		t.Errorf("same frames for a new challenge: %s", got)
	}
	c3 := c
	c3.Nonce = "n3"
	if got := codes(CheckLiveness(context.Background(), spent, c3, film(t, 10, s.M), now.Add(ChallengeTTL+time.Second))); got != "liveness.expired" {
		t.Errorf("late: %s", got)
	}
}

// A frame that is no image is refused naming the frame; times must increase.
func TestLivenessBadFrames(t *testing.T) {
	s := newStage(t)
	now := time.Now()
	c := Challenge{Nonce: "bad", Actions: []Action{Blink, OpenMouth}, IssuedAt: now, ExpiresAt: now.Add(ChallengeTTL)}
	frames := film(t, 20, facetest.Repeat(s.M, 6)...)
	frames[3].Image = []byte("not an image")
	_, err := CheckLiveness(context.Background(), &MemorySpent{}, c, frames, now)
	if l := problem.As(err); len(l) == 0 || l[0].Field != "frames[3]" || l[0].Kind != problem.Invalid {
		t.Errorf("corrupt frame: %v", err)
	}
	frames = film(t, 21, facetest.Repeat(s.M, 6)...)
	frames[4].At = frames[2].At
	c.Nonce = "bad2"
	res, err := CheckLiveness(context.Background(), &MemorySpent{}, c, frames, now)
	if err != nil || len(res.Findings) != 1 || res.Findings[0].Code != "liveness.timing" {
		t.Errorf("times out of order: %+v %v", res.Findings, err)
	}
}
