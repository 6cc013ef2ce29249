package miit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/mask"
	"github.com/beian/beian/internal/sqldb"
)

// smsTarget is one phone to verify, with the principals using it.
type smsTarget struct {
	phone string
	last6 []string
	roles []string
}

const (
	roleSubjectPrincipal = "subject_principal"
	roleServicePrincipal = "service_principal"
)

// smsTargets returns the phones an order type needs verified (docs/design.md §4.9 table), one per distinct number: new_filing
// the subject principal and every service principal; new services, new access and service changes the service
// principal(s); subject changes and cancellations the subject principal; change_access, cancel_service and
// withdraw_access none.
func (s *Simulator) smsTargets(o *filing.Order, p *plan) ([]smsTarget, *conflict, error) {
	var out []smsTarget
	add := func(pr filing.Principal, role string) *conflict {
		phone := normPhone(pr.Mobile)
		if !validMobile(phone) {
			return conflictf(CodeInvalidMobile, "%s", pr.Name)
		}
		l6 := last6(pr.CredentialNumber)
		for i := range out {
			if out[i].phone == phone {
				if !slices.Contains(out[i].roles, role) {
					out[i].roles = append(out[i].roles, role)
				}
				if l6 != "" && !slices.Contains(out[i].last6, l6) {
					out[i].last6 = append(out[i].last6, l6)
				}
				return nil
			}
		}
		t := smsTarget{phone: phone, roles: []string{role}}
		if l6 != "" {
			t.last6 = []string{l6}
		}
		out = append(out, t)
		return nil
	}
	subjectPrincipal := func() (filing.Principal, error) {
		if o.Subject.Principal.Mobile != "" || p == nil || p.subject == nil {
			return o.Subject.Principal, nil
		}
		sub, err := s.openSubject(p.subject.Data)
		return sub.Principal, err
	}
	switch o.Type {
	case filing.NewFiling:
		if c := add(o.Subject.Principal, roleSubjectPrincipal); c != nil {
			return nil, c, nil
		}
		for i := range o.Services {
			if c := add(o.EffectivePrincipal(i), roleServicePrincipal); c != nil {
				return nil, c, nil
			}
		}
	case filing.NewService, filing.NewServiceNoSubject:
		for i := range o.Services {
			pr := o.EffectivePrincipal(i)
			if o.Services[i].PrincipalSameAsSubject && pr.Mobile == "" {
				sp, err := subjectPrincipal()
				if err != nil {
					return nil, nil, err
				}
				pr = sp
			}
			if c := add(pr, roleServicePrincipal); c != nil {
				return nil, c, nil
			}
		}
	case filing.NewAccess, filing.ChangeService:
		for _, t := range p.targets {
			var pr filing.Principal
			if t.idx >= 0 {
				pr = o.EffectivePrincipal(t.idx)
			}
			if pr.Mobile == "" { // nothing sent: the filed service principal
				svc, err := s.openService(t.svc.Data)
				if err != nil {
					return nil, nil, err
				}
				pr = svc.Principal
			}
			if c := add(pr, roleServicePrincipal); c != nil {
				return nil, c, nil
			}
		}
	case filing.ChangeSubject, filing.CancelSubject:
		pr, err := subjectPrincipal()
		if err != nil {
			return nil, nil, err
		}
		if c := add(pr, roleSubjectPrincipal); c != nil {
			return nil, c, nil
		}
	}
	return out, nil, nil
}

// startSMS creates one code per phone and queues the forwarded result; the messages go out after commit.
func (s *Simulator) startSMS(ctx context.Context, tx *sql.Tx, sub *subRow, targets []smsTarget, now time.Time) ([]sendJob, error) {
	deadline := now.Add(SMSValidity)
	var jobs []sendJob
	for _, t := range targets {
		code := randomCode()
		var l6 []byte
		for _, x := range t.last6 {
			l6 = append(l6, s.keys.Hash(hashLast6, x)...)
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO miit_sms_codes (submission_id, phone_hash, phone, phone_masked,
			code_hash, last6_hashes, roles, state, send_after, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9) RETURNING id`,
			sub.ID, s.keys.Hash(hashPhone, t.phone), s.keys.SealString(t.phone, purposePhone), mask.Mobile(t.phone),
			s.codeHash(sub.ID, code), l6, strings.Join(t.roles, ","), sqldb.Millis(now.Add(smsClaim)),
			sqldb.Millis(now)).Scan(&id)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, sendJob{codeID: id, phone: t.phone, body: smsBody(code, sub.Type, sub.SubjectName, s.cfg.VerifyURL)})
	}
	sub.SMSDeadline = deadline
	return jobs, s.moveAndQueue(ctx, tx, true, `UPDATE miit_submissions SET state = 'sms_pending', sms_deadline = $2,
		deadline = $2, updated_at = $3 WHERE id = $1 AND state = 'received'`,
		[]any{sub.ID, sqldb.Millis(deadline), sqldb.Millis(now)}, sub, filing.ActForwarded, 0, "", &deadline, "", nil, now)
}

func (s *Simulator) codeHash(submissionID int64, code string) []byte {
	return s.keys.Hash(hashCode, fmt.Sprintf("%d:%s", submissionID, code))
}

func randomCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// smsBody is the verification message, worded after MIIT's (docs/design.md §4.9): the code, its 24-hour validity, where and
// how to verify. It never carries an ID number.
func smsBody(code string, t filing.OrderType, subjectName, url string) string {
	label := typeLabel[t]
	if label == "" {
		label = "ICP备案"
	}
	who := "您"
	if subjectName != "" {
		who = "“" + subjectName + "”"
	}
	return fmt.Sprintf("【工业和信息化部】验证码：%s，24小时内有效。%s的ICP备案申请（%s）需要核验您的手机号码，"+
		"请访问 %s ，输入本手机号码、验证码和您证件号码的后6位完成短信核验。输错超过5次或逾期未核验，备案申请将退回接入商。"+
		"请勿将验证码告知他人。", code, who, label, url)
}

// deliver sends the messages of committed codes. A failed delivery leaves the code unsent; Sweep sends a new
// code later (the old one was never seen by anyone).
func (s *Simulator) deliver(ctx context.Context, jobs []sendJob) {
	for _, j := range jobs {
		var err error
		if s.cfg.SMS == nil {
			s.log.Warn("no SMS sender configured; verification code dropped", "code_id", j.codeID)
		} else {
			err = s.cfg.SMS.SendSMS(ctx, j.phone, j.body)
		}
		now := sqldb.Millis(s.clk.Now())
		if err != nil {
			s.log.Error("send verification SMS", "code_id", j.codeID, "err", err)
			_, err = s.db.Exec(ctx, `UPDATE miit_sms_codes SET send_after = $2, send_tries = send_tries + 1
				WHERE id = $1 AND sent_at = 0`, j.codeID, now+smsRetry.Milliseconds())
		} else {
			_, err = s.db.Exec(ctx, `UPDATE miit_sms_codes SET sent_at = $2, send_tries = send_tries + 1
				WHERE id = $1`, j.codeID, now)
		}
		if err != nil {
			s.log.Error("record SMS delivery", "code_id", j.codeID, "err", err)
		}
	}
}
