package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/regulator"
)

// Orders that start from a filed record (docs/after-filing.md): the order carries the record as filed, the
// applicant edits only what the order type changes, and the rest cannot be touched.

// FiledOrderInput opens an order about one of the applicant's filed subjects.
type FiledOrderInput struct {
	Type          filing.OrderType `json:"type"`
	SubjectNumber string           `json:"subject_number"`
	// ServiceNumbers are the services a service order is about (change, cancel, withdraw, new access).
	ServiceNumbers []string `json:"service_numbers,omitempty"`
	// Resource hosts what a new service or a new access adds.
	Resource filing.ResourceRef `json:"resource"`
	// ServiceKind, Domain and AppName name the new service of a new_service order.
	ServiceKind filing.ServiceKind `json:"service_kind,omitempty"`
	Domain      string             `json:"domain,omitempty"`
	AppName     string             `json:"app_name,omitempty"`
	Channel     string             `json:"channel,omitempty"` // pc or phone, as in CheckInput
}

// OpenFromFiled opens a draft of in.Type on a filed subject of the applicant, when the record allows it now
// (the same decision My filings shows). Nothing is retyped: the subject, its principal and the services come
// from the registry. A retry with the same idempotency key returns the order the first call created.
func (s *Service) OpenFromFiled(ctx context.Context, by Actor, in FiledOrderInput, idemKey string) (*filing.Order, error) {
	if o, err := s.earlierOrder(ctx, by, idemKey); o != nil || err != nil {
		return o, err
	}
	if in.Type == filing.NewFiling || in.Type == filing.Claim || !in.Type.Valid() {
		return nil, problem.Invalidf("filed.type_not_offered", "type", "type", string(in.Type))
	}
	f, err := s.FilingByNumber(ctx, by, strings.TrimSpace(in.SubjectNumber))
	if err != nil {
		return nil, err
	}
	if f.Cancelled {
		return nil, problem.New(problem.NotFound, "filed.not_found", "subject_number")
	}
	if in.Type == filing.NewService || in.Type == filing.NewServiceNoSubject {
		return s.openNewService(ctx, by, f, in, idemKey)
	}
	o, err := s.filedDraft(f, by, in)
	if err != nil {
		return nil, err
	}
	return s.insertFiledDraft(ctx, by, f, o, in.Resource, idemKey)
}

// filedDraft builds the draft of an order about the subject or some of its services, after checking that
// each allows it.
func (s *Service) filedDraft(f *Filing, by Actor, in FiledOrderInput) (*filing.Order, error) {
	now := s.now()
	o := &filing.Order{ApplicantID: by.ID, Type: in.Type, State: filing.Draft, Province: f.Province,
		Subject: f.rec.Subject, Services: []filing.Service{}, CreatedAt: now, UpdatedAt: now,
		Target: &filing.Target{SubjectNumber: f.Number}}
	filed := &filing.Filed{Subject: f.rec.Subject}
	if in.Type.Scope() == filing.ScopeSubject {
		if err := refusalOf(f, in.Type, ""); err != nil {
			return nil, err
		}
		if in.Type == filing.CancelSubject { // every service goes with the subject
			for _, fs := range f.rec.Services {
				o.Services = append(o.Services, fs.Service)
			}
		}
		o.Filed = filed
		return o, nil
	}
	if len(in.ServiceNumbers) == 0 {
		return nil, problem.Invalidf("filed.service_required", "service_numbers")
	}
	for i, n := range in.ServiceNumbers {
		fs, ok := findService(f.rec, n)
		if !ok {
			return nil, problem.New(problem.NotFound, "filed.service_not_found", "service_numbers["+itoaID(int64(i))+"]",
				"number", n)
		}
		if err := refusalOf(f, in.Type, fs.Service.Number); err != nil {
			return nil, err
		}
		if slices.ContainsFunc(o.Services, func(x filing.Service) bool { return x.Number == fs.Service.Number }) {
			continue
		}
		svc := fs.Service
		withAccess(&svc, fs, s.cfg.ProviderID)
		o.Services = append(o.Services, svc)
		filed.Services = append(filed.Services, svc)
	}
	if len(o.Services) == 1 {
		o.Target.ServiceNumber = o.Services[0].Number
	}
	o.Filed = filed
	return o, nil
}

// refusalOf returns why order type t is not offered on the subject (n == "") or its service n, or nil.
func refusalOf(f *Filing, t filing.OrderType, n string) error {
	off, ok := f.offerFor(t, n)
	switch {
	case !ok:
		return problem.New(problem.Conflict, "filed.type_not_offered", "type", "type", string(t))
	case !off.Allowed:
		return off.Refusal
	}
	return nil
}

func findService(rec regulator.Filing, n string) (regulator.FiledService, bool) {
	for _, fs := range rec.Services {
		if fs.Service.Number == strings.TrimSpace(n) {
			return fs, true
		}
	}
	return regulator.FiledService{}, false
}

// withAccess puts provider's access to a service, as the registry has it, into svc: its IPs, and its access
// method and server location where the registry knows them (a change_access order may have changed them since
// the service was filed).
func withAccess(svc *filing.Service, fs regulator.FiledService, provider string) {
	svc.IPs = []string{}
	for _, a := range fs.Accesses {
		if a.ProviderID == provider {
			svc.IPs = append(svc.IPs, a.IPs...)
			if a.Method != "" {
				svc.AccessMethod = a.Method
			}
			if a.Location != "" {
				svc.AccessLocation = a.Location
			}
		}
	}
}

