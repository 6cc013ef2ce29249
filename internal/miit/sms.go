package miit

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// SMS verification (短信核验, docs/design.md §4.9): each phone an order needs verified receives a 6-digit code from 12381,
// valid 24 hours; the person enters phone, code and the last 6 characters of their credential number on MIIT's
// page. More than 5 wrong tries or 24 hours without every phone verified return the submission to the provider.
// Only keyed hashes of the code, the phone and the last 6 characters are kept (the phone itself sealed, to send
// a new code when delivery failed, and only while the code waits: a code verified or void forgets it).

// forgottenPhone replaces the sealed phone of a code that no longer waits (key rotation skips it).
var forgottenPhone = []byte{}

// VerifyOutcome is what the verification page shows after a successful entry.
type VerifyOutcome struct {
	Verified    bool             `json:"verified"`            // this phone is verified
	Complete    bool             `json:"complete"`            // every phone is: the filing goes to administration review
	Remaining   []string         `json:"remaining,omitempty"` // masked phones still to verify
	SubjectName string           `json:"subject_name,omitempty"`
	Type        filing.OrderType `json:"type,omitempty"`
}

type codeRow struct {
	id           int64
	submissionID int64
	codeHash     []byte
	last6        []byte
	state        string
	subState     string
	subOutcome   string
	smsDeadline  int64
}

