package imaging

import (
	"errors"
	"testing"
)

// A memo skips the check for bytes that passed in the same scope, never for bytes that failed, and forgets the
// oldest pass.
func TestMemo(t *testing.T) {
	m := NewMemo(2)
	calls := map[string]int{}
	check := func(b []byte) error {
		calls[string(b)]++
		if string(b) == "bad" {
			return errors.New("refused")
		}
		return nil
	}
	steps := []struct {
		file  string
		fails bool
		calls int // calls of check for that file so far
	}{
		{"a", false, 1},
		{"a", false, 1}, // remembered
		{"bad", true, 1},
		{"bad", true, 2}, // refusals are not remembered
		{"b", false, 1},
		{"a", false, 1},
		{"c", false, 1}, // forgets a, the oldest
		{"a", false, 2},
		{"c", false, 1},
	}
	for i, s := range steps {
		err := m.Check("user 1", []byte(s.file), check)
		if (err != nil) != s.fails || calls[s.file] != s.calls {
			t.Fatalf("step %d (%s): err %v, %d calls, want fails=%v and %d calls", i, s.file, err, calls[s.file], s.fails, s.calls)
		}
	}
	// another scope does not share the passes
	if m.Check("user 2", []byte("c"), check); calls["c"] != 2 {
		t.Fatalf("a pass in one scope served another: %d calls", calls["c"])
	}
}
