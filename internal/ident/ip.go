package ident

import (
	"net/netip"
	"strings"
)

// sharedAddressSpace is RFC 6598's carrier-grade NAT range, private to providers' networks.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// IP validates a service's IP address or address range "a-b" (Huawei Cloud's first-filing guide: "备案服务器的公网IP地址";
// docs/design.md §4.3 step 4: IPs or IP ranges). Both ends must be public unicast addresses of the same family, the
// first not above the last. Normalized: the canonical text form, ranges as "a-b". Info: family (4 or 6).
func IP(s string) Result {
	r := newResult(KindIP, s)
	c := dropSpaces(fold(s))
	r.Normalized = c
	if c == "" {
		r.fail("empty")
		return r
	}
	lo, hi, isRange := strings.Cut(strings.ReplaceAll(c, "~", "-"), "-")
	if !isRange {
		hi = lo
	}
	a, errA := netip.ParseAddr(lo)
	b, errB := netip.ParseAddr(hi)
	if errA != nil || errB != nil || a.Zone() != "" || b.Zone() != "" {
		r.fail("syntax")
		return r
	}
	a, b = a.Unmap(), b.Unmap()
	r.Normalized = a.String()
	if isRange {
		r.Normalized += "-" + b.String()
	}
	switch {
	case a.Is4() != b.Is4():
		r.fail("range_family")
	case b.Less(a):
		r.fail("range_order")
	case !publicAddr(a) || !publicAddr(b):
		r.fail("not_public")
	default:
		r.Info["family"] = 6
		if a.Is4() {
			r.Info["family"] = 4
		}
	}
	return r
}

// publicAddr reports whether a can be a server's public address: global unicast, not private (RFC 1918,
// RFC 4193) and not in the shared address space.
func publicAddr(a netip.Addr) bool {
	return a.IsGlobalUnicast() && !a.IsPrivate() && !sharedAddressSpace.Contains(a)
}