// insertFiledDraft stores a draft about a filed subject, holding the subject (one order at a time); a new
// access binds its resource and takes the service's IPs from it.
func (s *Service) insertFiledDraft(ctx context.Context, by Actor, f *Filing, o *filing.Order, ref filing.ResourceRef,
	idemKey string) (*filing.Order, error) {
	var created *filing.Order
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		o := *o
		o.Services = slices.Clone(o.Services)
		if o.Type == filing.NewAccess {
			svc := o.Services[0]
			check := &CheckResult{Input: CheckInput{ServiceKind: svc.Kind}}
			if len(svc.Domains) > 0 {
				check.Domain = svc.Domains[0]
			}
			res := ref
			ips, err := s.bindResource(ctx, tx, by, &res, check, o.CreatedAt)
			if err != nil {
				return err
			}
			o.Resource, o.Services[0].IPs = res, ips
		}
		if err := tx.CreateOrder(ctx, &store.OrderRow{Order: &o, SubjectHash: f.hash}, idemKey); err != nil {
			return err
		}
		created = &o
		return tx.AppendEvent(ctx, createdEvent(&o, by, o.CreatedAt))
	})
	return s.createdOrEarlier(ctx, by, idemKey, created, err)
}

// openNewService opens a new service for the filed subject: the filing-type check decides the type (new
// service, or new access when the domain is this subject's already) and refuses as for a new filing; the
// subject and its principal come from the record.
func (s *Service) openNewService(ctx context.Context, by Actor, f *Filing, in FiledOrderInput, idemKey string) (*filing.Order, error) {
	if err := refusalOf(f, filing.NewService, ""); err != nil {
		return nil, err
	}
	subj := f.rec.Subject
	check, err := s.CheckFilingType(ctx, by, CheckInput{Province: f.Province, Nature: subj.Nature,
		CredentialType: subj.CredentialType, CredentialNumber: subj.CredentialNumber, ServiceKind: in.ServiceKind,
		Domain: in.Domain, AppName: in.AppName, Channel: in.Channel})
	if err != nil {
		return nil, err
	}
	return s.createChecked(ctx, by, check, in.Resource, idemKey, func(o *filing.Order) {
		o.Subject = subj
		o.Target = &filing.Target{SubjectNumber: f.Number, ServiceNumber: check.ServiceNumber}
		o.Filed = &filing.Filed{Subject: subj}
		o.Services[0].PrincipalSameAsSubject = true
	})
}

// keepFiledFields refuses edits an order about a filed record may not make: the subject unless the order
// changes it (and never its nature), the filed services' numbers and kinds, their content unless the order
// changes services, their access data unless it changes access, and new services unless it adds them.
func keepFiledFields(o *filing.Order, c *Content) error {
	e := o.Type.Edits()
	if isZeroSubject(c.Subject) {
		c.Subject = o.Subject
	}
	c.Subject.Number = o.Subject.Number
	if !e.Subject {
		if ch := filing.DiffSubject(o.Subject, c.Subject); len(ch) > 0 {
			return problem.Invalidf("order.fixed_field", ch[0].Field)
		}
	} else if c.Subject.Nature != o.Subject.Nature {
		return problem.Invalidf("order.fixed_field", "subject.nature")
	}
	if len(c.Services) == 0 {
		c.Services = o.Services
	}
	var filed []string
	for _, svc := range o.Services {
		if svc.Number != "" {
			filed = append(filed, svc.Number)
		}
	}
	var sent []string
	for i := range c.Services {
		svc := &c.Services[i]
		field := "services[" + itoaID(int64(i)) + "]"
		if svc.Number == "" {
			if !e.AddServices {
				return problem.Invalidf("order.fixed_field", field)
			}
			continue
		}
		sent = append(sent, svc.Number)
		was, ok := serviceNumbered(o.Services, svc.Number)
		if !ok {
			return problem.Invalidf("order.fixed_field", field+".number")
		}
		if err := keepFiledService(field, e, was, svc); err != nil {
			return err
		}
	}
	if !slices.Equal(sent, filed) {
		return problem.Invalidf("order.fixed_field", "services")
	}
	if o.Type == filing.NewService && len(c.Services) > 0 && len(o.Services) > 0 && o.Services[0].Kind == filing.Website &&
		!slices.Equal(c.Services[0].Domains, o.Services[0].Domains) {
		return problem.Invalidf("order.fixed_field", "services[0].domains")
	}
	return nil
}

// keepFiledService checks the edits of one filed service.
func keepFiledService(field string, e filing.Edits, was filing.Service, svc *filing.Service) error {
	svc.Kind = was.Kind
	cmpWas, cmpNow := was, *svc
	if e.Access {
		cmpWas.IPs, cmpWas.AccessMethod, cmpWas.AccessLocation = nil, "", ""
		cmpNow.IPs, cmpNow.AccessMethod, cmpNow.AccessLocation = nil, "", ""
	}
	if e.Services {
		return nil
	}
	if ch := filing.DiffService(cmpWas, cmpNow); len(ch) > 0 {
		return problem.Invalidf("order.fixed_field", field+ch[0].Field[len("service"):])
	}
	return nil
}

func serviceNumbered(svcs []filing.Service, n string) (filing.Service, bool) {
	for _, s := range svcs {
		if s.Number == n {
			return s, true
		}
	}
	return filing.Service{}, false
}

func isZeroSubject(s filing.Subject) bool {
	return len(filing.DiffSubject(filing.Subject{}, s)) == 0
}
