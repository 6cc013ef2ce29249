package captcha

import (
	"bytes"
	"image/png"
	"testing"
	"time"
)

func TestCheckConsumes(t *testing.T) {
	s := New(time.Minute, 10)
	right := s.New()
	answer, ok := s.Answer(right.ID)
	if !ok || len(answer) != Digits {
		t.Fatalf("answer %q, %v", answer, ok)
	}
	if !s.Check(right.ID, " "+answer[:2]+" "+answer[2:]) {
		t.Fatal("the right answer (with spaces) is refused")
	}
	if s.Check(right.ID, answer) {
		t.Fatal("a challenge answered twice")
	}
	wrong := s.New()
	answer, _ = s.Answer(wrong.ID)
	bad := []byte(answer)
	bad[0] = '0' + (bad[0]-'0'+1)%10
	if s.Check(wrong.ID, string(bad)) || s.Check(wrong.ID, answer) {
		t.Fatal("a wrong answer did not consume the challenge")
	}
	if s.Check("no-such-id", answer) || s.Check("", "") {
		t.Fatal("an unknown challenge passed")
	}
}

func TestExpiryAndBound(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	s := New(time.Minute, 3)
	s.now = func() time.Time { return now }
	old := s.New()
	answer, _ := s.Answer(old.ID)
	now = now.Add(61 * time.Second)
	if _, ok := s.Answer(old.ID); ok || s.Check(old.ID, answer) {
		t.Fatal("an expired challenge passed")
	}
	var ids []string
	for range 4 {
		ids = append(ids, s.New().ID)
	}
	if _, ok := s.Answer(ids[0]); ok {
		t.Fatal("the oldest of more than max challenges was kept")
	}
	if len(s.items) > 3 || len(s.order) > 3 {
		t.Fatalf("%d challenges, %d ids kept; want at most 3", len(s.items), len(s.order))
	}
	for _, id := range ids[1:] {
		if _, ok := s.Answer(id); !ok {
			t.Fatalf("challenge %s dropped", id)
		}
	}
}

// The image is a PNG of the stated size whose ink covers each digit's slot.
func TestImage(t *testing.T) {
	for range 20 {
		c := New(time.Minute, 10).New()
		img, err := png.Decode(bytes.NewReader(c.Image))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != width || b.Dy() != height {
			t.Fatalf("size %v", b)
		}
		step := (width - 10) / Digits
		for d := range Digits {
			dark := 0
			for x := 6 + d*step; x < 6+(d+1)*step; x++ {
				for y := range height {
					if r, g, b, _ := img.At(x, y).RGBA(); r+g+b < 3*0x9000 {
						dark++
					}
				}
			}
			if dark < 40 {
				t.Fatalf("digit %d slot has %d dark pixels", d, dark)
			}
		}
	}
}

// One image is drawn for every SMS verification at the simulator (docs/benchmarks.md).
func BenchmarkRender(b *testing.B) {
	for b.Loop() {
		render("123456")
	}
}
