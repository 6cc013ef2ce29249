package face

import (
	"image"
	"testing"
)

// The same frame gives the same pupils whatever was measured before it: a verdict must not depend on the run.
func TestPupilsDeterministic(t *testing.T) {
	s := newStage(t)
	frames := film(t, 11, s.M, s.Turned(-1), s.EyesClosed())
	first := make([][2]image.Point, len(frames))
	for i, f := range frames {
		o, err := observe(f.Image)
		if err != nil {
			t.Fatal(err)
		}
		first[i] = o.eyes
	}
	for round := range 3 {
		for i := len(frames) - 1; i >= 0; i-- {
			o, err := observe(frames[i].Image)
			if err != nil {
				t.Fatal(err)
			}
			if o.eyes != first[i] {
				t.Fatalf("round %d, frame %d: pupils %v, first measured %v", round, i, o.eyes, first[i])
			}
		}
	}
}

// A cascade file cut short or with a nonsensical header is refused, not read past its end.
func TestUnpackPuplocRefuses(t *testing.T) {
	for _, b := range [][]byte{nil, puplocFile[:15], puplocFile[:len(puplocFile)-1], append([]byte{0, 0, 0, 0}, puplocFile[4:]...)} {
		if _, err := unpackPuploc(b); err == nil {
			t.Errorf("%d bytes accepted", len(b))
		}
	}
	if _, err := unpackPuploc(puplocFile); err != nil {
		t.Fatal(err)
	}
}
