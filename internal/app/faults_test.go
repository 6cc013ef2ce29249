package app_test

import (
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/storetest"
)

// draftReady opens a complete new_filing draft for domain.
func (p *parties) draftReady(c *client, resourceID int64, domain string) *filing.Order {
	o := p.open(c, check(domain), resourceID, filing.NewFiling)
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), content(o), nil)
	return o
}

// SMS not verified within 24 hours returns the order to the provider (docs/design.md §4.9), shown by advancing the clock;
// the reviewer can then forward it again.
func TestSMSExpiresAfter24Hours(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("expire@example.com")
	o := p.draftReady(c, res, "expire-demo.cn")
	p.forward(c, o.ID)
	var tl provider.Timeline
	c.must(200, "GET", path("/api/v1/orders/%d/timeline", o.ID), nil, &tl)
	if tl.Next == nil || tl.Next.Deadline == nil || tl.Next.HoursLeft == nil || *tl.Next.HoursLeft != 23 && *tl.Next.HoursLeft != 24 {
		t.Fatalf("SMS deadline not shown as ~24 h: %+v", tl.Next)
	}
	p.operator.must(200, "POST", "/api/v1/dev/clock", map[string]string{"advance": "23h"}, nil)
	if st := p.state(c, o.ID); st != filing.SMSPending {
		t.Fatalf("returned before 24 h: %s", st)
	}
	p.operator.must(200, "POST", "/api/v1/dev/clock", map[string]string{"advance": "2h"}, nil)
	p.waitState(c, o.ID, filing.Returned)
	c.must(200, "GET", path("/api/v1/orders/%d/timeline", o.ID), nil, &tl)
	if last := tl.Events[len(tl.Events)-1]; last.Action != filing.ActSMSExpired || last.ActorRole != filing.RoleRegulator {
		t.Fatalf("last event %+v", last)
	}
	p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/reforward", o.ID), nil, nil)
	p.waitState(c, o.ID, filing.SMSPending)
	p.verify(mobile)
	p.waitState(c, o.ID, filing.AdministrationReview)
}

// More than 5 wrong codes return the order (docs/design.md §4.9).
func TestSixWrongCodesReturnTheOrder(t *testing.T) {
	for name, url := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) {
			a := startApp(t, url)
			p := newParties(t, a)
			c, res := p.newApplicant("wrong@example.com")
			o := p.draftReady(c, res, "wrong-code.cn")
			p.forward(c, o.ID)
			good := p.smsCode(mobile)
			bad := "000000"
			if good == bad {
				bad = "111111"
			}
			for i := 1; i <= 6; i++ {
				status, body := p.trySMS(mobile, bad, legalRep[12:])
				if status < 400 {
					t.Fatalf("wrong code %d accepted: %d %s", i, status, body)
				}
			}
			p.waitState(c, o.ID, filing.Returned)
			status, _ := p.trySMS(mobile, good, legalRep[12:])
			if status < 400 {
				t.Fatal("the right code was accepted after the order was returned")
			}
		})
	}
}

// The applicant may withdraw until administration review (docs/design.md §4.2); the quota comes back.
func TestWithdrawUntilAdministrationReview(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("withdraw@example.com")
	o := p.draftReady(c, res, "withdraw-demo.cn")
	p.forward(c, o.ID)
	quota := func() int {
		var out struct {
			Resources []struct {
				QuotaUsed int64 `json:"quota_used"`
			}
		}
		c.must(200, "GET", "/api/v1/resources", nil, &out)
		return int(out.Resources[0].QuotaUsed)
	}
	if quota() != 1 {
		t.Fatalf("quota used = %d after submission", quota())
	}
	c.must(200, "POST", path("/api/v1/orders/%d/withdraw", o.ID), map[string]string{"reason": "不再需要"}, nil)
	if st := p.state(c, o.ID); st != filing.Withdrawn {
		t.Fatalf("state %s", st)
	}
	if quota() != 0 {
		t.Fatal("quota not given back")
	}
	// The codes sent for the withdrawn submission no longer verify anything.
	status, _ := p.trySMS(mobile, p.smsCode(mobile), legalRep[12:])
	if status < 400 {
		t.Fatal("code of a withdrawn submission accepted")
	}
	// The subject is free again: a new order can be opened.
	p.draftReady(c, res, "withdraw-demo.cn")
}

// A create retried with the same Idempotency-Key creates one order; the same key with another body is refused.
func TestIdempotentOrderCreation(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("idem@example.com")
	in := provider.CreateInput{Check: check("idem-demo.cn"), Resource: filing.ResourceRef{InstanceID: res}}
	var first, second filing.Order
	c.must(201, "POST", "/api/v1/orders", in, &first, "Idempotency-Key", "k-1")
	c.must(201, "POST", "/api/v1/orders", in, &second, "Idempotency-Key", "k-1")
	if first.ID == 0 || first.ID != second.ID {
		t.Fatalf("retry created another order: %d, %d", first.ID, second.ID)
	}
	in.Check.Domain = "other-demo.cn"
	status, _ := c.do("POST", "/api/v1/orders", in, "Idempotency-Key", "k-1")
	if status != 422 {
		t.Fatalf("same key, other body: %d", status)
	}
	var list struct{ Total int }
	c.must(200, "GET", "/api/v1/orders", nil, &list)
	if list.Total != 1 {
		t.Fatalf("%d orders exist", list.Total)
	}
}

// A crash between the state change and its delivery loses neither: the outbox row committed with the decision
// is delivered when the next process starts (the upload to the regulator and the applicant's SMS).
func TestCrashBetweenStateChangeAndDelivery(t *testing.T) {
	for name, url := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			stopped := func(c *app.Config) { c.NoWorkers, c.DataDir = true, dir }
			if name == "sqlite" {
				url = "sqlite:" + dir + "/beian.db"
			}
			a := startApp(t, url, stopped)
			p := newParties(t, a)
			c, res := p.newApplicant("crash@example.com")
			o := p.draftReady(c, res, "crash-demo.cn")
			c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
			p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", o.ID), provider.Decision{Decision: "approve"}, nil)
			pending, err := a.Store.OutboxPending(t.Context())
			if err != nil || pending == 0 {
				t.Fatalf("nothing pending before the crash: %d %v", pending, err)
			}
			a.Close() // the process dies before any delivery

			b := startApp(t, url, func(c *app.Config) { c.DataDir = dir })
			q := newParties(t, b)
			c2 := login(t, b.URL(), "crash@example.com", "correct horse 1")
			q.waitState(c2, o.ID, filing.SMSPending)
			q.smsCode(mobile) // the simulator's code reached the phone
			var out struct{ Messages []struct{ Body string } }
			q.operator.must(200, "GET", "/api/v1/dev/messages?to=13926184530", nil, &out)
			found := false
			for _, m := range out.Messages {
				found = found || containsAll(m.Body, "初审通过")
			}
			if !found {
				t.Fatalf("the applicant's notification was lost: %+v", out.Messages)
			}
		})
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !contains(s, p) {
			return false
		}
	}
	return true
}
