package provider_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
	"github.com/beian/beian/internal/workday"
)

// The provider's use cases on a real database, with the real MIIT simulator as the regulator: the rules that
// live in package provider fail here, next to their code, not only in an HTTP test.

const providerID = "beian-test"

// world is one provider with an applicant, a reviewer and an operator, over a registry that already holds
// filed subjects.
type world struct {
	svc                           *provider.Service
	sim                           *miit.Simulator
	applicant, reviewer, operator provider.Actor
	resource                      int64 // the applicant's instance: prepaid for a year, quota 10
	st                            *store.Store
}

func newWorld(t *testing.T, db *sqldb.DB) *world { return newWorldWith(t, db, nil) }

// newWorldWith is newWorld with the provider's configuration adjusted by configure (may be nil).
func newWorldWith(t *testing.T, db *sqldb.DB, configure func(*provider.Config)) *world {
	t.Helper()
	ctx := context.Background()
	keys, index := secret.Generate()
	k, err := secret.Parse(keys, index)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(db, k)
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	sim := miit.New(db, k, clock.System{}, miit.Config{ProviderIDs: []string{providerID}, Abbr: divisions.Abbr})
	if err := sim.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cal := workday.Default()
	cfg := provider.Config{ProviderID: providerID, Clock: clock.System{}, Regulator: sim,
		AddWorkdays:     func(from time.Time, n int) time.Time { due, _ := cal.AddWorkdays(from, n); return due },
		WorkdaysBetween: func(a, b time.Time) int { n, _ := cal.WorkdaysBetween(a, b); return n },
		Checker:         provider.NewChecker(st), Password: password.Default}
	if configure != nil {
		configure(&cfg)
	}
	svc := provider.New(st, cfg)
	w := &world{svc: svc, sim: sim, st: st}
	acc, err := svc.Register(ctx, provider.Registration{Email: "applicant@example.com", Name: "陈伟", Password: "a long password"})
	if err != nil {
		t.Fatal(err)
	}
	w.applicant = provider.Actor{ID: acc.ID, Role: provider.RoleApplicant}
	staff := func(email, role string) provider.Actor {
		a, err := svc.CreateStaffUnchecked(ctx, provider.Registration{Email: email, Name: role, Password: "a long password"}, role, nil)
		if err != nil {
			t.Fatal(err)
		}
		return provider.Actor{ID: a.ID, Role: role}
	}
	w.reviewer, w.operator = staff("reviewer@example.com", provider.RoleReviewer), staff("operator@example.com", provider.RoleOperator)
	w.resource = w.instance(t, "prepaid", 12, 10)
	if err := sim.LoadRegistry(ctx, []miit.SeedRecord{
		filed(1, "44", "filed-here.cn", providerID), filed(2, "44", "filed-elsewhere.cn", "other-provider"),
		filed(3, "11", "filed-beijing.cn", providerID), empty(filed(4, "44", "", providerID)),
		filed(5, "44", "filed-unhosted.cn"), empty(filed(6, "11", "", providerID))}); err != nil {
		t.Fatal(err)
	}
	if err := sim.BlacklistDomain(ctx, "blocked.cn", "test"); err != nil {
		t.Fatal(err)
	}
	return w
}

// empty is r without services: an empty subject (空壳主体).
func empty(r miit.SeedRecord) miit.SeedRecord {
	r.Services, r.Providers = nil, nil
	return r
}

// filed is subject i of the registry, an enterprise in province with one website, accessed through the
// providers (none: loaded without an access).
func filed(i int, province, domain string, providers ...string) miit.SeedRecord {
	return miit.SeedRecord{Province: province, Providers: providers,
		Subject: filing.Subject{Nature: "enterprise", Name: fmt.Sprintf("已备案第%d号有限公司", i),
			CredentialType: "business_license", CredentialNumber: loadtest.USCC(i)},
		Services: []filing.Service{{Kind: filing.Website, Name: fmt.Sprintf("已备案网站%d", i), Domains: []string{domain}}}}
}

