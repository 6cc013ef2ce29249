package provider

import (
	"testing"
	"time"
)

func TestPauseAfter(t *testing.T) {
	l := LoginLimit{Free: 5, Pause: time.Minute, MaxPause: 15 * time.Minute, Forget: time.Hour}
	for n, want := range map[int]time.Duration{
		0: 0, 5: 0, 6: time.Minute, 7: 2 * time.Minute, 8: 4 * time.Minute, 9: 8 * time.Minute, 10: 15 * time.Minute,
		1000: 15 * time.Minute,
	} {
		if got := l.pauseAfter(n); got != want {
			t.Errorf("pause after failure %d = %v, want %v", n, got, want)
		}
	}
	for _, l := range []LoginLimit{AccountLoginLimit, ClientLoginLimit} {
		if l.Forget <= l.MaxPause {
			t.Errorf("%+v forgets failures before the longest pause ends", l)
		}
	}
}
