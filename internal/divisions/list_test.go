package divisions

import (
	"slices"
	"strings"
	"testing"
)

func TestCounties(t *testing.T) {
	all := Counties()
	if len(all) < 2800 {
		t.Fatalf("%d counties", len(all))
	}
	i := slices.IndexFunc(all, func(d Division) bool { return d.Code == "510107" })
	if i < 0 || all[i].FullName != "四川省成都市武侯区" || !slices.IsSortedFunc(all, func(a, b Division) int { return strings.Compare(a.Code, b.Code) }) {
		t.Errorf("510107: %+v", all[max(i, 0)])
	}
}
