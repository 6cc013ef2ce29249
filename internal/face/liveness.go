package face

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strconv"
	"time"

	"github.com/beian/beian/internal/problem"
)

// Liveness: the server issues a Challenge of two actions in a random order; the phone films the person and
// sends the frames; CheckLiveness verifies that one and the same face performs the actions, in order, in
// front of a white background, within the time limit, and that the frames are fresh (docs/verification.md,
// "Liveness").
//
// What it can tell, with pigo's face detector and pupil localiser and simple measures around the eyes and
// the mouth: a still photo held up (nothing changes), a replay of identical frames or of frames already
// sent, a face that changes between frames, actions missing or in the wrong order. What it cannot tell:
// a video of the person made earlier and played back doing the right actions, a good 3-D mask, a screen
// showing a live video call. The random order and the short expiry make a prepared video unlikely to
// match; an external Verifier or the reviewer remains the real judge.

// Action is one thing the person is asked to do.
type Action string

// The actions. Directions are the person's own: turning the head to the left moves the face towards the
// right of an unmirrored camera frame.
const (
	Blink     Action = "blink"
	TurnLeft  Action = "turn_left"
	TurnRight Action = "turn_right"
	OpenMouth Action = "open_mouth"
)

// Actions lists every action.
var Actions = []Action{Blink, TurnLeft, TurnRight, OpenMouth}

// Limits of a liveness attempt.
const (
	ChallengeTTL = 90 * time.Second // from issue to the last frame received
	MinFrames    = 6
	MaxFrames    = 40
	// MaxFrameBytes bounds one frame: a 720p JPEG from a phone is 100-300 KB.
	MaxFrameBytes = 1 << 20
)

// Challenge is what the phone is asked to do. Nonce identifies it and is spent by the first check.
type Challenge struct {
	Nonce     string    `json:"nonce"`
	Actions   []Action  `json:"actions"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// NewChallenge draws two different actions in a random order (never both turns, which would ask for a
// head shake) and a 128-bit nonce.
func NewChallenge(now time.Time) Challenge {
	pick := func(n int) int {
		v, _ := rand.Int(rand.Reader, big.NewInt(int64(n)))
		return int(v.Int64())
	}
	first := Actions[pick(len(Actions))]
	var rest []Action
	for _, a := range Actions {
		if a != first && !(isTurn(a) && isTurn(first)) {
			rest = append(rest, a)
		}
	}
	b := make([]byte, 16)
	rand.Read(b)
	return Challenge{Nonce: base64.RawURLEncoding.EncodeToString(b), Actions: []Action{first, rest[pick(len(rest))]},
		IssuedAt: now, ExpiresAt: now.Add(ChallengeTTL)}
}

func isTurn(a Action) bool { return a == TurnLeft || a == TurnRight }

// Frame is one camera frame: a JPEG or PNG and when it was taken, counted from the first frame.
type Frame struct {
	Image []byte
	At    time.Duration
}

// Spent remembers nonces and frame fingerprints already used, so that neither serves twice: Spend reports
// whether key was fresh and records it until the given time. Implementations must be safe for concurrent
// use and, on several nodes, shared by them (the provider keeps them in its database).
type Spent interface {
	Spend(ctx context.Context, key string, until time.Time) (fresh bool, err error)
}

// frameMemory is how long frame fingerprints are remembered: long enough that a recording of one attempt
// cannot be sent again for another person or order the same day.
const frameMemory = 24 * time.Hour

// LivenessResult is the verdict on an attempt.
type LivenessResult struct {
	OK       bool      `json:"ok"`
	Findings []Finding `json:"findings"` // what went wrong and what to do, most important first
	// Seen is, for each action of the challenge, the frame where it was seen (-1: not seen).
	Seen []int `json:"seen"`
	// Best is the frame kept as the verification photo: neutral (eyes open, mouth closed, facing the camera),
	// the sharpest; -1 when the attempt failed before frames were measured.
	Best int `json:"best"`
	// Report is the full photo check (Check) of the best frame.
	Report Report `json:"report"`
}

// CheckLiveness checks an attempt at challenge c made of frames, received at now. The nonce is spent first:
// a second attempt with the same challenge is refused whatever it holds.
func CheckLiveness(ctx context.Context, spent Spent, c Challenge, frames []Frame, now time.Time) (LivenessResult, error) {
	res := LivenessResult{Best: -1, Seen: []int{}}
	fail := func(code string, params ...string) (LivenessResult, error) {
		res.Findings = append(res.Findings, finding(code, params...))
		return res, nil
	}
	fresh, err := spent.Spend(ctx, "nonce:"+c.Nonce, c.ExpiresAt.Add(time.Hour))
	switch {
	case err != nil:
		return res, problem.Wrap(err, "internal")
	case !fresh:
		return fail("liveness.challenge_used")
	case now.After(c.ExpiresAt):
		return fail("liveness.expired", "seconds", strconv.Itoa(int(ChallengeTTL.Seconds())))
	case len(frames) < MinFrames:
		return fail("liveness.too_few_frames", "min", strconv.Itoa(MinFrames))
	case len(frames) > MaxFrames:
		return fail("liveness.too_many_frames", "max", strconv.Itoa(MaxFrames))
	}
	if again, err := replayed(ctx, spent, frames); err != nil || again {
		if err != nil {
			return res, problem.Wrap(err, "internal")
		}
		return fail("liveness.replayed")
	}
	obs := make([]observation, len(frames))
	for i, f := range frames {
		if i > 0 && f.At <= frames[i-1].At || f.At > ChallengeTTL {
			return fail("liveness.timing")
		}
		if len(f.Image) > MaxFrameBytes {
			return fail("liveness.frame_too_large", "frame", strconv.Itoa(i+1))
		}
		if obs[i], err = observe(f.Image); err != nil {
			return res, asFrame(err, i)
		}
	}
	judge(&res, c, obs)
	if len(res.Findings) == 0 {
		res.Report, err = Check(frames[res.Best].Image, WhiteBackground)
		if err != nil {
			return res, err
		}
		res.Findings = append(res.Findings, res.Report.Findings...)
	}
	res.OK = len(res.Findings) == 0
	return res, nil
}

// replayed refuses a sequence holding the same frame twice or a frame of an earlier attempt (a loop, a
// recording sent again): no camera produces the same bytes twice. Every frame is recorded as spent, so that
// a later attempt cannot reuse any of them.
func replayed(ctx context.Context, spent Spent, frames []Frame) (bool, error) {
	seen := map[[32]byte]bool{}
	again := false
	for _, f := range frames {
		h := sha256.Sum256(f.Image)
		again = again || seen[h]
		seen[h] = true
	}
	until := time.Now().Add(frameMemory)
	for h := range seen {
		fresh, err := spent.Spend(ctx, "frame:"+base64.RawURLEncoding.EncodeToString(h[:]), until)
		if err != nil {
			return false, err
		}
		again = again || !fresh
	}
	return again, nil
}

func finding(code string, params ...string) Finding {
	f := Finding{Code: code}
	if len(params) > 0 {
		f.Params = map[string]string{}
		for i := 0; i+1 < len(params); i += 2 {
			f.Params[params[i]] = params[i+1]
		}
	}
	return f
}

// asFrame puts the frame on the errors of a frame's file checks.
func asFrame(err error, i int) error {
	if problem.KindOf(err) != problem.Invalid {
		return err
	}
	l := problem.As(err)
	for _, e := range l {
		e.Field = "frames[" + strconv.Itoa(i) + "]"
	}
	return l
}
