package miit

import (
	"bytes"
	"context"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/rules"
)

// The conflict checks an administration runs on an upload, and again when it approves (the registry may have
// changed in between). A conflict is returned, not an error: it goes back to the provider as a result.

// target is a filed service an order is about, with the index of its data in Order.Services (-1: none sent).
type target struct {
	idx int
	svc *regService
}

// plan is what the checks resolved: the filed subject the order concerns (nil for a new filing) and the filed
// services it targets.
type plan struct {
	subject  *regSubject
	targets  []target
	credHash []byte // the order's subject credential, when it carries one
}

// subjectKey identifies the subject for "one order at a time per subject".
func (p *plan) subjectKey() []byte {
	if p.subject != nil {
		return p.subject.CredentialHash
	}
	return p.credHash
}

func isAppLike(k filing.ServiceKind) bool {
	return k == filing.App || k == filing.MiniProgram || k == filing.QuickApp
}

// normalizeOrder puts domains in their lowercase ASCII form; ones that do not parse are kept as sent and
// reported by the domain check (1004).
func normalizeOrder(o *filing.Order) {
	svcs := make([]filing.Service, len(o.Services))
	copy(svcs, o.Services)
	for i := range svcs {
		ds := make([]string, 0, len(svcs[i].Domains))
		seen := map[string]bool{}
		for _, d := range svcs[i].Domains {
			if n, ok := normDomain(d); ok {
				d = n
			}
			if !seen[d] {
				seen[d] = true
				ds = append(ds, d)
			}
		}
		svcs[i].Domains = ds
	}
	o.Services = svcs
}

