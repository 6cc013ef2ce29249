package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// wantField fails unless err (or, when err is nil, the violations) holds code on field.
func wantField(t *testing.T, errs []*problem.Error, code, field string) {
	t.Helper()
	for _, e := range errs {
		if e.Code == code && e.Field == field {
			return
		}
	}
	t.Fatalf("got %v, want %s on %s", errs, code, field)
}

// A service's IPs come from the resource bound to the order: saving others (the API sends them; the wizard
// shows them read-only) is refused on the entry's field, and an order that holds others anyway (saved before
// they were checked) cannot be submitted. A part of the resource's addresses, or of its range, is accepted.
func TestServiceIPsComeFromTheResource(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		now := time.Now()
		two, err := w.svc.CreateResource(ctx, w.operator, store.Resource{OwnerID: w.applicant.ID, Name: "ecs-bj",
			IPs: []string{"198.51.100.20", "198.51.100.21", "203.0.113.100-203.0.113.110", "2001:db8::1"}, Billing: "prepaid",
			StartsAt: now, ExpiresAt: now.AddDate(1, 0, 0), QuotaTotal: 10})
		if err != nil {
			t.Fatal(err)
		}
		code, err := w.svc.IssueAuthorizationCode(ctx, w.operator, "ip-coded.cn", []string{"192.0.2.7"}, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name  string
			ref   filing.ResourceRef
			ips   []string
			field string // where order.ip_not_on_resource is; "" when saved
		}{
			{"the resource's addresses", filing.ResourceRef{InstanceID: two.ID}, []string{"198.51.100.20", "198.51.100.21"}, ""},
			{"one of them", filing.ResourceRef{InstanceID: two.ID}, []string{"198.51.100.21"}, ""},
			{"a part of its range", filing.ResourceRef{InstanceID: two.ID}, []string{"203.0.113.101-203.0.113.105", "203.0.113.110"}, ""},
			{"its IPv6 address, as typed", filing.ResourceRef{InstanceID: two.ID}, []string{"2001:DB8:0::1"}, ""},
			{"an address elsewhere", filing.ResourceRef{InstanceID: two.ID}, []string{"8.8.8.8"}, "services[0].ips[0]"},
			{"one good, one elsewhere", filing.ResourceRef{InstanceID: two.ID}, []string{"198.51.100.20", "198.51.100.22"}, "services[0].ips[1]"},
			{"a range running past the resource's", filing.ResourceRef{InstanceID: two.ID}, []string{"203.0.113.105-203.0.113.111"}, "services[0].ips[0]"},
			{"the code's address", filing.ResourceRef{AuthorizationCode: code.Code}, []string{"192.0.2.7"}, ""},
			{"an instance's address on a code", filing.ResourceRef{AuthorizationCode: code.Code}, []string{"198.51.100.20"}, "services[0].ips[0]"},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				n, domain := 500+i, fmt.Sprintf("ips%d.cn", i)
				if c.ref.AuthorizationCode != "" {
					domain = "ip-coded.cn"
				}
				o, err := w.svc.CreateOrder(ctx, w.applicant, provider.CreateInput{Check: check(n, domain), Resource: c.ref}, "")
				if err != nil {
					t.Fatal(err)
				}
				content := loadtest.Content(o, n)
				content.Services[0].IPs = c.ips
				saved, err := w.svc.UpdateOrder(ctx, w.applicant, o.ID, content)
				if c.field == "" {
					wantCode(t, err, "")
					if _, rep, err := w.svc.Evaluate(ctx, w.applicant, o.ID); err != nil || hasViolation(rep.Violations, "order.ip_not_on_resource") {
						t.Fatalf("evaluated: %v, %v", rep.Violations, err)
					}
					return
				}
				wantField(t, problem.As(err), "order.ip_not_on_resource", c.field)
				if saved != nil {
					t.Fatalf("saved %+v", saved.Services[0].IPs)
				}
				got, err := w.svc.GetOrder(ctx, w.applicant, o.ID)
				if err != nil || got.Version != o.Version {
					t.Fatalf("the refused content was saved: %+v, %v", got, err)
				}
			})
		}
	})
}

