package provider

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/regulator"
)

// Decision is a reviewer's verdict on an order (docs/design.md §4.8; Huawei Cloud's first-filing guide table 3).
type Decision struct {
	Decision string        `json:"decision"` // approve | request_changes | reject
	Reason   string        `json:"reason,omitempty"`
	Notes    []filing.Note `json:"notes,omitempty"` // request_changes: which field, what is wrong, what to do
}

// Topics of the outbox.
const (
	TopicSMS    = "sms"
	TopicEmail  = "email"
	TopicSubmit = "regulator.submit"
)

// Queue lists orders awaiting provider review, overdue and soonest first.
func (s *Service) Queue(ctx context.Context, by Actor, f store.OrderFilter) ([]store.OrderSummary, int, error) {
	if !by.IsStaff() {
		return nil, 0, forbidden()
	}
	if len(f.States) == 0 {
		f.States = []filing.State{filing.Submitted, filing.Resubmitted, filing.Returned}
	}
	f.ByDeadline = true
	return maskSummaries(s.st.Orders(ctx, f))
}

// Decide records a reviewer's decision. Approval forwards the order to the regulator through the outbox.
func (s *Service) Decide(ctx context.Context, by Actor, id int64, d Decision) (*filing.Order, error) {
	action, err := decisionAction(d)
	if err != nil {
		return nil, err
	}
	return s.reviewerMove(ctx, by, id, action, strings.TrimSpace(d.Reason), d.Notes)
}

// reviewerMove applies a reviewer's action in one transaction; approve and reforward queue the upload.
func (s *Service) reviewerMove(ctx context.Context, by Actor, id int64, action filing.Action, reason string, notes []filing.Note) (*filing.Order, error) {
	if err := requireRole(by, RoleReviewer); err != nil {
		return nil, err
	}
	var out *filing.Order
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.OrderForUpdate(ctx, id)
		if err != nil {
			return err
		}
		ev, err := r.Order.Transition(action, filing.RoleReviewer, by.ID, reason, notes, s.now())
		if err != nil {
			return err
		}
		r.Deadline = zeroTime
		if action == filing.ActApprove || action == filing.ActReforward {
			if err := s.forward(ctx, tx, r); err != nil {
				return err
			}
		}
		out = r.Order
		return s.record(ctx, tx, r, &ev)
	})
	return s.committed(id, out, err)
}

func decisionAction(d Decision) (filing.Action, error) {
	switch d.Decision {
	case "approve":
		return filing.ActApprove, nil
	case "reject":
		if strings.TrimSpace(d.Reason) == "" {
			return "", problem.Invalidf("review.reason_required", "reason")
		}
		return filing.ActReject, nil
	case "request_changes":
		if len(d.Notes) == 0 {
			return "", problem.Invalidf("review.notes_required", "notes")
		}
		for i, n := range d.Notes {
			if strings.TrimSpace(n.Field) == "" || strings.TrimSpace(n.Message) == "" {
				return "", problem.Invalidf("review.note_incomplete", "notes["+itoaID(int64(i))+"]")
			}
		}
		return filing.ActRequestChanges, nil
	}
	return "", problem.Invalidf("review.unknown_decision", "decision", "decision", d.Decision)
}

// Reforward sends a returned order (SMS not verified in time) to the regulator again.
func (s *Service) Reforward(ctx context.Context, by Actor, id int64) (*filing.Order, error) {
	return s.reviewerMove(ctx, by, id, filing.ActReforward, "", nil)
}

// forward queues the upload of the order to the regulator as a new attempt.
func (s *Service) forward(ctx context.Context, tx *store.Tx, r *store.OrderRow) error {
	r.Attempt++
	atts, err := s.attachments(ctx, tx, r.Order)
	if err != nil {
		return err
	}
	sub := regulator.Submission{ProviderID: s.cfg.ProviderID, ProviderOrderID: r.Order.ID, Attempt: r.Attempt,
		Order: *r.Order, SubmittedAt: s.now(), Attachments: atts}
	sub.Order.Filed, sub.Order.Confirmed = nil, "" // the provider's own bookkeeping
	b, err := json.Marshal(sub)
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, TopicSubmit, b, s.now())
}
