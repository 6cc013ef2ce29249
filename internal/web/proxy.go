package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxy says how requests reach the server: directly, or through reverse proxies (a load balancer, nginx) that
// terminate TLS and forward plain HTTP. Only a proxy in Trusted is believed about the original scheme
// (X-Forwarded-Proto) and the client's address (X-Forwarded-For); anyone else could send those headers.
type Proxy struct {
	// CookieSecure decides the Secure attribute of the cookies the site sets (the session above all).
	CookieSecure CookieSecure
	// Trusted are the addresses of the proxies in front of the server.
	Trusted []netip.Prefix
}

// CookieSecure is when cookies are marked Secure (sent by browsers over HTTPS only).
type CookieSecure string

const (
	// SecureAuto marks them when the request came over HTTPS: TLS to this server, or X-Forwarded-Proto: https
	// from a trusted proxy.
	SecureAuto CookieSecure = "auto"
	// SecureAlways marks them always: the site is only ever reached over HTTPS.
	SecureAlways CookieSecure = "true"
	// SecureNever never marks them (plain-HTTP development behind a proxy that says https).
	SecureNever CookieSecure = "false"
)

// ParseProxy reads the settings BEIAN_COOKIE_SECURE (auto, true or false; "" is auto) and BEIAN_TRUSTED_PROXIES
// (addresses or CIDR prefixes, separated by commas or spaces).
func ParseProxy(cookieSecure, trusted string) (Proxy, error) {
	p := Proxy{CookieSecure: CookieSecure(cookieSecure)}
	switch p.CookieSecure {
	case "":
		p.CookieSecure = SecureAuto
	case SecureAuto, SecureAlways, SecureNever:
	default:
		return p, fmt.Errorf("BEIAN_COOKIE_SECURE must be auto, true or false, not %q", cookieSecure)
	}
	for _, f := range strings.FieldsFunc(trusted, func(r rune) bool { return r == ',' || r == ' ' }) {
		prefix, err := netip.ParsePrefix(f)
		if err != nil {
			addr, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return p, fmt.Errorf("BEIAN_TRUSTED_PROXIES: %q is neither an address nor a CIDR prefix", f)
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		p.Trusted = append(p.Trusted, prefix.Masked())
	}
	return p, nil
}

func (p Proxy) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, t := range p.Trusted {
		if t.Contains(a) {
			return true
		}
	}
	return false
}

// origin is where a request came from, as far as the server can tell, and what follows for its cookies.
type origin struct {
	client       string // the client's IP address ("" when unknown)
	secureCookie bool
}

// originOf works out the scheme and the client's address: the connection's own, unless the peer is a trusted
// proxy, whose X-Forwarded-Proto (the last value, its own) and X-Forwarded-For (the nearest address that is not
// a trusted proxy) count.
func (p Proxy) originOf(r *http.Request) origin {
	https := r.TLS != nil
	var o origin
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if peer, err := netip.ParseAddr(host); err == nil {
		o.client = peer.Unmap().String()
		if p.trusts(peer) {
			if protos := headerList(r, "X-Forwarded-Proto"); len(protos) > 0 {
				https = strings.EqualFold(protos[len(protos)-1], "https")
			}
			o.client = forwardedClient(p, headerList(r, "X-Forwarded-For"), o.client)
		}
	}
	switch p.CookieSecure {
	case SecureAlways:
		o.secureCookie = true
	case SecureNever:
		o.secureCookie = false
	default:
		o.secureCookie = https
	}
	return o
}

// forwardedClient walks X-Forwarded-For from the nearest hop and returns the first address that is not a
// trusted proxy (or the farthest readable one when all are).
func forwardedClient(p Proxy, hops []string, peer string) string {
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break // a malformed hop: keep the last address that could be read
		}
		client = a.Unmap().String()
		if !p.trusts(a) {
			break
		}
	}
	return client
}

// headerList is every comma-separated value of the header h, in order.
func headerList(r *http.Request, h string) []string {
	var out []string
	for _, line := range r.Header.Values(h) {
		for v := range strings.SplitSeq(line, ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func originFrom(r *http.Request) (origin, bool) {
	req := requestOf(r)
	if req == nil {
		return origin{}, false
	}
	req.originOnce.Do(func() { req.origin = req.proxy.originOf(req.r) })
	return req.origin, true
}

// SecureCookie reports whether a cookie set in answer to r is marked Secure (see Proxy.CookieSecure).
func SecureCookie(r *http.Request) bool {
	if o, ok := originFrom(r); ok {
		return o.secureCookie
	}
	return r.TLS != nil
}

// ClientAddr is the client's IP address: the connection's peer, or what trusted proxies forwarded.
func ClientAddr(r *http.Request) string {
	if o, ok := originFrom(r); ok && o.client != "" {
		return o.client
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
