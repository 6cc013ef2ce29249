package app_test

import (
	"net/url"
	"slices"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/storetest"
)

// fileNew takes a new Guangdong enterprise filing of one website to approval; it returns the subject and
// service numbers.
func (p *parties) fileNew(c *client, resourceID int64, domain string) (string, string) {
	p.t.Helper()
	o := p.open(c, check(domain), resourceID, filing.NewFiling)
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), content(o), nil)
	p.forward(c, o.ID)
	p.verify(mobile)
	p.waitState(c, o.ID, filing.AdministrationReview)
	p.officerDecide(o.ID, true)
	p.waitState(c, o.ID, filing.Approved)
	var done filing.Order
	c.must(200, "GET", path("/api/v1/orders/%d", o.ID), nil, &done)
	return done.Result.SubjectNumber, done.Services[0].Number
}

// openFiled opens an order on a filed subject over the API.
func (p *parties) openFiled(c *client, number string, in provider.FiledOrderInput) *filing.Order {
	p.t.Helper()
	var o filing.Order
	c.must(201, "POST", "/api/v1/filings/"+url.PathEscape(number)+"/orders", in, &o)
	return &o
}

// edit replaces the order's content as edited by fn, with the agreements accepted.
func edit(c *client, o *filing.Order, fn func(c *provider.Content)) {
	ct := provider.Content{Subject: o.Subject, Services: slices.Clone(o.Services), AgreementsAccepted: true}
	if fn != nil {
		fn(&ct)
	}
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), ct, nil)
}

// settle submits an order (confirming it when irreversible), has the reviewer approve it, verifies the codes
// of the phones given (with the last six digits of the ID given after each) and has the officer approve.
func (p *parties) settle(c *client, id int64, phones ...string) *filing.Order {
	p.t.Helper()
	var conf struct {
		Irreversible bool
		Phrase       string
		Consequences []struct{ Code, Message string }
	}
	c.must(200, "GET", path("/api/v1/orders/%d/consequences", id), nil, &conf)
	before := map[string]string{} // the last code each phone got before this order: the new one must differ
	for i := 0; i+1 < len(phones); i += 2 {
		before[phones[i]] = p.lastCode(phones[i])
	}
	if conf.Irreversible && (conf.Phrase == "" || len(conf.Consequences) == 0 || conf.Consequences[0].Message == "") {
		p.t.Fatalf("confirmation %+v", conf)
	}
	c.must(200, "POST", path("/api/v1/orders/%d/submit", id), map[string]string{"confirm": conf.Phrase}, nil)
	p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", id), provider.Decision{Decision: "approve"}, nil)
	eventually(p.t, "forwarded", func() bool {
		st := p.state(c, id)
		return st == filing.SMSPending || st == filing.AdministrationReview || st == filing.Approved
	})
	for i := 0; i+1 < len(phones); i += 2 {
		var code string
		eventually(p.t, "a new code texted to "+phones[i], func() bool {
			code = p.lastCode(phones[i])
			return code != "" && code != before[phones[i]]
		})
		if status, body := p.trySMS(phones[i], code, phones[i+1]); status != 200 {
			p.t.Fatalf("SMS verification of %s: %d %s", phones[i], status, body)
		}
	}
	// A change of access is decided at once; the others wait for the officer.
	eventually(p.t, "approved", func() bool {
		switch p.state(c, id) {
		case filing.Approved:
			return true
		case filing.AdministrationReview:
			p.approveIfQueued(id)
		}
		return false
	})
	var o filing.Order
	c.must(200, "GET", path("/api/v1/orders/%d", id), nil, &o)
	return &o
}

type filingsBody struct {
	Subjects []struct {
		Number   string
		Empty    bool
		Offers   []offerBody
		Services []struct {
			Number       string
			Domains      []string
			AccessedHere bool `json:"accessed_here"`
			Offers       []offerBody
		}
	}
}

type offerBody struct {
	Type    filing.OrderType
	Allowed bool
	Reason  *struct{ Code, Message string }
}

