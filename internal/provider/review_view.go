package provider

import (
	"context"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/regulator"
)

// ReviewView is what a reviewer compares besides the order itself: what it changes in the filed record, what
// the applicant changed since the previous submission, the calls made and the curtains mailed.
type ReviewView struct {
	// Changes is the order against the record it started from (changes, cancellations, new services).
	Changes []filing.Change `json:"changes"`
	// SinceLast is this submission against the previous one (empty for a first submission).
	SinceLast []filing.Change `json:"since_last"`
	// Resubmitted reports whether there was a previous submission to compare with.
	Resubmitted bool `json:"resubmitted"`
	// Claimed is the filed record a claim is about (reviewers only: the claimant does not see it).
	Claimed  *regulator.Filing `json:"claimed,omitempty"`
	Calls    []store.Call      `json:"calls"`
	Mailings []store.Mailing   `json:"mailings"`
}

// Review returns the reviewer's comparison of an order (staff only; the read is audited by GetOrder).
func (s *Service) Review(ctx context.Context, by Actor, id int64) (*ReviewView, error) {
	if !by.IsStaff() {
		return nil, forbidden()
	}
	o, err := s.GetOrder(ctx, by, id)
	if err != nil {
		return nil, err
	}
	v := &ReviewView{Changes: nonNilChanges(o.Changes()), SinceLast: []filing.Change{}}
	subs, err := s.st.Submissions(ctx, id, 2)
	if err != nil {
		return nil, err
	}
	if len(subs) == 2 {
		v.Resubmitted = true
		v.SinceLast = nonNilChanges(filing.DiffContent(subs[1], subs[0]))
	}
	if o.Type == filing.Claim {
		rec, err := s.lookupFiling(ctx, o.Subject.Number, "")
		if err != nil {
			return nil, err
		}
		v.Claimed = &rec
	}
	if v.Calls, err = s.st.Calls(ctx, id); err != nil {
		return nil, err
	}
	v.Mailings, err = s.st.Mailings(ctx, store.MailingFilter{OrderID: id})
	return v, err
}

func nonNilChanges(c []filing.Change) []filing.Change {
	if c == nil {
		return []filing.Change{}
	}
	return c
}
