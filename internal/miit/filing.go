package miit

import (
	"context"
	"strings"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
)

// LookupFiling returns a filed subject with its services and their accesses (regulator.Regulator). A provider
// reads the record to start a change from it, to list an applicant's filings and to reach the subject principal
// for a claim; the public query shows none of its personal data.
func (s *Simulator) LookupFiling(ctx context.Context, providerID, subjectNumber string) (regulator.Filing, error) {
	if err := s.providerAllowed(providerID); err != nil {
		return regulator.Filing{}, err
	}
	subj, err := subjectByNumber(ctx, s.db.R, normNumber(subjectNumber))
	if err != nil {
		return regulator.Filing{}, problem.Wrap(err, "miit.internal")
	}
	if subj == nil || subj.Cancelled {
		return regulator.Filing{}, problem.New(problem.NotFound, "miit.filing_not_found", "number", "number", subjectNumber)
	}
	data, err := s.openSubject(subj.Data)
	if err != nil {
		return regulator.Filing{}, problem.Wrap(err, "miit.internal")
	}
	data.Number = subj.Number
	out := regulator.Filing{Province: subj.Province, Subject: data, Services: []regulator.FiledService{}}
	svcs, err := servicesOfSubject(ctx, s.db.R, subj.ID)
	if err != nil {
		return regulator.Filing{}, problem.Wrap(err, "miit.internal")
	}
	for _, rs := range svcs {
		svc, err := s.openService(rs.Data)
		if err != nil {
			return regulator.Filing{}, problem.Wrap(err, "miit.internal")
		}
		svc.Number, svc.Name, svc.Kind, svc.Domains = rs.Number, rs.Name, rs.Kind, rs.Domains
		acc, err := s.accesses(ctx, rs.ID)
		if err != nil {
			return regulator.Filing{}, problem.Wrap(err, "miit.internal")
		}
		out.Services = append(out.Services, regulator.FiledService{Service: svc, Accesses: acc})
	}
	return out, nil
}

// accesses lists the accesses of a service with their IPs, access method and location, by provider.
func (s *Simulator) accesses(ctx context.Context, serviceID int64) ([]regulator.Access, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT provider_id, ips, method, location FROM miit_accesses WHERE service_id = $1
		ORDER BY provider_id`, serviceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []regulator.Access{}
	for rows.Next() {
		var a regulator.Access
		var ips string
		if err := rows.Scan(&a.ProviderID, &ips, &a.Method, &a.Location); err != nil {
			return nil, err
		}
		a.IPs = strings.Fields(ips)
		out = append(out, a)
	}
	return out, rows.Err()
}
