package ident

import (
	_ "embed"
	"net/netip"
	"strings"
	"sync"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Use says what a domain is filed for.
type Use int

const (
	// ForWebsite: a website files its registrable domain only; subdomains are then covered (docs/design.md §4.6).
	ForWebsite Use = iota
	// ForApp: an APP lists the domains it calls, second to fourth level (Huawei Cloud's first-filing guide: "APP支持二到四级域名备案").
	ForApp
)

//go:embed data/tlds.txt
var tldData string

// approvedTLDs holds the ASCII form of every top-level domain in data/tlds.txt.
var approvedTLDs = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for line := range strings.Lines(tldData) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		a, err := idna.Lookup.ToASCII(line)
		if err != nil {
			panic("ident: data/tlds.txt: " + line + ": " + err.Error()) // checked by the tests
		}
		m[a] = true
	}
	return m
})

// ApprovedTLD reports whether the top-level domain (ASCII or Unicode form, without dot) is in the shipped
// snapshot of MIIT-approved top-level domains.
func ApprovedTLD(tld string) bool {
	a, err := idna.Lookup.ToASCII(tld)
	return err == nil && approvedTLDs()[a]
}

// Domain validates a domain for an ICP filing and normalises it to lower-case Unicode (IDNA Lookup
// profile). A URL is reduced to its host with a warning. The domain must have a top-level domain approved by
// MIIT (docs/design.md §4.6) and may not sit under a platform's shared suffix (github.io and the like: the holder is not the
// applicant). For ForWebsite a subdomain, www included, is refused with the registrable domain to file
// instead; for ForApp up to two levels below the registrable domain are allowed.
// Info: ascii, unicode, registrable (Unicode), tld (Unicode).
func Domain(s string, use Use) Result {
	r := newResult(KindDomain, s)
	host := hostOf(&r, s)
	r.Normalized = host
	d, ok := parseDomain(&r, host)
	if !ok {
		return r
	}
	r.Normalized = d.unicode
	r.Info["ascii"], r.Info["unicode"] = d.ascii, d.unicode
	if !checkSuffix(&r, &d) {
		return r
	}
	r.Info["registrable"], r.Info["tld"] = d.registrable, d.tld
	if !ApprovedTLD(d.tld) {
		r.fail("tld_not_approved", "tld", d.tld)
	}
	switch extra := strings.Count(d.ascii, ".") - strings.Count(d.registrableASCII, "."); {
	case use == ForWebsite && extra > 0:
		r.fail("subdomain", "registrable", d.registrable)
	case use == ForApp && extra > 2:
		r.fail("too_deep", "registrable", d.registrable)
	}
	return r
}

// domain is a syntactically valid domain in its two forms, and once its suffix is known, its registrable
// domain and top-level domain.
type domain struct {
	ascii, unicode                string
	registrable, registrableASCII string // Unicode and ASCII
	tld                           string // Unicode
}

// hostOf trims s and reduces a URL to its host, warning when it did: the path, query and fragment always go;
// scheme, user and port only when a scheme shows the input is a URL ("example.com:8080" alone stays invalid).
func hostOf(r *Result, s string) string {
	h := strings.TrimSpace(s)
	orig := h
	_, rest, isURL := strings.Cut(h, "://")
	if isURL {
		h = rest
	}
	if i := strings.IndexAny(h, "/?#"); i >= 0 {
		h = h[:i]
	}
	if isURL {
		if i := strings.LastIndexByte(h, '@'); i >= 0 {
			h = h[i+1:]
		}
		if i := strings.LastIndexByte(h, ':'); i > 0 && isDigits(h[i+1:]) && !strings.Contains(h[:i], ":") {
			h = h[:i]
		}
	}
	h = strings.TrimSpace(h)
	if h != orig && h != "" {
		r.warn("url_stripped", "domain", h)
	}
	return h
}

// parseDomain checks the syntax of host through IDNA and DNS length limits. One trailing dot (the DNS
// root) is dropped.
func parseDomain(r *Result, host string) (domain, bool) {
	if h, ok := strings.CutSuffix(host, "."); ok {
		if h = strings.TrimSpace(h); !strings.HasSuffix(h, ".") {
			host = h
			r.Normalized = h
		}
	}
	bare := strings.Trim(host, "[]")
	if _, err := netip.ParseAddr(bare); err == nil {
		r.fail("ip")
		return domain{}, false
	}
	switch {
	case host == "":
		r.fail("empty")
		return domain{}, false
	case strings.HasPrefix(host, "*."):
		r.fail("wildcard")
		return domain{}, false
	}
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil || ascii == "" {
		r.fail("syntax")
		return domain{}, false
	}
	if !dnsShape(r, ascii) {
		return domain{}, false
	}
	uni, err := idna.Lookup.ToUnicode(ascii)
	if err != nil {
		r.fail("syntax")
		return domain{}, false
	}
	return domain{ascii: ascii, unicode: uni}, true
}

// dnsShape checks the lengths and labels of an ASCII domain: at most 253 characters, labels of 1 to 63
// characters, at least two labels, and a top-level domain that is not all digits.
func dnsShape(r *Result, ascii string) bool {
	labels := strings.Split(ascii, ".")
	for _, l := range labels {
		if l == "" {
			r.fail("syntax")
			return false
		}
		if len(l) > 63 {
			r.fail("label_too_long", "label", l)
			return false
		}
	}
	switch {
	case len(ascii) > 253:
		r.fail("too_long")
	case len(labels) < 2:
		r.fail("single_label")
	case isDigits(labels[len(labels)-1]):
		r.fail("syntax")
	default:
		return true
	}
	return false
}

// checkSuffix finds the registrable domain with the public suffix list. It refuses a bare public suffix
// (com.cn), a name under a private shared suffix (user.github.io) and a top-level domain the list does not
// know.
func checkSuffix(r *Result, d *domain) bool {
	suffix, icann := publicsuffix.PublicSuffix(d.ascii)
	uniSuffix, _ := idna.Lookup.ToUnicode(suffix)
	switch {
	case !icann && !strings.Contains(suffix, "."):
		r.fail("tld_unknown", "tld", uniSuffix)
		return false
	case !icann && d.ascii != suffix:
		r.fail("private_suffix", "suffix", uniSuffix)
		return false
	case icann && d.ascii == suffix:
		r.fail("public_suffix", "suffix", uniSuffix)
		return false
	}
	reg := d.ascii
	if icann {
		var err error
		if reg, err = publicsuffix.EffectiveTLDPlusOne(d.ascii); err != nil {
			r.fail("syntax")
			return false
		}
	}
	d.registrableASCII = reg
	d.registrable, _ = idna.Lookup.ToUnicode(reg)
	d.tld, _ = idna.Lookup.ToUnicode(d.ascii[strings.LastIndexByte(d.ascii, '.')+1:])
	return true
}
