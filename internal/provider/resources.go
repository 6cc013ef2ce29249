package provider

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// bindResource checks the resource an order is filed on and returns the IPs its services use (Huawei Cloud's first-filing guide:
// "网站IP：备案服务器的公网IP地址"). Instances must be prepaid for at least 3 months, not expired, with quota left
// (Huawei Cloud's first-filing guide: "如选择ECS，需为包周期且不小于3个月…按需购买云服务器，暂不支持备案"); an authorization code is for
// one domain (Baidu AI Cloud's app filing guide: "一个域名只能获取一个备案操作码").
func (s *Service) bindResource(ctx context.Context, tx *store.Tx, by Actor, ref *filing.ResourceRef, c *CheckResult, now time.Time) ([]string, error) {
	switch {
	case ref.InstanceID != 0 && ref.AuthorizationCode != "":
		return nil, problem.Invalidf("resource.one_only", "resource")
	case ref.InstanceID != 0:
		r, err := tx.ResourceForUpdate(ctx, ref.InstanceID)
		if err != nil || r.OwnerID != by.ID {
			return nil, problem.New(problem.NotFound, "resource.not_found", "resource.instance_id")
		}
		return r.IPs, usable(r, now)
	case ref.AuthorizationCode != "":
		ref.AuthorizationCode = strings.ToUpper(strings.TrimSpace(ref.AuthorizationCode))
		code, err := tx.AuthorizationCodeForUpdate(ctx, ref.AuthorizationCode)
		if err != nil {
			return nil, problem.New(problem.NotFound, "authorization_code.not_found", "resource.authorization_code")
		}
		switch {
		case !code.UsedAt.IsZero():
			return nil, problem.New(problem.Conflict, "authorization_code.used", "resource.authorization_code")
		case !now.Before(code.ExpiresAt):
			return nil, problem.New(problem.Conflict, "authorization_code.expired", "resource.authorization_code")
		case c.Input.ServiceKind == filing.Website && code.Domain != c.Domain:
			return nil, problem.Invalidf("authorization_code.other_domain", "resource.authorization_code",
				"domain", code.Domain)
		}
		return code.IPs, nil
	}
	return nil, problem.Invalidf("resource.required", "resource")
}

func usable(r *store.Resource, now time.Time) error {
	switch {
	case r.Billing != "prepaid":
		return problem.Invalidf("resource.pay_as_you_go", "resource.instance_id")
	case r.ExpiresAt.Before(r.StartsAt.AddDate(0, 3, 0)):
		return problem.Invalidf("resource.too_short", "resource.instance_id")
	case !now.Before(r.ExpiresAt):
		return problem.Invalidf("resource.expired", "resource.instance_id")
	case r.QuotaUsed >= r.QuotaTotal:
		return problem.New(problem.Conflict, "resource.quota_exhausted", "resource.instance_id")
	}
	return nil
}

// consumeResource takes one filing quota per service at first submission, or marks the authorization code used.
func (s *Service) consumeResource(ctx context.Context, tx *store.Tx, o *filing.Order, now time.Time) error {
	if o.Resource.AuthorizationCode != "" {
		code, err := tx.AuthorizationCodeForUpdate(ctx, o.Resource.AuthorizationCode)
		if err != nil {
			return err
		}
		if !code.UsedAt.IsZero() && code.OrderID != o.ID {
			return problem.New(problem.Conflict, "authorization_code.used", "resource.authorization_code")
		}
		return tx.UseAuthorizationCode(ctx, code.ID, o.ID, now)
	}
	r, err := tx.TakeQuota(ctx, o.Resource.InstanceID, len(o.Services))
	if err != nil || r != nil {
		if err == nil {
			err = usable(r, now) // a failure rolls the quota back with the transaction
		}
		return err
	}
	if r, err = tx.ResourceForUpdate(ctx, o.Resource.InstanceID); err != nil {
		return err
	}
	if err := usable(r, now); err != nil {
		return err
	}
	return tx.UseQuota(ctx, r.ID, len(o.Services))
}

