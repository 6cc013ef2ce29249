package provider

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mask"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// The evidence of an order (docs/design.md §4.3 steps 5-6): the materials the rules ask for and the real-person
// verification of the principals.

// Person keys: who is verified, named by where the person is entered in the order.
const (
	PersonSubjectPrincipal    = "subject_principal"
	PersonLegalRepresentative = "legal_representative"
)

// ServicePrincipalKey names the principal entered for service i ("services[1].principal").
func ServicePrincipalKey(i int) string { return "services[" + strconv.Itoa(i) + "].principal" }

// Verification methods.
const (
	MethodFace    = "face"    // face check on the phone, white background (Baidu AI Cloud's app filing guide §6, Huawei Cloud's first-filing guide)
	MethodCurtain = "curtain" // photo in front of the provider's blue curtain, upper body (Alibaba Cloud's materials guide)
	// MethodAdministrationApp: Shanghai verifies in the administration's own app (Alibaba Cloud's materials guide, docs/rules.md); the
	// provider takes no photo and waits for the administration's result.
	MethodAdministrationApp = "administration_app"
)

// shanghai is the province whose administration verifies principals in its own app (Alibaba Cloud's materials guide).
const shanghai = "31"

// verifiedOrderTypes are the order types whose principals verify (the same list as the rules' face-check
// notice: new filings, new services and accesses, changes; cancellations and withdrawals do not).
var verifiedOrderTypes = []filing.OrderType{filing.NewFiling, filing.NewService, filing.NewServiceNoSubject,
	filing.NewAccess, filing.ChangeSubject, filing.ChangeService}

// Person is someone who must pass the real-person verification of an order.
type Person struct {
	Key string `json:"key"`
	// Roles are what the person is in the order: service_principal, subject_principal, legal_representative.
	Roles []string `json:"roles"`
	// Why is the reason they must verify: service_principal (always), non_mainland (a subject principal whose
	// credential is not a mainland ID, Alibaba Cloud's filing notes), requested (asked for by the reviewer or the administration).
	Why            []string `json:"why"`
	Name           string   `json:"name"` // masked (张*丰)
	CredentialType string   `json:"credential_type"`
	Method         string   `json:"method"`
	Services       []int    `json:"services,omitempty"` // the services whose principal this is

	fullName, number string
}

// Complete reports whether the person's name and credential are filled in (needed before verifying).
func (p Person) Complete() bool { return p.fullName != "" && p.number != "" }

func (s *Service) method(o *filing.Order) string {
	if o.Province == shanghai {
		return MethodAdministrationApp
	}
	return s.Method()
}

// Method is how principals verify with this provider outside Shanghai (where the administration's own app
// does, MethodAdministrationApp): MethodCurtain or MethodFace (the white-background photo), as Config.FaceMode says.
func (s *Service) Method() string {
	if s.cfg.FaceMode == face.Curtain {
		return MethodCurtain
	}
	return MethodFace
}

func (m Person) mode() face.Mode {
	if m.Method == MethodCurtain {
		return face.Curtain
	}
	return face.WhiteBackground
}

// Persons returns who must verify for o: every service principal (the subject principal when a service copies
// it), the subject principal when their credential is not a mainland resident ID (Alibaba Cloud's filing notes), and the legal
// representative when requested (Alibaba Cloud's filing notes: 系统提示需法定代表人进行人脸识别). One person holding several roles
// verifies once. Order types without verification return none.
func (s *Service) Persons(o *filing.Order, requests []store.VerificationRequest) []Person {
	if !slices.Contains(verifiedOrderTypes, o.Type) {
		return nil
	}
	if o.Filed != nil && (o.Type == filing.ChangeSubject || o.Type == filing.ChangeService) {
		return s.changedPersons(o, requests) // person_changes.go
	}
	return s.allPersons(o, requests)
}

