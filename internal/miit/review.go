package miit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// Administration review (管局审核): a submission whose phones are verified (or whose type needs none) waits for
// a decision by an officer of its province, at most 20 working days (Art. 12, docs/design.md §8), or by the automatic
// policy. Approval issues the numbers and updates the national registry in the same transaction.

// ReviewFilter selects submissions for the officer console.
type ReviewFilter struct {
	// Provinces the officer works for (GB/T 2260 codes); an empty list sees nothing.
	Provinces []string
	// State: "administration_review" (the default), "sms_pending", "approved", "rejected", "returned",
	// "withdrawn", or "all".
	State string
	// ProviderOrderID, when set, finds the submissions of one provider order (the officer searching by the
	// provider's reference).
	ProviderOrderID int64
	Limit           int
	Offset          int
}

// Review is a submission as the officer sees it. Order and SMS are filled by Review only.
type Review struct {
	ID              int64            `json:"id"`
	ProviderID      string           `json:"provider_id"`
	ProviderOrderID int64            `json:"provider_order_id"`
	Attempt         int              `json:"attempt"`
	Type            filing.OrderType `json:"type"`
	Province        string           `json:"province"`
	State           string           `json:"state"`
	Outcome         string           `json:"outcome,omitempty"` // the last action queued for the provider
	SubjectName     string           `json:"subject_name"`
	Summary         string           `json:"summary"` // services: names, domains, numbers
	SubmittedAt     time.Time        `json:"submitted_at"`
	SMSDeadline     *time.Time       `json:"sms_deadline,omitempty"`
	ReviewDeadline  *time.Time       `json:"review_deadline,omitempty"`
	AutoDecideAt    *time.Time       `json:"auto_decide_at,omitempty"`
	DecidedAt       *time.Time       `json:"decided_at,omitempty"`
	DecidedBy       int64            `json:"decided_by,omitempty"`
	Code            int              `json:"code,omitempty"`
	Reason          string           `json:"reason,omitempty"`
	Order           *filing.Order    `json:"order,omitempty"`
	SMS             []SMSStatus      `json:"sms,omitempty"`
}

// SMSStatus is one phone of a submission's SMS verification, masked.
type SMSStatus struct {
	Phone      string     `json:"phone"` // 138****5678
	Roles      []string   `json:"roles"` // subject_principal, service_principal
	State      string     `json:"state"` // pending, verified, void
	SentAt     *time.Time `json:"sent_at,omitempty"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
}

func optTime(ms int64) *time.Time {
	if ms == 0 {
		return nil
	}
	t := sqldb.Time(ms)
	return &t
}

const reviewCols = `id, provider_id, provider_order_id, attempt, order_type, province, state, outcome, subject_name,
	summary, submitted_at, sms_deadline, review_deadline, auto_decide_at, decided_at, decided_by, code, reason`

func scanReview(row interface{ Scan(...any) error }) (Review, error) {
	var r Review
	var submitted, smsDeadline, reviewDeadline, auto, decided int64
	err := row.Scan(&r.ID, &r.ProviderID, &r.ProviderOrderID, &r.Attempt, &r.Type, &r.Province, &r.State, &r.Outcome,
		&r.SubjectName, &r.Summary, &submitted, &smsDeadline, &reviewDeadline, &auto, &decided, &r.DecidedBy,
		&r.Code, &r.Reason)
	r.SubmittedAt = sqldb.Time(submitted)
	r.SMSDeadline = optTime(smsDeadline)
	r.ReviewDeadline = optTime(reviewDeadline)
	r.AutoDecideAt = optTime(auto)
	r.DecidedAt = optTime(decided)
	return r, err
}

// provinceIn is the SQL condition "province IN (…)" with the codes written out: bound parameters on the leading
// column of an index make SQLite (built with STAT4) re-prepare the statement on every run, which made this query
// twice as costly. Each code is checked to be two digits first, so nothing else can reach the SQL text.
func provinceIn(provinces []string) (string, error) {
	var b strings.Builder
	b.WriteString("province IN (")
	for i, p := range provinces {
		if len(p) != 2 || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' {
			return "", problem.Invalidf("miit.province_unknown", "provinces", "province", p)
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'" + p + "'")
	}
	b.WriteString(")")
	return b.String(), nil
}

// Reviews lists submissions of the officer's provinces in one state, the most urgent deadline first, with the
// total count for paging.
func (s *Simulator) Reviews(ctx context.Context, f ReviewFilter) ([]Review, int, error) {
	if len(f.Provinces) == 0 {
		return nil, 0, nil
	}
	state := f.State
	if state == "" {
		state = subReview
	}
	switch state {
	case subSMSPending, subReview, subApproved, subRejected, subReturned, subWithdrawn, "all":
	default:
		return nil, 0, problem.Invalidf("miit.review_state_unknown", "state", "state", state)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = defaultReviewPage
	}
	where, err := provinceIn(f.Provinces)
	if err != nil {
		return nil, 0, err
	}
	args := []any{}
	if state == "all" {
		where += ` AND state <> 'received'`
	} else {
		args = append(args, state)
		where += fmt.Sprintf(` AND state = $%d`, len(args))
	}
	if f.ProviderOrderID != 0 {
		args = append(args, f.ProviderOrderID)
		where += fmt.Sprintf(` AND provider_order_id = $%d`, len(args))
	}
	var total int
	if err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM miit_submissions WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, problem.Wrap(err, "miit.internal")
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+reviewCols+` FROM miit_submissions WHERE `+where+
		fmt.Sprintf(` ORDER BY (deadline = 0), deadline, id LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, problem.Wrap(err, "miit.internal")
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, 0, problem.Wrap(err, "miit.internal")
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, problem.Wrap(err, "miit.internal")
	}
	return out, total, nil
}