// instance records a resource of the applicant's, starting today and lasting months.
func (w *world) instance(t *testing.T, billing string, months, quota int) int64 {
	t.Helper()
	now := time.Now()
	r, err := w.svc.CreateResource(context.Background(), w.operator, store.Resource{OwnerID: w.applicant.ID, Name: "ecs",
		IPs: []string{"203.0.113.9"}, Billing: billing, StartsAt: now, ExpiresAt: now.AddDate(0, months, 0), QuotaTotal: quota})
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// check is a Guangdong enterprise's check for subject i and domain.
func check(i int, domain string) provider.CheckInput {
	return provider.CheckInput{Province: "44", Nature: "enterprise", CredentialType: "business_license",
		CredentialNumber: loadtest.USCC(i), ServiceKind: filing.Website, Domain: domain}
}

// wantCode fails unless err is a problem with code (or nil when code is "").
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	switch {
	case code == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case code != "" && !problem.Is(err, code):
		t.Fatalf("error %v, want %s", err, code)
	}
}

// Check filing type decides the order type against the registry, and refuses what cannot be filed.
func TestCheckFilingType(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		beijing := check(3, "new-site.cn")
		beijing.Province = "44"
		emptyBeijing := check(6, "re-add.cn")
		emptyBeijing.Province = "11"
		app := check(50, "")
		app.ServiceKind, app.AppName = filing.App, "示例APP"
		cases := []struct {
			name     string
			in       provider.CheckInput
			want     filing.OrderType
			code     string // the refusal's code; "invalid" for any invalid input
			wantSvcN bool
		}{
			{"a new subject", check(50, "brand-new.cn"), filing.NewFiling, "", false},
			{"a new subject's APP", app, filing.NewFiling, "", false},
			{"a subject filed here adds a site", check(1, "second-site.cn"), filing.NewService, "", false},
			{"a subject filed elsewhere adds a site", check(2, "second-site.cn"), filing.NewServiceNoSubject, "", false},
			{"a site filed elsewhere gets this access", check(2, "filed-elsewhere.cn"), filing.NewAccess, "", true},
			{"the site is already accessed here", check(1, "filed-here.cn"), "", "check.already_accessed", false},
			{"the domain belongs to another subject", check(50, "filed-here.cn"), "", "check.domain_filed_by_other", false},
			{"the subject is filed in another province", beijing, "", "check.province_change", false},
			{"an empty subject where the administration refuses it services", check(4, "re-add.cn"), "", "filed.empty_subject_refused", false},
			{"an empty subject where the administration takes them", emptyBeijing, filing.NewServiceNoSubject, "", false},
			{"a subject whose services no provider hosts is not empty", check(5, "second-site.cn"), filing.NewServiceNoSubject, "", false},
			{"a blacklisted domain", check(50, "blocked.cn"), "", "check.domain_blacklisted", false},
			{"a subdomain is not a registrable domain", check(50, "www.sub.brand-new.cn"), "", "invalid", false},
			{"an unknown province", func() provider.CheckInput { c := check(50, "x.cn"); c.Province = "99"; return c }(), "", "check.unknown_province", false},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res, err := w.svc.CheckFilingType(context.Background(), w.applicant, c.in)
				if c.code == "invalid" {
					if problem.KindOf(err) != problem.Invalid {
						t.Fatalf("got %+v, %v; want invalid input refused", res, err)
					}
					return
				}
				wantCode(t, err, c.code)
				if c.code != "" {
					return
				}
				if res.OrderType != c.want || (res.ServiceNumber != "") != c.wantSvcN {
					t.Fatalf("got %s (service number %q), want %s", res.OrderType, res.ServiceNumber, c.want)
				}
			})
		}
		// Choices left empty are each missing, by field, not unknown codes.
		_, err := w.svc.CheckFilingType(context.Background(), w.applicant, provider.CheckInput{})
		var got []string
		for _, e := range problem.As(err) {
			got = append(got, e.Code+" "+e.Field)
		}
		for _, want := range []string{"common.required province", "common.required nature", "common.required credential_type",
			"common.required service_kind"} {
			if !slices.Contains(got, want) {
				t.Errorf("an empty check: %v, want %s among them", got, want)
			}
		}
		if slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "check.unknown") }) {
			t.Errorf("an empty check reports unknown codes: %v", got)
		}
		if _, err := w.svc.CheckFilingType(context.Background(), w.reviewer, check(50, "brand-new.cn")); problem.KindOf(err) != problem.Forbidden {
			t.Fatalf("a reviewer checked a filing type: %v", err)
		}
	})
}

