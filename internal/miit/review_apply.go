package miit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/sqldb"
)

// apply changes the national registry as an approved order says (docs/design.md §4.12) and returns the subject number,
// the services concerned with their numbers, and a note for the provider.
func (s *Simulator) apply(ctx context.Context, tx *sql.Tx, sub *subRow, o *filing.Order, p *plan, now time.Time) (
	string, []filing.Issued, string, error) {
	provider := sub.ProviderID
	existingIssued := func() []filing.Issued {
		var out []filing.Issued
		for _, t := range p.targets {
			is := filing.Issued{Index: t.idx, Name: t.svc.Name, Number: t.svc.Number}
			if len(t.svc.Domains) > 0 {
				is.Domain = t.svc.Domains[0]
			}
			out = append(out, is)
		}
		return out
	}
	switch o.Type {
	case filing.NewFiling:
		abbr, ok := s.abbr(o.Province)
		if !ok {
			return "", nil, "", fmt.Errorf("miit: no abbreviation for province %q", o.Province)
		}
		year := now.In(cst).Year()
		serial, err := s.nextSerial(ctx, tx, o.Province, year)
		if err != nil {
			return "", nil, "", err
		}
		number := subjectNumber(abbr, year, serial)
		data, err := s.sealSubject(o.Subject)
		if err != nil {
			return "", nil, "", err
		}
		id, err := insertSubject(ctx, tx, number, o.Province, o.Subject, p.credHash, data, len(o.Services), now)
		if err != nil {
			return "", nil, "", err
		}
		issued, err := s.addServices(ctx, tx, id, number, true, o, o.Subject.Principal, provider, now)
		return number, issued, "", err

	case filing.NewService, filing.NewServiceNoSubject:
		principal := o.Subject.Principal
		if principal.Mobile == "" {
			filed, err := s.openSubject(p.subject.Data)
			if err != nil {
				return "", nil, "", err
			}
			principal = filed.Principal
		}
		issued, err := s.addServices(ctx, tx, p.subject.ID, p.subject.Number, false, o, principal, provider, now)
		return p.subject.Number, issued, "", err

	case filing.NewAccess, filing.ChangeAccess:
		for _, t := range p.targets {
			var svc filing.Service
			if t.idx >= 0 {
				svc = o.Services[t.idx]
			}
			if err := upsertAccess(ctx, tx, t.svc.ID, provider, svc, now); err != nil {
				return "", nil, "", err
			}
		}
		return p.subject.Number, existingIssued(), "", nil

	case filing.ChangeSubject:
		subject := o.Subject
		if subject.Name == "" {
			filed, err := s.openSubject(p.subject.Data)
			if err != nil {
				return "", nil, "", err
			}
			subject = filed
		}
		hash := p.subject.CredentialHash
		if p.credHash != nil {
			hash = p.credHash
		}
		data, err := s.sealSubject(subject)
		if err != nil {
			return "", nil, "", err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE miit_subjects SET name = $2, nature = $3, credential_type = $4,
			credential_hash = $5, data = $6, updated_at = $7 WHERE id = $1`, p.subject.ID, subject.Name, subject.Nature,
			subject.CredentialType, hash, data, sqldb.Millis(now)); err != nil {
			return "", nil, "", err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE miit_domains SET subject_name = $2, nature = $3 WHERE subject_id = $1`,
			p.subject.ID, subject.Name, subject.Nature); err != nil {
			return "", nil, "", err
		}
		return p.subject.Number, nil, "", nil

	case filing.ChangeService:
		for _, t := range p.targets {
			if t.idx < 0 {
				continue
			}
			svc := o.Services[t.idx]
			svc.Kind = t.svc.Kind
			principal := o.EffectivePrincipal(t.idx)
			if principal.Mobile == "" {
				filed, err := s.openService(t.svc.Data)
				if err != nil {
					return "", nil, "", err
				}
				principal = filed.Principal
			}
			data, err := s.sealService(svc, principal)
			if err != nil {
				return "", nil, "", err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE miit_services SET name = $2, domains = $3, data = $4,
				updated_at = $5 WHERE id = $1`, t.svc.ID, svc.Name, joinDomains(svc.Domains), data,
				sqldb.Millis(now)); err != nil {
				return "", nil, "", err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM miit_domains WHERE service_id = $1`, t.svc.ID); err != nil {
				return "", nil, "", err
			}
			if err := insertDomains(ctx, tx, t.svc.ID, svc.Domains); err != nil {
				return "", nil, "", err
			}
			if len(svc.IPs) > 0 {
				if err := upsertAccess(ctx, tx, t.svc.ID, provider, svc, now); err != nil {
					return "", nil, "", err
				}
			}
			t.svc.Name = svc.Name
			t.svc.Domains = svc.Domains
		}
		return p.subject.Number, existingIssued(), "", nil

	case filing.CancelSubject:
		return p.subject.Number, nil, "", cancelSubject(ctx, tx, p.subject.ID, now)

	case filing.CancelService:
		for _, t := range p.targets {
			if err := cancelService(ctx, tx, t.svc.ID, now); err != nil {
				return "", nil, "", err
			}
		}
		return p.subject.Number, existingIssued(), "", nil

	case filing.WithdrawAccess:
		var cancelled []string
		for _, t := range p.targets {
			if _, err := tx.ExecContext(ctx, `DELETE FROM miit_accesses WHERE service_id = $1 AND provider_id = $2`,
				t.svc.ID, provider); err != nil {
				return "", nil, "", err
			}
			rest, err := accessProviders(ctx, tx, t.svc.ID)
			if err != nil {
				return "", nil, "", err
			}
			if len(rest) == 0 { // docs/design.md §4.12: no access left, the administration cancels the service
				if err := cancelService(ctx, tx, t.svc.ID, now); err != nil {
					return "", nil, "", err
				}
				cancelled = append(cancelled, t.svc.Number)
			}
		}
		note := ""
		if len(cancelled) > 0 {
			note = "以下网站/APP已无其他接入，已注销：" + strings.Join(cancelled, "、")
		}
		return p.subject.Number, existingIssued(), note, nil
	}
	return "", nil, "", fmt.Errorf("miit: cannot apply order type %q", o.Type)
}

// addServices files the order's services under a subject, each with the next number of the subject's shared
// sequence (of a fresh subject, insertSubject took 1 to n for them), and records this provider's access to them.
func (s *Simulator) addServices(ctx context.Context, tx *sql.Tx, subjectID int64, subjectNumber string, fresh bool,
	o *filing.Order, subjectPrincipal filing.Principal, provider string, now time.Time) ([]filing.Issued, error) {
	var issued []filing.Issued
	for i, svc := range o.Services {
		seq := i + 1
		if !fresh {
			var err error
			if seq, err = nextServiceSeq(ctx, tx, subjectID); err != nil {
				return nil, err
			}
		}
		number := serviceNumber(subjectNumber, seq, svc.Kind)
		principal := svc.Principal
		if svc.PrincipalSameAsSubject {
			principal = subjectPrincipal
		}
		data, err := s.sealService(svc, principal)
		if err != nil {
			return nil, err
		}
		id, err := insertService(ctx, tx, subjectID, seq, number, svc, data, now)
		if err != nil {
			return nil, err
		}
		if err := upsertAccess(ctx, tx, id, provider, svc, now); err != nil {
			return nil, err
		}
		is := filing.Issued{Index: i, Name: svc.Name, Number: number}
		if len(svc.Domains) > 0 {
			is.Domain = svc.Domains[0]
		}
		issued = append(issued, is)
	}
	return issued, nil
}
