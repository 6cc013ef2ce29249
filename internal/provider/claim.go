package provider

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mask"
	"github.com/beian/beian/internal/notify"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/regulator"
)

// Claims (认领备案): a subject filed through this provider by another account, or through another provider, is
// claimed into the applicant's account after proof of control: the code texted to the subject principal's
// mobile on the filed record, or a reviewer's authorization after checking the papers. Until then the claim
// shows the applicant only what the public query shows (Huawei Cloud 《认领备案咨询》).

// Claim code limits.
const (
	claimCodeValidity = 30 * time.Minute
	claimCodeInterval = time.Minute // between two codes of one claim
	claimCodeTries    = 5           // wrong codes before a new one is needed
)

// ClaimInput names the subject to claim.
type ClaimInput struct {
	SubjectNumber string `json:"subject_number"`
}

// ClaimStatus says where the claim's code went (masked) and until when it works.
type ClaimStatus struct {
	Phone     string    `json:"phone"`
	SentAt    time.Time `json:"sent_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// OpenClaim opens a claim of the filed subject with this number.
func (s *Service) OpenClaim(ctx context.Context, by Actor, in ClaimInput, idemKey string) (*filing.Order, error) {
	if err := requireRole(by, RoleApplicant); err != nil {
		return nil, err
	}
	if o, err := s.earlierOrder(ctx, by, idemKey); o != nil || err != nil {
		return o, err
	}
	number := strings.TrimSpace(in.SubjectNumber)
	rec, err := s.lookupFiling(ctx, number, "subject_number")
	if err != nil {
		return nil, err
	}
	if owner, _, err := s.st.FiledSubjectOwner(ctx, rec.Subject.Number); err != nil {
		return nil, err
	} else if owner == by.ID {
		return nil, problem.New(problem.Conflict, "claim.already_yours", "subject_number", "number", rec.Subject.Number)
	}
	now := s.now()
	o := &filing.Order{ApplicantID: by.ID, Type: filing.Claim, State: filing.Draft, Province: rec.Province,
		Subject:  filing.Subject{Name: rec.Subject.Name, Nature: rec.Subject.Nature, Number: rec.Subject.Number},
		Services: []filing.Service{}, Target: &filing.Target{SubjectNumber: rec.Subject.Number}, CreatedAt: now, UpdatedAt: now}
	f := &Filing{hash: s.st.SubjectHash(rec.Subject.CredentialType, rec.Subject.CredentialNumber)}
	return s.insertFiledDraft(ctx, by, f, o, filing.ResourceRef{}, idemKey)
}

// lookupFiling reads a filed subject; an unknown or cancelled number is NotFound on field.
func (s *Service) lookupFiling(ctx context.Context, number, field string) (regulator.Filing, error) {
	rec, err := s.cfg.Regulator.LookupFiling(ctx, s.cfg.ProviderID, number)
	if problem.KindOf(err) == problem.NotFound {
		return rec, problem.New(problem.NotFound, "filed.not_found", field)
	}
	if err != nil {
		return rec, problem.Wrap(err, "regulator.unavailable")
	}
	return rec, nil
}

// ownClaim loads the applicant's claim (NotFound for anything else).
func (s *Service) ownClaim(ctx context.Context, by Actor, id int64) (*filing.Order, error) {
	o, err := s.GetOrder(ctx, by, id)
	if err != nil {
		return nil, err
	}
	if by.Role != RoleApplicant || o.Type != filing.Claim {
		return nil, problem.New(problem.NotFound, "order.not_found", "")
	}
	return o, nil
}

// SendClaimCode texts a code to the subject principal's mobile on the filed record.
func (s *Service) SendClaimCode(ctx context.Context, by Actor, id int64) (*ClaimStatus, error) {
	o, err := s.ownClaim(ctx, by, id)
	if err != nil {
		return nil, err
	}
	if _, err := filing.NextFor(o.Type, o.State, filing.ActClaimVerified, filing.RoleApplicant); err != nil {
		return nil, err
	}
	rec, err := s.lookupFiling(ctx, o.Subject.Number, "")
	if err != nil {
		return nil, err
	}
	phone := rec.Subject.Principal.Mobile
	if phone == "" {
		return nil, problem.New(problem.Conflict, "claim.no_phone", "")
	}
	now := s.now()
	if _, sent, ok, err := s.st.ClaimCodeSent(ctx, id); err != nil {
		return nil, err
	} else if ok && now.Sub(sent) < claimCodeInterval {
		return nil, problem.New(problem.TooMany, "claim.code_too_soon", "")
	}
	code := claimCode()
	st := &ClaimStatus{Phone: mask.Mobile(phone), SentAt: now, ExpiresAt: now.Add(claimCodeValidity)}
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutClaimCode(ctx, store.ClaimCode{OrderID: id, CodeHash: s.claimHash(id, code),
			PhoneMasked: st.Phone, SentAt: now, ExpiresAt: st.ExpiresAt}); err != nil {
			return err
		}
		body := i18n.T(i18n.ZhCN, "claim.sms", map[string]string{"code": code, "number": o.Subject.Number,
			"minutes": fmt.Sprint(int(claimCodeValidity.Minutes()))})
		ev := &filing.Event{At: now}
		return s.enqueueMessage(ctx, tx, TopicSMS, notify.Message{Channel: notify.ChannelSMS, To: phone, Body: body}, ev)
	})
	if err != nil {
		return nil, err
	}
	s.cfg.Kick()
	return st, nil
}

func (s *Service) claimHash(id int64, code string) []byte {
	return s.st.Keys.Hash("claim.code", itoaID(id)+":"+code)
}

func claimCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprintf("%06d", n.Int64())
}

var errWrongCode = problem.Invalidf("claim.code_wrong", "code")

// VerifyClaimCode completes a claim with the texted code: the subject moves into the applicant's account. A
// wrong code counts; after claimCodeTries a new code is needed.
func (s *Service) VerifyClaimCode(ctx context.Context, by Actor, id int64, code string) (*filing.Order, error) {
	o, err := s.ownClaim(ctx, by, id)
	if err != nil {
		return nil, err
	}
	rec, err := s.lookupFiling(ctx, o.Subject.Number, "")
	if err != nil {
		return nil, err
	}
	var out *filing.Order
	wrong := false
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		wrong = false
		r, err := s.ownOrderForUpdate(ctx, tx, by, id)
		if err != nil {
			return err
		}
		c, err := tx.ClaimCodeForUpdate(ctx, id)
		if err != nil {
			return err
		}
		switch now := s.now(); {
		case c.Tries >= claimCodeTries:
			return problem.New(problem.TooMany, "claim.too_many_tries", "code")
		case !now.Before(c.ExpiresAt):
			return problem.New(problem.Conflict, "claim.code_expired", "code")
		case subtle.ConstantTimeCompare(c.CodeHash, s.claimHash(id, strings.TrimSpace(code))) != 1:
			wrong = true
			return tx.ClaimCodeTried(ctx, id)
		}
		out, err = s.completeClaim(ctx, tx, r, rec, filing.ActClaimVerified, filing.RoleApplicant, by.ID, "")
		return err
	})
	if err == nil && wrong {
		return nil, errWrongCode
	}
	return s.committed(id, out, err)
}

// AuthorizeClaim is a reviewer's authorization of a claim submitted with papers.
func (s *Service) AuthorizeClaim(ctx context.Context, by Actor, id int64, reason string) (*filing.Order, error) {
	if err := requireRole(by, RoleReviewer); err != nil {
		return nil, err
	}
	o, err := s.GetOrder(ctx, by, id)
	if err != nil {
		return nil, err
	}
	if o.Type != filing.Claim {
		return nil, problem.New(problem.Conflict, "order.wrong_state", "state", "action", string(filing.ActAuthorizeClaim),
			"state", string(o.State))
	}
	rec, err := s.lookupFiling(ctx, o.Subject.Number, "")
	if err != nil {
		return nil, err
	}
	var out *filing.Order
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.OrderForUpdate(ctx, id)
		if err != nil {
			return err
		}
		out, err = s.completeClaim(ctx, tx, r, rec, filing.ActAuthorizeClaim, filing.RoleReviewer, by.ID, strings.TrimSpace(reason))
		return err
	})
	return s.committed(id, out, err)
}

// completeClaim approves the claim and moves the subject into the claimant's account.
func (s *Service) completeClaim(ctx context.Context, tx *store.Tx, r *store.OrderRow, rec regulator.Filing,
	action filing.Action, role filing.Role, actor int64, reason string) (*filing.Order, error) {
	now := s.now()
	ev, err := r.Order.Transition(action, role, actor, reason, nil, now)
	if err != nil {
		return nil, err
	}
	r.Deadline = time.Time{}
	r.Order.Result = &filing.Result{Code: 1001, SubjectNumber: rec.Subject.Number, DecidedAt: now}
	claimed := &store.Claimed{Province: rec.Province, Subject: rec.Subject}
	if err := tx.ApplyFiled(ctx, r.Order, r.SubjectHash, claimed, now); err != nil {
		return nil, err
	}
	return r.Order, s.record(ctx, tx, r, &ev)
}

// assessClaim lists the papers a claim submitted for a reviewer's authorization needs, from the filed
// subject (which the claimant does not see); a claim has nothing to fill in.
func (s *Service) assessClaim(ctx context.Context, o *filing.Order) (Report, error) {
	rec, err := s.lookupFiling(ctx, o.Subject.Number, "")
	if err != nil {
		return Report{}, err
	}
	full := *o
	full.Subject = rec.Subject
	rep, err := s.cfg.Checker.Check(ctx, &full, s.now())
	if err != nil {
		return Report{}, err
	}
	return Report{Materials: rep.Materials}, nil
}

// ClaimCodeStatus says where the claim's last code went and until when, or nil when none was sent.
func (s *Service) ClaimCodeStatus(ctx context.Context, by Actor, id int64) (*ClaimStatus, error) {
	if _, err := s.ownClaim(ctx, by, id); err != nil {
		return nil, err
	}
	masked, sent, ok, err := s.st.ClaimCodeSent(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	return &ClaimStatus{Phone: masked, SentAt: sent, ExpiresAt: sent.Add(claimCodeValidity)}, nil
}

// GiveFiledUnchecked records a filed subject in an applicant's account without proof of control: for the demo
// seed, which runs with the operator's authority (like CreateStaffUnchecked).
func (s *Service) GiveFiledUnchecked(ctx context.Context, applicantID int64, number string) error {
	rec, err := s.lookupFiling(ctx, number, "")
	if err != nil {
		return err
	}
	o := &filing.Order{Type: filing.Claim, ApplicantID: applicantID}
	hash := s.st.SubjectHash(rec.Subject.CredentialType, rec.Subject.CredentialNumber)
	return s.st.Update(ctx, func(tx *store.Tx) error {
		return tx.ApplyFiled(ctx, o, hash, &store.Claimed{Province: rec.Province, Subject: rec.Subject}, s.now())
	})
}