func (s *Simulator) check(ctx context.Context, q querier, provider string, o *filing.Order) (*plan, *conflict, error) {
	p := &plan{}
	var holder *regSubject // the filed subject holding the order's credential, if any
	if o.Subject.CredentialNumber != "" {
		p.credHash = s.credentialHash(o.Subject.CredentialNumber)
		bl, subj, err := credentialFacts(ctx, q, p.credHash)
		if err != nil {
			return nil, nil, err
		}
		if bl {
			return nil, &conflict{code: CodeSubjectBlacklisted, detail: o.Subject.Name}, nil
		}
		holder = subj
	}
	switch o.Type {
	case filing.NewFiling:
		if p.credHash == nil {
			return nil, &conflict{code: CodeInvalidCredential, detail: o.Subject.Name}, nil
		}
		if existing := holder; existing != nil {
			if existing.Province != o.Province {
				return nil, conflictf(CodeProvinceChange, "%s", existing.Number), nil
			}
			return nil, conflictf(CodeSubjectConflict, "该主体已备案，主体备案号%s", existing.Number), nil
		}
		if len(o.Services) == 0 {
			return nil, &conflict{code: CodeRejected, detail: "备案信息中没有网站或APP"}, nil
		}
		c, err := s.checkServices(ctx, q, 0, o.Services, nil, nil)
		return p, c, err

	case filing.NewService, filing.NewServiceNoSubject:
		subj, c, err := s.resolveSubject(ctx, q, o, p.credHash, holder)
		if c != nil || err != nil {
			return nil, c, err
		}
		p.subject = subj
		if len(o.Services) == 0 {
			return nil, &conflict{code: CodeRejected, detail: "备案信息中没有网站或APP"}, nil
		}
		existing, err := servicesOfSubject(ctx, q, subj.ID)
		if err != nil {
			return nil, nil, err
		}
		if len(existing) == 0 && !rules.EmptySubjectTakesServices(subj.Province, s.clk.Now()) {
			return nil, conflictf(CodeRejected, "本省管局不受理空壳主体（%s）新增网站/APP，请先注销主体", subj.Number), nil
		}
		c, err = s.checkServices(ctx, q, subj.ID, o.Services, nil, existing)
		return p, c, err

	case filing.ChangeSubject, filing.CancelSubject:
		subj, c, err := s.resolveSubject(ctx, q, o, p.credHash, holder)
		if c != nil || err != nil {
			return nil, c, err
		}
		p.subject = subj
		ok, err := subjectHasAccess(ctx, q, subj.ID, provider)
		if err == nil && !ok && o.Type == filing.CancelSubject {
			// A subject without services (空壳主体) is accessed by no one: any provider may cancel it for its
			// principal, who confirms by SMS as for every cancellation.
			ok, err = subjectEmpty(ctx, q, subj.ID)
		}
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			return nil, conflictf(CodeNotProvidersFiling, "%s", subj.Number), nil
		}
		if o.Type == filing.ChangeSubject && p.credHash != nil && !bytes.Equal(p.credHash, subj.CredentialHash) {
			if other := holder; other != nil {
				return nil, conflictf(CodeSubjectConflict, "%s", other.Number), nil
			}
		}
		return p, nil, nil

	case filing.NewAccess, filing.ChangeService, filing.ChangeAccess, filing.CancelService, filing.WithdrawAccess:
		targets, c, err := s.resolveTargets(ctx, q, o)
		if c != nil || err != nil {
			return nil, c, err
		}
		p.targets = targets
		subj, err := subjectByID(ctx, q, targets[0].svc.SubjectID)
		if err != nil {
			return nil, nil, err
		}
		if subj == nil || subj.Cancelled {
			return nil, conflictf(CodeSubjectCancelled, "%s", targets[0].svc.Number), nil
		}
		p.subject = subj
		if o.Province != "" && o.Province != subj.Province {
			return nil, conflictf(CodeProvinceChange, "%s", subj.Number), nil
		}
		if p.credHash != nil && !bytes.Equal(p.credHash, subj.CredentialHash) {
			return nil, conflictf(CodeSubjectConflict, "%s", subj.Number), nil
		}
		for _, t := range targets {
			if t.svc.SubjectID != subj.ID {
				return nil, conflictf(CodeSubjectConflict, "%s", t.svc.Number), nil
			}
			has, err := hasAccess(ctx, q, t.svc.ID, provider)
			if err != nil {
				return nil, nil, err
			}
			switch {
			case o.Type == filing.NewAccess && has:
				return nil, conflictf(CodeAccessDuplicate, "%s", t.svc.Number), nil
			case o.Type == filing.WithdrawAccess && !has:
				return nil, conflictf(CodeNotOwnAccess, "%s", t.svc.Number), nil
			case o.Type != filing.NewAccess && o.Type != filing.WithdrawAccess && !has:
				return nil, conflictf(CodeNotProvidersFiling, "%s", t.svc.Number), nil
			}
		}
		if o.Type == filing.ChangeService {
			var changed []filing.Service
			var exclude []int64
			for _, t := range targets {
				exclude = append(exclude, t.svc.ID)
				if t.idx >= 0 {
					sv := o.Services[t.idx]
					sv.Kind = t.svc.Kind // the kind of a filed service does not change
					changed = append(changed, sv)
				}
			}
			existing, err := servicesOfSubject(ctx, q, subj.ID)
			if err != nil {
				return nil, nil, err
			}
			c, err := s.checkServices(ctx, q, subj.ID, changed, exclude, existing)
			return p, c, err
		}
		return p, nil, nil
	}
	return nil, &conflict{code: CodeRejected, detail: "不支持的备案类型"}, nil
}

// resolveSubject finds the filed subject an order refers to: by Target.SubjectNumber, the subject's number, or
// its credential number (holder: the filed subject holding credHash, read with it). A subject that is unknown,
// cancelled, another's, or filed in another province than the order's is a conflict.
func (s *Simulator) resolveSubject(ctx context.Context, q querier, o *filing.Order, credHash []byte,
	holder *regSubject) (*regSubject, *conflict, error) {
	var subj *regSubject
	var err error
	number := o.Subject.Number
	if o.Target != nil && o.Target.SubjectNumber != "" {
		number = o.Target.SubjectNumber
	}
	switch {
	case number != "":
		subj, err = subjectByNumber(ctx, q, normNumber(number))
	case credHash != nil:
		subj = holder
	}
	if err != nil {
		return nil, nil, err
	}
	if subj == nil {
		return nil, conflictf(CodeSubjectNotFound, "%s", number), nil
	}
	if subj.Cancelled {
		return nil, conflictf(CodeSubjectCancelled, "%s", subj.Number), nil
	}
	// The credential of the order must be the filed subject's, except when a subject change replaces it.
	if o.Type != filing.ChangeSubject && credHash != nil && !bytes.Equal(credHash, subj.CredentialHash) {
		return nil, conflictf(CodeSubjectConflict, "%s", subj.Number), nil
	}
	if o.Province != "" && o.Province != subj.Province {
		return nil, conflictf(CodeProvinceChange, "%s", subj.Number), nil
	}
	return subj, nil, nil
}