// An order binds a resource the applicant owns and may file on: prepaid for at least 3 months, not expired,
// with quota left; an authorization code is for its one domain.
func TestResourceBinding(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		payg := w.instance(t, "pay_as_you_go", 12, 10)
		short := w.instance(t, "prepaid", 2, 10)
		empty := w.instance(t, "prepaid", 12, 0)
		code, err := w.svc.IssueAuthorizationCode(ctx, w.operator, "coded.cn", []string{"198.51.100.7"}, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		other, err := w.svc.Register(ctx, provider.Registration{Email: "other@example.com", Name: "李娜", Password: "a long password"})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name   string
			domain string
			ref    filing.ResourceRef
			code   string
			ips    string
		}{
			{"an instance of the applicant's", "a.cn", filing.ResourceRef{InstanceID: w.resource}, "", "203.0.113.9"},
			{"pay-as-you-go", "b.cn", filing.ResourceRef{InstanceID: payg}, "resource.pay_as_you_go", ""},
			{"prepaid for less than 3 months", "c.cn", filing.ResourceRef{InstanceID: short}, "resource.too_short", ""},
			{"no quota left", "d.cn", filing.ResourceRef{InstanceID: empty}, "resource.quota_exhausted", ""},
			{"no resource", "e.cn", filing.ResourceRef{}, "resource.required", ""},
			{"both an instance and a code", "f.cn", filing.ResourceRef{InstanceID: w.resource, AuthorizationCode: code.Code}, "resource.one_only", ""},
			{"an unknown instance", "g.cn", filing.ResourceRef{InstanceID: 99999}, "resource.not_found", ""},
			{"a code for another domain", "h.cn", filing.ResourceRef{AuthorizationCode: code.Code}, "authorization_code.other_domain", ""},
			{"an unknown code", "coded.cn", filing.ResourceRef{AuthorizationCode: "NOPE"}, "authorization_code.not_found", ""},
			{"the code for its domain, lower case", "coded.cn", filing.ResourceRef{AuthorizationCode: " " + lower(code.Code)}, "", "198.51.100.7"},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				o, err := w.svc.CreateOrder(ctx, w.applicant, provider.CreateInput{Check: check(100+i, c.domain), Resource: c.ref}, "")
				wantCode(t, err, c.code)
				if c.code == "" && (len(o.Services[0].IPs) != 1 || o.Services[0].IPs[0] != c.ips) {
					t.Fatalf("IPs %v, want %s", o.Services[0].IPs, c.ips)
				}
			})
		}
		// Another applicant's instance is not found (its existence is not revealed).
		stranger := provider.Actor{ID: other.ID, Role: provider.RoleApplicant}
		_, err = w.svc.CreateOrder(ctx, stranger, provider.CreateInput{Check: check(200, "s.cn"),
			Resource: filing.ResourceRef{InstanceID: w.resource}}, "")
		wantCode(t, err, "resource.not_found")
	})
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// One order in flight per subject: a second order for the same credential is refused until the first ends.
func TestOneOrderInFlightPerSubject(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		first, err := w.svc.CreateOrder(ctx, w.applicant, provider.CreateInput{Check: check(60, "first.cn"),
			Resource: filing.ResourceRef{InstanceID: w.resource}}, "")
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name string
			do   func() error
			code string // what a second order for the same subject gets afterwards
		}{
			{"while the first is a draft", func() error { return nil }, "check.subject_in_flight"},
			{"after the first is withdrawn", func() error {
				_, err := w.svc.Withdraw(ctx, w.applicant, first.ID, "changed my mind")
				return err
			}, ""},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				if err := s.do(); err != nil {
					t.Fatal(err)
				}
				_, err := w.svc.CheckFilingType(ctx, w.applicant, check(60, "second.cn"))
				wantCode(t, err, s.code)
			})
		}
		// Another subject is not held up.
		if _, err := w.svc.CheckFilingType(ctx, w.applicant, check(61, "other.cn")); err != nil {
			t.Fatal(err)
		}
	})
}