// releaseResource gives back what consumeResource took (the order was withdrawn).
func (s *Service) releaseResource(ctx context.Context, tx *store.Tx, o *filing.Order) error {
	if o.Resource.AuthorizationCode != "" {
		return tx.ReleaseAuthorizationCode(ctx, o.ID)
	}
	return tx.UseQuota(ctx, o.Resource.InstanceID, -len(o.Services))
}

// Resources lists the applicant's own resources, or all for staff.
func (s *Service) Resources(ctx context.Context, by Actor) ([]store.Resource, error) {
	switch {
	case by.Role == RoleApplicant:
		return s.st.Resources(ctx, by.ID)
	case by.IsStaff():
		return s.st.Resources(ctx, 0)
	}
	return nil, forbidden()
}

// CreateResource records an instance an applicant bought (staff: reviewers and operators manage resources).
func (s *Service) CreateResource(ctx context.Context, by Actor, r store.Resource) (*store.Resource, error) {
	if !by.IsStaff() {
		return nil, forbidden()
	}
	var errs problem.List
	if strings.TrimSpace(r.Name) == "" {
		errs = append(errs, problem.Invalidf("common.required", "name", "label", "web.field.resource_name"))
	}
	if r.Billing != "prepaid" && r.Billing != "pay_as_you_go" {
		errs = append(errs, problem.Invalidf("resource.unknown_billing", "billing"))
	}
	ips, err := publicIPs("ips", r.IPs)
	if err != nil {
		errs = append(errs, problem.As(err)...)
	}
	r.IPs = ips
	if r.QuotaTotal < 0 || r.QuotaTotal > 1000 {
		errs = append(errs, problem.Invalidf("resource.quota_range", "quota_total"))
	}
	if !r.ExpiresAt.After(r.StartsAt) {
		errs = append(errs, problem.Invalidf("resource.dates", "expires_at"))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if _, err := s.st.Account(ctx, r.OwnerID); err != nil {
		return nil, problem.Invalidf("resource.unknown_owner", "owner_id")
	}
	r.QuotaUsed = 0
	return &r, s.st.Update(ctx, func(tx *store.Tx) error { return tx.CreateResource(ctx, &r, s.now()) })
}

// IssueAuthorizationCode issues a code for one domain, valid for validity (staff only).
func (s *Service) IssueAuthorizationCode(ctx context.Context, by Actor, domain string, ips []string, validity time.Duration) (*store.AuthorizationCode, error) {
	if !by.IsStaff() {
		return nil, forbidden()
	}
	c, err := s.newAuthorizationCode(by, domain, ips, validity)
	if err != nil {
		return nil, err
	}
	return c, s.st.Update(ctx, func(tx *store.Tx) error { return tx.CreateAuthorizationCode(ctx, c) })
}

// newAuthorizationCode checks what a code is issued for and draws it; the caller stores it.
func (s *Service) newAuthorizationCode(by Actor, domain string, ips []string, validity time.Duration) (*store.AuthorizationCode, error) {
	d, err := normaliseWebsiteDomain(domain)
	if err != nil {
		return nil, asField(err, "domain")
	}
	ips, err = publicIPs("ips", ips)
	if err != nil {
		return nil, err
	}
	if validity <= 0 {
		validity = 30 * 24 * time.Hour
	}
	now := s.now()
	return &store.AuthorizationCode{Code: newCode(), Domain: d, IPs: ips, IssuedBy: by.ID, IssuedAt: now, ExpiresAt: now.Add(validity)}, nil
}

// newCode returns a 16-character code from an alphabet without look-alikes (no 0/O, 1/I/L).
func newCode() string {
	const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	b := make([]byte, 16)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// AuthorizationCodes lists issued codes (staff only).
func (s *Service) AuthorizationCodes(ctx context.Context, by Actor) ([]store.AuthorizationCode, error) {
	if !by.IsStaff() {
		return nil, forbidden()
	}
	return s.st.AuthorizationCodes(ctx, 200)
}
