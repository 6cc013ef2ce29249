package miit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/sqldb"
)

// Submission states on the administration's side.
const (
	subReceived   = "received"              // being checked (inside the upload's transaction only)
	subSMSPending = "sms_pending"           // 待短信核验
	subReview     = "administration_review" // 待管局审核
	subApproved   = "approved"              // 审核通过
	subRejected   = "rejected"              // 管局驳回 (after review, or at once for a conflict)
	subReturned   = "returned"              // 短信核验未通过: returned to the provider
	subWithdrawn  = "withdrawn"             // withdrawn by the provider, or superseded by a later attempt
)

// Code states.
const (
	codePending  = "pending"
	codeVerified = "verified"
	codeVoid     = "void"
)

// subRow is a stored submission.
type subRow struct {
	ID              int64
	ProviderID      string
	ProviderOrderID int64
	Attempt         int
	Type            filing.OrderType
	Province        string
	SubjectName     string
	SubjectKey      []byte // the subject's credential hash (nil when the order names none)
	State           string
	Outcome         string
	WrongTries      int
	SMSDeadline     time.Time
	OrderData       []byte
}

const subCols = `id, provider_id, provider_order_id, attempt, order_type, province, subject_name, subject_key, state,
	outcome, wrong_tries, sms_deadline, order_data`

func scanSub(row interface{ Scan(...any) error }) (*subRow, error) {
	var r subRow
	var deadline int64
	err := row.Scan(&r.ID, &r.ProviderID, &r.ProviderOrderID, &r.Attempt, &r.Type, &r.Province, &r.SubjectName,
		&r.SubjectKey, &r.State, &r.Outcome, &r.WrongTries, &deadline, &r.OrderData)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.SMSDeadline = sqldb.Time(deadline)
	return &r, nil
}

func (s *Simulator) loadSubForUpdate(ctx context.Context, tx *sql.Tx, id int64) (*subRow, error) {
	return scanSub(tx.QueryRowContext(ctx, `SELECT `+subCols+` FROM miit_submissions WHERE id = $1`+s.db.ForUpdate(), id))
}