// withData scans reviewCols followed by the order's sealed document.
type withData struct {
	row  *sql.Row
	data *[]byte
}

func (w withData) Scan(dst ...any) error { return w.row.Scan(append(dst, w.data)...) }

// Review returns one submission with the whole order (personal data included: the officer reviews it) and its
// SMS verification status; NotFound unless it belongs to one of the officer's provinces.
func (s *Simulator) Review(ctx context.Context, id int64, provinces []string) (*Review, error) {
	var data []byte
	r, err := scanReview(withData{s.db.R.QueryRowContext(ctx, `SELECT `+reviewCols+`, order_data FROM miit_submissions
		WHERE id = $1 AND state <> 'received'`, id), &data})
	if errors.Is(err, sql.ErrNoRows) || err == nil && !slices.Contains(provinces, r.Province) {
		return nil, problem.New(problem.NotFound, "miit.review_not_found", "", "id", fmt.Sprint(id))
	}
	if err != nil {
		return nil, problem.Wrap(err, "miit.internal")
	}
	o, err := s.openOrder(&subRow{OrderData: data})
	if err != nil {
		return nil, problem.Wrap(err, "miit.internal")
	}
	r.Order = o
	rows, err := s.db.R.QueryContext(ctx, `SELECT phone_masked, roles, state, sent_at, verified_at FROM miit_sms_codes
		WHERE submission_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, problem.Wrap(err, "miit.internal")
	}
	defer rows.Close()
	for rows.Next() {
		var st SMSStatus
		var roles string
		var sent, verified int64
		if err := rows.Scan(&st.Phone, &roles, &st.State, &sent, &verified); err != nil {
			return nil, problem.Wrap(err, "miit.internal")
		}
		st.Roles = strings.Split(roles, ",")
		st.SentAt, st.VerifiedAt = optTime(sent), optTime(verified)
		r.SMS = append(r.SMS, st)
	}
	if err := rows.Err(); err != nil {
		return nil, problem.Wrap(err, "miit.internal")
	}
	return &r, nil
}

// MaxReason is the most characters an officer's reason may have: it goes back to the provider and the applicant
// as the administration's message.
const MaxReason = 500

// Decide records an officer's decision on a submission in administration review. A rejection needs a reason
// (it goes back to the applicant). An approval that finds a conflict in the registry as it is now (a domain filed
// meanwhile, …) is refused with miit.approve_conflict naming the code: the officer rejects instead.
func (s *Simulator) Decide(ctx context.Context, officerID int64, provinces []string, id int64, approve bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if !approve && reason == "" {
		return problem.Invalidf("miit.reason_required", "reason")
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		return problem.Invalidf("miit.reason_too_long", "reason", "max", strconv.Itoa(MaxReason))
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		sub, err := s.loadSubForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		if sub == nil || sub.State == subReceived || !slices.Contains(provinces, sub.Province) {
			return problem.New(problem.NotFound, "miit.review_not_found", "", "id", fmt.Sprint(id))
		}
		if sub.State != subReview {
			return problem.New(problem.Conflict, "miit.not_in_review", "", "state", sub.State)
		}
		now := s.clk.Now()
		if !approve {
			return s.reject(ctx, tx, sub, CodeRejected, reason, officerID, now)
		}
		c, err := s.approve(ctx, tx, sub, officerID, now)
		if err != nil {
			return err
		}
		if c != nil {
			return problem.New(problem.Conflict, "miit.approve_conflict", "", "code", fmt.Sprint(c.code),
				"reason", c.reason())
		}
		return nil
	})
}

// enterReview moves a submission into administration review and queues action (forwarded_no_sms or
// sms_verified). change_access is decided at once (docs/design.md §4.1: access changes are reviewed automatically); the
// automatic policy decides at once or schedules the decision.
func (s *Simulator) enterReview(ctx context.Context, tx *sql.Tx, sub *subRow, action filing.Action, now time.Time) error {
	deadline := s.addWorkdays(now, ReviewWorkdays)
	var auto int64
	immediate := sub.Type == filing.ChangeAccess
	if policy := s.Policy(); !immediate && policy.Mode == PolicyAutomatic {
		if policy.AfterWorkdays <= 0 {
			immediate = true
		} else {
			auto = sqldb.Millis(s.addWorkdays(now, policy.AfterWorkdays))
		}
	}
	err := s.moveAndQueue(ctx, tx, !immediate, `UPDATE miit_submissions SET state = 'administration_review', outcome = $2,
		review_started_at = $3, review_deadline = $4, deadline = $4, auto_decide_at = $5, updated_at = $3
		WHERE id = $1 AND state IN ('received', 'sms_pending')`,
		[]any{sub.ID, string(action), sqldb.Millis(now), sqldb.Millis(deadline), auto}, sub, action, 0, "", nil, "", nil, now)
	if err != nil {
		return err
	}
	sub.State = subReview
	if immediate {
		return s.autoDecide(ctx, tx, sub, now)
	}
	return nil
}

// autoDecide approves, or rejects with the conflict's code.
func (s *Simulator) autoDecide(ctx context.Context, tx *sql.Tx, sub *subRow, now time.Time) error {
	c, err := s.approve(ctx, tx, sub, 0, now)
	if err != nil || c == nil {
		return err
	}
	return s.reject(ctx, tx, sub, c.code, c.reason(), 0, now)
}

// reject refuses a submission (after review, or at once for a conflict found on upload) and queues
// administration_reject.
func (s *Simulator) reject(ctx context.Context, tx *sql.Tx, sub *subRow, code int, reason string, officer int64, now time.Time) error {
	err := s.moveAndQueue(ctx, tx, true, `UPDATE miit_submissions SET state = 'rejected', outcome = 'administration_reject',
		code = $2, reason = $3, decided_at = $4, decided_by = $5, deadline = 0, auto_decide_at = 0, updated_at = $4
		WHERE id = $1 AND state IN ('received', 'administration_review')`,
		[]any{sub.ID, code, reason, sqldb.Millis(now), officer}, sub, filing.ActAdminReject, code, reason, nil, "", nil, now)
	if err == nil {
		sub.State = subRejected
	}
	return err
}

// approve re-checks the submission against the registry; without conflict it applies it, issuing numbers,
// and queues administration_approve.
func (s *Simulator) approve(ctx context.Context, tx *sql.Tx, sub *subRow, officer int64, now time.Time) (*conflict, error) {
	o, err := s.openOrder(sub)
	if err != nil {
		return nil, err
	}
	if err := s.lockKeys(ctx, tx, s.decisionKeys(sub.SubjectKey, o)...); err != nil {
		return nil, err
	}
	p, c, err := s.check(ctx, tx, sub.ProviderID, o)
	if err != nil || c != nil {
		return c, err
	}
	number, issued, note, err := s.apply(ctx, tx, sub, o, p, now)
	if err != nil {
		return nil, err
	}
	err = s.moveAndQueue(ctx, tx, true, `UPDATE miit_submissions SET state = 'approved', outcome = 'administration_approve',
		code = $2, reason = $3, decided_at = $4, decided_by = $5, deadline = 0, auto_decide_at = 0, updated_at = $4
		WHERE id = $1 AND state = 'administration_review'`, []any{sub.ID, CodeApproved, note, sqldb.Millis(now), officer},
		sub, filing.ActAdminApprove, CodeApproved, note, nil, number, issued, now)
	if err == nil {
		sub.State = subApproved
	}
	return nil, err
}
