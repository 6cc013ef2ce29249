package filing

import (
	"slices"
	"time"

	"github.com/beian/beian/internal/problem"
)

// State is where an order stands (docs/design.md §4.2, Huawei Cloud's first-filing guide table 3).
type State string

const (
	Draft                  State = "draft"                   // 填写中
	Submitted              State = "submitted"               // 等待初审
	ProviderRejected       State = "provider_rejected"       // 初审驳回
	NeedsChanges           State = "needs_changes"           // 接入商审核为待修改
	Resubmitted            State = "resubmitted"             // 已修改待审核
	ProviderApproved       State = "provider_approved"       // 待提交管局
	SMSPending             State = "sms_pending"             // 待短信核验
	AdministrationReview   State = "administration_review"   // 待管局审核
	Approved               State = "approved"                // 已备案
	AdministrationRejected State = "administration_rejected" // 管局驳回
	Returned               State = "returned"                // 短信核验未通过, back at the provider
	Withdrawn              State = "withdrawn"               // 已撤销
)

// States lists every state in lifecycle order.
var States = []State{Draft, Submitted, ProviderRejected, NeedsChanges, Resubmitted, ProviderApproved, SMSPending,
	AdministrationReview, Approved, AdministrationRejected, Returned, Withdrawn}

// Final reports whether nothing more can happen to an order in s.
func (s State) Final() bool { return s == Approved || s == Withdrawn }

// InFlight reports whether an order in s blocks another order for the same subject (Alibaba Cloud's materials guide, docs/design.md §4.2: one order
// at a time per subject).
func (s State) InFlight() bool { return !s.Final() }

// Editable reports whether the applicant may change the order's content in s.
func (s State) Editable() bool {
	switch s {
	case Draft, NeedsChanges, ProviderRejected, AdministrationRejected, Returned:
		return true
	}
	return false
}

// Role is who acts on an order.
type Role string

const (
	RoleApplicant Role = "applicant"
	RoleReviewer  Role = "reviewer"  // provider reviewer (接入商审核员)
	RoleRegulator Role = "regulator" // results coming back from MIIT / the administration
	RoleSystem    Role = "system"    // the provider's own workers (forwarding)
	RoleOperator  Role = "operator"
)

// Action is what moves an order from one state to another.
type Action string

const (
	ActSubmit         Action = "submit"           // applicant sends the order to provider review
	ActResubmit       Action = "resubmit"         // applicant sends a corrected order back
	ActApprove        Action = "approve"          // reviewer passes provider review
	ActRequestChanges Action = "request_changes"  // reviewer asks for changes on named fields
	ActReject         Action = "reject"           // reviewer rejects with a reason
	ActForwarded      Action = "forwarded"        // the regulator accepted the submission and sent SMS codes
	ActForwardedNoSMS Action = "forwarded_no_sms" // the regulator accepted an order type that needs no SMS
	ActSMSVerified    Action = "sms_verified"     // every required phone verified
	ActSMSExpired     Action = "sms_expired"      // 24 h passed without verification
	ActSMSFailed      Action = "sms_failed"       // more than 5 wrong codes
	ActAdminApprove   Action = "administration_approve"
	ActAdminReject    Action = "administration_reject"
	ActWithdraw       Action = "withdraw"
	ActReforward      Action = "reforward" // reviewer sends a returned order to the regulator again
	// A claim (认领备案) ends at the provider: the applicant proves control with the code texted to the filed
	// subject principal's phone, or a reviewer authorizes it after checking the papers.
	ActClaimVerified  Action = "claim_verified"
	ActAuthorizeClaim Action = "authorize_claim"
)

type transition struct {
	from   []State
	action Action
	to     State
	roles  []Role
	// only limits the transition to these order types (nil: every type but the ones of providerOnly).
	only []OrderType
}

