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
	"github.com/beian/beian/internal/provider/store"
)

// The calls a reviewer makes to principals during review (Huawei Cloud 《首次备案》: 审核期间我们会拨打您备案信息中的
// 联系电话进行沟通): who was called, on which of their numbers, the outcome and a note. Each call also appears on
// the order's timeline (who and outcome; the note stays with the staff).

// CallInput records one call.
type CallInput struct {
	// Person is who was called: subject_principal, services[i].principal or legal_representative.
	Person string `json:"person"`
	// Number is which of their numbers: mobile, emergency_mobile or office_phone.
	Number  string `json:"number"`
	Outcome string `json:"outcome"`
	Note    string `json:"note,omitempty"`
}

// Call outcomes.
var callOutcomes = []string{"reached", "no_answer", "busy", "wrong_number", "declined"}

// ActCall is the timeline entry of a call; it does not move the order.
const ActCall filing.Action = "call"

// LogCall records a reviewer's call on an order.
func (s *Service) LogCall(ctx context.Context, by Actor, id int64, in CallInput) (*store.Call, error) {
	if err := requireRole(by, RoleReviewer); err != nil {
		return nil, err
	}
	note, err := plainText("note", in.Note, 500, false, true)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(callOutcomes, in.Outcome) {
		return nil, problem.Invalidf("call.outcome_unknown", "outcome", "outcome", in.Outcome)
	}
	var call *store.Call
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.OrderForUpdate(ctx, id)
		if err != nil {
			return err
		}
		phone, err := callNumber(r.Order, in.Person, in.Number)
		if err != nil {
			return err
		}
		now := s.now()
		call = &store.Call{OrderID: id, ReviewerID: by.ID, Person: in.Person, Outcome: in.Outcome, Note: note, At: now}
		if err := tx.AddCall(ctx, call, phone, mask.Mobile(phone)); err != nil {
			return err
		}
		// The timeline says who was called and the outcome ("subject_principal reached"); the note stays here.
		return s.timelineNote(ctx, tx, r.Order, ActCall, by.ID, filing.RoleReviewer, in.Person+" "+in.Outcome)
	})
	if err != nil {
		return nil, err
	}
	s.changes.publish(id)
	return call, nil
}

// callNumber finds the number called: one of the person's numbers as entered in the order.
func callNumber(o *filing.Order, person, which string) (string, error) {
	var p *filing.Principal
	switch {
	case person == PersonSubjectPrincipal:
		p = &o.Subject.Principal
	case person == PersonLegalRepresentative:
		return "", problem.Invalidf("call.no_number", "person", "person", person) // the legal representative has no number of their own here
	case strings.HasPrefix(person, "services[") && strings.HasSuffix(person, "].principal"):
		i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(person, "services["), "].principal"))
		if err != nil || i < 0 || i >= len(o.Services) {
			return "", problem.Invalidf("call.person_unknown", "person", "person", person)
		}
		pr := o.EffectivePrincipal(i)
		p = &pr
	default:
		return "", problem.Invalidf("call.person_unknown", "person", "person", person)
	}
	var n string
	switch which {
	case "mobile", "":
		n = p.Mobile
	case "emergency_mobile":
		n = p.EmergencyMobile
	case "office_phone":
		n = p.OfficePhone
	default:
		return "", problem.Invalidf("call.number_unknown", "number", "number", which)
	}
	if strings.TrimSpace(n) == "" {
		return "", problem.Invalidf("call.no_number", "number", "person", person)
	}
	if r := ident.Mobile(n); r.Valid() {
		return r.Normalized, nil
	}
	return n, nil
}

// Calls lists the calls of an order (staff only).
func (s *Service) Calls(ctx context.Context, by Actor, id int64) ([]store.Call, error) {
	if !by.IsStaff() {
		return nil, forbidden()
	}
	if _, err := s.GetOrder(ctx, by, id); err != nil {
		return nil, err
	}
	return s.st.Calls(ctx, id)
}