// Review transitions: who may move an order where, what is refused, and what the event records.
func TestReviewTransitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		n := 70
		// submitted returns an order of a fresh subject, filled in and submitted for provider review.
		submitted := func(t *testing.T) *filing.Order {
			t.Helper()
			n++
			o, err := w.svc.CreateOrder(ctx, w.applicant, provider.CreateInput{Check: check(n, fmt.Sprintf("r%d.cn", n)),
				Resource: filing.ResourceRef{InstanceID: w.resource}}, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.svc.UpdateOrder(ctx, w.applicant, o.ID, loadtest.Content(o, n)); err != nil {
				t.Fatal(err)
			}
			if o, err = w.svc.Submit(ctx, w.applicant, o.ID); err != nil {
				t.Fatal(err)
			}
			return o
		}
		note := []filing.Note{{Field: "subject.name", Message: "与营业执照不一致"}}
		cases := []struct {
			name  string
			by    func() provider.Actor
			d     provider.Decision
			state filing.State
			code  string
			kind  problem.Kind
		}{
			{"the reviewer approves", func() provider.Actor { return w.reviewer }, provider.Decision{Decision: "approve"}, filing.ProviderApproved, "", 0},
			{"the reviewer asks for changes on a field", func() provider.Actor { return w.reviewer },
				provider.Decision{Decision: "request_changes", Reason: "主办单位名称有误", Notes: note}, filing.NeedsChanges, "", 0},
			{"the reviewer rejects with a reason", func() provider.Actor { return w.reviewer },
				provider.Decision{Decision: "reject", Reason: "材料不真实"}, filing.ProviderRejected, "", 0},
			{"an operator may not decide", func() provider.Actor { return w.operator }, provider.Decision{Decision: "approve"}, "", "", problem.Forbidden},
			{"the applicant may not decide", func() provider.Actor { return w.applicant }, provider.Decision{Decision: "approve"}, "", "", problem.Forbidden},
			{"an unknown decision", func() provider.Actor { return w.reviewer }, provider.Decision{Decision: "maybe"}, "", "", problem.Invalid},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				o := submitted(t)
				if o.State != filing.Submitted {
					t.Fatalf("submitted order is %s", o.State)
				}
				got, err := w.svc.Decide(ctx, c.by(), o.ID, c.d)
				if c.kind != 0 {
					if problem.KindOf(err) != c.kind {
						t.Fatalf("error %v, want kind %s", err, c.kind)
					}
					after, err := w.svc.OrderTimeline(ctx, w.applicant, o.ID)
					if err != nil || after.Order.State != filing.Submitted || len(after.Events) != 2 {
						t.Fatalf("a refused decision changed the order: %+v %v", after, err)
					}
					return
				}
				wantCode(t, err, c.code)
				if got.State != c.state {
					t.Fatalf("state %s, want %s", got.State, c.state)
				}
				tl, err := w.svc.OrderTimeline(ctx, w.applicant, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				last := tl.Events[len(tl.Events)-1]
				if last.From != filing.Submitted || last.To != c.state || last.ActorID != w.reviewer.ID ||
					last.Reason != c.d.Reason || len(last.Notes) != len(c.d.Notes) {
					t.Fatalf("event %+v", last)
				}
			})
		}
		t.Run("a decided order cannot be decided again", func(t *testing.T) {
			o := submitted(t)
			if _, err := w.svc.Decide(ctx, w.reviewer, o.ID, provider.Decision{Decision: "approve"}); err != nil {
				t.Fatal(err)
			}
			_, err := w.svc.Decide(ctx, w.reviewer, o.ID, provider.Decision{Decision: "reject", Reason: "late"})
			if problem.KindOf(err) != problem.Conflict && problem.KindOf(err) != problem.Invalid {
				t.Fatalf("second decision: %v", err)
			}
		})
		t.Run("changes requested, then resubmitted", func(t *testing.T) {
			o := submitted(t)
			if _, err := w.svc.Decide(ctx, w.reviewer, o.ID, provider.Decision{Decision: "request_changes", Reason: "r", Notes: note}); err != nil {
				t.Fatal(err)
			}
			again, err := w.svc.Submit(ctx, w.applicant, o.ID)
			if err != nil || again.State != filing.Resubmitted {
				t.Fatalf("resubmission: %+v, %v", again, err)
			}
		})
	})
}

