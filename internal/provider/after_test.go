package provider

import (
	"slices"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// open opens an order on a filed subject and fails the test on error.
func (r *rig) open(a Actor, in FiledOrderInput) *filing.Order {
	r.t.Helper()
	o, err := r.svc.OpenFromFiled(r.ctx, a, in, "")
	if err != nil {
		r.t.Fatalf("open %s: %v", in.Type, err)
	}
	return o
}

// edit changes an order's content as the applicant would and accepts the agreements.
func (r *rig) edit(a Actor, id int64, fn func(c *Content)) error {
	o := r.order(a, id)
	c := Content{Subject: o.Subject, Services: slices.Clone(o.Services), AgreementsAccepted: true}
	if fn != nil {
		fn(&c)
	}
	_, err := r.svc.UpdateOrder(r.ctx, a, id, c)
	return err
}

// filingOf returns the applicant's filing with this number from My filings (nil when not listed).
func (r *rig) filingOf(a Actor, number string) *Filing {
	r.t.Helper()
	fs, err := r.svc.MyFilings(r.ctx, a)
	if err != nil {
		r.t.Fatal(err)
	}
	for i := range fs {
		if fs[i].Number == number {
			return &fs[i]
		}
	}
	return nil
}

func offerAllowed(offers []Offer, t filing.OrderType) (bool, string) {
	for _, o := range offers {
		if o.Type == t {
			if o.Refusal != nil {
				return o.Allowed, o.Refusal.Code
			}
			return o.Allowed, ""
		}
	}
	return false, "absent"
}

// Every order type that starts from a filed record, from My filings to the registry: the order carries the
// record as filed, the applicant changes only what the type changes, the administration's approval shows in
// the registry (public query), in the provider's records and in My filings.
func TestOrdersFromFiledRecords(t *testing.T) {
	newMobile := "13600136000"
	cases := []struct {
		typ filing.OrderType
		// second files a second website first (cancel one of two).
		second bool
		in     func(subject, site string, res int64) FiledOrderInput
		edit   func(c *Content)
		check  func(t *testing.T, r *rig, a Actor, o *filing.Order, subject, site string)
	}{
		{typ: filing.NewService,
			in: func(subject, _ string, res int64) FiledOrderInput {
				return FiledOrderInput{Type: filing.NewService, SubjectNumber: subject, ServiceKind: filing.Website,
					Domain: "second-site.cn", Resource: filing.ResourceRef{InstanceID: res}}
			},
			edit: func(c *Content) {
				c.Services[0].Name, c.Services[0].Content = "示例云博客", []string{"unit_portal"}
			},
			check: func(t *testing.T, r *rig, a Actor, o *filing.Order, subject, _ string) {
				if len(o.Result.Services) != 1 || o.Result.Services[0].Number != subject+"-2" {
					t.Fatalf("issued %+v", o.Result)
				}
				if f := r.filingOf(a, subject); len(f.Services) != 2 || f.Services[1].Domains[0] != "second-site.cn" {
					t.Fatalf("my filings %+v", f)
				}
			}},
		{typ: filing.ChangeSubject,
			in: func(subject, _ string, _ int64) FiledOrderInput {
				return FiledOrderInput{Type: filing.ChangeSubject, SubjectNumber: subject}
			},
			edit: func(c *Content) { c.Subject.Principal.Mobile = newMobile },
			check: func(t *testing.T, r *rig, a Actor, o *filing.Order, subject, _ string) {
				if _, ok := r.box.last(newMobile, smsCodeRE); !ok {
					t.Fatal("no SMS code to the new mobile")
				}
				rec, _ := r.sim.LookupFiling(r.ctx, providerID, subject)
				if rec.Subject.Principal.Mobile != newMobile {
					t.Fatalf("registry principal %+v", rec.Subject.Principal)
				}
			}},
		{typ: filing.ChangeService,
			in: func(subject, site string, _ int64) FiledOrderInput {
				return FiledOrderInput{Type: filing.ChangeService, SubjectNumber: subject, ServiceNumbers: []string{site}}
			},
			edit: func(c *Content) {
				c.Services[0].Principal.Mobile = newMobile
				c.Services[0].Domains = []string{"example-new.cn"}
				c.Services[0].HomeURL = "www.example-new.cn"
			},
			check: func(t *testing.T, r *rig, a Actor, o *filing.Order, _, site string) {
				if recs, _ := r.query(miit.Query{Domain: "example.cn"}); len(recs) != 0 {
					t.Fatalf("the replaced domain is still filed: %+v", recs)
				}
				if recs, _ := r.query(miit.Query{Domain: "example-new.cn"}); len(recs) != 1 || recs[0].ServiceNumber != site {
					t.Fatalf("public query of the new domain: %+v", recs)
				}
			}},
		{typ: filing.ChangeAccess,
			in: func(subject, site string, _ int64) FiledOrderInput {
				return FiledOrderInput{Type: filing.ChangeAccess, SubjectNumber: subject, ServiceNumbers: []string{site}}
			},
			edit: func(c *Content) {
				c.Services[0].IPs, c.Services[0].AccessMethod, c.Services[0].AccessLocation = []string{"198.51.100.9"}, "colocation", "广东省深圳市"
			},
			check: func(t *testing.T, r *rig, a Actor, o *filing.Order, subject, site string) {
				f := r.filingOf(a, subject)
				if ips := f.Services[0].Accesses[0].IPs; len(ips) != 1 || ips[0] != "198.51.100.9" {
					t.Fatalf("access %+v", f.Services[0].Accesses)
				}
				// The next change starts from the access as the registry now has it.
				next := r.open(a, FiledOrderInput{Type: filing.ChangeAccess, SubjectNumber: subject, ServiceNumbers: []string{site}})
				if svc := next.Services[0]; svc.AccessMethod != "colocation" || svc.AccessLocation != "广东省深圳市" {
					t.Fatalf("next change_access starts from %q, %q", svc.AccessMethod, svc.AccessLocation)
				}
			}},
		{typ: filing.CancelService, second: true,
			in: func(subject, site string, _ int64) FiledOrderInput {
				return FiledOrderInput{Type: filing.CancelService, SubjectNumber: subject, ServiceNumbers: []string{site}}
			},
			check: func(t *testing.T, r *rig, a Actor, o *filing.Order, subject, site string) {
				if recs, _ := r.query(miit.Query{Number: site}); len(recs) != 0 {
					t.Fatalf("cancelled service in the public query: %+v", recs)
				}
				if f := r.filingOf(a, subject); len(f.Services) != 1 || f.Services[0].Number == site || f.Empty {
					t.Fatalf("my filings %+v", f)
				}
			}},
		{typ: filing.WithdrawAccess,
			in: func(subject, site string, _ int64) FiledOrderInput {
				return FiledOrderInput{Type: filing.WithdrawAccess, SubjectNumber: subject, ServiceNumbers: []string{site}}
			},
			check: func(t *testing.T, r *rig, a Actor, o *filing.Order, subject, _ string) {
				f := r.filingOf(a, subject)
				if !f.Empty || len(f.Services) != 0 {
					t.Fatalf("the only access withdrawn, the service should be cancelled: %+v", f)
				}
				// Guangdong does not let an empty subject file services.
				if ok, code := offerAllowed(f.Offers, filing.NewService); ok || code != "filed.empty_subject_refused" {
					t.Fatalf("new service offered on an empty Guangdong subject: %v %s", ok, code)
				}
				// No provider hosts it any more, this one neither: it may still be cancelled here.
				if ok, code := offerAllowed(f.Offers, filing.CancelSubject); !ok {
					t.Fatalf("cancel_subject not offered on an empty subject: %s", code)
				}
				if ok, code := offerAllowed(f.Offers, filing.ChangeSubject); ok || code != "filed.not_accessed_here" {
					t.Fatalf("change_subject offered on an empty subject: %v %s", ok, code)
				}
				if recs, _ := r.query(miit.Query{Number: subject}); len(recs) != 1 || recs[0].ServiceNumber != "" {
					t.Fatalf("public query of the empty subject: %+v", recs)
				}
			}},
		{typ: filing.CancelSubject,
			in: func(subject, _ string, _ int64) FiledOrderInput {
				return FiledOrderInput{Type: filing.CancelSubject, SubjectNumber: subject}
			},
			check: func(t *testing.T, r *rig, a Actor, o *filing.Order, subject, _ string) {
				if f := r.filingOf(a, subject); f != nil {
					t.Fatalf("cancelled subject still listed: %+v", f)
				}
				if recs, _ := r.query(miit.Query{Number: subject}); len(recs) != 0 {
					t.Fatalf("public query %+v", recs)
				}
			}},
	}
	for _, c := range cases {
		t.Run(string(c.typ), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
				r := newRig(t, db)
				a, res := r.applicant("a@example.cn")
				filed := r.file(a, res, usccs[0], "example.cn")
				if filed.State != filing.Approved {
					t.Fatalf("filing ended %s", filed.State)
				}
				subject, site := filed.Result.SubjectNumber, filed.Result.Services[0].Number
				if c.second {
					o := r.open(a, FiledOrderInput{Type: filing.NewService, SubjectNumber: subject, ServiceKind: filing.Website,
						Domain: "second-site.cn", Resource: filing.ResourceRef{InstanceID: res}})
					if err := r.edit(a, o.ID, func(c *Content) {
						c.Services[0].Name, c.Services[0].Content = "示例云博客", []string{"unit_portal"}
					}); err != nil {
						t.Fatal(err)
					}
					if o := r.through(a, o.ID, true); o.State != filing.Approved {
						t.Fatalf("second website: %s", o.State)
					}
				}
				o := r.open(a, c.in(subject, site, res))
				if o.Type != c.typ || o.Subject.Name != "广州示例云科技有限公司" || o.Filed == nil {
					t.Fatalf("opened %+v", o)
				}
				if err := r.edit(a, o.ID, c.edit); err != nil {
					t.Fatalf("edit: %v", err)
				}
				if ok, code := offerAllowed(r.filingOf(a, subject).Offers, filing.ChangeSubject); ok || code != "filed.in_flight" {
					t.Fatalf("with an order in flight: %v %s", ok, code)
				}
				o = r.through(a, o.ID, true)
				if o.State != filing.Approved {
					t.Fatalf("ended %s: %+v", o.State, o.Result)
				}
				c.check(t, r, a, o, subject, site)
			})
		})
	}
}

// query answers the public query with the records that are filed (a cancelled one answers as cancelled).
func (r *rig) query(q miit.Query) ([]miit.Record, error) {
	recs, err := r.sim.Query(r.ctx, q)
	var out []miit.Record
	for _, rec := range recs {
		if rec.Status == miit.StatusFiled {
			out = append(out, rec)
		}
	}
	return out, err
}
