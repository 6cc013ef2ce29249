package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/sqldb"
)

// What an approved order does to the provider's records of filed subjects and services (docs/after-filing.md).

// ApplyFiled records what the administration approved, by order type: new subjects and services are added,
// changes replace the record, cancellations and withdrawn accesses remove it (the registry keeps the history),
// a claim moves the subject to the claiming account. claimed is the filed subject of a claim (nil otherwise).
// It runs in the same transaction as the order's transition to approved.
func (t *Tx) ApplyFiled(ctx context.Context, o *filing.Order, subjectHash []byte, claimed *Claimed, now time.Time) error {
	switch o.Type {
	case filing.CancelSubject:
		return t.removeFiledSubject(ctx, o.Subject.Number)
	case filing.CancelService, filing.WithdrawAccess:
		for _, is := range o.Result.Services {
			if _, err := t.tx.ExecContext(ctx, `DELETE FROM filed_services WHERE number = $1`, is.Number); err != nil {
				return err
			}
		}
		return nil
	case filing.ChangeSubject:
		return t.changeFiledSubject(ctx, o, subjectHash, now)
	case filing.Claim:
		return t.claimFiledSubject(ctx, o.ApplicantID, subjectHash, claimed, now)
	}
	return t.RecordFiling(ctx, o, subjectHash, now)
}

func (t *Tx) removeFiledSubject(ctx context.Context, number string) error {
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM filed_services WHERE subject_id IN
		(SELECT id FROM filed_subjects WHERE number = $1)`, number); err != nil {
		return err
	}
	_, err := t.tx.ExecContext(ctx, `DELETE FROM filed_subjects WHERE number = $1`, number)
	return err
}

// changeFiledSubject replaces the subject's data and, when its credential changed, the hash it is known by.
func (t *Tx) changeFiledSubject(ctx context.Context, o *filing.Order, subjectHash []byte, now time.Time) error {
	b, err := json.Marshal(o.Subject)
	if err != nil {
		return err
	}
	hash := t.s.SubjectHash(o.Subject.CredentialType, o.Subject.CredentialNumber)
	_, err = t.tx.ExecContext(ctx, `UPDATE filed_subjects SET subject_hash = $2, name = $3, payload_enc = $4,
		updated_at = $5 WHERE number = $1`, o.Subject.Number, hash, o.Subject.Name,
		t.s.Keys.Seal(b, purposeFiledSubject), sqldb.Millis(now))
	return err
}

// Claimed is the filed subject a claim is about, as the registry holds it.
type Claimed struct {
	Province string
	Subject  filing.Subject
}

// claimFiledSubject gives the subject to the claiming applicant: the record this provider has, or a new one
// from the registry's data when the subject was filed through another provider.
func (t *Tx) claimFiledSubject(ctx context.Context, applicantID int64, subjectHash []byte, c *Claimed, now time.Time) error {
	subj := &c.Subject
	res, err := t.tx.ExecContext(ctx, `UPDATE filed_subjects SET applicant_id = $2, updated_at = $3 WHERE number = $1`,
		subj.Number, applicantID, sqldb.Millis(now))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	b, err := json.Marshal(subj)
	if err != nil {
		return err
	}
	_, err = t.tx.ExecContext(ctx, `INSERT INTO filed_subjects (subject_hash, applicant_id, number, province, name,
		nature, payload_enc, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		subjectHash, applicantID, subj.Number, c.Province, subj.Name, subj.Nature,
		t.s.Keys.Seal(b, purposeFiledSubject), sqldb.Millis(now))
	return err
}

// FiledSubjectOwner returns the account that holds the filed subject with this number (0: none here) and
// the hash it is known by.
func (s *Store) FiledSubjectOwner(ctx context.Context, number string) (applicantID int64, subjectHash []byte, err error) {
	err = s.R.QueryRowContext(ctx, `SELECT applicant_id, subject_hash FROM filed_subjects WHERE number = $1`, number).
		Scan(&applicantID, &subjectHash)
	if err != nil {
		if notFound(err, "") != err {
			return 0, nil, nil
		}
		return 0, nil, err
	}
	return applicantID, subjectHash, nil
}

// InFlightOrder returns the summary of the subject's order in flight, or nil.
func (s *Store) InFlightOrder(ctx context.Context, subjectHash []byte) (*OrderSummary, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT id, applicant_id, type, state, province, nature, subject_name,
		deadline_at, submitted_at, updated_at FROM orders WHERE subject_hash = $1 AND in_flight = 1`, subjectHash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	var o OrderSummary
	var deadline, submitted, updated int64
	if err := rows.Scan(&o.ID, &o.ApplicantID, &o.Type, &o.State, &o.Province, &o.Nature, &o.SubjectName,
		&deadline, &submitted, &updated); err != nil {
		return nil, err
	}
	o.UpdatedAt = sqldb.Time(updated)
	return &o, nil
}

// RecordSubmission keeps the order as submitted (each submission and resubmission), for the reviewer's diff;
// the row is written at the end of the transaction (Tx.later: nothing reads it in it), once per transaction.
func (t *Tx) RecordSubmission(ctx context.Context, o *filing.Order, now time.Time) error {
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	return t.later.Add(ctx, `INSERT INTO order_submissions (order_id, seq, payload_enc, at)
		SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3 FROM order_submissions WHERE order_id = $1`,
		o.ID, t.s.Keys.Seal(b, purposeSubmission), sqldb.Millis(now))
}

const purposeSubmission = "order_submissions.payload"

// Submissions returns the last n submissions of an order, newest first.
func (s *Store) Submissions(ctx context.Context, orderID int64, n int) ([]*filing.Order, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT payload_enc FROM order_submissions WHERE order_id = $1
		ORDER BY seq DESC LIMIT `+itoa(n), orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*filing.Order
	for rows.Next() {
		var sealed []byte
		if err := rows.Scan(&sealed); err != nil {
			return nil, err
		}
		plain, err := s.Keys.Open(sealed, purposeSubmission)
		if err != nil {
			return nil, err
		}
		var o filing.Order
		if err := json.Unmarshal(plain, &o); err != nil {
			return nil, err
		}
		out = append(out, &o)
	}
	return out, rows.Err()
}
