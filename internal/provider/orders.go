package provider

import (
	"context"
	"errors"
	"time"

	"github.com/beian/beian/internal/cleantext"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// CreateInput opens a draft: the filing-type check (re-run here, never trusted from the client) and the
// hosting resource (the providers' filing guides (docs/design.md §10): an instance with quota, or an authorization code).
type CreateInput struct {
	Check    CheckInput         `json:"check"`
	Resource filing.ResourceRef `json:"resource"`
}

// CreateOrder checks the filing type, binds the resource and opens a draft. A retry with the same idempotency
// key returns the order the first call created: looked up only when the create fails (the retry's check finds
// the subject in flight, or its INSERT meets the key), so that a first call reads nothing for it.
func (s *Service) CreateOrder(ctx context.Context, by Actor, in CreateInput, idemKey string) (*filing.Order, error) {
	check, err := s.CheckFilingType(ctx, by, in.Check)
	if err != nil {
		return s.createdOrEarlier(ctx, by, idemKey, nil, err)
	}
	return s.createChecked(ctx, by, check, in.Resource, idemKey, nil)
}

// createChecked opens the draft a filing-type check decided, bound to the resource; prefill, when set, fills
// in what is already known (the filed subject of a new service).
func (s *Service) createChecked(ctx context.Context, by Actor, check *CheckResult, ref filing.ResourceRef, idemKey string,
	prefill func(o *filing.Order)) (*filing.Order, error) {
	now := s.now()
	o := newDraft(by.ID, check, now)
	if prefill != nil {
		prefill(o)
	}
	var created *filing.Order
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		o := *o
		res := ref
		ips, err := s.bindResource(ctx, tx, by, &res, check, now)
		if err != nil {
			return err
		}
		o.Resource = res
		o.Services = append([]filing.Service(nil), o.Services...)
		o.Services[0].IPs = ips
		row := &store.OrderRow{Order: &o, SubjectHash: s.st.SubjectHash(o.Subject.CredentialType, o.Subject.CredentialNumber)}
		if err := tx.CreateOrder(ctx, row, idemKey); err != nil {
			return err
		}
		created = &o
		return tx.AppendEvent(ctx, createdEvent(&o, by, now))
	})
	return s.createdOrEarlier(ctx, by, idemKey, created, err)
}

// createdEvent is the first event of an order.
func createdEvent(o *filing.Order, by Actor, now time.Time) *filing.Event {
	return &filing.Event{OrderID: o.ID, From: "", To: filing.Draft, Action: "create", ActorRole: filing.RoleApplicant,
		ActorID: by.ID, At: now}
}

// createdOrEarlier is what a create with idempotency key returns: the order it made, or, when it failed (err;
// store.ErrDuplicateKey when the key had already made one), the order an earlier call with the key made, if any.
func (s *Service) createdOrEarlier(ctx context.Context, by Actor, key string, created *filing.Order, err error) (*filing.Order, error) {
	if err == nil {
		return created, nil
	}
	if o, earlierErr := s.earlierOrder(ctx, by, key); o != nil || earlierErr != nil {
		return o, earlierErr
	}
	if errors.Is(err, store.ErrDuplicateKey) {
		return nil, problem.New(problem.NotFound, "order.not_found", "") // the key's order is gone
	}
	return nil, err
}

// earlierOrder is the order an earlier call with idempotency key made (nil, nil when there is none).
func (s *Service) earlierOrder(ctx context.Context, by Actor, key string) (*filing.Order, error) {
	if key == "" {
		return nil, nil
	}
	id, err := s.orderByIdempotencyKey(ctx, by, key)
	if err != nil {
		return nil, nil // none yet
	}
	return s.GetOrder(ctx, by, id)
}

func (s *Service) orderByIdempotencyKey(ctx context.Context, by Actor, key string) (int64, error) {
	return s.st.OrderIDByIdempotencyKey(ctx, by.ID, key)
}

// newDraft fills what the check fixed: region, nature, credential (Baidu AI Cloud's app filing guide: these come from the check and
// cannot be edited; changing them means withdrawing and starting again) and the first service.
func newDraft(applicantID int64, c *CheckResult, now time.Time) *filing.Order {
	in := c.Input
	svc := filing.Service{Kind: in.ServiceKind, Domains: []string{}, IPs: []string{}, Content: []string{},
		Languages: []string{"zh-Hans"}}
	if in.ServiceKind == filing.Website {
		svc.Domains = []string{c.Domain}
		svc.HomeURL = "www." + c.Domain
	} else {
		svc.Name = in.AppName
		svc.App = &filing.AppInfo{Platforms: []filing.Platform{}}
	}
	o := &filing.Order{ApplicantID: applicantID, Type: c.OrderType, State: filing.Draft, Province: in.Province,
		Subject: filing.Subject{Nature: in.Nature, CredentialType: in.CredentialType,
			CredentialNumber: in.CredentialNumber, Number: c.SubjectNumber},
		Services: []filing.Service{svc}, CreatedAt: now, UpdatedAt: now}
	if c.ServiceNumber != "" {
		o.Target = &filing.Target{SubjectNumber: c.SubjectNumber, ServiceNumber: c.ServiceNumber}
	}
	if in.Nature == "individual" {
		o.Subject.Principal.CredentialType = in.CredentialType
		o.Subject.Principal.CredentialNumber = in.CredentialNumber
	}
	return o
}