// An order saved with others' IPs before they were checked on saving is refused at submission.
func TestSubmitRefusesIPsNotOnTheResource(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		o, err := w.svc.CreateOrder(ctx, w.applicant, provider.CreateInput{Check: check(550, "old-ips.cn"),
			Resource: filing.ResourceRef{InstanceID: w.resource}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.UpdateOrder(ctx, w.applicant, o.ID, loadtest.Content(o, 550)); err != nil {
			t.Fatal(err)
		}
		// As an earlier version saved it: straight into the row.
		if err := w.st.Update(ctx, func(tx *store.Tx) error {
			r, err := tx.OrderForUpdate(ctx, o.ID)
			if err != nil {
				return err
			}
			r.Order.Services[0].IPs = []string{"8.8.8.8"}
			return tx.SaveOrder(ctx, r)
		}); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.Submit(ctx, w.applicant, o.ID)
		wantField(t, problem.As(err), "order.ip_not_on_resource", "services[0].ips[0]")
	})
}

func hasViolation(errs []*problem.Error, code string) bool {
	for _, e := range errs {
		if e.Code == code {
			return true
		}
	}
	return false
}

// The home page address and the names are checked as every field format is: a draft keeps what was typed, the
// evaluation reports the error on its field and submission is refused with it.
func TestHomeURLAndNameLengthsBlockSubmission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		cases := []struct {
			name  string
			edit  func(c *provider.Content)
			field string
			code  string // "" when the order is submitted
		}{
			{"the proposed www. address", func(c *provider.Content) {}, "", ""},
			{"https on a subdomain", func(c *provider.Content) { c.Services[0].HomeURL = "https://shop." + c.Services[0].Domains[0] + "/" }, "", ""},
			{"no home page", func(c *provider.Content) { c.Services[0].HomeURL = "" }, "", ""},
			{"a script", func(c *provider.Content) { c.Services[0].HomeURL = "javascript:alert(1)" }, "services[0].home_url", "home_url.scheme"},
			{"another site", func(c *provider.Content) { c.Services[0].HomeURL = "https://evil.example.com/" }, "services[0].home_url", "home_url.other_host"},
			{"credentials", func(c *provider.Content) {
				c.Services[0].HomeURL = "https://admin:secret@www." + c.Services[0].Domains[0] + "/"
			}, "services[0].home_url", "home_url.credentials"},
			{"a subject name of 100 characters", func(c *provider.Content) { c.Subject.Name = strings.Repeat("广", 96) + "有限公司" }, "", ""},
			{"a subject name of 3,000 characters", func(c *provider.Content) { c.Subject.Name = strings.Repeat("广", 2996) + "有限公司" }, "subject.name", "field.name_too_long"},
			{"a website name of 51 characters", func(c *provider.Content) { c.Services[0].Name = strings.Repeat("广", 51) }, "services[0].name", "field.name_too_long"},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				n := 600 + i
				o, err := w.svc.CreateOrder(ctx, w.applicant, provider.CreateInput{Check: check(n, fmt.Sprintf("home%d.cn", i)),
					Resource: filing.ResourceRef{InstanceID: w.resource}}, "")
				if err != nil {
					t.Fatal(err)
				}
				content := loadtest.Content(o, n)
				c.edit(&content)
				if _, err := w.svc.UpdateOrder(ctx, w.applicant, o.ID, content); err != nil {
					t.Fatalf("a draft keeps what was typed: %v", err)
				}
				_, rep, err := w.svc.Evaluate(ctx, w.applicant, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				_, err = w.svc.Submit(ctx, w.applicant, o.ID)
				if c.code == "" {
					wantCode(t, err, "")
					return
				}
				wantField(t, rep.Violations, c.code, c.field)
				wantField(t, problem.As(err), c.code, c.field)
			})
		}
	})
}
