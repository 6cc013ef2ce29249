package miit

import (
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

var dots = strings.NewReplacer("。", ".", "．", ".", "｡", ".")

var idnaProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false))

// normDomain returns the lowercase ASCII (punycode) form of a domain, accepting what people paste: a URL with
// scheme, port, path or a trailing dot, full-width dots, and Unicode (IDN) labels. ok is false when nothing
// that looks like a domain with at least two labels remains.
func normDomain(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	s = dots.Replace(s)
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return "", false
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		s = strings.ToLower(s)
	} else {
		a, err := idnaProfile.ToASCII(s)
		if err != nil {
			return "", false
		}
		s = strings.ToLower(a)
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 || len(s) > 253 {
		return "", false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return "", false
			}
		}
	}
	return s, true
}

// domainCandidates returns d and its parent domains down to its registrable domain (public suffix list), most
// specific first, at most 4: a query for www.example.com.cn finds the filed example.com.cn (only the
// registrable domain is filed for a website; an APP files up to two levels below it) and never asks
// about com.cn. A domain under no known suffix stops at two labels.
func domainCandidates(d string) []string {
	floor := 2
	if reg, err := publicsuffix.EffectiveTLDPlusOne(d); err == nil {
		floor = strings.Count(reg, ".") + 1
	}
	out := []string{d}
	for len(out) < 4 {
		i := strings.IndexByte(d, '.')
		if i < 0 {
			break
		}
		d = d[i+1:]
		if strings.Count(d, ".")+1 < floor {
			break
		}
		out = append(out, d)
	}
	return out
}
