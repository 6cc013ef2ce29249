package compliance

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// PoliceRegistry answers what the police filing platform's public query (全国互联网安全管理服务平台, 备案查询)
// says about a domain.
type PoliceRegistry interface {
	// PoliceNumberOf returns the police number of the website filed for domain, "" when none is filed.
	PoliceNumberOf(ctx context.Context, domain string) (string, error)
}

// WithPolice returns reg with each filing's police number taken from the police platform's public query, so
// that the number on the homepage is checked against it: a site filed there must show its number
// (police.missing), a number shown must be the site's (police.wrong_number), and a number shown for a site the
// platform has no filing of is not a police filing of that site (police.not_filed). When the platform cannot be
// asked, the ICP checks still run and the report says so (police.unavailable).
func WithPolice(reg Registry, pol PoliceRegistry) Registry { return policeAware{reg, pol} }

type policeAware struct {
	Registry
	pol PoliceRegistry
}

func (r policeAware) LookupDomain(ctx context.Context, domain string) (Filing, error) {
	f, err := r.Registry.LookupDomain(ctx, domain)
	if err != nil || f.PoliceNumber != "" {
		return f, err
	}
	n, perr := r.pol.PoliceNumberOf(ctx, domain)
	if perr != nil {
		f.policeErr = perr
		return f, nil
	}
	f.PoliceNumber, f.PoliceChecked = n, true
	return f, nil
}

// HTTPPolice answers from the police platform's public query API (GET /mps/api/v1/query?domain=) of the
// platform at BaseURL: `beian mps serve`, or a beian with the platform in its process.
type HTTPPolice struct {
	BaseURL string // e.g. http://127.0.0.1:8082
	Client  *http.Client
}

// PoliceNumberOf implements PoliceRegistry.
func (p HTTPPolice) PoliceNumberOf(ctx context.Context, domain string) (string, error) {
	var a struct {
		Records []struct {
			PoliceNumber string `json:"police_number"`
		} `json:"records"`
	}
	u := strings.TrimRight(p.BaseURL, "/") + "/mps/api/v1/query?domain=" + url.QueryEscape(domain)
	if err := getAnswer(ctx, p.Client, u, "police platform", &a); err != nil {
		return "", err
	}
	if len(a.Records) == 0 {
		return "", nil
	}
	return a.Records[0].PoliceNumber, nil
}
