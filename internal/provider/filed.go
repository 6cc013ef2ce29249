package provider

import (
	"context"
	"slices"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/rules"
)

// My filings (我的备案): the applicant's filed subjects and services in this provider, each with the orders it
// allows now, or why an order is not offered (docs/after-filing.md).

// Filing is one of the applicant's filed subjects as the registry holds it now.
type Filing struct {
	Number   string       `json:"number"`
	Province string       `json:"province"`
	Name     string       `json:"name"`
	Nature   string       `json:"nature"`
	Services []FiledEntry `json:"services"`
	Offers   []Offer      `json:"offers"`
	InFlight *InFlight    `json:"in_flight,omitempty"`
	// Empty: the subject has no service left (空壳主体).
	Empty bool `json:"empty"`
	// Cancelled: the registry no longer has the subject; nothing can be done with it.
	Cancelled bool `json:"cancelled,omitempty"`

	rec  regulator.Filing
	hash []byte
}

// FiledEntry is one filed service with its accesses.
type FiledEntry struct {
	Number   string             `json:"number"`
	Kind     filing.ServiceKind `json:"kind"`
	Name     string             `json:"name"`
	Domains  []string           `json:"domains"`
	Ours     bool               `json:"accessed_here"` // this provider has an access to it
	Accesses []AccessEntry      `json:"accesses"`
	Offers   []Offer            `json:"offers"`
}

// AccessEntry is one provider's access to a service; the IPs are shown for this provider's own access only.
type AccessEntry struct {
	Provider string   `json:"provider"`
	Ours     bool     `json:"ours"`
	IPs      []string `json:"ips,omitempty"`
}

// InFlight is the subject's order in flight.
type InFlight struct {
	OrderID int64            `json:"order_id"`
	Type    filing.OrderType `json:"type"`
	State   filing.State     `json:"state"`
	Mine    bool             `json:"mine"`
}

// Offer is an order type the record allows now, or the reason it does not.
type Offer struct {
	Type    filing.OrderType `json:"type"`
	Allowed bool             `json:"allowed"`
	// Refusal says why not (a stable code with the message in every language).
	Refusal *problem.Error `json:"-"`
}

// subjectTypes and serviceTypes are the orders offered on a subject and on each of its services.
var (
	subjectTypes = []filing.OrderType{filing.NewService, filing.ChangeSubject, filing.CancelSubject}
	ourTypes     = []filing.OrderType{filing.ChangeService, filing.ChangeAccess, filing.CancelService, filing.WithdrawAccess}
)

// MyFilings lists the applicant's filed subjects with their services, accesses and offers.
func (s *Service) MyFilings(ctx context.Context, by Actor) ([]Filing, error) {
	if err := requireRole(by, RoleApplicant); err != nil {
		return nil, err
	}
	subjects, err := s.st.FiledSubjects(ctx, by.ID)
	if err != nil {
		return nil, err
	}
	out := []Filing{}
	for _, fs := range subjects {
		f, err := s.filing(ctx, by, fs.Number)
		if err != nil {
			return nil, err
		}
		out = append(out, *f)
	}
	return out, nil
}

// FilingByNumber returns one of the applicant's filed subjects; another's, or an unknown number, is NotFound.
func (s *Service) FilingByNumber(ctx context.Context, by Actor, number string) (*Filing, error) {
	if err := requireRole(by, RoleApplicant); err != nil {
		return nil, err
	}
	owner, _, err := s.st.FiledSubjectOwner(ctx, number)
	if err != nil {
		return nil, err
	}
	if owner != by.ID {
		return nil, problem.New(problem.NotFound, "filed.not_found", "subject_number")
	}
	return s.filing(ctx, by, number)
}

// filing reads a subject from the registry and works out what it allows now.
func (s *Service) filing(ctx context.Context, by Actor, number string) (*Filing, error) {
	rec, err := s.cfg.Regulator.LookupFiling(ctx, s.cfg.ProviderID, number)
	if problem.KindOf(err) == problem.NotFound {
		return &Filing{Number: number, Cancelled: true, Services: []FiledEntry{}, Offers: []Offer{}}, nil
	}
	if err != nil {
		return nil, problem.Wrap(err, "regulator.unavailable")
	}
	f := &Filing{Number: rec.Subject.Number, Province: rec.Province, Name: rec.Subject.Name, Nature: rec.Subject.Nature,
		Services: []FiledEntry{}, Empty: len(rec.Services) == 0, rec: rec,
		hash: s.st.SubjectHash(rec.Subject.CredentialType, rec.Subject.CredentialNumber)}
	busy, err := s.st.InFlightOrder(ctx, f.hash)
	if err != nil {
		return nil, err
	}
	if busy != nil {
		f.InFlight = &InFlight{OrderID: busy.ID, Type: busy.Type, State: busy.State, Mine: busy.ApplicantID == by.ID}
	}
	now := s.now()
	for _, fs := range rec.Services {
		f.Services = append(f.Services, s.entry(f, fs, now))
	}
	for _, t := range subjectTypes {
		f.Offers = append(f.Offers, s.offer(f, t, nil, now))
	}
	return f, nil
}