// Submission takes one quota per service from the bound instance in one statement: the last quota goes to the
// first order submitted, the next is refused as exhausted with nothing taken, and a resource that lapsed since
// the order was opened is refused as expired, its quota left as it was.
func TestSubmissionTakesQuota(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		one := w.instance(t, "prepaid", 12, 1)
		draft := func(i int, res int64) *filing.Order {
			o, err := w.svc.CreateOrder(ctx, w.applicant, provider.CreateInput{Check: check(300+i, fmt.Sprintf("quota%d.cn", i)),
				Resource: filing.ResourceRef{InstanceID: res}}, "")
			if err != nil {
				t.Fatal(err)
			}
			if o, err = w.svc.UpdateOrder(ctx, w.applicant, o.ID, loadtest.Content(o, 300+i)); err != nil {
				t.Fatal(err)
			}
			return o
		}
		used := func(id int64) int {
			var n int
			if err := db.R.QueryRowContext(ctx, `SELECT quota_used FROM resources WHERE id = $1`, id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		first, second := draft(1, one), draft(2, one)
		if _, err := w.svc.Submit(ctx, w.applicant, first.ID); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.Submit(ctx, w.applicant, second.ID)
		wantCode(t, err, "resource.quota_exhausted")
		if n := used(one); n != 1 {
			t.Fatalf("quota used %d, want 1", n)
		}
		lapsing := w.instance(t, "prepaid", 12, 5)
		third := draft(3, lapsing)
		if _, err := db.W.ExecContext(ctx, `UPDATE resources SET starts_at = $2, expires_at = $3 WHERE id = $1`, lapsing,
			sqldb.Millis(time.Now().AddDate(-1, 0, 0)), sqldb.Millis(time.Now().Add(-time.Hour))); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.Submit(ctx, w.applicant, third.ID)
		wantCode(t, err, "resource.expired")
		if n := used(lapsing); n != 0 {
			t.Fatalf("an expired resource's quota used %d, want 0", n)
		}
	})
}

// A create retried with its idempotency key (the first call's answer lost) returns the order the first call made,
// whether the retry's check finds the subject in flight or passes and meets the key at the INSERT; another key
// makes another order.
func TestCreateRetriedWithKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		create := func(i int, key string) *filing.Order {
			o, err := w.svc.CreateOrder(ctx, w.applicant, provider.CreateInput{Check: check(i, fmt.Sprintf("retry%d.cn", i)),
				Resource: filing.ResourceRef{InstanceID: w.resource}}, key)
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		first := create(400, "k-1")
		if again := create(400, "k-1"); again.ID != first.ID {
			t.Fatalf("a retry (subject in flight) made order %d, want %d", again.ID, first.ID)
		}
		if again := create(401, "k-1"); again.ID != first.ID {
			t.Fatalf("a retry that passes the check made order %d, want %d", again.ID, first.ID)
		}
		if other := create(402, "k-2"); other.ID == first.ID {
			t.Fatal("another key returned the first order")
		}
	})
}
