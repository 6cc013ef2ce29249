package recognise

import (
	"sync"
	"unicode/utf8"

	"github.com/beian/beian/internal/divisions"
)

// countyNames are the full names of the county-level divisions ("四川省成都市武侯区"), the start of most
// addresses on credentials.
var countyNames = sync.OnceValue(func() [][]rune {
	var out [][]rune
	for _, d := range divisions.Counties() {
		if utf8.RuneCountInString(d.FullName) >= 5 {
			out = append(out, []rune(d.FullName))
		}
	}
	return out
})

// correctDivision replaces the start of an address with the one county full name it matches but for one
// character (the engine misreads rare characters such as 侯 in 武侯区); an exact match, no match or two
// candidates leave it as read. It reports whether it changed the address.
func correctDivision(addr span) (span, bool) {
	var match []rune
	for _, name := range countyNames() {
		if len(addr) < len(name) {
			continue
		}
		diff := 0
		for i, r := range name {
			if addr[i].r != r {
				diff++
			}
		}
		switch {
		case diff == 0:
			return addr, false
		case diff == 1 && match != nil:
			return addr, false // ambiguous
		case diff == 1:
			match = name
		}
	}
	if match == nil {
		return addr, false
	}
	out := make(span, len(addr))
	copy(out, addr)
	for i, r := range match {
		out[i].r = r
	}
	return out, true
}
