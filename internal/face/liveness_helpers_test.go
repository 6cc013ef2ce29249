package face

import (
	"context"
	"image"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/face/facetest"
)

// stage is facetest's person with this package's own measurement of the neutral frame.
type stage struct {
	facetest.Stage
	o observation
}

func measured(t testing.TB, s facetest.Stage) stage {
	t.Helper()
	o, err := observe(encJPEG(t, s.M))
	if err != nil || o.faces != 1 {
		t.Fatalf("%d faces, %v", o.faces, err)
	}
	return stage{s, o}
}

// framePx converts work pixels (livenessSide) to frame pixels.
func framePx(p image.Point) image.Point {
	return p.Mul(facetest.H).Div(livenessSide)
}

func frameRect(r image.Rectangle) image.Rectangle {
	return image.Rectangle{framePx(r.Min), framePx(r.Max)}
}

// newStage is facetest.Standard, whose recorded geometry must still be what observe finds.
func newStage(t testing.TB) stage {
	s := measured(t, facetest.Standard(t))
	near := func(a, b image.Point) bool {
		a = framePx(a)
		return abs(float64(a.X-b.X)) <= 6 && abs(float64(a.Y-b.Y)) <= 6
	}
	if !near(s.o.box.Min, s.Box.Min) || !near(s.o.box.Max, s.Box.Max) || !near(s.o.eyes[0], s.Eyes[0]) || !near(s.o.eyes[1], s.Eyes[1]) {
		t.Fatalf("facetest.Standard records box %v eyes %v, observe finds %v %v", s.Box, s.Eyes, frameRect(s.o.box),
			[]image.Point{framePx(s.o.eyes[0]), framePx(s.o.eyes[1])})
	}
	return s
}

// lookalike places the other test photo so that its face has the same size and place as s's: a swap that
// only the face itself can give away.
func lookalike(t testing.TB, s stage) stage {
	probe := measured(t, facetest.Stage{M: facetest.Photo(t, "collins.jpg", 1.8, 72, 150)})
	pb, sb := frameRect(probe.o.box), frameRect(s.o.box)
	k := float64(sb.Dx()) / float64(pb.Dx())
	// the face's place in the scaled photo grows with the scale
	fx, fy := float64(pb.Min.X-72)*k, float64(pb.Min.Y-150)*k
	other := measured(t, facetest.Stage{M: facetest.Photo(t, "collins.jpg", 1.8*k, sb.Min.X-int(fx), sb.Min.Y-int(fy))})
	other.Box, other.Eyes = frameRect(other.o.box), [2]image.Point{framePx(other.o.eyes[0]), framePx(other.o.eyes[1])}
	return other
}

// film is facetest.Film as frames.
func film(t testing.TB, seed uint64, pics ...*image.RGBA) []Frame {
	shots := facetest.Film(t, seed, pics...)
	out := make([]Frame, len(shots))
	for i, s := range shots {
		out[i] = Frame{Image: s.Image, At: s.At}
	}
	return out
}

// MemorySpent is a Spent in this process's memory, for the tests.
type MemorySpent struct {
	mu     sync.Mutex
	keys   map[string]time.Time
	purged time.Time
}

// Spend implements Spent; expired keys are dropped once a minute.
func (m *MemorySpent) Spend(_ context.Context, key string, until time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys == nil {
		m.keys = map[string]time.Time{}
	}
	if now := time.Now(); now.Sub(m.purged) > time.Minute {
		for k, t := range m.keys {
			if now.After(t) {
				delete(m.keys, k)
			}
		}
		m.purged = now
	}
	if _, ok := m.keys[key]; ok {
		return false, nil
	}
	m.keys[key] = until
	return true, nil
}
