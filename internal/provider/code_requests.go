package provider

// Requests for an authorization code (docs/design.md §10): an applicant with no usable instance asks for a code
// for one domain and says why; a reviewer issues one (the same code staff issue on the console) or declines with
// a reason; the applicant hears of it by SMS, e-mail and in-app message and sees the answer on their page.

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beian/beian/internal/cleantext"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// MaxCodeRequestReason is the longest reason (in characters) a request or a decline may give.
const MaxCodeRequestReason = 500

func codeRequestObject(id int64) string {
	return "authorization_code_request:" + strconv.FormatInt(id, 10)
}

// reasonText checks a free-text reason: required, clean (package cleantext) and at most MaxCodeRequestReason characters.
func reasonText(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", problem.Invalidf("common.required", field)
	case utf8.RuneCountInString(s) > MaxCodeRequestReason:
		return "", problem.Invalidf("authreq.reason_too_long", field, "max", strconv.Itoa(MaxCodeRequestReason))
	}
	if e := cleantext.Check(field, s, true); e != nil {
		return "", e
	}
	return s, nil
}

// RequestAuthorizationCode opens an applicant's request for a code for domain; an open request of theirs for the
// same domain already is a Conflict.
func (s *Service) RequestAuthorizationCode(ctx context.Context, by Actor, domain, reason string) (*store.CodeRequest, error) {
	if by.Role != RoleApplicant {
		return nil, forbidden()
	}
	var errs problem.List
	if e := cleantext.Check("domain", domain, false); e != nil {
		errs = append(errs, e)
	} else if d, err := normaliseWebsiteDomain(domain); err != nil {
		errs = append(errs, asField(err, "domain")...)
	} else {
		domain = d
	}
	reason, err := reasonText("reason", reason)
	if err != nil {
		errs = append(errs, problem.As(err)...)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	r := &store.CodeRequest{AccountID: by.ID, Domain: domain, Reason: reason, CreatedAt: now}
	return r, s.st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCodeRequest(ctx, r); err != nil {
			return err
		}
		return tx.Audit(ctx, now, by.ID, by.Role, "authreq.create", codeRequestObject(r.ID), "domain="+domain)
	})
}

// CodeRequests lists an applicant's own requests, or every request for staff (open ones first).
func (s *Service) CodeRequests(ctx context.Context, by Actor) ([]store.CodeRequest, error) {
	switch {
	case by.Role == RoleApplicant:
		return s.st.CodeRequests(ctx, by.ID, 100)
	case by.IsStaff():
		return s.st.CodeRequests(ctx, 0, 200)
	}
	return nil, forbidden()
}

// IssueRequestedCode answers an open request with a code for its domain and the given IPs (staff only).
func (s *Service) IssueRequestedCode(ctx context.Context, by Actor, id int64, ips []string, validity time.Duration) (*store.CodeRequest, error) {
	if !by.IsStaff() {
		return nil, forbidden()
	}
	return s.decideCodeRequest(ctx, by, id, func(tx *store.Tx, r *store.CodeRequest, now time.Time) error {
		c, err := s.newAuthorizationCode(by, r.Domain, ips, validity)
		if err != nil {
			return err
		}
		if err := tx.CreateAuthorizationCode(ctx, c); err != nil {
			return err
		}
		if err := tx.DecideCodeRequest(ctx, id, store.CodeRequestIssued, c.ID, "", by.ID, now); err != nil {
			return err
		}
		return s.tellAccount(ctx, tx, r.AccountID, 0, "authreq.notice.issued", map[string]string{"domain": r.Domain,
			"code": c.Code, "expires": c.ExpiresAt.In(chinaTime).Format(time.DateOnly)}, now)
	})
}

// DeclineCodeRequest answers an open request with a reason and no code (staff only).
func (s *Service) DeclineCodeRequest(ctx context.Context, by Actor, id int64, reason string) (*store.CodeRequest, error) {
	if !by.IsStaff() {
		return nil, forbidden()
	}
	reason, err := reasonText("reason", reason)
	if err != nil {
		return nil, err
	}
	return s.decideCodeRequest(ctx, by, id, func(tx *store.Tx, r *store.CodeRequest, now time.Time) error {
		if err := tx.DecideCodeRequest(ctx, id, store.CodeRequestDeclined, 0, reason, by.ID, now); err != nil {
			return err
		}
		return s.tellAccount(ctx, tx, r.AccountID, 0, "authreq.notice.declined", map[string]string{"domain": r.Domain,
			"reason": sentenceBody(reason)}, now)
	})
}

// decideCodeRequest runs decide on an open request in one transaction, audits it and returns the request as it ends.
func (s *Service) decideCodeRequest(ctx context.Context, by Actor, id int64,
	decide func(tx *store.Tx, r *store.CodeRequest, now time.Time) error) (*store.CodeRequest, error) {
	var out *store.CodeRequest
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.CodeRequestForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if r.State != store.CodeRequestOpen {
			return problem.New(problem.Conflict, "authreq.decided", "")
		}
		now := s.now()
		if err := decide(tx, r, now); err != nil {
			return err
		}
		if out, err = tx.CodeRequestForUpdate(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, now, by.ID, by.Role, "authreq."+out.State, codeRequestObject(id), "domain="+r.Domain)
	})
	return out, err
}