// GetOrder returns an order the actor may see: applicants their own, provider staff all. Anything else is
// NotFound, so that an order's existence is not revealed.
func (s *Service) GetOrder(ctx context.Context, by Actor, id int64) (*filing.Order, error) {
	r, err := s.st.Order(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mayView(by, r.Order); err != nil {
		return nil, err
	}
	if by.IsStaff() {
		if err := s.st.Audit(ctx, s.now(), by.ID, by.Role, "order.read", orderObject(id), ""); err != nil {
			return nil, err
		}
	}
	return r.Order, nil
}

func mayView(by Actor, o *filing.Order) error {
	if by.IsStaff() || (by.Role == RoleApplicant && o.ApplicantID == by.ID) {
		return nil
	}
	return problem.New(problem.NotFound, "order.not_found", "")
}

func orderObject(id int64) string { return "order:" + itoaID(id) }

// ListOrders lists the actor's orders (applicants) or all (staff).
func (s *Service) ListOrders(ctx context.Context, by Actor, f store.OrderFilter) ([]store.OrderSummary, int, error) {
	switch {
	case by.Role == RoleApplicant:
		f.ApplicantID = by.ID
	case !by.IsStaff():
		return nil, 0, forbidden()
	default:
		return maskSummaries(s.st.Orders(ctx, f))
	}
	return s.st.Orders(ctx, f)
}

// Content is what the applicant may edit in a draft: everything but the fields the check fixed.
type Content struct {
	Version int `json:"version,omitempty"` // optional optimistic check
	// Province, when sent, must be the order's: a filing never changes province (a new filing in the other
	// province is needed).
	Province           string               `json:"province,omitempty"`
	Subject            filing.Subject       `json:"subject"`
	Services           []filing.Service     `json:"services"`
	AgreementsAccepted bool                 `json:"agreements_accepted"`
	Materials          []filing.MaterialRef `json:"materials,omitempty"`
}

// UpdateOrder replaces the editable content of an order in an editable state.
func (s *Service) UpdateOrder(ctx context.Context, by Actor, id int64, c Content) (*filing.Order, error) {
	if err := cleantext.Value("", c).Err(); err != nil {
		return nil, err // nothing of it is saved, even in a draft
	}
	normaliseContent(&c, s.now())
	if err := s.checkMaterialRefs(ctx, by, &c); err != nil {
		return nil, err
	}
	var out *filing.Order
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := s.ownOrderForUpdate(ctx, tx, by, id)
		if err != nil {
			return err
		}
		o := r.Order
		if c.Version != 0 && c.Version != o.Version {
			return problem.New(problem.Conflict, "order.stale_version", "version")
		}
		if !o.State.Editable() {
			return problem.New(problem.Conflict, "order.not_editable", "state", "state", string(o.State))
		}
		if err := keepFixedFields(o, &c); err != nil {
			return err
		}
		if err := s.keepResourceIPs(ctx, tx, o, c.Services); err != nil {
			return err
		}
		o.Subject, o.Services, o.AgreementsAccepted, o.Materials = c.Subject, c.Services, c.AgreementsAccepted, c.Materials
		o.UpdatedAt = s.now()
		out = o
		return tx.SaveOrder(ctx, r)
	})
	if err != nil {
		return nil, err
	}
	s.changes.publish(id)
	out.Version++
	return out, nil
}

