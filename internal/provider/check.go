package provider

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/rules"
)

// CheckInput is step 1 of the applicant's path (Baidu AI Cloud's app filing guide step 2, Alibaba Cloud's filing notes step 2, Huawei Cloud's first-filing guide table 1): the region,
// the subject's nature and credential, and the first service's kind and domain or APP name.
type CheckInput struct {
	Province         string             `json:"province"`
	Nature           string             `json:"nature"`
	CredentialType   string             `json:"credential_type"`
	CredentialNumber string             `json:"credential_number"`
	ServiceKind      filing.ServiceKind `json:"service_kind"`
	Domain           string             `json:"domain,omitempty"`
	AppName          string             `json:"app_name,omitempty"`
	// Channel is where the applicant files (pc, phone); the provider may take some provinces on one channel
	// only. Empty: the API, not restricted.
	Channel string `json:"channel,omitempty"`
}

// CheckResult says which order type fits, or (through the error) why none does.
type CheckResult struct {
	OrderType     filing.OrderType `json:"order_type"`
	SubjectNumber string           `json:"subject_number,omitempty"` // when the subject is filed already
	ServiceNumber string           `json:"service_number,omitempty"` // new_access: the filed service
	Domain        string           `json:"domain,omitempty"`         // normalised
	Input         CheckInput       `json:"input"`
}

// CheckFilingType decides the order type against the registry, with the refusals of docs/design.md §4.1: the domain is
// filed by another subject; the subject is filed in another province (Alibaba Cloud's materials guide: the province cannot change);
// the subject already has an order in flight (Alibaba Cloud's materials guide, docs/design.md §4.2).
func (s *Service) CheckFilingType(ctx context.Context, by Actor, in CheckInput) (*CheckResult, error) {
	if err := requireRole(by, RoleApplicant); err != nil {
		return nil, err
	}
	in, err := normaliseCheck(in, s.now())
	if err != nil {
		return nil, err
	}
	if err := s.checkChannel(ctx, in.Channel, in.Province); err != nil {
		return nil, err
	}
	subjectHash := s.st.SubjectHash(in.CredentialType, in.CredentialNumber)
	if busy, err := s.st.SubjectInFlight(ctx, subjectHash); err != nil {
		return nil, err
	} else if busy {
		return nil, problem.New(problem.Conflict, "check.subject_in_flight", "credential_number")
	}
	reg := s.cfg.Regulator
	subject, err := reg.LookupSubject(ctx, in.CredentialType, in.CredentialNumber)
	if err != nil {
		return nil, problem.Wrap(err, "regulator.unavailable")
	}
	if subject.Filed && subject.Province != in.Province {
		return nil, problem.New(problem.Conflict, "check.province_change", "province",
			"province", subject.Province, "number", subject.Number)
	}
	res := &CheckResult{Input: in, Domain: in.Domain, SubjectNumber: subject.Number}
	if in.ServiceKind == filing.Website {
		dom, err := reg.LookupDomain(ctx, in.Domain)
		if err != nil {
			return nil, problem.Wrap(err, "regulator.unavailable")
		}
		if dom.Blacklisted {
			return nil, problem.New(problem.Conflict, "check.domain_blacklisted", "domain")
		}
		if dom.Filed {
			if !subject.Filed || dom.SubjectNumber != subject.Number {
				return nil, problem.New(problem.Conflict, "check.domain_filed_by_other", "domain", "domain", in.Domain)
			}
			if slices.Contains(dom.Providers, s.cfg.ProviderID) {
				return nil, problem.New(problem.Conflict, "check.already_accessed", "domain",
					"domain", in.Domain, "number", dom.ServiceNumber)
			}
			res.OrderType, res.ServiceNumber = filing.NewAccess, dom.ServiceNumber
			return res, nil
		}
	}
	switch {
	case !subject.Filed:
		res.OrderType = filing.NewFiling
	case subject.Empty && !rules.EmptySubjectTakesServices(subject.Province, s.now()):
		// An empty subject (空壳主体), which this administration does not let file services.
		return nil, problem.New(problem.Conflict, "filed.empty_subject_refused", "credential_number",
			"number", subject.Number)
	case slices.Contains(subject.Providers, s.cfg.ProviderID):
		res.OrderType = filing.NewService
	default:
		res.OrderType = filing.NewServiceNoSubject
	}
	return res, nil
}

// normaliseCheck validates and normalises the check's fields, reporting every problem at once.
func normaliseCheck(in CheckInput, now time.Time) (CheckInput, error) {
	var errs problem.List
	in.Province = strings.TrimSpace(in.Province)
	switch { // a choice left empty is missing, not an unknown code ("“”不是有效的省份代码")
	case in.Province == "":
		errs = append(errs, problem.Invalidf("common.required", "province"))
	case !knownProvince(in.Province):
		errs = append(errs, problem.Invalidf("check.unknown_province", "province", "province", in.Province))
	}
	switch {
	case in.Nature == "":
		errs = append(errs, problem.Invalidf("common.required", "nature"))
	case !knownNature(in.Nature):
		errs = append(errs, problem.Invalidf("check.unknown_nature", "nature", "nature", in.Nature))
	}
	if in.CredentialType == "" {
		errs = append(errs, problem.Invalidf("common.required", "credential_type"))
	} else if knownNature(in.Nature) && !credentialAllowed(in.Nature, in.CredentialType) {
		nature, ctype := in.Nature, in.CredentialType
		errs = append(errs, localized(problem.Invalidf("check.credential_not_allowed", "credential_type"),
			func(l i18n.Lang) map[string]string {
				return map[string]string{"nature": codes.NatureName(l, nature), "credential_type": codes.CredentialName(l, ctype)}
			}))
	}
	if n, err := normaliseCredential(in.CredentialType, in.CredentialNumber, now); err != nil {
		errs = append(errs, asField(err, "credential_number")...)
	} else {
		in.CredentialNumber = n
	}
	switch in.ServiceKind {
	case filing.Website:
		d, err := normaliseWebsiteDomain(in.Domain)
		if err != nil {
			errs = append(errs, asField(err, "domain")...)
		}
		in.Domain = d
	case filing.App, filing.MiniProgram, filing.QuickApp:
		in.AppName = strings.TrimSpace(in.AppName)
		if in.AppName == "" {
			errs = append(errs, problem.Invalidf("common.required", "app_name", "field", "app_name"))
		}
	case "":
		errs = append(errs, problem.Invalidf("common.required", "service_kind"))
	default:
		errs = append(errs, problem.Invalidf("check.unknown_service_kind", "service_kind", "kind", string(in.ServiceKind)))
	}
	return in, errs.Err()
}

// asField re-labels the problems of err with field.
func asField(err error, field string) problem.List {
	l := problem.As(err)
	for _, e := range l {
		e.Field = field
	}
	return l
}
