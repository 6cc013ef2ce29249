package provider

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/mask"
	"github.com/beian/beian/internal/problem"
)

// assessFiled adds what only an order about a filed record can break or should know: a change that changes
// nothing; a new domain that fails the checks of a new filing (Aliyun 《变更备案须知》: from 2018-01-01 the
// administration checks domains a change adds); a replaced domain, which stops being reachable once the
// change is approved; a changed mobile, which receives the SMS code; and what an irreversible order does.
func (s *Service) assessFiled(ctx context.Context, o *filing.Order, rep *Report) error {
	e := o.Type.Edits()
	if (e.Subject || e.Services || e.Access) && !e.AddServices && len(o.Changes()) == 0 {
		rep.Violations = append(rep.Violations, problem.Invalidf("filed.nothing_changed", ""))
	}
	for i, svc := range o.Services {
		was, _ := o.Filed.Service(svc.Number)
		if err := s.assessDomains(ctx, o, i, was, svc, rep); err != nil {
			return err
		}
		if o.Type == filing.ChangeService {
			s.noteMobile(rep, "services["+strconv.Itoa(i)+"].principal.mobile", was.Principal.Mobile, o.EffectivePrincipal(i).Mobile)
		}
	}
	if o.Type == filing.ChangeSubject {
		s.noteMobile(rep, "subject.principal.mobile", o.Filed.Subject.Principal.Mobile, o.Subject.Principal.Mobile)
	}
	if o.Type.Irreversible() {
		cs, err := s.consequences(ctx, o)
		if err != nil {
			return err
		}
		for _, c := range cs {
			rep.Notices = append(rep.Notices, c.problem())
		}
	}
	return nil
}

// assessDomains checks the domains service i adds to what was filed, and notes those it drops.
func (s *Service) assessDomains(ctx context.Context, o *filing.Order, i int, was, svc filing.Service, rep *Report) error {
	if !o.Type.Edits().Services {
		return nil
	}
	prefix := "services[" + strconv.Itoa(i) + "].domains"
	for j, d := range svc.Domains {
		if slices.Contains(was.Domains, d) {
			continue
		}
		field := prefix + "[" + strconv.Itoa(j) + "]"
		use := ident.ForWebsite
		if svc.Kind != filing.Website {
			use = ident.ForApp
		}
		r := ident.Domain(d, use)
		if !r.Valid() {
			continue // the field checks report a malformed domain
		}
		d = r.Normalized
		st, err := s.cfg.Regulator.LookupDomain(ctx, d)
		if err != nil {
			return problem.Wrap(err, "regulator.unavailable")
		}
		switch {
		case st.Blacklisted:
			rep.Violations = append(rep.Violations, problem.Invalidf("check.domain_blacklisted", field))
		case st.Filed && st.SubjectNumber != o.Subject.Number:
			rep.Violations = append(rep.Violations, problem.Invalidf("check.domain_filed_by_other", field, "domain", d))
		case st.Filed && st.ServiceNumber != svc.Number && svc.Kind == filing.Website:
			rep.Violations = append(rep.Violations, problem.Invalidf("filed.domain_filed_here", field, "domain", d,
				"number", st.ServiceNumber))
		}
	}
	var dropped []string
	for _, d := range was.Domains {
		if !slices.Contains(svc.Domains, d) {
			dropped = append(dropped, d)
		}
	}
	if len(dropped) > 0 && o.Type == filing.ChangeService {
		rep.Notices = append(rep.Notices, problem.Invalidf("filed.domain_replaced", prefix, "domains",
			strings.Join(dropped, "、")))
	}
	return nil
}

// noteMobile tells the applicant that a changed mobile receives the administration's SMS code.
func (s *Service) noteMobile(rep *Report, field, was, now string) {
	if now != "" && now != was {
		rep.Notices = append(rep.Notices, problem.Invalidf("filed.sms_new_mobile", field, "mobile", mask.Mobile(now)))
	}
}

// hasResource reports whether the order is bound to hosting (orders about filed records usually are not).
func hasResource(o *filing.Order) bool {
	return o.Resource.InstanceID != 0 || o.Resource.AuthorizationCode != ""
}