// resolveTargets finds the filed services an order is about: each service sent with its number, or else
// Target.ServiceNumber (whose data is Services[0] when exactly one service is sent).
func (s *Simulator) resolveTargets(ctx context.Context, q querier, o *filing.Order) ([]target, *conflict, error) {
	var out []target
	add := func(idx int, number string) (*conflict, error) {
		svc, err := serviceByNumber(ctx, q, normNumber(number))
		if err != nil {
			return nil, err
		}
		if svc == nil {
			return conflictf(CodeServiceNotFound, "%s", number), nil
		}
		if svc.Cancelled {
			return conflictf(CodeServiceCancelled, "%s", svc.Number), nil
		}
		for _, t := range out {
			if t.svc.ID == svc.ID {
				return nil, nil
			}
		}
		out = append(out, target{idx: idx, svc: svc})
		return nil, nil
	}
	for i, svc := range o.Services {
		if svc.Number != "" {
			if c, err := add(i, svc.Number); c != nil || err != nil {
				return nil, c, err
			}
		}
	}
	if len(out) == 0 && o.Target != nil && o.Target.ServiceNumber != "" {
		idx := -1
		if len(o.Services) == 1 {
			idx = 0
		}
		if c, err := add(idx, o.Target.ServiceNumber); c != nil || err != nil {
			return nil, c, err
		}
	}
	if len(out) == 0 {
		return nil, &conflict{code: CodeServiceNotFound, detail: "未指定网站备案号"}, nil
	}
	return out, nil, nil
}

// checkServices checks the domains and names of new or changed services of subject subjectID (0: a new
// subject) against the registry: invalid (1004) or blacklisted (1064) domains, domains filed by another subject
// (1005), a website domain the subject already filed as a website (1039), an APP name the subject already uses
// (1020). Services in exclude are the ones being changed: their current domains do not count.
func (s *Simulator) checkServices(ctx context.Context, q querier, subjectID int64, svcs []filing.Service,
	exclude []int64, existing []*regService) (*conflict, error) {
	excluded := func(id int64) bool {
		for _, e := range exclude {
			if e == id {
				return true
			}
		}
		return false
	}
	websites := map[string]bool{}
	appNames := map[string]bool{}
	for _, e := range existing {
		if isAppLike(e.Kind) && !excluded(e.ID) {
			appNames[string(e.Kind)+"\x00"+e.Name] = true
		}
	}
	for _, svc := range svcs {
		if isAppLike(svc.Kind) {
			key := string(svc.Kind) + "\x00" + svc.Name
			if appNames[key] {
				return conflictf(CodeNameConflict, "%s", svc.Name), nil
			}
			appNames[key] = true
		}
		for _, d := range svc.Domains {
			if _, ok := normDomain(d); !ok {
				return conflictf(CodeInvalidDomain, "%s", d), nil
			}
			bl, uses, err := domainFacts(ctx, q, domainCandidates(d))
			if err != nil {
				return nil, err
			}
			if bl {
				return conflictf(CodeDomainBlacklisted, "“%s”的域名“%s”", svc.Name, d), nil
			}
			if svc.Kind == filing.Website {
				if websites[d] {
					return conflictf(CodeDomainConflict, "%s", d), nil
				}
				websites[d] = true
			}
			for _, u := range uses {
				if excluded(u.ServiceID) {
					continue
				}
				if u.SubjectID != subjectID {
					return conflictf(CodeDomainConflict, "%s", d), nil
				}
				if svc.Kind == filing.Website && u.Kind == filing.Website {
					return conflictf(CodeDomainAlreadyFiled, "%s", d), nil
				}
			}
		}
	}
	return nil, nil
}
