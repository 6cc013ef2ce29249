package mps

import (
	"testing"

	"github.com/beian/beian/internal/problem"
)

func TestNext(t *testing.T) {
	for _, c := range []struct {
		kind        string
		from        State
		act         Action
		interactive bool
		want        State
		code        string
	}{
		{KindWebsite, "", ActSubmit, false, StateReview, ""},
		{KindWebsite, StateReview, ActApprove, false, StateApproved, ""},
		{KindWebsite, StateReview, ActApprove, true, "", "mps.interactive_needs_check"},
		{KindWebsite, StateReview, ActReturn, true, StateReturned, ""},
		{KindWebsite, StateReview, ActScheduleInterview, true, StateInterview, ""},
		{KindWebsite, StateReview, ActScheduleInspection, true, StateInspection, ""},
		{KindWebsite, StateInterview, ActPass, true, StateApproved, ""},
		{KindWebsite, StateInspection, ActFail, true, StateReturned, ""},
		{KindWebsite, StateReturned, ActResubmit, true, StateReview, ""},
		{KindWebsite, StateApproved, ActChange, false, StateChangeReview, ""},
		{KindWebsite, StateChangeReview, ActApproveChange, false, StateApproved, ""},
		{KindWebsite, StateChangeReview, ActReturnChange, false, StateApproved, ""},
		{KindWebsite, StateApproved, ActCancel, false, StateCancelled, ""},
		{KindWebsite, StateCancelled, ActResubmit, false, "", "mps.transition_invalid"},
		{KindWebsite, StateApproved, ActApprove, false, "", "mps.transition_invalid"},
		{KindWebsite, StateInterview, ActApprove, true, "", "mps.transition_invalid"},
		{KindWebsite, StateChangeReview, ActCancel, false, "", "mps.transition_invalid"},
		{KindSubject, StateReview, ActApprove, false, StateApproved, ""},
		{KindSubject, StateReview, ActScheduleInspection, false, "", "mps.subject_no_inspection"},
		{KindSubject, StateReview, ActCancel, false, StateCancelled, ""},
	} {
		got, err := Next(c.kind, c.from, c.act, c.interactive)
		if got != c.want || c.code == "" && err != nil || c.code != "" && !problem.Is(err, c.code) {
			t.Errorf("%s %s --%s--> %s, %v; want %s %s", c.kind, c.from, c.act, got, err, c.want, c.code)
		}
	}
}
