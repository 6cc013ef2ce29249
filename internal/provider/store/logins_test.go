package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// Failures are counted per key, forgotten after the forget interval, cleared on demand; a pause holds until its
// end and is never shortened.
func TestLoginThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		acc, other := s.LoginKey("account", "zhang@example.com"), s.LoginKey("client", "203.0.113.5")
		if string(acc) == string(s.LoginKey("client", "zhang@example.com")) {
			t.Fatal("keys of different kinds collide")
		}
		fail := func(key []byte, at time.Time) int {
			t.Helper()
			var n int
			if err := s.Update(ctx, func(tx *store.Tx) error {
				var err error
				n, err = tx.LoginFailed(ctx, key, at, time.Hour)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for i, at := range []time.Duration{0, time.Minute, 50 * time.Minute} {
			if n := fail(acc, now.Add(at)); n != i+1 {
				t.Fatalf("failure %d counted as %d", i+1, n)
			}
		}
		if n := fail(acc, now.Add(111*time.Minute)); n != 1 {
			t.Fatalf("a failure over an hour after the last one counts %d, want 1", n)
		}
		if n := fail(other, now); n != 1 {
			t.Fatalf("another key shares the count: %d", n)
		}
		lock := func(key []byte, until time.Time) {
			t.Helper()
			if err := s.Update(ctx, func(tx *store.Tx) error { return tx.LockLogin(ctx, key, until) }); err != nil {
				t.Fatal(err)
			}
		}
		lock(acc, now.Add(10*time.Minute))
		lock(acc, now.Add(5*time.Minute)) // does not shorten
		lock(other, now.Add(20*time.Minute))
		for _, c := range []struct {
			at   time.Duration
			keys [][]byte
			want time.Time
		}{
			{time.Minute, [][]byte{acc}, now.Add(10 * time.Minute)},
			{time.Minute, [][]byte{acc, other}, now.Add(20 * time.Minute)},
			{15 * time.Minute, [][]byte{acc}, time.Time{}},
			{time.Minute, [][]byte{s.LoginKey("account", "li@example.com")}, time.Time{}},
		} {
			got, err := s.LoginLockedUntil(ctx, now.Add(c.at), c.keys...)
			if err != nil || !got.Equal(c.want) {
				t.Errorf("locked until at +%v: %v, %v; want %v", c.at, got, err, c.want)
			}
		}
		if err := s.ClearLogin(ctx, acc); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.LoginLockedUntil(ctx, now.Add(time.Minute), acc); !got.IsZero() || fail(acc, now.Add(2*time.Minute)) != 1 {
			t.Fatal("ClearLogin kept the pause or the count")
		}
	})
}

// ForgetLoginFailures deletes a key only once its last failure is older than the given time and its pause has
// ended; a key still counting or still paused stays and keeps its count.
func TestForgetLoginFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		keys := []struct {
			name       string
			lastFailed time.Duration // before now
			pausedFor  time.Duration // after now; 0: not paused
			kept       bool
		}{
			{"run out", 3 * time.Hour, 0, false},
			{"run out, pause over", 3 * time.Hour, -time.Hour, false},
			{"still counting", 30 * time.Minute, 0, true},
			{"old failure, still paused", 3 * time.Hour, time.Hour, true},
		}
		for _, k := range keys {
			key := s.LoginKey("client", k.name)
			if err := s.Update(ctx, func(tx *store.Tx) error {
				if _, err := tx.LoginFailed(ctx, key, now.Add(-k.lastFailed), time.Hour); err != nil {
					return err
				}
				if k.pausedFor == 0 {
					return nil
				}
				return tx.LockLogin(ctx, key, now.Add(k.pausedFor))
			}); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.ForgetLoginFailures(ctx, now.Add(-2*time.Hour), now)
		if err != nil || n != 2 {
			t.Fatalf("forgot %d keys (%v), want 2", n, err)
		}
		for _, k := range keys {
			var left int
			if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_throttle WHERE key = $1`,
				s.LoginKey("client", k.name)).Scan(&left); err != nil {
				t.Fatal(err)
			}
			if (left == 1) != k.kept {
				t.Errorf("%s: %d left, kept want %v", k.name, left, k.kept)
			}
		}
	})
}
