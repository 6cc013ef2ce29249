package miit

import (
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A provider reads a filed record with its personal data and every access; a cancelled service is gone from
// it, a cancelled subject is not found, an unknown provider is refused.
func TestLookupFiling(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		subj := enterprise("示例公司", companyID, boss)
		res := f.filed(t, 1, newFiling("44", subj, website("示例官网", "example.com", nil), website("示例博客", "blog-example.cn", nil)))
		site, blog := res.Services[0].Number, res.Services[1].Number

		got, err := f.sim.LookupFiling(ctx, provider, "粤ICP备"+res.SubjectNumber[len("粤ICP备"):])
		if err != nil {
			t.Fatal(err)
		}
		if got.Province != "44" || got.Subject.Number != res.SubjectNumber || got.Subject.Principal.Mobile != legalTel ||
			len(got.Services) != 2 {
			t.Fatalf("filing %+v", got)
		}
		s0 := got.Services[0]
		if s0.Service.Number != site || s0.Service.Domains[0] != "example.com" || s0.Service.Principal.Mobile != legalTel ||
			!s0.HasAccess(provider) || s0.HasAccess("other-isp") || s0.Accesses[0].IPs[0] != "203.0.113.10" {
			t.Fatalf("service %+v", s0)
		}

		f.submit(t, 2, 1, filing.Order{Type: filing.CancelService, Province: "44", Target: &filing.Target{ServiceNumber: blog}})
		f.results(t)
		f.approve(t, "44", 2)
		f.results(t)
		if got, _ := f.sim.LookupFiling(ctx, provider, res.SubjectNumber); len(got.Services) != 1 || got.Services[0].Service.Number != site {
			t.Fatalf("after cancelling the blog: %+v", got.Services)
		}

		f.submit(t, 3, 1, filing.Order{Type: filing.CancelSubject, Province: "44", Target: &filing.Target{SubjectNumber: res.SubjectNumber}})
		f.verify(t, legalTel, legalID)
		f.approve(t, "44", 3)
		f.results(t)
		_, err = f.sim.LookupFiling(ctx, provider, res.SubjectNumber)
		if problem.KindOf(err) != problem.NotFound || !problem.Is(err, "miit.filing_not_found") {
			t.Fatalf("cancelled subject: %v", err)
		}
		if _, err := f.sim.LookupFiling(ctx, "nobody", res.SubjectNumber); err == nil {
			t.Fatal("an unknown provider read a filing")
		}
	})
}