// allPersons is Persons for an order whose every principal verifies.
func (s *Service) allPersons(o *filing.Order, requests []store.VerificationRequest) []Person {
	method := s.method(o)
	var out []Person
	add := func(key, role, why, name, ctype, number string, svc int) {
		name, number = strings.TrimSpace(name), strings.TrimSpace(number)
		for i := range out {
			p := &out[i]
			if p.Key == key || number != "" && p.number == number && p.CredentialType == ctype {
				if !slices.Contains(p.Roles, role) {
					p.Roles = append(p.Roles, role)
				}
				if !slices.Contains(p.Why, why) {
					p.Why = append(p.Why, why)
				}
				if svc >= 0 && !slices.Contains(p.Services, svc) {
					p.Services = append(p.Services, svc)
				}
				return
			}
		}
		p := Person{Key: key, Roles: []string{role}, Why: []string{why}, Name: mask.Name(name), CredentialType: ctype,
			Method: method, fullName: name, number: number}
		if svc >= 0 {
			p.Services = []int{svc}
		}
		out = append(out, p)
	}
	sp := o.Subject.Principal
	for i, svc := range o.Services {
		if svc.PrincipalSameAsSubject {
			add(PersonSubjectPrincipal, "service_principal", "service_principal", sp.Name, sp.CredentialType, sp.CredentialNumber, i)
			continue
		}
		p := svc.Principal
		add(ServicePrincipalKey(i), "service_principal", "service_principal", p.Name, p.CredentialType, p.CredentialNumber, i)
	}
	if sp.CredentialType != "" && !codes.IsMainland(sp.CredentialType) {
		add(PersonSubjectPrincipal, "subject_principal", "non_mainland", sp.Name, sp.CredentialType, sp.CredentialNumber, -1)
	}
	for _, r := range requests {
		switch {
		case r.Person == PersonLegalRepresentative && o.Subject.LegalRepresentative != nil:
			lr := o.Subject.LegalRepresentative
			add(PersonLegalRepresentative, "legal_representative", "requested", lr.Name, "resident_id", lr.IDNumber, -1)
		case r.Person == PersonSubjectPrincipal:
			add(PersonSubjectPrincipal, "subject_principal", "requested", sp.Name, sp.CredentialType, sp.CredentialNumber, -1)
		}
	}
	// A person found under a service key whose credential is the subject principal's keeps the subject key.
	for i := range out {
		if slices.Contains(out[i].Roles, "subject_principal") {
			out[i].Key = PersonSubjectPrincipal
		}
	}
	return out
}

// personHash identifies the person a verification was made for: a verification stays valid only while the
// order names the same person (name and credential).
func (s *Service) personHash(p Person) []byte {
	return s.st.Keys.Hash("verification_person", p.CredentialType+"\x00"+p.number+"\x00"+p.fullName)
}

// PersonStatus is where one person's verification stands.
type PersonStatus struct {
	Person
	// State: missing | link_pending | link_opened | captured | confirmed | returned | administration_app |
	// passed | failed.
	State        string              `json:"state"`
	Link         *LinkStatus         `json:"link,omitempty"`
	Verification *store.Verification `json:"verification,omitempty"` // the latest for this person
	Note         string              `json:"note,omitempty"`         // the reviewer's note when sent back
}

// LinkStatus is the state of the newest QR-code link for a person.
type LinkStatus struct {
	ID        int64  `json:"id"`
	State     string `json:"state"` // pending | opened | expired | replaced
	ExpiresAt string `json:"expires_at"`
}

// EvidenceStatus is the whole evidence of an order: materials and verifications.
type EvidenceStatus struct {
	OrderID   int64            `json:"order_id"`
	State     filing.State     `json:"order_state"`
	Editable  bool             `json:"editable"`
	Persons   []PersonStatus   `json:"persons"`
	Materials []MaterialStatus `json:"materials"`
	// Complete: every required material attached and every person verified (administration_app persons count
	// as complete here: Shanghai verifies after forwarding).
	Complete bool `json:"complete"`
	// CurtainNeeded: someone must verify for the order by the curtain photo, so the applicant may ask for the
	// provider's curtain to be mailed (Service.CurtainNeeded).
	CurtainNeeded bool `json:"curtain_needed"`
}