// keepFixedFields refuses changes to what the filing-type check decided (Baidu AI Cloud's app filing guide).
func keepFixedFields(o *filing.Order, c *Content) error {
	if c.Province != "" && c.Province != o.Province {
		return problem.New(problem.Conflict, "order.province_change", "province", "province", o.Province)
	}
	if o.Filed != nil || o.Type == filing.Claim {
		return keepFiledFields(o, c)
	}
	fixed := []struct{ field, was, now string }{
		{"subject.nature", o.Subject.Nature, c.Subject.Nature},
		{"subject.credential_type", o.Subject.CredentialType, c.Subject.CredentialType},
		{"subject.credential_number", o.Subject.CredentialNumber, c.Subject.CredentialNumber},
	}
	for _, f := range fixed {
		if f.now != "" && f.now != f.was {
			return problem.Invalidf("order.fixed_field", f.field)
		}
	}
	c.Subject.Nature, c.Subject.CredentialType, c.Subject.CredentialNumber = o.Subject.Nature, o.Subject.CredentialType, o.Subject.CredentialNumber
	c.Subject.Number = o.Subject.Number
	if len(c.Services) == 0 {
		return problem.Invalidf("order.no_service", "services")
	}
	if o.Type == filing.NewAccess && (len(c.Services) != 1 || !sameDomains(c.Services[0].Domains, o.Services[0].Domains)) {
		return problem.Invalidf("order.fixed_field", "services[0].domains")
	}
	if c.Services[0].Kind == filing.Website && len(o.Services[0].Domains) > 0 && o.Services[0].Kind == filing.Website &&
		!sameDomains(c.Services[0].Domains, o.Services[0].Domains) {
		return problem.Invalidf("order.fixed_field", "services[0].domains")
	}
	return nil
}

// keepResourceIPs refuses services whose IPs are not the bound resource's (ipsOnResource); an order bound to
// no resource (a change of access, an order about a filed record) is not held to it.
func (s *Service) keepResourceIPs(ctx context.Context, tx *store.Tx, o *filing.Order, services []filing.Service) error {
	if !hasResource(o) {
		return nil
	}
	ips, err := tx.ResourceIPs(ctx, o.Resource)
	if err != nil {
		return ignoreNotFound(err) // nothing to hold them to
	}
	return ipsOnResource(services, ips).Err()
}

// ignoreNotFound is err unless it says that something is not there.
func ignoreNotFound(err error) error {
	if problem.KindOf(err) == problem.NotFound {
		return nil
	}
	return err
}

func sameDomains(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ownOrderForUpdate loads and locks an order the applicant owns.
func (s *Service) ownOrderForUpdate(ctx context.Context, tx *store.Tx, by Actor, id int64) (*store.OrderRow, error) {
	r, err := tx.OrderForUpdate(ctx, id)
	if err != nil {
		return nil, err
	}
	if by.Role != RoleApplicant || r.Order.ApplicantID != by.ID {
		return nil, problem.New(problem.NotFound, "order.not_found", "")
	}
	return r, nil
}

// Evaluate reports the materials an order needs and what blocks its submission now.
func (s *Service) Evaluate(ctx context.Context, by Actor, id int64) (*filing.Order, Report, error) {
	o, err := s.GetOrder(ctx, by, id)
	if err != nil {
		return nil, Report{}, err
	}
	rep, err := s.Assess(ctx, o)
	return o, rep, err
}

// Assess runs every rule on an order the caller has already read (and was allowed to): field formats, code
// lists, province rules, the rules across subjects and, when required, the materials and verifications. It
// records nothing; the reviewer's order page shows what it says now.
func (s *Service) Assess(ctx context.Context, o *filing.Order) (Report, error) {
	if o.Type == filing.Claim {
		return s.assessClaim(ctx, o)
	}
	rep, err := s.cfg.Checker.Check(ctx, o, s.now())
	if err == nil && hasResource(o) && o.Type.CarriesContent() {
		err = s.assessResourceIPs(ctx, o, &rep)
	}
	if err == nil && o.Filed != nil {
		err = s.assessFiled(ctx, o, &rep)
	}
	if err == nil {
		err = s.withEvidence(ctx, nil, o, &rep)
	}
	return rep, err
}

// assessResourceIPs reports the services' IPs that are not the bound resource's (an order saved before they
// were checked on saving).
func (s *Service) assessResourceIPs(ctx context.Context, o *filing.Order, rep *Report) error {
	ips, err := s.st.ResourceIPs(ctx, o.Resource)
	if err != nil {
		return ignoreNotFound(err)
	}
	rep.Violations = append(rep.Violations, ipsOnResource(o.Services, ips)...)
	return nil
}

// Submit sends a draft (or a corrected order) to provider review. Violations block it; nothing changes then.
// The rules run before the write transaction, on the version the applicant saw; if the order changed meanwhile
// the submission is refused as stale rather than judged on data nobody checked.
func (s *Service) Submit(ctx context.Context, by Actor, id int64) (*filing.Order, error) {
	return s.submit(ctx, by, id, "")
}

// SubmitConfirmed is Submit with the applicant's confirmation: an irreversible order (cancellation, withdrawal
// of access) is submitted only when confirm echoes its confirmation phrase (Consequences).
func (s *Service) SubmitConfirmed(ctx context.Context, by Actor, id int64, confirm string) (*filing.Order, error) {
	return s.submit(ctx, by, id, confirm)
}

func (s *Service) submit(ctx context.Context, by Actor, id int64, confirm string) (*filing.Order, error) {
	seen, err := s.st.Order(ctx, id)
	if err != nil {
		return nil, err
	}
	o := seen.Order
	if by.Role != RoleApplicant || o.ApplicantID != by.ID {
		return nil, problem.New(problem.NotFound, "order.not_found", "")
	}
	action := filing.ActSubmit
	if o.State != filing.Draft {
		action = filing.ActResubmit
	}
	if _, err := filing.Next(o.State, action, filing.RoleApplicant); err != nil {
		return nil, err
	}
	rep, err := s.Assess(ctx, o)
	if err != nil {
		return nil, err
	}
	if len(rep.Violations) > 0 {
		return nil, problem.List(rep.Violations)
	}
	if !o.AgreementsAccepted {
		return nil, problem.Invalidf("order.agreements_required", "agreements_accepted")
	}
	confirmed, err := s.checkConfirmation(ctx, o, confirm)
	if err != nil {
		return nil, err
	}
	var out *filing.Order
	now := s.now()
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := s.ownOrderForUpdate(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if r.Order.Version != o.Version {
			return problem.New(problem.Conflict, "order.stale_version", "version")
		}
		o := r.Order
		if action == filing.ActSubmit && hasResource(o) {
			if err := s.consumeResource(ctx, tx, o, now); err != nil {
				return err
			}
		}
		o.Confirmed = confirmed
		if err := tx.RecordSubmission(ctx, o, now); err != nil {
			return err
		}
		ev, err := o.Transition(action, filing.RoleApplicant, by.ID, "", nil, now)
		if err != nil {
			return err
		}
		// Provider review takes 1-2 working days (Huawei Cloud's first-filing guide: "备案专员将在1-2个工作日内进行初审").
		r.Deadline = s.cfg.AddWorkdays(now, 2)
		ev.Deadline = &r.Deadline
		if err := tx.IndexContacts(ctx, r); err != nil {
			return err
		}
		r.SubmittedAt = now
		out = o
		return s.record(ctx, tx, r, &ev)
	})
	return s.committed(id, out, err)
}

