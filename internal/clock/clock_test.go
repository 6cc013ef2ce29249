package clock

import (
	"testing"
	"time"
)

func TestAdjustable(t *testing.T) {
	base := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	c := NewAdjustable(func() time.Time { return base })
	var seen time.Time
	c.OnAdvance(func(now time.Time) { seen = now })
	if _, err := c.Advance(-time.Hour); err == nil {
		t.Fatal("moved backwards")
	}
	now, err := c.Advance(25 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	want := base.Add(25 * time.Hour)
	if !now.Equal(want) || !c.Now().Equal(want) || !seen.Equal(want) || c.Offset() != 25*time.Hour {
		t.Fatalf("now=%v clock=%v seen=%v", now, c.Now(), seen)
	}
}