// VerifySMS checks a phone, code and last 6 credential characters as typed on the verification page (spaces
// and a lowercase x are accepted). Errors: miit.sms_phone_invalid / sms_code_invalid / sms_last6_invalid
// (Invalid, nothing counted); miit.sms_mismatch (Invalid) for a wrong code or ID characters, counted against
// every submission waiting for this phone, and alike when none waits, so that the answer tells nobody whether
// a verification is pending or how many tries are left. Only someone who enters the right code and ID
// characters learns what became of them: miit.sms_expired (Conflict: 24 h passed) or miit.sms_locked
// (TooMany: more than 5 wrong tries returned the submission).
func (s *Simulator) VerifySMS(ctx context.Context, phone, code, idLast6 string) (VerifyOutcome, error) {
	ph := normPhone(phone)
	if !validMobile(ph) {
		return VerifyOutcome{}, problem.Invalidf("miit.sms_phone_invalid", "phone")
	}
	cd := normCode(code)
	if len(cd) != 6 {
		return VerifyOutcome{}, problem.Invalidf("miit.sms_code_invalid", "code")
	}
	l6 := NormCredential(idLast6)
	if len([]rune(l6)) < 6 {
		return VerifyOutcome{}, problem.Invalidf("miit.sms_last6_invalid", "id_last6")
	}
	l6Hash := s.keys.Hash(hashLast6, last6(l6))
	phoneHash := s.keys.Hash(hashPhone, ph)

	var out VerifyOutcome
	var perr error
	err := s.writeFresh(ctx, func(tx *sql.Tx) error {
		out, perr = VerifyOutcome{}, nil
		now := s.clk.Now()
		rows, err := tx.QueryContext(ctx, `SELECT c.id, c.submission_id, c.code_hash, c.last6_hashes, c.state,
			sub.state, sub.outcome, sub.sms_deadline FROM miit_sms_codes c
			JOIN miit_submissions sub ON sub.id = c.submission_id WHERE c.phone_hash = $1 ORDER BY c.id DESC`, phoneHash)
		if err != nil {
			return err
		}
		var all []codeRow
		for rows.Next() {
			var r codeRow
			if err := rows.Scan(&r.id, &r.submissionID, &r.codeHash, &r.last6, &r.state, &r.subState, &r.subOutcome,
				&r.smsDeadline); err != nil {
				rows.Close()
				return err
			}
			all = append(all, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		var live []codeRow
		for _, r := range all {
			switch {
			case r.subState != subSMSPending:
			case r.smsDeadline <= sqldb.Millis(now):
				if err := s.expire(ctx, tx, r.submissionID, now); err != nil && err != errStale {
					return err
				}
			default:
				live = append(live, r)
			}
		}

		var known error // what became of a code the person entered rightly
		for _, r := range all {
			matches := bytes.Equal(r.codeHash, s.codeHash(r.submissionID, cd)) && hasHash(r.last6, l6Hash)
			if !matches {
				continue
			}
			if r.state == codeVerified && (r.subState == subReview || r.subState == subApproved || r.subState == subRejected) {
				// Entered again after completion: nothing to do.
				out = VerifyOutcome{Verified: true, Complete: true}
				return nil
			}
			if r.subState == subSMSPending && r.smsDeadline > sqldb.Millis(now) && r.state != codeVoid {
				return s.verified(ctx, tx, r, now, &out)
			}
			switch {
			case known != nil:
			case r.subOutcome == string(filing.ActSMSExpired), r.subState == subSMSPending && r.smsDeadline <= sqldb.Millis(now):
				known = problem.New(problem.Conflict, "miit.sms_expired", "code")
			case r.subOutcome == string(filing.ActSMSFailed):
				known = problem.New(problem.TooMany, "miit.sms_locked", "code")
			}
		}

		if err := s.wrongTry(ctx, tx, live, now); err != nil {
			return err
		}
		perr = known
		if perr == nil {
			perr = problem.Invalidf("miit.sms_mismatch", "code", "max", fmt.Sprint(MaxWrongTries))
		}
		return nil
	})
	if err != nil {
		return VerifyOutcome{}, problem.Wrap(err, "miit.internal")
	}
	return out, perr
}

// wrongTry counts a wrong try against each submission of live, returning those past MaxWrongTries (sms_failed).
func (s *Simulator) wrongTry(ctx context.Context, tx *sql.Tx, live []codeRow, now time.Time) error {
	seen := map[int64]bool{}
	for _, r := range live {
		if seen[r.submissionID] {
			continue
		}
		seen[r.submissionID] = true
		var n int
		if err := tx.QueryRowContext(ctx, `UPDATE miit_submissions SET wrong_tries = wrong_tries + 1
			WHERE id = $1 RETURNING wrong_tries`, r.submissionID).Scan(&n); err != nil {
			return err
		}
		if n > MaxWrongTries {
			if err := s.fail(ctx, tx, r.submissionID, now); err != nil && err != errStale {
				return err
			}
		}
	}
	return nil
}

func hasHash(list, h []byte) bool {
	for i := 0; i+len(h) <= len(list); i += len(h) {
		if bytes.Equal(list[i:i+len(h)], h) {
			return true
		}
	}
	return false
}

// verified marks a code verified; when it was the submission's last pending code, the submission enters
// administration review (sms_verified). The submission is locked first: its other phones' verifications, wrong
// tries, expiry and withdrawal wait, and the last verification counts the codes with the others' committed. When
// the submission or the code changed since the caller read them, it fails with errStale (read again).
func (s *Simulator) verified(ctx context.Context, tx *sql.Tx, r codeRow, now time.Time, out *VerifyOutcome) error {
	sub, err := s.loadSubForUpdate(ctx, tx, r.submissionID)
	if err != nil {
		return err
	}
	if sub == nil || sub.State != subSMSPending {
		return errStale
	}
	if r.state == codePending {
		res, err := tx.ExecContext(ctx, `UPDATE miit_sms_codes SET state = 'verified', verified_at = $2, phone = $3
			WHERE id = $1 AND state = 'pending'`, r.id, sqldb.Millis(now), forgottenPhone)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errStale
		}
	}
	out.Verified, out.SubjectName, out.Type = true, sub.SubjectName, sub.Type
	rows, err := tx.QueryContext(ctx, `SELECT phone_masked FROM miit_sms_codes WHERE submission_id = $1
		AND state = 'pending' ORDER BY id`, r.submissionID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return err
		}
		out.Remaining = append(out.Remaining, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(out.Remaining) > 0 {
		return nil
	}
	out.Complete = true
	return s.enterReview(ctx, tx, sub, filing.ActSMSVerified, now)
}

// expire returns a submission whose 24 hours passed (sms_expired).
func (s *Simulator) expire(ctx context.Context, tx *sql.Tx, id int64, now time.Time) error {
	sub, err := s.loadSubForUpdate(ctx, tx, id)
	if err != nil {
		return err
	}
	if sub == nil || sub.State != subSMSPending || sub.SMSDeadline.After(now) {
		return errStale
	}
	if err := s.setState(ctx, tx, id, subSMSPending, subReturned, string(filing.ActSMSExpired), now); err != nil {
		return err
	}
	return s.queue(ctx, tx, sub, filing.ActSMSExpired, 0, "短信核验超时：24小时内未完成全部手机号码的核验", nil, "", nil, now)
}

// fail returns a submission after more than 5 wrong tries (sms_failed).
func (s *Simulator) fail(ctx context.Context, tx *sql.Tx, id int64, now time.Time) error {
	sub, err := s.loadSubForUpdate(ctx, tx, id)
	if err != nil {
		return err
	}
	if sub == nil || sub.State != subSMSPending {
		return errStale
	}
	if err := s.setState(ctx, tx, id, subSMSPending, subReturned, string(filing.ActSMSFailed), now); err != nil {
		return err
	}
	return s.queue(ctx, tx, sub, filing.ActSMSFailed, 0, "短信核验失败：验证码或证件号码后6位输错超过5次", nil, "", nil, now)
}
