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

// Generated subject numbers are valid and never repeat, also past the 999,999 a six-digit serial allows per
// province and year (the generator used to wrap there), up to 10,000,000 filings.
func TestRegistryNumbersUniqueAtScale(t *testing.T) {
	seen := map[string]int{}
	ranges := [][2]int{{0, 3000}, {999_000, 1_001_000}, {4_999_000, 5_001_000}, {9_997_000, 10_000_000}}
	for _, r := range ranges {
		for i := r[0]; i < r[1]; i++ {
			n, province := RegistrySubjectNumber(i)
			if j, dup := seen[n]; dup {
				t.Fatalf("filings %d and %d share %s", j, i, n)
			}
			seen[n] = i
			res := ident.ICPNumber(n)
			if !res.Valid() || res.Info["province"] != province {
				t.Fatalf("%d: %s (province %s): %+v", i, n, province, res)
			}
		}
	}
	for _, i := range []int{0, 17, 9_999_999} {
		rec := Registry(i, 1, "p")[0]
		if !ident.USCC(rec.Subject.CredentialNumber).Valid() || rec.ApprovedAt.Format("2006") != rec.Subject.Number[len("粤ICP备"):len("粤ICP备")+4] {
			t.Errorf("%d: %+v", i, rec)
		}
	}
}
