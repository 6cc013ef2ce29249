package provider

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/problem"
)

// publicIPs checks the addresses (or ranges "a-b") staff type for an instance or an authorization code as the
// filing rules check a service's (ident.IP: public unicast addresses), and returns them normalized. The errors
// are on field, the list they were typed in, each naming its entry.
func publicIPs(field string, ips []string) ([]string, error) {
	if len(ips) == 0 {
		return nil, problem.Invalidf("common.required", field)
	}
	out := make([]string, 0, len(ips))
	var errs problem.List
	for _, ip := range ips {
		r := ident.IP(ip)
		for _, f := range r.Errors {
			e := problem.Invalidf(f.Code, field)
			e.Params = f.Params
			e.Text = i18n.Texts(func(l i18n.Lang) string {
				return i18n.T(l, "resource.ip_entry", map[string]string{"entry": ip, "problem": f.Message(l)})
			})
			errs = append(errs, e)
		}
		out = append(out, r.Normalized)
	}
	return out, errs.Err()
}

// ipsOnResource checks that every address or range of the services lies within the addresses of the resource
// the order is bound to (resource, as recorded: single addresses and ranges "a-b"). The wizard takes a
// service's IPs from the resource and shows them read-only; an API client may send a part of them (a website
// on one of an instance's two addresses) but nothing else: the provider files only what it hosts (Huawei
// Cloud's first-filing guide: "网站IP：备案服务器的公网IP地址"). A malformed entry is left to the field checks
// (ip.*). Each error is order.ip_not_on_resource on services[i].ips[j], naming the entry and the resource's
// addresses.
func ipsOnResource(services []filing.Service, resource []string) problem.List {
	var own []ipRange
	for _, r := range resource {
		if x, ok := parseIPRange(r); ok {
			own = append(own, x)
		}
	}
	var errs problem.List
	for i, svc := range services {
		for j, ip := range svc.IPs {
			x, ok := parseIPRange(ip)
			if !ok || slices.ContainsFunc(own, x.within) {
				continue
			}
			errs = append(errs, problem.Invalidf("order.ip_not_on_resource",
				"services["+strconv.Itoa(i)+"].ips["+strconv.Itoa(j)+"]", "ip", strings.TrimSpace(ip),
				"resource_ips", strings.Join(resource, ", ")))
		}
	}
	return errs
}

// ipRange is an address or an inclusive range of addresses of one family.
type ipRange struct{ lo, hi netip.Addr }

// parseIPRange reads an entry as ident.IP accepts it; ok is false for a malformed one.
func parseIPRange(s string) (ipRange, bool) {
	r := ident.IP(s)
	if !r.Valid() {
		return ipRange{}, false
	}
	lo, hi, isRange := strings.Cut(r.Normalized, "-")
	if !isRange {
		hi = lo
	}
	a, errA := netip.ParseAddr(lo)
	b, errB := netip.ParseAddr(hi)
	return ipRange{a, b}, errA == nil && errB == nil
}

// within reports whether x lies in r.
func (x ipRange) within(r ipRange) bool {
	return x.lo.Is4() == r.lo.Is4() && r.lo.Compare(x.lo) <= 0 && x.hi.Compare(r.hi) <= 0
}
