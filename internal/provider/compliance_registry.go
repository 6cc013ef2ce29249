package provider

import (
	"context"

	"github.com/beian/beian/internal/compliance"
	"github.com/beian/beian/internal/police"
)

// siteRegistry answers the compliance checker from what the provider can ask: the regulator says whether the
// domain is filed and under which numbers and names, the police platform gives its police number, and this
// provider's own record tells a filing it held that the registry no longer has (cancelled) from one it never
// had.
type siteRegistry struct{ s *Service }

func (r siteRegistry) LookupDomain(ctx context.Context, domain string) (compliance.Filing, error) {
	cfg := r.s.cfg
	f := compliance.Filing{Domain: domain}
	st, err := cfg.Regulator.LookupDomain(ctx, domain)
	if err != nil {
		return f, err
	}
	if !st.Filed {
		n, err := r.s.st.FiledNumberOfDomain(ctx, domain)
		f.Cancelled, f.ServiceNumber = n != "", n
		return f, err
	}
	f.Filed, f.SubjectNumber, f.ServiceNumber = true, st.SubjectNumber, st.ServiceNumber
	if rec, err := cfg.Regulator.LookupFiling(ctx, cfg.ProviderID, st.SubjectNumber); err == nil {
		f.SubjectName = rec.Subject.Name
		for _, fs := range rec.Services {
			if fs.Service.Number == st.ServiceNumber {
				f.WebsiteName = fs.Service.Name
			}
		}
	}
	if cfg.Police != nil {
		ps, err := cfg.Police.FilingStatus(ctx, police.StatusQuery{Domain: domain})
		if err == nil && ps.State == police.StateApproved {
			f.PoliceNumber = ps.PoliceNumber
		}
	}
	return f, nil
}