func (s *Service) entry(f *Filing, fs regulator.FiledService, now time.Time) FiledEntry {
	svc := fs.Service
	e := FiledEntry{Number: svc.Number, Kind: svc.Kind, Name: svc.Name, Domains: nonNilStrings(svc.Domains),
		Ours: fs.HasAccess(s.cfg.ProviderID), Accesses: []AccessEntry{}, Offers: []Offer{}}
	for _, a := range fs.Accesses {
		ae := AccessEntry{Provider: a.ProviderID, Ours: a.ProviderID == s.cfg.ProviderID}
		if ae.Ours {
			ae.IPs = a.IPs
		}
		e.Accesses = append(e.Accesses, ae)
	}
	types := ourTypes
	if !e.Ours {
		types = []filing.OrderType{filing.NewAccess}
	}
	for _, t := range types {
		e.Offers = append(e.Offers, s.offer(f, t, &fs, now))
	}
	return e
}

// offer decides whether order type t is offered on the subject (svc nil) or one of its services, in this
// order: an order in flight (Aliyun 《变更备案须知》: 不同的备案订单不能同时进行), the province refusing the type online, an
// empty subject where the province does not let it file services, and this provider's access.
func (s *Service) offer(f *Filing, t filing.OrderType, svc *regulator.FiledService, now time.Time) Offer {
	o := Offer{Type: t}
	ours := s.subjectAccessedHere(f)
	switch v, refused := rules.OnlineRefusal(f.Province, t, now); {
	case f.InFlight != nil:
		o.Refusal = problem.New(problem.Conflict, "filed.in_flight", "", "order", itoaID(f.InFlight.OrderID),
			"type", i18n.T(i18n.ZhCN, "rules.order_type."+string(f.InFlight.Type), nil))
		o.Refusal.Text = typeTexts("filed.in_flight", f.InFlight.OrderID, f.InFlight.Type)
	case refused:
		o.Refusal = violationProblem(v)
	case t == filing.NewService && f.Empty && !rules.EmptySubjectTakesServices(f.Province, now):
		o.Refusal = problem.New(problem.Conflict, "filed.empty_subject_refused", "")
	case (t == filing.ChangeSubject || t == filing.CancelSubject && !f.Empty) && !ours:
		// An empty subject is accessed by no provider: any may cancel it (the administration takes it, the
		// principal confirming by SMS).
		o.Refusal = problem.New(problem.Conflict, "filed.not_accessed_here", "")
	case svc != nil && t != filing.NewAccess && !svc.HasAccess(s.cfg.ProviderID):
		o.Refusal = problem.New(problem.Conflict, "filed.not_accessed_here", "")
	default:
		o.Allowed = true
	}
	return o
}

// subjectAccessedHere reports whether this provider has an access to one of the subject's services.
func (s *Service) subjectAccessedHere(f *Filing) bool {
	return slices.ContainsFunc(f.rec.Services, func(fs regulator.FiledService) bool { return fs.HasAccess(s.cfg.ProviderID) })
}

// typeTexts renders a message whose {type} is an order type's name, in every language.
func typeTexts(key string, id int64, t filing.OrderType) map[string]string {
	out := map[string]string{}
	for _, l := range i18n.Langs {
		out[string(l)] = i18n.T(l, key, map[string]string{"order": itoaID(id),
			"type": i18n.T(l, "rules.order_type."+string(t), nil)})
	}
	return out
}

// violationProblem turns the province's refusal into a problem carrying its message in every language.
func violationProblem(v rules.Violation) *problem.Error {
	e := problem.New(problem.Conflict, v.Code, "type")
	e.Text = map[string]string{}
	for _, l := range i18n.Langs {
		e.Text[string(l)] = v.Localize(l).Message
	}
	return e
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// offerFor finds the offer of type t on the subject or on the service numbered n.
func (f *Filing) offerFor(t filing.OrderType, n string) (Offer, bool) {
	list := f.Offers
	if n != "" {
		list = nil
		for _, e := range f.Services {
			if e.Number == n {
				list = e.Offers
			}
		}
	}
	for _, o := range list {
		if o.Type == t {
			return o, true
		}
	}
	return Offer{}, false
}
