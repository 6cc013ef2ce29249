package loadtest

import (
	"testing"
	"time"

	"github.com/beian/beian/internal/ident"
)

func TestGeneratedIdentifiersAreValidAndUnique(t *testing.T) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	for i := 0; i < 3000; i++ {
		for _, v := range []struct {
			kind, value string
			ok          bool
		}{
			{"uscc", USCC(i), ident.USCC(USCC(i)).Valid()},
			{"id", ResidentID(i), ident.ResidentID(ResidentID(i), now).Valid()},
			{"mobile", Mobile(i, 0), ident.Mobile(Mobile(i, 0)).Valid()},
			{"emergency", Mobile(i, 1), ident.Mobile(Mobile(i, 1)).Valid()},
		} {
			if !v.ok {
				t.Fatalf("%s %d = %s is invalid", v.kind, i, v.value)
			}
			key := v.kind + v.value
			if v.kind == "mobile" || v.kind == "emergency" {
				key = v.value
			}
			if seen[key] {
				t.Fatalf("%s %d = %s repeats", v.kind, i, v.value)
			}
			seen[key] = true
		}
	}
}
