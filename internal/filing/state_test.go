package filing

import (
	"testing"
	"time"

	"github.com/beian/beian/internal/problem"
)

// The lifecycle of docs/design.md §4.2 (Huawei Cloud's first-filing guide table 3), one row per allowed or refused move.
func TestNext(t *testing.T) {
	cases := []struct {
		from   State
		action Action
		role   Role
		to     State // "" when refused
		kind   problem.Kind
	}{
		{Draft, ActSubmit, RoleApplicant, Submitted, 0},
		{Draft, ActSubmit, RoleReviewer, "", problem.Forbidden},
		{Submitted, ActApprove, RoleReviewer, ProviderApproved, 0},
		{Submitted, ActApprove, RoleApplicant, "", problem.Forbidden},
		{Submitted, ActRequestChanges, RoleReviewer, NeedsChanges, 0},
		{Submitted, ActReject, RoleReviewer, ProviderRejected, 0},
		{NeedsChanges, ActResubmit, RoleApplicant, Resubmitted, 0},
		{ProviderRejected, ActResubmit, RoleApplicant, Resubmitted, 0},
		{Resubmitted, ActApprove, RoleReviewer, ProviderApproved, 0},
		{ProviderApproved, ActForwarded, RoleRegulator, SMSPending, 0},
		{ProviderApproved, ActForwardedNoSMS, RoleRegulator, AdministrationReview, 0},
		{ProviderApproved, ActAdminReject, RoleRegulator, AdministrationRejected, 0}, // conflict at upload (docs/design.md §5 1005)
		{SMSPending, ActSMSVerified, RoleRegulator, AdministrationReview, 0},
		{SMSPending, ActSMSExpired, RoleRegulator, Returned, 0},
		{SMSPending, ActSMSFailed, RoleRegulator, Returned, 0},
		{Returned, ActReforward, RoleReviewer, ProviderApproved, 0},
		{Returned, ActRequestChanges, RoleReviewer, NeedsChanges, 0},
		{AdministrationReview, ActAdminApprove, RoleRegulator, Approved, 0},
		{AdministrationReview, ActAdminReject, RoleRegulator, AdministrationRejected, 0},
		{AdministrationRejected, ActResubmit, RoleApplicant, Resubmitted, 0},
		// Withdrawal until administration review, never after (docs/design.md §4.2).
		{Draft, ActWithdraw, RoleApplicant, Withdrawn, 0},
		{SMSPending, ActWithdraw, RoleApplicant, Withdrawn, 0},
		{AdministrationReview, ActWithdraw, RoleApplicant, "", problem.Conflict},
		{Approved, ActWithdraw, RoleApplicant, "", problem.Conflict},
		// Out of order.
		{Draft, ActApprove, RoleReviewer, "", problem.Conflict},
		{Approved, ActAdminApprove, RoleRegulator, "", problem.Conflict},
		{Withdrawn, ActSubmit, RoleApplicant, "", problem.Conflict},
		{Draft, "teleport", RoleApplicant, "", problem.Invalid},
	}
	for _, c := range cases {
		got, err := Next(c.from, c.action, c.role)
		if c.to != "" {
			if err != nil || got != c.to {
				t.Errorf("%s --%s/%s--> %s, %v; want %s", c.from, c.action, c.role, got, err, c.to)
			}
			continue
		}
		if err == nil || problem.KindOf(err) != c.kind {
			t.Errorf("%s --%s/%s--> %s, %v; want refusal of kind %v", c.from, c.action, c.role, got, err, c.kind)
		}
	}
}

func TestEveryStateIsReachableAndFinalStatesAreFinal(t *testing.T) {
	reached := map[State]bool{Draft: true}
	for _, tr := range transitions {
		reached[tr.to] = true
		for _, f := range tr.from {
			if f.Final() {
				t.Errorf("a transition leaves final state %s", f)
			}
		}
	}
	for _, s := range States {
		if !reached[s] {
			t.Errorf("state %s is unreachable", s)
		}
	}
}

func TestTransitionRecordsTheEvent(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	o := &Order{ID: 7, State: Submitted}
	notes := []Note{{Field: "subject.communication_address", Message: "请精确到门牌号"}}
	ev, err := o.Transition(ActRequestChanges, RoleReviewer, 3, "", notes, at)
	if err != nil {
		t.Fatal(err)
	}
	if o.State != NeedsChanges || !o.UpdatedAt.Equal(at) {
		t.Fatalf("order not moved: %+v", o)
	}
	if ev.From != Submitted || ev.To != NeedsChanges || ev.ActorID != 3 || ev.ActorRole != RoleReviewer ||
		len(ev.Fields) != 1 || ev.Fields[0] != "subject.communication_address" || !ev.At.Equal(at) {
		t.Fatalf("event %+v", ev)
	}
	before := *o
	if _, err := o.Transition(ActAdminApprove, RoleRegulator, 0, "", nil, at); err == nil || o.State != before.State {
		t.Fatal("a refused transition changed the order")
	}
}

func TestActionsForApplicant(t *testing.T) {
	got := Actions(SMSPending, RoleApplicant)
	if len(got) != 1 || got[0] != ActWithdraw {
		t.Fatalf("applicant actions in sms_pending: %v", got)
	}
	if len(Actions(AdministrationReview, RoleApplicant)) != 0 {
		t.Fatal("applicant can act during administration review")
	}
}
