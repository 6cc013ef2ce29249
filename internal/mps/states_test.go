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

// A move the state does not allow names the state as the pages do in each language, never by its code.
func TestTransitionInvalidNamesTheState(t *testing.T) {
	for _, c := range []struct {
		from State
		lang string
		want string
	}{
		{StateReview, "zh-CN", "当前状态（待审核）下不能执行此操作。"},
		{StateReview, "zh-TW", "目前狀態（待審核）下不能執行此操作。"},
		{StateReview, "en", "Not possible in the current state (In review)."},
		{StateApproved, "zh-CN", "当前状态（已备案）下不能执行此操作。"},
		{StateChangeReview, "en", "Not possible in the current state (Change in review)."},
	} {
		_, err := Next(KindWebsite, c.from, ActFail, false)
		if c.from == StateChangeReview {
			_, err = Next(KindWebsite, c.from, ActCancel, false)
		}
		p := problem.As(err)
		if len(p) != 1 || p[0].Code != "mps.transition_invalid" || p[0].Params["state"] != string(c.from) {
			t.Fatalf("%s: %v", c.from, err)
		}
		if got := p[0].Text[c.lang]; got != c.want {
			t.Errorf("%s in %s: %q, want %q", c.from, c.lang, got, c.want)
		}
	}
}
