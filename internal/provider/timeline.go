package provider

import (
	"context"
	"time"

	"github.com/beian/beian/internal/filing"
)

// Timeline is the applicant's view of an order's progress (docs/design.md §4.2: the history with the expected next step
// and its deadline).
type Timeline struct {
	Order   *filing.Order   `json:"order"`
	Events  []filing.Event  `json:"events"`
	Next    *NextStep       `json:"next,omitempty"`
	Actions []filing.Action `json:"actions"` // what the caller may do now
}

// NextStep says who acts next, what they do and by when.
type NextStep struct {
	Who          string     `json:"who"`  // applicant | reviewer | regulator | principals | system
	Step         string     `json:"step"` // i18n key next.<state>
	Deadline     *time.Time `json:"deadline,omitempty"`
	WorkdaysLeft *int       `json:"workdays_left,omitempty"`
	HoursLeft    *int       `json:"hours_left,omitempty"`
}

var nextWho = map[filing.State]string{
	filing.Draft:                  "applicant",
	filing.Submitted:              "reviewer",
	filing.Resubmitted:            "reviewer",
	filing.NeedsChanges:           "applicant",
	filing.ProviderRejected:       "applicant",
	filing.ProviderApproved:       "system",
	filing.SMSPending:             "principals",
	filing.AdministrationReview:   "regulator",
	filing.AdministrationRejected: "applicant",
	filing.Returned:               "reviewer",
}

// OrderTimeline returns the order, its history and the next step.
func (s *Service) OrderTimeline(ctx context.Context, by Actor, id int64) (*Timeline, error) {
	o, err := s.GetOrder(ctx, by, id)
	if err != nil {
		return nil, err
	}
	r, err := s.st.Order(ctx, id)
	if err != nil {
		return nil, err
	}
	events, err := s.st.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	role := filing.RoleApplicant
	if by.IsStaff() {
		role = filing.RoleReviewer
	}
	t := &Timeline{Order: o, Events: events, Actions: filing.Actions(o.State, role)}
	if t.Actions == nil {
		t.Actions = []filing.Action{}
	}
	if who, ok := nextWho[o.State]; ok {
		t.Next = &NextStep{Who: who, Step: "next." + string(o.State)}
		if !r.Deadline.IsZero() {
			d := r.Deadline
			t.Next.Deadline = &d
			now := s.now()
			if o.State == filing.SMSPending {
				h := int(d.Sub(now).Hours())
				t.Next.HoursLeft = &h
			} else if s.cfg.WorkdaysBetween != nil {
				n := s.cfg.WorkdaysBetween(now, d)
				t.Next.WorkdaysLeft = &n
			}
		}
	}
	return t, nil
}
