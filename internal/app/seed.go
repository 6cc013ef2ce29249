package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
)

// DemoPassword is the password of every demo account (demo mode only; printed at start).
const DemoPassword = "Demo@2026"

// Demo is what the demo seed created.
type Demo struct {
	Applicant, Reviewer, Officer, Operator *store.Account
	Resources                              []store.Resource
	Code                                   *store.AuthorizationCode
	// FiledPending: the demo applicant's filed subject, which needs the regulator, is not given yet (the
	// simulator in its own process did not answer); the node keeps asking (App.Start) and gives it then.
	FiledPending bool
}

// allProvinces are the 31 mainland provinces an administration officer of the demo may review.
var allProvinces = []string{"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
	"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}

// Seed creates the demo data set: one account per role, hosting resources with filing quota, an
// authorization code, and (with the simulator in this process) a few subjects already in the national registry.
// It touches only this node's databases; the demo applicant's filed subject comes from the regulator and is
// given by finishSeed, which a later start or a retry can complete.
func Seed(ctx context.Context, a *App) (*Demo, error) {
	d := &Demo{}
	var err error
	reg := func(email, name, mobile string) provider.Registration {
		return provider.Registration{Email: email, Name: name, Mobile: mobile, Password: DemoPassword, Lang: "zh-CN"}
	}
	svc := a.Service
	if d.Applicant, err = svc.Register(ctx, reg(demoApplicant, "张伟", "13800138000")); err != nil {
		return nil, err
	}
	staff := []struct {
		dst       **store.Account
		email     string
		name      string
		role      string
		provinces []string
	}{
		{&d.Reviewer, "reviewer@beian.local", "李审核", provider.RoleReviewer, nil},
		{&d.Officer, "officer@beian.local", "王管局", provider.RoleOfficer, allProvinces},
		{&d.Operator, "operator@beian.local", "赵运维", provider.RoleOperator, nil},
	}
	for _, s := range staff {
		if *s.dst, err = svc.CreateStaffUnchecked(ctx, reg(s.email, s.name, ""), s.role, s.provinces); err != nil {
			return nil, err
		}
	}
	now := a.Clock.Now()
	op := provider.Actor{ID: d.Operator.ID, Role: provider.RoleOperator}
	for _, r := range []store.Resource{
		{OwnerID: d.Applicant.ID, Name: "ecs-gz-01（广州，包年）", Region: "cn-guangzhou", IPs: []string{"203.0.113.10"},
			Billing: "prepaid", StartsAt: now.AddDate(0, -1, 0), ExpiresAt: now.AddDate(1, -1, 0), QuotaTotal: 5},
		{OwnerID: d.Applicant.ID, Name: "ecs-bj-02（北京，包年）", Region: "cn-beijing", IPs: []string{"198.51.100.20", "198.51.100.21"},
			Billing: "prepaid", StartsAt: now, ExpiresAt: now.AddDate(2, 0, 0), QuotaTotal: 10},
		{OwnerID: d.Applicant.ID, Name: "ecs-sh-03（上海，按需计费）", Region: "cn-shanghai", IPs: []string{"192.0.2.30"},
			Billing: "pay_as_you_go", StartsAt: now, ExpiresAt: now.AddDate(10, 0, 0), QuotaTotal: 5},
	} {
		res, err := svc.CreateResource(ctx, op, r)
		if err != nil {
			return nil, err
		}
		d.Resources = append(d.Resources, *res)
	}
	if d.Code, err = svc.IssueAuthorizationCode(ctx, op, "demo-code.cn", []string{"203.0.113.50"}, 90*24*time.Hour); err != nil {
		return nil, err
	}
	if a.Sim != nil { // a simulator in its own process seeds its registry itself
		if err := a.Sim.LoadRegistry(ctx, registrySeed(a.Cfg.ProviderID, now)); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// demoFiled is the subject number of the demo applicant's filed subject.
const demoFiled = "粤ICP备2025000001号"

// demoApplicant is the demo applicant's login.
const demoApplicant = "applicant@beian.local"

// demoSeedRetry is how soon a node asks an unreachable simulator again for the demo applicant's filed subject:
// first after first, then twice as long each time up to max.
var demoSeedRetry = struct{ first, max time.Duration }{time.Second, time.Minute}

// Log messages of a demo seed the regulator could not complete: what is wrong and what to do.
const (
	seedUnreachable = "demo seed incomplete: the MIIT simulator at BEIAN_MIIT_URL did not answer, so the demo applicant " +
		"has no filed subject yet; start `beian miit serve` there in demo mode with the same BEIAN_MIIT_SECRET " +
		"(or fix the URL or secret) - this node keeps asking and finishes the seed once the simulator answers"
	seedNotInRegistry = "demo seed incomplete: the MIIT simulator's registry does not have the demo applicant's filed " +
		"subject, so the demo applicant gets none; run `beian miit serve` in demo mode (BEIAN_SEED not false) on a " +
		"fresh database, then restart this node"
)

// demoFiledOwed reports whether the demo seed still owes the demo applicant (id) its filed subject: the
// applicant exists, nobody here holds the subject, and no order was ever made for it (had one been, the
// subject was given and then cancelled or changed hands through the site).
func (a *App) demoFiledOwed(ctx context.Context) (id int64, owed bool, err error) {
	acc, err := a.Store.AccountByEmail(ctx, demoApplicant)
	if problem.KindOf(err) == problem.NotFound {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	if owner, _, err := a.Store.FiledSubjectOwner(ctx, demoFiled); err != nil || owner != 0 {
		return 0, false, err
	}
	subj := registrySeed(a.Cfg.ProviderID, a.Clock.Now())[0].Subject
	ordered, err := a.Store.SubjectEverOrdered(ctx, a.Store.SubjectHash(subj.CredentialType, subj.CredentialNumber))
	return acc.ID, !ordered && err == nil, err
}

// finishSeed gives the demo applicant the Shenzhen subject from the registry when the seed still owes it, so that
// My filings has something to change, cancel or add to (the Beijing one, filed through another provider, can
// be claimed). retry: the regulator did not answer (err says why) and asking again later may finish it; any
// other error is final for this start (a registry without the subject: filed.not_found; a local failure).
func (a *App) finishSeed(ctx context.Context) (retry bool, err error) {
	id, owed, err := a.demoFiledOwed(ctx)
	if err != nil || !owed {
		return false, err
	}
	ask, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	err = a.Service.GiveFiledUnchecked(ask, id, demoFiled)
	if err != nil && !problem.Is(err, "regulator.unavailable") && !problem.Is(err, "filed.not_found") {
		if _, owed, again := a.demoFiledOwed(ctx); again == nil && !owed {
			return false, nil // another node, finishing the same seed, gave it first
		}
	}
	return problem.Is(err, "regulator.unavailable"), err
}

// seedRegulatorPart runs finishSeed on a start: a regulator that does not answer (unanswered: why; App.Start
// keeps asking), or a registry without the subject, is logged and leaves the server to start; a local failure
// is returned.
func (a *App) seedRegulatorPart(ctx context.Context) (unanswered, err error) {
	retry, err := a.finishSeed(ctx)
	switch {
	case retry:
		a.logSeed(err)
		return err, nil
	case problem.Is(err, "filed.not_found"):
		a.logSeed(err)
		return nil, nil
	}
	return nil, err
}

// retrySeed asks the regulator for the demo applicant's filed subject until it answers or ctx ends, backing off
// from demoSeedRetry.first to .max; it logs a failure again only when the reason differs from the last one
// logged (first: the start's).
func (a *App) retrySeed(ctx context.Context, first error) {
	wait, last := demoSeedRetry.first, first.Error()
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		retry, err := a.finishSeed(ctx)
		if ctx.Err() != nil {
			return
		}
		if !retry {
			a.logSeed(err)
			return
		}
		if err.Error() != last {
			a.logSeed(err)
			last = err.Error()
		}
		wait = min(2*wait, demoSeedRetry.max)
	}
}

// logSeed logs how an attempt at the regulator's part of the demo seed ended (err from finishSeed).
func (a *App) logSeed(err error) {
	switch {
	case problem.Is(err, "regulator.unavailable"):
		slog.Warn(seedUnreachable, "miit_url", a.Cfg.Regulator.URL, "subject", demoFiled, "account", demoApplicant, "err", err)
	case problem.Is(err, "filed.not_found"):
		slog.Warn(seedNotInRegistry, "miit_url", a.Cfg.Regulator.URL, "subject", demoFiled)
	case err != nil:
		slog.Error("demo seed: giving the demo applicant its filed subject failed", "subject", demoFiled, "err", err)
	default:
		slog.Info("demo seed finished: the MIIT simulator answered and the demo applicant holds its filed subject",
			"subject", demoFiled, "account", demoApplicant)
	}
}

// registrySeed is a few filed subjects, so that the public query and the filing-type check have something to
// find: one accessed through this provider, one through another provider.
func registrySeed(providerID string, now time.Time) []miit.SeedRecord {
	sz := filing.Principal{Name: "陈明", CredentialType: "resident_id", CredentialNumber: "440305198503121231",
		CredentialLongTerm: true, CredentialValidFrom: "2015-03-01", OfficePhone: "0755-86013388",
		Mobile: "13902718465", EmergencyMobile: "13751208469", Email: "chenming@example-sz.cn"}
	bj := filing.Principal{Name: "刘芳", CredentialType: "resident_id", CredentialNumber: "110105199001010029",
		Mobile: "13600136000", EmergencyMobile: "13500135000", Email: "liufang@example-bj.cn"}
	web := func(name, domain, number string, p filing.Principal) filing.Service {
		return filing.Service{Kind: filing.Website, Name: name, Domains: []string{domain}, HomeURL: "www." + domain,
			IPs: []string{"203.0.113.10"}, Content: []string{"unit_portal"}, Languages: []string{"zh-Hans"}, Number: number,
			Principal: p}
	}
	return []miit.SeedRecord{
		{Province: "44", ApprovedAt: now.AddDate(-1, 0, 0), Providers: []string{providerID},
			Subject: filing.Subject{Nature: "enterprise", Name: "深圳市示例网络科技有限公司", CredentialType: "business_license",
				CredentialNumber: "91440300MA5F12342Q", Number: demoFiled, CredentialAddress: "深圳市南山区科技园科苑路8号",
				CommunicationAddress: "广东省深圳市南山区科技园科苑路8号", Investor: "陈明",
				LegalRepresentative: &filing.LegalRepresentative{Name: "陈明", IDNumber: "440305198503121231"},
				Principal:           sz},
			Services: []filing.Service{web("示例科技官方网站", "example-sz.cn", demoFiled+"-1", sz)}},
		{Province: "11", ApprovedAt: now.AddDate(-2, 0, 0), Providers: []string{"other-provider"},
			Subject: filing.Subject{Nature: "enterprise", Name: "北京示范信息技术有限公司", CredentialType: "business_license",
				CredentialNumber: "91110108MA01ABCD5T", Number: "京ICP备2024000001号",
				Principal: bj},
			Services: []filing.Service{web("示范信息门户网站", "example-bj.cn", "京ICP备2024000001号-1", bj)}},
	}
}

// PrintLogins tells the operator how to log in to the demo.
func (d *Demo) PrintLogins(w io.Writer, url string) {
	fmt.Fprintf(w, "beian demo data created. Log in at %s with password %s:\n", url, DemoPassword)
	for _, a := range []*store.Account{d.Applicant, d.Reviewer, d.Officer, d.Operator} {
		fmt.Fprintf(w, "  %-9s %s\n", a.Role, a.Email)
	}
	fmt.Fprintf(w, "  authorization code for demo-code.cn: %s\n", d.Code.Code)
	if d.FiledPending {
		fmt.Fprintf(w, "  not yet: the filed subject %s of %s (the MIIT simulator did not answer; see the log)\n",
			demoFiled, d.Applicant.Email)
	}
}