// MaterialStatus is one material the rules ask for and what is attached for it.
type MaterialStatus struct {
	Code       string `json:"code"`
	Service    *int   `json:"service,omitempty"`
	Reason     string `json:"reason"`
	MaterialID int64  `json:"material_id,omitempty"`
	// Forwarded says whether a copy goes to MIIT with the order (PDF documents stay with the provider).
	Forwarded bool `json:"forwarded"`
}

// evidence assesses an order's evidence; required are the materials the rules ask for.
func (s *Service) evidence(ctx context.Context, o *filing.Order, required []Material, vs []*store.Verification,
	links map[string]*store.VerificationLink, requests []store.VerificationRequest) (*EvidenceStatus, error) {
	now := s.now()
	ev := &EvidenceStatus{OrderID: o.ID, State: o.State, Editable: o.State.Editable(), Persons: []PersonStatus{},
		Materials: []MaterialStatus{}, Complete: true}
	mats, err := s.orderMaterials(ctx, o)
	if err != nil {
		return nil, err
	}
	for _, m := range required {
		st := MaterialStatus{Code: m.Code, Service: m.Service, Reason: m.Reason}
		for _, ref := range o.Materials {
			if mt := mats[ref.ID]; ref.Code == m.Code && sameService(ref.ServiceIdx, m.Service) && mt != nil && mt.Code == m.Code {
				st.MaterialID = ref.ID
				st.Forwarded = slices.ContainsFunc(mt.Variants, func(v store.Variant) bool { return v.Purpose == store.VariantMIIT })
			}
		}
		if st.MaterialID == 0 {
			ev.Complete = false
		}
		ev.Materials = append(ev.Materials, st)
	}
	persons := s.Persons(o, requests)
	ev.CurtainNeeded = curtainPhotoAsked(persons)
	for _, p := range persons {
		ps := PersonStatus{Person: p, State: "missing"}
		hash := s.personHash(p)
		for _, v := range vs {
			if v.Person == p.Key && string(v.PersonHash) == string(hash) {
				ps.Verification = v
			}
		}
		if l := links[p.Key]; l != nil {
			ls := &LinkStatus{ID: l.ID, ExpiresAt: l.ExpiresAt.Format(time.RFC3339)}
			switch {
			case !l.RevokedAt.IsZero():
				ls.State = "replaced"
			case !l.OpenedAt.IsZero() && now.Before(l.SessionExpiresAt):
				ls.State = "opened"
			case !now.Before(l.ExpiresAt):
				ls.State = "expired"
			default:
				ls.State = "pending"
			}
			ps.Link = ls
			switch ls.State {
			case "pending":
				ps.State = "link_pending"
			case "opened":
				ps.State = "link_opened"
			}
		}
		if v := ps.Verification; v != nil {
			ps.State = v.State
			if v.State == store.VerificationReturned {
				ps.Note = v.Note
			}
			// A newer link opened after the last capture: the person is at it again.
			if ps.Link != nil && ps.Link.State == "opened" && ps.Link.ID != v.LinkID && v.State != store.VerificationConfirmed {
				ps.State = "link_opened"
			}
		}
		if p.Method == MethodAdministrationApp && ps.State == "missing" {
			ps.State = MethodAdministrationApp
		}
		if ps.State != store.VerificationConfirmed && ps.State != store.VerificationPassed && ps.State != MethodAdministrationApp {
			ev.Complete = false
		}
		ev.Persons = append(ev.Persons, ps)
	}
	return ev, nil
}

