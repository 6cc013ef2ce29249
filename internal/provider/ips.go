package provider

import (
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