func (p *parties) filings(c *client) filingsBody {
	var b filingsBody
	c.must(200, "GET", "/api/v1/filings", nil, &b)
	return b
}

func offer(offers []offerBody, t filing.OrderType) offerBody {
	for _, o := range offers {
		if o.Type == t {
			return o
		}
	}
	return offerBody{}
}

// queryCount counts the records of the public query that are filed (cancelled ones answer as cancelled).
func (p *parties) queryCount(q string) int {
	var out struct{ Records []struct{ Status string } }
	p.public.must(200, "GET", "/api/v1/query?"+q, nil, &out)
	n := 0
	for _, r := range out.Records {
		if r.Status == "filed" {
			n++
		}
	}
	return n
}

// Every order type after the number, over HTTP, from My filings to the registry and the public query, with
// the refusals that change nothing.
func TestAfterFilingEndToEnd(t *testing.T) {
	const newMobile = "13711826403"
	for name, dbURL := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) {
			a := startApp(t, dbURL)
			p := newParties(t, a)
			c, res := p.newApplicant("after@example.com")
			subject, site := p.fileNew(c, res, "after-demo.cn")
			f := p.filings(c)
			if len(f.Subjects) != 1 || !offer(f.Subjects[0].Offers, filing.ChangeSubject).Allowed {
				t.Fatalf("my filings %+v", f)
			}

			// A second website for the filed subject, nothing retyped.
			o := p.openFiled(c, subject, provider.FiledOrderInput{Type: filing.NewService, ServiceKind: filing.Website,
				Domain: "after-blog.cn", Resource: filing.ResourceRef{InstanceID: res}})
			if o.Subject.Name != "广州示例云科技有限公司" || o.Subject.Principal.Mobile != mobile {
				t.Fatalf("new service did not start from the filed subject: %+v", o.Subject)
			}
			// While it is open, nothing else is offered, and opening something else is refused.
			if off := offer(p.filings(c).Subjects[0].Offers, filing.ChangeSubject); off.Allowed || off.Reason.Code != "filed.in_flight" || off.Reason.Message == "" {
				t.Fatalf("change offered with an order in flight: %+v", off)
			}
			if codes := c.errorCodes(409, "POST", "/api/v1/filings/"+url.PathEscape(subject)+"/orders",
				provider.FiledOrderInput{Type: filing.ChangeSubject}); !hasCode(codes, "filed.in_flight") {
				t.Fatalf("second order: %v", codes)
			}
			edit(c, o, func(ct *provider.Content) {
				ct.Services[0].Name, ct.Services[0].Content = "广州示例云科技博客", []string{"unit_portal"}
				ct.Services[0].PrincipalSameAsSubject = true
			})
			o = p.settle(c, o.ID, mobile, legalRep[12:])
			blog := o.Services[0].Number
			if blog != subject+"-2" || p.queryCount("domain=after-blog.cn") != 1 {
				t.Fatalf("new service %s", blog)
			}

			// Change of the website: a principal's mobile and a replaced domain.
			o = p.openFiled(c, subject, provider.FiledOrderInput{Type: filing.ChangeService, ServiceNumbers: []string{site}})
			if codes := c.errorCodes(409, "PUT", path("/api/v1/orders/%d", o.ID), provider.Content{Province: "32",
				Subject: o.Subject, Services: o.Services}); !hasCode(codes, "order.province_change") {
				t.Fatalf("province change: %v", codes)
			}
			edit(c, o, nil)
			if codes := c.errorCodes(422, "POST", path("/api/v1/orders/%d/submit", o.ID), nil); !hasCode(codes, "filed.nothing_changed") {
				t.Fatalf("nothing changed: %v", codes)
			}
			edit(c, o, func(ct *provider.Content) {
				ct.Services[0].Principal.Mobile = newMobile
				ct.Services[0].Domains, ct.Services[0].HomeURL = []string{"after-new.cn"}, "www.after-new.cn"
			})
			var ev struct {
				Notices []struct{ Code, Message string }
			}
			c.must(200, "GET", path("/api/v1/orders/%d/evaluation", o.ID), nil, &ev)
			if !hasNotice(ev.Notices, "filed.domain_replaced") || !hasNotice(ev.Notices, "filed.sms_new_mobile") {
				t.Fatalf("notices %+v", ev.Notices)
			}
			var rv provider.ReviewView
			p.reviewer.must(200, "GET", path("/api/v1/console/orders/%d/review", o.ID), nil, &rv)
			if len(rv.Changes) != 3 {
				t.Fatalf("reviewer's diff %+v", rv.Changes)
			}
			p.settle(c, o.ID, newMobile, legalRep[12:])
			if p.queryCount("domain=after-demo.cn") != 0 || p.queryCount("domain=after-new.cn") != 1 {
				t.Fatal("the registry did not follow the service change")
			}

			// Change of access (no documents, no SMS, decided at once).
			o = p.openFiled(c, subject, provider.FiledOrderInput{Type: filing.ChangeAccess, ServiceNumbers: []string{blog}})
			if codes := c.errorCodes(422, "PUT", path("/api/v1/orders/%d", o.ID), provider.Content{Subject: o.Subject,
				Services: []filing.Service{{Kind: filing.Website, Number: blog, Name: "改名", Domains: o.Services[0].Domains,
					IPs: o.Services[0].IPs}}}); !hasCode(codes, "order.fixed_field") {
				t.Fatalf("fixed field: %v", codes)
			}
			edit(c, o, func(ct *provider.Content) { ct.Services[0].IPs = []string{"198.51.100.7"} })
			p.settle(c, o.ID)

			// Change of subject: the subject principal verifies.
			o = p.openFiled(c, subject, provider.FiledOrderInput{Type: filing.ChangeSubject})
			edit(c, o, func(ct *provider.Content) { ct.Subject.Principal.Email = "chen.wei@gz-demo.cn" })
			p.settle(c, o.ID, mobile, legalRep[12:])

			// Cancel the blog: confirmed in plain words first.
			o = p.openFiled(c, subject, provider.FiledOrderInput{Type: filing.CancelService, ServiceNumbers: []string{blog}})
			edit(c, o, nil)
			if codes := c.errorCodes(422, "POST", path("/api/v1/orders/%d/submit", o.ID), nil); !hasCode(codes, "order.confirm_required") {
				t.Fatalf("unconfirmed cancellation: %v", codes)
			}
			p.settle(c, o.ID)
			if p.queryCount("number="+url.QueryEscape(blog)) != 0 {
				t.Fatal("cancelled service still in the public query")
			}

			// Withdraw the only access of the website: the administration cancels it; an empty subject is left,
			// which Guangdong does not let file new services.
			o = p.openFiled(c, subject, provider.FiledOrderInput{Type: filing.WithdrawAccess, ServiceNumbers: []string{site}})
			edit(c, o, nil)
			p.settle(c, o.ID)
			f = p.filings(c)
			if !f.Subjects[0].Empty || len(f.Subjects[0].Services) != 0 {
				t.Fatalf("after withdrawing the only access: %+v", f.Subjects[0])
			}
			if off := offer(f.Subjects[0].Offers, filing.NewService); off.Allowed || off.Reason.Code != "filed.empty_subject_refused" {
				t.Fatalf("new service on an empty Guangdong subject: %+v", off)
			}

			// Claim the Beijing subject filed through another provider, by the code texted to its principal.
			const bj, bjPhone, bjLast6 = "京ICP备2024000001号", "13600136000", "010029"
			var claim filing.Order
			c.must(201, "POST", "/api/v1/claims", provider.ClaimInput{SubjectNumber: bj}, &claim)
			if claim.Subject.Principal.Mobile != "" || claim.Filed != nil {
				t.Fatalf("the claimant sees the record: %+v", claim)
			}
			var st provider.ClaimStatus
			c.must(200, "POST", path("/api/v1/orders/%d/claim-code", claim.ID), nil, &st)
			if st.Phone != "136****6000" {
				t.Fatalf("claim code went to %q", st.Phone)
			}
			code := p.devCode(bjPhone)
			wrong := "000000"
			if code == wrong {
				wrong = "111111"
			}
			if codes := c.errorCodes(422, "POST", path("/api/v1/orders/%d/claim-verification", claim.ID),
				map[string]string{"code": wrong}); !hasCode(codes, "claim.code_wrong") {
				t.Fatalf("wrong code: %v", codes)
			}
			c.must(200, "POST", path("/api/v1/orders/%d/claim-verification", claim.ID), map[string]string{"code": code}, nil)
			if codes := c.errorCodes(409, "POST", "/api/v1/claims", provider.ClaimInput{SubjectNumber: bj}); !hasCode(codes, "claim.already_yours") {
				t.Fatalf("claimed twice: %v", codes)
			}
			other, _ := p.newApplicant("other-after@example.com")
			other.errorCodes(404, "GET", "/api/v1/filings/"+url.PathEscape(bj), nil)

			// New access for its website, then cancel the whole subject.
			o = p.openFiled(c, bj, provider.FiledOrderInput{Type: filing.NewAccess, ServiceNumbers: []string{bj + "-1"},
				Resource: filing.ResourceRef{InstanceID: res}})
			edit(c, o, nil)
			p.settle(c, o.ID, bjPhone, bjLast6)
			o = p.openFiled(c, bj, provider.FiledOrderInput{Type: filing.CancelSubject})
			edit(c, o, nil)
			p.settle(c, o.ID, bjPhone, bjLast6)
			if p.queryCount("number="+url.QueryEscape(bj)) != 0 {
				t.Fatal("cancelled subject still in the public query")
			}
			for _, s := range p.filings(c).Subjects {
				if s.Number == bj {
					t.Fatal("cancelled subject still in my filings")
				}
			}
		})
	}
}