// Withdraw abandons an order until it reaches administration review (docs/design.md §4.2). If it is already with the
// regulator, the regulator is asked first, and a refusal there (verification done meanwhile) refuses it here.
func (s *Service) Withdraw(ctx context.Context, by Actor, id int64, reason string) (*filing.Order, error) {
	r, err := s.st.Order(ctx, id)
	if err != nil {
		return nil, err
	}
	if by.Role != RoleApplicant || r.Order.ApplicantID != by.ID {
		return nil, problem.New(problem.NotFound, "order.not_found", "")
	}
	if _, err := filing.Next(r.Order.State, filing.ActWithdraw, filing.RoleApplicant); err != nil {
		return nil, err
	}
	if r.Attempt > 0 && (r.Order.State == filing.SMSPending || r.Order.State == filing.ProviderApproved) {
		if err := s.cfg.Regulator.Withdraw(ctx, s.cfg.ProviderID, id); err != nil {
			return nil, err
		}
	}
	var out *filing.Order
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := s.ownOrderForUpdate(ctx, tx, by, id)
		if err != nil {
			return err
		}
		now := s.now()
		wasSubmitted := r.Order.State != filing.Draft
		ev, err := r.Order.Transition(filing.ActWithdraw, filing.RoleApplicant, by.ID, reason, nil, now)
		if err != nil {
			return err
		}
		if wasSubmitted && hasResource(r.Order) {
			if err := s.releaseResource(ctx, tx, r.Order); err != nil {
				return err
			}
		}
		r.Deadline = time.Time{}
		out = r.Order
		return s.record(ctx, tx, r, &ev)
	})
	return s.committed(id, out, err)
}

// committed follows a write transaction that changed order id and queued its notices: the pages waiting on the
// order learn of the change and the outbox worker wakes. It passes out and err through.
func (s *Service) committed(id int64, out *filing.Order, err error) (*filing.Order, error) {
	if err != nil {
		return nil, err
	}
	s.changes.publish(id)
	s.cfg.Kick()
	return out, nil
}

// record saves the order, appends its event and writes the notifications the event calls for.
func (s *Service) record(ctx context.Context, tx *store.Tx, r *store.OrderRow, ev *filing.Event) error {
	if err := tx.SaveOrder(ctx, r); err != nil {
		return err
	}
	if err := tx.AppendEvent(ctx, ev); err != nil {
		return err
	}
	return s.notifyEvent(ctx, tx, r.Order, ev)
}