// transitions is the whole lifecycle; nothing else changes an order's state.
var transitions = []transition{
	{[]State{Draft}, ActSubmit, Submitted, []Role{RoleApplicant}, nil},
	{[]State{NeedsChanges, ProviderRejected, AdministrationRejected, Returned}, ActResubmit, Resubmitted, []Role{RoleApplicant}, nil},
	{[]State{Submitted, Resubmitted}, ActApprove, ProviderApproved, []Role{RoleReviewer}, nil},
	{[]State{Submitted, Resubmitted, Returned}, ActRequestChanges, NeedsChanges, []Role{RoleReviewer}, nil},
	{[]State{Submitted, Resubmitted}, ActReject, ProviderRejected, []Role{RoleReviewer}, nil},
	{[]State{Returned}, ActReforward, ProviderApproved, []Role{RoleReviewer}, nil},
	{[]State{ProviderApproved}, ActForwarded, SMSPending, []Role{RoleRegulator}, nil},
	{[]State{ProviderApproved}, ActForwardedNoSMS, AdministrationReview, []Role{RoleRegulator}, nil},
	{[]State{SMSPending}, ActSMSVerified, AdministrationReview, []Role{RoleRegulator}, nil},
	{[]State{SMSPending}, ActSMSExpired, Returned, []Role{RoleRegulator}, nil},
	{[]State{SMSPending}, ActSMSFailed, Returned, []Role{RoleRegulator}, nil},
	{[]State{AdministrationReview}, ActAdminApprove, Approved, []Role{RoleRegulator}, nil},
	// The administration may refuse an upload outright (domain already filed, docs/design.md §5 code 1005) or after review.
	{[]State{ProviderApproved, AdministrationReview}, ActAdminReject, AdministrationRejected, []Role{RoleRegulator}, nil},
	// The applicant may withdraw until the order reaches administration review (docs/design.md §4.2, Huawei doc_0188).
	{[]State{Draft, Submitted, ProviderRejected, NeedsChanges, Resubmitted, ProviderApproved, SMSPending, Returned,
		AdministrationRejected}, ActWithdraw, Withdrawn, []Role{RoleApplicant}, nil},
	{[]State{Draft, NeedsChanges, ProviderRejected}, ActClaimVerified, Approved, []Role{RoleApplicant}, providerOnly},
	{[]State{Submitted, Resubmitted}, ActAuthorizeClaim, Approved, []Role{RoleReviewer}, providerOnly},
}

// providerOnly are the order types the provider settles itself: they never go to the regulator.
var providerOnly = []OrderType{Claim}

// applies reports whether transition t may move an order of type ot.
func (t transition) applies(ot OrderType) bool {
	if t.only != nil {
		return slices.Contains(t.only, ot)
	}
	if !slices.Contains(providerOnly, ot) {
		return true
	}
	// A provider-only order is submitted, reviewed, rejected, corrected and withdrawn like any other, but is
	// never approved for the regulator.
	switch t.action {
	case ActSubmit, ActResubmit, ActRequestChanges, ActReject, ActWithdraw:
		return true
	}
	return false
}

// Next returns the state that action by role leads to from state, or a conflict naming why not. It ignores the
// order type; NextFor also checks it.
func Next(from State, action Action, role Role) (State, error) {
	return next("", from, action, role)
}

// NextFor is Next for an order of type t: some actions exist only for some types (a claim is settled by the
// provider and never forwarded to the regulator).
func NextFor(t OrderType, from State, action Action, role Role) (State, error) {
	return next(t, from, action, role)
}

func next(t OrderType, from State, action Action, role Role) (State, error) {
	known := false
	for _, tr := range transitions {
		if tr.action != action {
			continue
		}
		known = true
		if t != "" && !tr.applies(t) {
			continue
		}
		if slices.Contains(tr.from, from) {
			if !slices.Contains(tr.roles, role) {
				return "", problem.New(problem.Forbidden, "order.action_forbidden", "", "action", string(action))
			}
			return tr.to, nil
		}
	}
	if !known {
		return "", problem.Invalidf("order.unknown_action", "action", "action", string(action))
	}
	return "", problem.New(problem.Conflict, "order.wrong_state", "state", "action", string(action), "state", string(from))
}

// Actions returns the actions role can take on an order of an ordinary type in state s, in lifecycle order.
func Actions(s State, role Role) []Action { return ActionsFor(NewFiling, s, role) }

// ActionsFor returns the actions role can take on an order of type t in state s, in lifecycle order.
func ActionsFor(t OrderType, s State, role Role) []Action {
	var out []Action
	for _, tr := range transitions {
		if tr.applies(t) && slices.Contains(tr.from, s) && slices.Contains(tr.roles, role) {
			out = append(out, tr.action)
		}
	}
	return out
}

// Event records one transition: who moved the order, when, why, and which fields it concerned.
type Event struct {
	OrderID   int64     `json:"order_id"`
	Seq       int       `json:"seq"`
	From      State     `json:"from"`
	To        State     `json:"to"`
	Action    Action    `json:"action"`
	ActorRole Role      `json:"actor_role"`
	ActorID   int64     `json:"actor_id,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	Fields    []string  `json:"fields,omitempty"`
	Notes     []Note    `json:"notes,omitempty"`
	At        time.Time `json:"at"`
	// Deadline is when the next step is due, if the new state has one.
	Deadline *time.Time `json:"deadline,omitempty"`
}

// Note is a reviewer's remark on one field: which field, what is wrong, what to do (docs/design.md §4.8).
type Note struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Transition applies action by actor to the order and returns the event to record. The caller stores the order
// and the event in one transaction.
func (o *Order) Transition(action Action, role Role, actorID int64, reason string, notes []Note, at time.Time) (Event, error) {
	to, err := NextFor(o.Type, o.State, action, role)
	if err != nil {
		return Event{}, err
	}
	ev := Event{OrderID: o.ID, From: o.State, To: to, Action: action, ActorRole: role, ActorID: actorID,
		Reason: reason, Notes: notes, At: at}
	for _, n := range notes {
		ev.Fields = append(ev.Fields, n.Field)
	}
	o.State = to
	o.UpdatedAt = at
	return ev, nil
}