func hasNotice(ns []struct{ Code, Message string }, code string) bool {
	for _, n := range ns {
		if n.Code == code && n.Message != "" {
			return true
		}
	}
	return false
}

// devCode reads the latest six-digit code the provider texted to phone (not MIIT's, sender 12381).
func (p *parties) devCode(phone string) string {
	var out struct {
		Messages []struct{ Sender, Body string }
	}
	var code string
	eventually(p.t, "claim code texted", func() bool {
		p.operator.must(200, "GET", "/api/v1/dev/messages?to="+phone, nil, &out)
		for _, m := range out.Messages {
			if m.Sender != "12381" {
				if c := codeRE.FindString(m.Body); c != "" {
					code = c
					return true
				}
			}
		}
		return false
	})
	return code
}

// approveIfQueued approves the order's submission when it waits in the officer's queue.
func (p *parties) approveIfQueued(id int64) {
	var list struct {
		Reviews []struct {
			ID              int64 `json:"id"`
			ProviderOrderID int64 `json:"provider_order_id"`
		}
	}
	p.officer.must(200, "GET", "/miit/api/v1/reviews", nil, &list)
	for _, r := range list.Reviews {
		if r.ProviderOrderID == id {
			p.officer.do("POST", path("/miit/api/v1/reviews/%d/decision", r.ID), map[string]any{"approve": true})
		}
	}
}

// lastCode is the code of the latest message from 12381 to phone ("" when none yet). A message is recorded
// after the order shows that codes were sent, so callers wait for a code they have not seen.
func (p *parties) lastCode(phone string) string {
	var out struct {
		Messages []struct{ Sender, Body string }
	}
	p.operator.must(200, "GET", "/api/v1/dev/messages?to="+phone, nil, &out)
	for _, m := range out.Messages {
		if m.Sender == "12381" {
			return codeRE.FindString(m.Body)
		}
	}
	return ""
}
