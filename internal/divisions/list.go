package divisions

import (
	"maps"
	"slices"
)

// Counties returns every county-level division ordered by code, with FullName as Lookup gives it
// ("四川省成都市武侯区", "上海市徐汇区").
func Counties() []Division {
	codes := slices.Sorted(maps.Keys(load().counties))
	out := make([]Division, 0, len(codes))
	for _, c := range codes {
		if d, ok := Lookup(c); ok {
			out = append(out, d)
		}
	}
	return out
}
