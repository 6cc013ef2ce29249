package mps

import (
	"context"
	"database/sql"
	"github.com/beian/beian/internal/i18n"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// The one state machine of the platform. Subjects and website applications move through the same states; every
// change goes through transition, which checks the move against the table and appends an event naming the
// actor, the time and the reason, in the transaction that makes the change.
//
//	submit            (new)                    → review
//	resubmit          returned                 → review
//	approve           review                   → approved     (websites: non-interactive only)
//	return            review                   → returned     (with field notes)
//	schedule_interview, schedule_inspection
//	                  review                   → interview / inspection   (interactive websites, §五.2-4)
//	pass              interview | inspection   → approved
//	fail              interview | inspection   → returned
//	change            approved                 → change_review (the approved data stays public meanwhile)
//	approve_change    change_review            → approved     (the change is applied)
//	return_change     change_review            → approved     (the change is dropped, with notes)
//	cancel            review | returned | approved → cancelled

// State is where a subject or an application stands.
type State string

const (
	StateReview       State = "review"
	StateReturned     State = "returned"
	StateInterview    State = "interview"
	StateInspection   State = "inspection"
	StateApproved     State = "approved"
	StateChangeReview State = "change_review"
	StateCancelled    State = "cancelled"
)

// UnderReview reports whether staff still have to decide on a record in state s: submitted, an in-person review
// or on-site inspection pending, or a change submitted. Only then does the review deadline mean anything.
func (s State) UnderReview() bool {
	return s == StateReview || s == StateInterview || s == StateInspection || s == StateChangeReview
}

// Action is what moves a record.
type Action string

const (
	ActSubmit             Action = "submit"
	ActResubmit           Action = "resubmit"
	ActApprove            Action = "approve"
	ActReturn             Action = "return"
	ActScheduleInterview  Action = "schedule_interview"
	ActScheduleInspection Action = "schedule_inspection"
	ActPass               Action = "pass"
	ActFail               Action = "fail"
	ActChange             Action = "change"
	ActApproveChange      Action = "approve_change"
	ActReturnChange       Action = "return_change"
	ActCancel             Action = "cancel"
)

// Record kinds.
const (
	KindSubject = "subject"
	KindWebsite = "website"
)

type move struct {
	from   State
	action Action
}

var transitions = map[move]State{
	{"", ActSubmit}:                       StateReview,
	{StateReturned, ActResubmit}:          StateReview,
	{StateReview, ActApprove}:             StateApproved,
	{StateReview, ActReturn}:              StateReturned,
	{StateReview, ActScheduleInterview}:   StateInterview,
	{StateReview, ActScheduleInspection}:  StateInspection,
	{StateInterview, ActPass}:             StateApproved,
	{StateInspection, ActPass}:            StateApproved,
	{StateInterview, ActFail}:             StateReturned,
	{StateInspection, ActFail}:            StateReturned,
	{StateApproved, ActChange}:            StateChangeReview,
	{StateChangeReview, ActApproveChange}: StateApproved,
	{StateChangeReview, ActReturnChange}:  StateApproved,
	{StateReview, ActCancel}:              StateCancelled,
	{StateReturned, ActCancel}:            StateCancelled,
	{StateApproved, ActCancel}:            StateCancelled,
}

// Next returns the state an action leads to from a state, for a record of kind; interactive tells whether a
// website provides interactive services. Errors: mps.transition_invalid (Conflict), mps.interactive_needs_check
// (Conflict: an interactive website is approved only after an in-person review or an on-site inspection),
// mps.subject_no_inspection (Invalid: subjects are not inspected).
func Next(kind string, from State, a Action, interactive bool) (State, error) {
	to, ok := transitions[move{from, a}]
	if !ok {
		return "", transitionInvalid(from, string(a))
	}
	switch {
	case kind == KindSubject && (a == ActScheduleInterview || a == ActScheduleInspection || a == ActPass || a == ActFail):
		return "", problem.Invalidf("mps.subject_no_inspection", "action")
	case kind == KindWebsite && a == ActApprove && interactive:
		return "", problem.New(problem.Conflict, "mps.interactive_needs_check", "action")
	}
	return to, nil
}

// Actor kinds recorded in events.
const (
	ActorApplicant = "applicant"
	ActorStaff     = "staff"
	ActorPolicy    = "policy" // the automatic review policy
)

// Actor is who moves a record.
type Actor struct {
	Kind string
	ID   int64
}

// transition moves a record in tx: it checks the move, updates the state under the old one (so that a
// concurrent move loses) and appends the event.
func (s *Simulator) transition(ctx context.Context, tx *sql.Tx, kind string, id int64, from State, a Action,
	interactive bool, actor Actor, reason string) (State, error) {
	to, err := Next(kind, from, a, interactive)
	if err != nil {
		return "", err
	}
	table := "mps_subjects"
	if kind == KindWebsite {
		table = "mps_websites"
	}
	now := sqldb.Millis(s.now())
	if from != "" {
		res, err := tx.ExecContext(ctx, `UPDATE `+table+` SET state = $2, updated_at = $4 WHERE id = $1 AND state = $3`,
			id, string(to), string(from), now)
		if err != nil {
			return "", err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return "", transitionInvalid(from, string(a))
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO mps_events (kind, record_id, action, from_state, to_state, actor, actor_id,
		reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, kind, id, string(a), string(from), string(to),
		actor.Kind, actor.ID, reason, now)
	return to, err
}

// Event is one recorded state change.
type Event struct {
	Action Action    `json:"action"`
	From   State     `json:"from,omitempty"`
	To     State     `json:"to"`
	Actor  string    `json:"actor"`
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at"`
}

func (s *Simulator) events(ctx context.Context, kind string, id int64) ([]Event, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT action, from_state, to_state, actor, reason, at FROM mps_events
		WHERE kind = $1 AND record_id = $2 ORDER BY id`, kind, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var at int64
		if err := rows.Scan(&e.Action, &e.From, &e.To, &e.Actor, &e.Reason, &at); err != nil {
			return nil, err
		}
		e.At = sqldb.Time(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// transitionInvalid is mps.transition_invalid (Conflict) for action a in state from: the state param stays the
// code for API clients, while the message names the state as the pages do (待审核, 待審核, In review), not by
// its code.
func transitionInvalid(from State, a string) *problem.Error {
	e := problem.New(problem.Conflict, "mps.transition_invalid", "", "state", string(from), "action", a)
	e.Text = i18n.Texts(func(l i18n.Lang) string {
		state := string(from)
		if k := "mps.web.state." + state; i18n.Has(k) {
			state = i18n.T(l, k, nil)
		}
		return i18n.T(l, "mps.transition_invalid", map[string]string{"state": state})
	})
	return e
}