func sameService(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// Evidence returns an order's evidence status to its applicant or to provider staff.
func (s *Service) Evidence(ctx context.Context, by Actor, orderID int64) (*EvidenceStatus, error) {
	r, err := s.st.Order(ctx, orderID)
	if err != nil {
		return nil, err
	}
	if err := mayView(by, r.Order); err != nil {
		return nil, err
	}
	return s.evidenceOf(ctx, r.Order)
}

func (s *Service) evidenceOf(ctx context.Context, o *filing.Order) (*EvidenceStatus, error) {
	rep, err := s.cfg.Checker.Check(ctx, o, s.now())
	if err != nil {
		return nil, err
	}
	vs, err := s.st.Verifications(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	links, err := s.st.LatestVerificationLinks(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	reqs, err := s.st.VerificationRequests(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	return s.evidence(ctx, o, rep.Materials, vs, links, reqs)
}

// evidenceViolations lists what blocks submission in the evidence: a material the rules ask for that is not
// attached (field materials.<code> or materials.<code>[i], where the wizard shows it), an attached material
// uploaded for another code, and a person not verified (field verification.<person>).
func (s *Service) evidenceViolations(ctx context.Context, src evidenceSource, o *filing.Order, required []Material) ([]*problem.Error, error) {
	vs, err := src.Verifications(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	reqs, err := src.VerificationRequests(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	ev, err := s.evidence(ctx, o, required, vs, nil, reqs)
	if err != nil {
		return nil, err
	}
	var out []*problem.Error
	for _, m := range ev.Materials {
		if m.MaterialID != 0 {
			continue
		}
		field := "materials." + m.Code
		if m.Service != nil {
			field += "[" + strconv.Itoa(*m.Service) + "]"
		}
		out = append(out, localized(problem.Invalidf("material.missing", field), func(l i18n.Lang) map[string]string {
			return map[string]string{"material": materialName(l, m.Code), "reason": m.Reason}
		}))
	}
	for _, p := range ev.Persons {
		switch p.State {
		case store.VerificationConfirmed, store.VerificationPassed, MethodAdministrationApp:
			continue
		}
		code := "verification.missing"
		if p.State == store.VerificationReturned {
			code = "verification.returned"
		}
		e := problem.Invalidf(code, "verification."+p.Key)
		out = append(out, localized(e, func(l i18n.Lang) map[string]string {
			return map[string]string{"name": p.Name, "role": i18n.T(l, "verification.role."+p.Roles[0], nil), "note": p.Note}
		}))
	}
	return out, nil
}

// localized renders e's message in every language with parameters that are themselves translated.
func localized(e *problem.Error, params func(i18n.Lang) map[string]string) *problem.Error {
	e.Text = i18n.Texts(func(l i18n.Lang) string { return i18n.T(l, e.Code, params(l)) })
	e.Params = params(i18n.ZhCN)
	return e
}

// materialName is a material code's name in lang (the web catalog's names; the code when there is none).
func materialName(l i18n.Lang, code string) string {
	if i18n.Has("web.material." + code) {
		return i18n.T(l, "web.material."+code, nil)
	}
	if i18n.Has("verification.material." + code) {
		return i18n.T(l, "verification.material."+code, nil)
	}
	return code
}

// evidenceSource reads verifications: the store, or a transaction.
type evidenceSource interface {
	Verifications(ctx context.Context, orderID int64) ([]*store.Verification, error)
	VerificationRequests(ctx context.Context, orderID int64) ([]store.VerificationRequest, error)
}

// withEvidence adds the evidence violations to a report when the provider requires evidence before review
// (Config.RequireEvidence); src is the transaction of the caller, or nil to read outside one.
func (s *Service) withEvidence(ctx context.Context, src evidenceSource, o *filing.Order, rep *Report) error {
	if !s.cfg.RequireEvidence {
		return nil
	}
	if src == nil {
		src = s.st
	}
	v, err := s.evidenceViolations(ctx, src, o, rep.Materials)
	rep.Violations = append(rep.Violations, v...)
	return err
}
