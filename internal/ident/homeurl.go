package ident

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// MaxHomeURLRunes is the longest home page address accepted, in characters: far beyond a site's home page,
// short enough for the reviewer's page and the administration's record.
const MaxHomeURLRunes = 500

// schemeRE matches what a URL's scheme looks like: "javascript:", "https:", but also "www.example.cn:" before
// a port, which HomeURL tells apart.
var schemeRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*):`)

// HomeURL validates a website's home page address (首页地址) against the domains its service files: an http or
// https URL, or one without a scheme (www.example.cn, the form the wizard proposes), whose host is one of
// domains or a subdomain of one (www.); no user or password, no spaces, control or format characters, at most
// MaxHomeURLRunes characters. Any other scheme (javascript:, data:, ftp:) is refused. The address is shown to
// the reviewer and sent to the administration as typed: Normalized is the input trimmed. When domains holds no
// domain the host is not compared (the domain field reports the missing domain). Info: host (Unicode).
func HomeURL(s string, domains []string) Result {
	r := newResult(KindHomeURL, s)
	u := strings.TrimSpace(s)
	r.Normalized = u
	switch {
	case u == "":
		r.fail("empty")
		return r
	case utf8.RuneCountInString(u) > MaxHomeURLRunes:
		r.fail("too_long", "max", strconv.Itoa(MaxHomeURLRunes))
		return r
	case strings.ContainsFunc(u, func(c rune) bool {
		return c == utf8.RuneError || unicode.In(c, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
	}):
		r.fail("control_char")
		return r
	case strings.ContainsFunc(u, func(c rune) bool { return unicode.IsSpace(c) || c == '\\' }):
		r.fail("syntax")
		return r
	}
	full := "http://" + u
	if m := schemeRE.FindStringSubmatch(u); m != nil {
		after := u[len(m[0]):]
		switch scheme := strings.ToLower(m[1]); {
		case strings.HasPrefix(after, "//") && (scheme == "http" || scheme == "https"):
			full = u
		case strings.HasPrefix(after, "//") || !isPort(after):
			r.fail("scheme", "scheme", m[1])
			return r
		}
	}
	host, ok := urlHost(&r, full)
	if !ok {
		return r
	}
	r.Info["host"] = host
	if !onDomains(host, domains) {
		r.fail("other_host", "host", host, "domains", strings.Join(domains, "、"), "example", "www."+strings.TrimSpace(domains[0]))
	}
	return r
}

// isPort reports whether s, what follows "host:" in an address without a scheme, starts with a port.
func isPort(s string) bool {
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	return s != "" && isDigits(s)
}

// urlHost parses an http(s) URL and returns its host in Unicode, adding the finding that refuses it.
func urlHost(r *Result, full string) (string, bool) {
	_, rest, _ := strings.Cut(full, "://")
	authority := rest
	if i := strings.IndexAny(authority, "/?#"); i >= 0 {
		authority = authority[:i]
	}
	if strings.Contains(authority, "@") {
		r.fail("credentials")
		return "", false
	}
	host, port := authority, ""
	if i := strings.LastIndexByte(authority, ':'); i >= 0 && !strings.HasSuffix(authority, "]") {
		host, port = authority[:i], authority[i+1:]
		if n, err := strconv.Atoi(port); err != nil || !isDigits(port) || n < 1 || n > 65535 {
			r.fail("syntax")
			return "", false
		}
	}
	if host == "" {
		r.fail("syntax")
		return "", false
	}
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return a.String(), true // an address is no filed domain: other_host
	}
	ascii, err := idna.Lookup.ToASCII(strings.TrimSuffix(host, "."))
	if err != nil || ascii == "" || strings.ContainsAny(ascii, "[]:%") {
		r.fail("syntax")
		return "", false
	}
	uni, err := idna.Lookup.ToUnicode(ascii)
	if err != nil {
		r.fail("syntax")
		return "", false
	}
	return uni, true
}

// onDomains reports whether host is one of domains or below one; true when domains holds none.
func onDomains(host string, domains []string) bool {
	h, err := idna.Lookup.ToASCII(host)
	if err != nil {
		h = host
	}
	known := false
	for _, d := range domains {
		a, err := idna.Lookup.ToASCII(strings.TrimSuffix(strings.TrimSpace(d), "."))
		if err != nil || a == "" {
			continue
		}
		known = true
		if h == a || strings.HasSuffix(h, "."+a) {
			return true
		}
	}
	return !known
}