func (s *Simulator) openOrder(sub *subRow) (*filing.Order, error) {
	b, err := s.keys.Open(sub.OrderData, purposeOrder)
	if err != nil {
		return nil, err
	}
	var o filing.Order
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// sendJob is one verification message to deliver after the transaction that created its code has committed.
type sendJob struct {
	codeID int64
	phone  string
	body   string
}

// Submit receives an upload (docs/design.md §5 isp_upload: XZBA, XZWZ, XZJR, BGBA, ZXBA). It is idempotent per provider,
// order and attempt. Conflicts come back as an administration_reject result with their code; otherwise the
// principals whose phones the order type needs (docs/design.md §4.9) get their codes and a forwarded result is queued, or, for
// types without SMS verification, the submission enters administration review (forwarded_no_sms).
func (s *Simulator) Submit(ctx context.Context, in regulator.Submission) error {
	if err := s.providerAllowed(in.ProviderID); err != nil {
		return err
	}
	o := in.Order
	switch {
	case o.Type == filing.Claim:
		return problem.Invalidf("miit.type_unsupported", "order.type", "type", string(o.Type))
	case !o.Type.Valid():
		return problem.Invalidf("miit.type_unsupported", "order.type", "type", string(o.Type))
	case in.ProviderOrderID <= 0 || in.Attempt <= 0:
		return problem.Invalidf("miit.submission_invalid", "provider_order_id")
	}
	if o.Province != "" {
		if _, ok := s.abbr(o.Province); !ok {
			return problem.Invalidf("miit.province_unknown", "order.province", "province", o.Province)
		}
	} else if o.Type == filing.NewFiling {
		return problem.Invalidf("miit.province_unknown", "order.province", "province", "")
	}
	normalizeOrder(&o)
	sealed, err := json.Marshal(o)
	if err != nil {
		return problem.Wrap(err, "miit.internal")
	}
	var jobs []sendJob
	err = s.write(ctx, func(tx *sql.Tx) error {
		jobs = nil
		now := s.clk.Now()
		if err := s.supersede(ctx, tx, in, now); err != nil {
			return err
		}
		p, c, err := s.check(ctx, tx, in.ProviderID, &o)
		if err != nil {
			return err
		}
		c = orAttachments(c, in.Attachments) // attachments.go: 5010 oversized, 1056 not JPEG, 1057 unknown purpose
		province, subjectName, key := o.Province, o.Subject.Name, []byte(nil)
		if p != nil {
			key = p.subjectKey()
			if p.subject != nil {
				province = p.subject.Province
				if subjectName == "" {
					subjectName = p.subject.Name
				}
			}
		}
		if province == "" {
			province = o.Province
		}
		sub := &subRow{ProviderID: in.ProviderID, ProviderOrderID: in.ProviderOrderID, Attempt: in.Attempt,
			Type: o.Type, Province: province, SubjectName: subjectName, SubjectKey: key,
			OrderData: s.keys.Seal(sealed, purposeOrder)}
		err = tx.QueryRowContext(ctx, `INSERT INTO miit_submissions (provider_id, provider_order_id, attempt,
			order_type, province, subject_key, subject_name, summary, order_data, state, submitted_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
			ON CONFLICT (provider_id, provider_order_id, attempt) DO NOTHING RETURNING id`,
			in.ProviderID, in.ProviderOrderID, in.Attempt, string(o.Type), province, key, subjectName,
			summarize(&o, p), sub.OrderData, subReceived, sqldb.Millis(now)).Scan(&sub.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return errReceived // the same upload, committed meanwhile by another transaction
		}
		if err != nil {
			return err
		}
		if c == nil {
			if err := s.keepAttachments(ctx, tx, sub.ID, in.Attachments); err != nil {
				return err
			}
		}
		if c == nil && key != nil {
			if err := s.lockKeys(ctx, tx, subjectLockKey(key)); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM miit_submissions WHERE subject_key = $1
				AND state IN ('sms_pending', 'administration_review') AND id <> $2`, key, sub.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				c = &conflict{code: CodeChangeInProgress}
			}
		}
		var targets []smsTarget
		if c == nil {
			targets, c, err = s.smsTargets(&o, p)
			if err != nil {
				return err
			}
		}
		if c != nil {
			return s.reject(ctx, tx, sub, c.code, c.reason(), 0, now)
		}
		if len(targets) == 0 {
			return s.enterReview(ctx, tx, sub, filing.ActForwardedNoSMS, now)
		}
		jobs, err = s.startSMS(ctx, tx, sub, targets, now)
		return err
	})
	if errors.Is(err, errReceived) {
		return nil
	}
	if err != nil {
		return err
	}
	s.deliver(ctx, jobs)
	return nil
}

// errReceived rolls back an upload found already received.
var errReceived = errors.New("miit: upload already received")

// supersede handles an upload of a later attempt of the same order: an earlier attempt still waiting for SMS is
// replaced (its codes voided); one in administration review cannot be replaced. The same attempt found there is
// this very upload received before (errReceived).
func (s *Simulator) supersede(ctx context.Context, tx *sql.Tx, in regulator.Submission, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, state, attempt FROM miit_submissions WHERE provider_id = $1
		AND provider_order_id = $2 AND state IN ('sms_pending', 'administration_review')`,
		in.ProviderID, in.ProviderOrderID)
	if err != nil {
		return err
	}
	type old struct {
		id      int64
		state   string
		attempt int
	}
	var olds []old
	for rows.Next() {
		var o old
		if err := rows.Scan(&o.id, &o.state, &o.attempt); err != nil {
			rows.Close()
			return err
		}
		olds = append(olds, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, o := range olds {
		if o.attempt == in.Attempt {
			return errReceived
		}
	}
	for _, o := range olds {
		if o.state == subReview {
			return problem.New(problem.Conflict, "miit.submission_in_review", "", "order",
				fmt.Sprint(in.ProviderOrderID))
		}
		if err := s.setState(ctx, tx, o.id, subSMSPending, subWithdrawn, "superseded", now); err != nil {
			return err
		}
	}
	return nil
}

// setState moves a submission from one state to another and voids its pending codes when it leaves SMS
// verification. It fails with errStale when the submission is no longer in from (another node got there first).
func (s *Simulator) setState(ctx context.Context, tx *sql.Tx, id int64, from, to, outcome string, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE miit_submissions SET state = $3, outcome = $4, deadline = 0, updated_at = $5
		WHERE id = $1 AND state = $2`, id, from, to, outcome, sqldb.Millis(now))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errStale
	}
	if from == subSMSPending {
		_, err = tx.ExecContext(ctx, `UPDATE miit_sms_codes SET state = 'void', phone = $2 WHERE submission_id = $1
			AND state = 'pending'`, id, forgottenPhone)
	}
	return err
}

var errStale = errors.New("miit: submission changed meanwhile")

// summarize lists the services of an order for the officer's queue: names and domains, no personal data.
func summarize(o *filing.Order, p *plan) string {
	var parts []string
	for _, svc := range o.Services {
		part := svc.Name
		if len(svc.Domains) > 0 {
			part += " (" + strings.Join(svc.Domains, ", ") + ")"
		}
		if svc.Number != "" {
			part += " " + svc.Number
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 && p != nil {
		for _, t := range p.targets {
			parts = append(parts, t.svc.Name+" "+t.svc.Number)
		}
		if len(parts) == 0 && p.subject != nil {
			parts = append(parts, p.subject.Number)
		}
	}
	return strings.Join(parts, "；")
}

// Withdraw takes a submission out of the flow while SMS verification is pending (docs/design.md §4.2: no withdrawal once it
// waits for administration review). Its codes stop working. Withdrawing twice, or a submission already returned
// or refused, changes nothing.
func (s *Simulator) Withdraw(ctx context.Context, providerID string, providerOrderID int64) error {
	if err := s.providerAllowed(providerID); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		sub, err := scanSub(tx.QueryRowContext(ctx, `SELECT `+subCols+` FROM miit_submissions
			WHERE provider_id = $1 AND provider_order_id = $2 ORDER BY attempt DESC LIMIT 1`+s.db.ForUpdate(),
			providerID, providerOrderID))
		if err != nil {
			return err
		}
		if sub == nil {
			return problem.New(problem.NotFound, "miit.submission_not_found", "", "order", fmt.Sprint(providerOrderID))
		}
		switch sub.State {
		case subSMSPending:
			return s.setState(ctx, tx, sub.ID, subSMSPending, subWithdrawn, "withdrawn", s.clk.Now())
		case subReview, subApproved:
			return problem.New(problem.Conflict, "miit.withdraw_too_late", "", "order", fmt.Sprint(providerOrderID))
		}
		return nil
	})
}

func (s *Simulator) abbr(province string) (string, bool) {
	if s.cfg.Abbr == nil {
		return "", false
	}
	return s.cfg.Abbr(province)
}
