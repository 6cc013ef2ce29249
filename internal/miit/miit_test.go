package miit

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

const (
	legalID   = "44030519900101123X"
	legalTel  = "13800138000"
	webID     = "440106199202023451"
	webTel    = "13900139000"
	companyID = "91440101MA5D000019"
)

var ctx = context.Background()

func TestHappyPath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		webmaster := principal("李四", webID, webTel)
		o := newFiling("44", enterprise("广州示例科技有限公司", companyID, boss), website("示例科技官网", "Example.COM", &webmaster))
		f.submit(t, 101, 1, o)

		rs := f.results(t)
		wantActions(t, rs, filing.ActForwarded)
		if rs[0].SMSDeadline == nil || !rs[0].SMSDeadline.Equal(f.clk.Now().Add(24*time.Hour)) {
			t.Fatalf("SMS deadline %v, want now + 24 h", rs[0].SMSDeadline)
		}
		if f.sms.count() != 2 {
			t.Fatalf("%d messages, want 2 (one per principal phone)", f.sms.count())
		}
		body := f.sms.msgs[legalTel][0]
		for _, want := range []string{"24小时", "后6位", DefaultVerifyURL, "广州示例科技有限公司", "首次备案"} {
			if !strings.Contains(body, want) {
				t.Errorf("SMS %q lacks %q", body, want)
			}
		}
		if strings.Contains(body, legalID) || strings.Contains(body, webID) {
			t.Errorf("SMS carries an ID number: %q", body)
		}

		// Spaces and a lowercase x are accepted.
		code := f.sms.code(t, legalTel)
		out, err := f.sim.VerifySMS(ctx, "138 0013 8000", " "+code[:3]+" "+code[3:], "01123x")
		if err != nil {
			t.Fatal(err)
		}
		if !out.Verified || out.Complete || len(out.Remaining) != 1 || out.Remaining[0] != "139****9000" {
			t.Fatalf("after the first phone: %+v", out)
		}
		if rs := f.results(t); len(rs) != 0 {
			t.Fatalf("results before every phone is verified: %+v", rs)
		}
		out = f.verify(t, webTel, webID)
		if !out.Complete || len(out.Remaining) != 0 {
			t.Fatalf("after the second phone: %+v", out)
		}
		wantActions(t, f.results(t), filing.ActSMSVerified)

		// The officer of Guangdong sees it; Beijing's does not.
		list, total, err := f.sim.Reviews(ctx, ReviewFilter{Provinces: []string{"44"}})
		if err != nil || total != 1 || len(list) != 1 {
			t.Fatalf("reviews %+v %d %v", list, total, err)
		}
		rv := list[0]
		if rv.ReviewDeadline == nil || rv.ReviewDeadline.Before(f.clk.Now().Add(27*24*time.Hour)) {
			t.Fatalf("review deadline %v, want 20 working days", rv.ReviewDeadline)
		}
		if _, err := f.sim.Review(ctx, rv.ID, []string{"11"}); problem.KindOf(err) != problem.NotFound {
			t.Fatalf("other province's officer: %v", err)
		}
		full, err := f.sim.Review(ctx, rv.ID, []string{"44"})
		if err != nil || full.Order == nil || full.Order.Subject.Principal.CredentialNumber != legalID || len(full.SMS) != 2 {
			t.Fatalf("full review: %+v %v", full, err)
		}
		if full.Order.Services[0].Domains[0] != "example.com" {
			t.Fatalf("domain not normalised: %v", full.Order.Services[0].Domains)
		}
		if err := f.sim.Decide(ctx, 7, []string{"11"}, rv.ID, true, ""); problem.KindOf(err) != problem.NotFound {
			t.Fatalf("decide by another province: %v", err)
		}
		wantCode(t, f.sim.Decide(ctx, 7, []string{"44"}, rv.ID, false, " "), "miit.reason_required")
		wantCode(t, f.sim.Decide(ctx, 7, []string{"44"}, rv.ID, false, strings.Repeat("驳", MaxReason+1)), "miit.reason_too_long")
		if err := f.sim.Decide(ctx, 7, []string{"44"}, rv.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.sim.Decide(ctx, 7, []string{"44"}, rv.ID, true, ""), "miit.not_in_review")

		rs = f.results(t)
		wantActions(t, rs, filing.ActAdminApprove)
		res := rs[0]
		if res.Code != 1001 || res.SubjectNumber != "粤ICP备2026000001号" || len(res.Services) != 1 ||
			res.Services[0].Number != "粤ICP备2026000001号-1" || res.Services[0].Index != 0 ||
			res.Services[0].Domain != "example.com" {
			t.Fatalf("approval %+v", res)
		}

		// A website and an APP for the same subject: -2 and -3A.
		appman := principal("王五", "440106199303034563", "13700137000")
		ns := filing.Order{Type: filing.NewService, Province: "44", Subject: o.Subject,
			Services: []filing.Service{website("示例科技商城", "shop-example.cn", &webmaster),
				app("示例商城", []string{"api.example.com", "shop-example.cn"}, appman)}}
		ns.Subject.Number = res.SubjectNumber
		f.submit(t, 102, 1, ns)
		wantActions(t, f.results(t), filing.ActForwarded)
		f.verify(t, webTel, webID)
		f.verify(t, "13700137000", "440106199303034563")
		wantActions(t, f.results(t), filing.ActSMSVerified)
		f.approve(t, "44", 102)
		rs = f.results(t)
		wantActions(t, rs, filing.ActAdminApprove)
		if got := rs[0].Services; len(got) != 2 || got[0].Number != "粤ICP备2026000001号-2" ||
			got[1].Number != "粤ICP备2026000001号-3A" || got[1].Index != 1 || rs[0].SubjectNumber != "粤ICP备2026000001号" {
			t.Fatalf("new services %+v", rs[0])
		}

		// Public query.
		recs, err := f.sim.Query(ctx, Query{Domain: "https://WWW.example.com/about"})
		if err != nil || len(recs) != 1 || recs[0].ServiceNumber != "粤ICP备2026000001号-1" ||
			recs[0].SubjectName != "广州示例科技有限公司" || recs[0].Nature != "enterprise" || recs[0].Province != "44" ||
			recs[0].Kind != filing.Website || recs[0].ApprovedAt.IsZero() {
			t.Fatalf("query by domain: %+v %v", recs, err)
		}
		recs, _ = f.sim.Query(ctx, Query{Domain: "shop-example.cn"})
		if len(recs) != 2 {
			t.Fatalf("website and APP share shop-example.cn: %+v", recs)
		}
		recs, _ = f.sim.Query(ctx, Query{Domain: "api.example.com"})
		if len(recs) != 1 || recs[0].ServiceNumber != "粤ICP备2026000001号-3A" || len(recs[0].Domains) != 2 {
			t.Fatalf("query APP domain: %+v", recs)
		}
		recs, _ = f.sim.Query(ctx, Query{Number: "粤ICP备2026000001号"})
		if len(recs) != 3 || recs[2].Kind != filing.App {
			t.Fatalf("query by subject number: %+v", recs)
		}
		recs, _ = f.sim.Query(ctx, Query{Number: "粤ICP备2026000001-3a"})
		if len(recs) != 1 || recs[0].ServiceName != "示例商城" {
			t.Fatalf("query by service number: %+v", recs)
		}
		recs, _ = f.sim.Query(ctx, Query{SubjectName: "广州示例科技有限公司"})
		if len(recs) != 3 {
			t.Fatalf("query by name: %+v", recs)
		}
		recs, err = f.sim.Query(ctx, Query{Domain: "unknown.cn"})
		if err != nil || len(recs) != 0 {
			t.Fatalf("unknown domain: %+v %v", recs, err)
		}
		_, err = f.sim.Query(ctx, Query{})
		wantCode(t, err, "miit.query_empty")

		st, err := f.sim.LookupSubject(ctx, "business_license", strings.ToLower(companyID))
		if err != nil || !st.Filed || st.Number != "粤ICP备2026000001号" || len(st.Providers) != 1 || st.Province != "44" {
			t.Fatalf("lookup subject: %+v %v", st, err)
		}
		ds, err := f.sim.LookupDomain(ctx, "shop-example.cn")
		if err != nil || !ds.Filed || ds.ServiceNumber != "粤ICP备2026000001号-2" || ds.Providers[0] != provider {
			t.Fatalf("lookup domain: %+v %v", ds, err)
		}
		if ds, _ := f.sim.LookupDomain(ctx, "nothing.cn"); ds.Filed {
			t.Fatalf("unfiled domain reported filed: %+v", ds)
		}
		// A host under a filed domain reports the domain's filing.
		ds, err = f.sim.LookupDomain(ctx, "www.shop-example.cn")
		if err != nil || !ds.Filed || ds.ServiceNumber != "粤ICP备2026000001号-2" || ds.Blacklisted {
			t.Fatalf("lookup host under a filed domain: %+v %v", ds, err)
		}
	})
}

func TestWithdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		o := newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "a-example.cn", nil))
		f.submit(t, 1, 1, o)
		if err := f.sim.Withdraw(ctx, provider, 1); err != nil {
			t.Fatal(err)
		}
		if err := f.sim.Withdraw(ctx, provider, 1); err != nil {
			t.Fatalf("twice: %v", err)
		}
		_, err := f.sim.VerifySMS(ctx, legalTel, f.sms.code(t, legalTel), legalID)
		wantCode(t, err, "miit.sms_mismatch")
		wantCode(t, f.sim.Withdraw(ctx, provider, 99), "miit.submission_not_found")

		// In administration review it is too late.
		f.submit(t, 2, 1, o)
		f.verify(t, legalTel, legalID)
		err = f.sim.Withdraw(ctx, provider, 2)
		wantCode(t, err, "miit.withdraw_too_late")
		if problem.KindOf(err) != problem.Conflict {
			t.Fatalf("kind %v", problem.KindOf(err))
		}
		// Another provider cannot withdraw it.
		wantCode(t, f.sim.Withdraw(ctx, "other-isp", 2), "miit.submission_not_found")
		wantCode(t, f.sim.Withdraw(ctx, "nobody", 2), "miit.provider_unknown")
	})
}

func TestConflicts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		res := f.filed(t, 1, newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "example.com", nil)))
		other := principal("赵六", "110101198001011232", "13600136000")
		otherCo := enterprise("别家公司", "91110000MA0000002P", other)

		cases := []struct {
			name string
			o    filing.Order
			code int
		}{
			{"domain filed by another subject", newFiling("11", otherCo, website("别家官网", "EXAMPLE.com", nil)), 1005},
			{"APP domain filed by another subject", newFiling("11", otherCo, app("别家APP", []string{"api.example.com", "example.com"}, other)), 1005},
			{"same website domain twice", newFiling("11", otherCo, website("甲网", "b-example.cn", nil), website("乙网", "b-example.cn", nil)), 1005},
			{"subject filed in another province", newFiling("11", enterprise("示例公司", companyID, boss), website("示例二", "c-example.cn", nil)), 1046},
			{"subject already filed", newFiling("44", enterprise("示例公司", companyID, boss), website("示例二", "c-example.cn", nil)), 1003},
			{"new service for an unfiled subject", filing.Order{Type: filing.NewService, Province: "11", Subject: otherCo,
				Services: []filing.Service{website("别家官网", "d-example.cn", nil)}}, 1058},
			{"new service in another province", filing.Order{Type: filing.NewService, Province: "11",
				Subject: enterprise("示例公司", companyID, boss), Services: []filing.Service{website("示例二", "c-example.cn", nil)}}, 1046},
			{"website domain already filed by the subject", filing.Order{Type: filing.NewService, Province: "44",
				Subject: enterprise("示例公司", companyID, boss), Services: []filing.Service{website("示例二", "example.com", nil)}}, 1039},
			{"new access to an unfiled service", filing.Order{Type: filing.NewAccess, Province: "44",
				Target: &filing.Target{ServiceNumber: "粤ICP备2026999999号-1"}}, 1059},
			{"new access this provider already has", filing.Order{Type: filing.NewAccess, Province: "44",
				Target: &filing.Target{ServiceNumber: res.Services[0].Number}}, 1038},
			{"invalid domain", newFiling("11", otherCo, website("别家官网", "not a domain", nil)), 1004},
			{"invalid mobile", newFiling("11", enterprise("别家公司", "91110000MA0000002P", principal("赵六", "110101198001011232", "010-12345678")),
				website("别家官网", "e-example.cn", nil)), 1011},
		}
		for i, c := range cases {
			f.submit(t, int64(100+i), 1, c.o)
			rs := f.results(t)
			if len(rs) != 1 || rs[0].Action != filing.ActAdminReject || rs[0].Code != c.code || rs[0].Reason == "" {
				t.Errorf("%s: %+v, want administration_reject %d", c.name, rs, c.code)
			}
		}
		// Not this provider's filing.
		f.submitAs(t, "other-isp", 200, 1, filing.Order{Type: filing.CancelService, Province: "44",
			Target: &filing.Target{ServiceNumber: res.Services[0].Number}})
		if rs := f.resultsOf(t, "other-isp"); len(rs) != 1 || rs[0].Code != 1048 {
			t.Errorf("cancel by another provider: %+v", rs)
		}
		f.submitAs(t, "other-isp", 201, 1, filing.Order{Type: filing.WithdrawAccess, Province: "44",
			Target: &filing.Target{ServiceNumber: res.Services[0].Number}})
		if rs := f.resultsOf(t, "other-isp"); len(rs) != 1 || rs[0].Code != 1047 {
			t.Errorf("withdraw another provider's access: %+v", rs)
		}
		// A claim is not an upload; an unknown provider may not upload.
		wantCode(t, f.sim.Submit(ctx, subm(provider, 300, filing.Order{Type: filing.Claim})), "miit.type_unsupported")
		wantCode(t, f.sim.Submit(ctx, subm("nobody", 301, newFiling("44", otherCo))), "miit.provider_unknown")
		wantCode(t, f.sim.Submit(ctx, subm(provider, 302, newFiling("99", otherCo))), "miit.province_unknown")
	})
}

func TestOneOrderAtATimePerSubject(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		subj := enterprise("示例公司", companyID, boss)
		f.submit(t, 1, 1, newFiling("44", subj, website("示例官网", "a-example.cn", nil)))
		f.submitAs(t, "other-isp", 2, 1, newFiling("44", subj, website("示例官网", "b-example.cn", nil)))
		if rs := f.resultsOf(t, "other-isp"); len(rs) != 1 || rs[0].Code != 1017 {
			t.Fatalf("second order in flight: %+v", rs)
		}
	})
}

func TestIdempotentSubmitAndResultsUntilAcked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		o := newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "a-example.cn", nil))
		for i := 0; i < 3; i++ {
			f.submit(t, 1, 1, o)
		}
		if f.sms.count() != 1 {
			t.Fatalf("%d messages after the same upload three times", f.sms.count())
		}
		for i := 0; i < 2; i++ { // not acknowledged: returned again
			rs, err := f.sim.Results(ctx, provider, 10)
			if err != nil || len(rs) != 1 || rs[0].Action != filing.ActForwarded {
				t.Fatalf("results: %+v %v", rs, err)
			}
		}
		f.verify(t, legalTel, legalID)
		rs, _ := f.sim.Results(ctx, provider, 10)
		wantActions(t, rs, filing.ActForwarded, filing.ActSMSVerified)
		if rs[0].ID >= rs[1].ID {
			t.Fatalf("not oldest first: %+v", rs)
		}
		one, _ := f.sim.Results(ctx, provider, 1)
		if len(one) != 1 || one[0].ID != rs[0].ID {
			t.Fatalf("limit: %+v", one)
		}
		// Another provider can neither see nor acknowledge them.
		if other, _ := f.sim.Results(ctx, "other-isp", 10); len(other) != 0 {
			t.Fatalf("other provider sees %+v", other)
		}
		f.sim.Ack(ctx, "other-isp", []int64{rs[0].ID, rs[1].ID})
		if again, _ := f.sim.Results(ctx, provider, 10); len(again) != 2 {
			t.Fatalf("acked by another provider: %+v", again)
		}
		f.sim.Ack(ctx, provider, []int64{rs[0].ID})
		again, _ := f.sim.Results(ctx, provider, 10)
		wantActions(t, again, filing.ActSMSVerified)
		f.sim.Ack(ctx, provider, []int64{rs[1].ID, rs[1].ID, 424242})
		if again, _ := f.sim.Results(ctx, provider, 10); len(again) != 0 {
			t.Fatalf("after ack: %+v", again)
		}
	})
}

func TestConcurrentApprovalsIssueDistinctNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		const n = 12
		for i := 0; i < n; i++ {
			boss := principal("张三", fmt.Sprintf("4401061990010%05d", i), fmt.Sprintf("138%08d", i))
			o := newFiling("44", enterprise(fmt.Sprintf("并发公司%d", i), fmt.Sprintf("9144010100000%05d", i), boss),
				website("并发官网", fmt.Sprintf("c%d-example.cn", i), nil),
				app("并发APP", []string{fmt.Sprintf("api.c%d-example.cn", i)}, boss))
			f.submit(t, int64(i+1), 1, o)
			f.verify(t, boss.Mobile, boss.CredentialNumber)
		}
		list, total, err := f.sim.Reviews(ctx, ReviewFilter{Provinces: []string{"44"}, Limit: 100})
		if err != nil || total != n {
			t.Fatalf("%d in review, %v", total, err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for _, r := range list {
			wg.Add(1)
			go func(id int64) {
				defer wg.Done()
				errs <- f.sim.Decide(ctx, 7, []string{"44"}, id, true, "")
			}(r.ID)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		seen := map[string]bool{}
		for _, r := range f.results(t) {
			if r.Action != filing.ActAdminApprove {
				continue
			}
			if seen[r.SubjectNumber] {
				t.Fatalf("subject number %s issued twice", r.SubjectNumber)
			}
			seen[r.SubjectNumber] = true
			if len(r.Services) != 2 || r.Services[0].Number != r.SubjectNumber+"-1" || r.Services[1].Number != r.SubjectNumber+"-2A" {
				t.Fatalf("services %+v", r.Services)
			}
		}
		for i := 1; i <= n; i++ {
			if num := fmt.Sprintf("粤ICP备2026%06d号", i); !seen[num] {
				t.Fatalf("%s not issued (have %v)", num, seen)
			}
		}
	})
}

func TestAccessesAndCancellation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		subj := enterprise("示例公司", companyID, boss)
		res := f.filed(t, 1, newFiling("44", subj, website("示例官网", "example.com", nil), website("示例博客", "blog-example.cn", nil)))
		site, blog := res.Services[0].Number, res.Services[1].Number

		// A second provider adds its access to the website (SMS to the service principal).
		na := filing.Order{Type: filing.NewAccess, Province: "44", Subject: subj,
			Services: []filing.Service{website("示例官网", "example.com", nil)}}
		na.Services[0].Number = site
		f.submitAs(t, "other-isp", 10, 1, na)
		wantActions(t, f.resultsOf(t, "other-isp"), filing.ActForwarded)
		f.verify(t, legalTel, legalID)
		id := f.reviewID(t, "44", 10)
		if err := f.sim.Decide(ctx, 7, []string{"44"}, id, true, ""); err != nil {
			t.Fatal(err)
		}
		if rs := f.resultsOf(t, "other-isp"); len(rs) != 2 || rs[1].Code != 1001 || rs[1].Services[0].Number != site {
			t.Fatalf("new access: %+v", rs)
		}
		if ds, _ := f.sim.LookupDomain(ctx, "example.com"); len(ds.Providers) != 2 {
			t.Fatalf("providers %v", ds.Providers)
		}

		// The first provider withdraws its access to both: the website keeps the other access, the blog had
		// only this one and is cancelled (docs/design.md §4.12). No SMS for withdraw_access.
		sent := f.sms.count()
		f.submit(t, 11, 1, filing.Order{Type: filing.WithdrawAccess, Province: "44",
			Services: []filing.Service{{Number: site}, {Number: blog}}})
		wantActions(t, f.results(t), filing.ActForwardedNoSMS)
		if f.sms.count() != sent {
			t.Fatal("SMS sent for withdraw_access")
		}
		f.approve(t, "44", 11)
		rs := f.results(t)
		wantActions(t, rs, filing.ActAdminApprove)
		if !strings.Contains(rs[0].Reason, blog) || strings.Contains(rs[0].Reason, site+"、") {
			t.Fatalf("note %q", rs[0].Reason)
		}
		if recs, _ := f.sim.Query(ctx, Query{Domain: "blog-example.cn"}); len(recs) != 1 ||
			recs[0].Status != StatusCancelled || recs[0].ServiceNumber != blog || recs[0].CancelledAt == nil {
			t.Fatalf("cancelled service not answered as cancelled: %+v", recs)
		}
		if ds, _ := f.sim.LookupDomain(ctx, "example.com"); !ds.Filed || len(ds.Providers) != 1 || ds.Providers[0] != "other-isp" {
			t.Fatalf("website after withdrawal: %+v", ds)
		}
		// change_access by the remaining provider is decided at once.
		// It reaches the registry: IPs, access method and server location of that provider's access.
		ca := filing.Order{Type: filing.ChangeAccess, Province: "44", Services: []filing.Service{{Number: site,
			IPs: []string{"198.51.100.1"}, AccessMethod: "colocation", AccessLocation: "广东省深圳市"}}}
		f.submitAs(t, "other-isp", 12, 1, ca)
		wantActions(t, f.resultsOf(t, "other-isp"), filing.ActForwardedNoSMS, filing.ActAdminApprove)
		if a := accessOf(t, f, "other-isp", res.SubjectNumber, site); a.Method != "colocation" ||
			a.Location != "广东省深圳市" || !slices.Equal(a.IPs, []string{"198.51.100.1"}) {
			t.Fatalf("access after change_access: %+v", a)
		}
		// A change that leaves method and location empty keeps them.
		ca.Services[0].IPs, ca.Services[0].AccessMethod, ca.Services[0].AccessLocation = []string{"198.51.100.2"}, "", ""
		f.submitAs(t, "other-isp", 15, 1, ca)
		wantActions(t, f.resultsOf(t, "other-isp"), filing.ActForwardedNoSMS, filing.ActAdminApprove)
		if a := accessOf(t, f, "other-isp", res.SubjectNumber, site); a.Method != "colocation" ||
			a.Location != "广东省深圳市" || !slices.Equal(a.IPs, []string{"198.51.100.2"}) {
			t.Fatalf("access after a change of IPs only: %+v", a)
		}

		// The other provider withdraws too: the website is cancelled, the subject remains (空壳主体).
		f.submitAs(t, "other-isp", 13, 1, filing.Order{Type: filing.WithdrawAccess, Province: "44",
			Target: &filing.Target{ServiceNumber: site}})
		f.resultsOf(t, "other-isp")
		id = f.reviewID(t, "44", 13)
		if err := f.sim.Decide(ctx, 7, []string{"44"}, id, true, ""); err != nil {
			t.Fatal(err)
		}
		f.resultsOf(t, "other-isp")
		recs, _ := f.sim.Query(ctx, Query{Number: res.SubjectNumber})
		if len(recs) != 1 || recs[0].ServiceNumber != "" || recs[0].SubjectName != "示例公司" {
			t.Fatalf("shell subject: %+v", recs)
		}
		// Guangdong's administration does not let an empty subject file new services: refused at once.
		ns := filing.Order{Type: filing.NewServiceNoSubject, Province: "44", Subject: subj,
			Services: []filing.Service{website("示例官网", "example.com", nil)}}
		f.submit(t, 14, 1, ns)
		if rs := f.results(t); len(rs) != 1 || rs[0].Code != CodeRejected || !strings.Contains(rs[0].Reason, "空壳主体") {
			t.Fatalf("new service of an empty subject in 44: %+v", rs)
		}
		// No provider has an access any more: any may cancel the subject, its principal confirming by SMS.
		f.submit(t, 15, 1, filing.Order{Type: filing.CancelSubject, Province: "44",
			Target: &filing.Target{SubjectNumber: res.SubjectNumber}})
		f.verify(t, legalTel, legalID)
		f.approve(t, "44", 15)
		if rs := f.results(t); rs[len(rs)-1].Code != CodeApproved {
			t.Fatalf("cancel_subject of an empty subject by a provider without access: %+v", rs)
		}
		if st, _ := f.sim.LookupSubject(ctx, "", companyID); st.Filed {
			t.Fatalf("empty subject after cancel_subject: %+v", st)
		}
		// A subject with services stays another provider's to cancel.
		other := f.filed(t, 16, newFiling("44", enterprise("别家公司", "91440300MA5XXXXXKT", principal("赵六", "110101198001011232", "13600136000")),
			website("别家官网", "f-example.cn", nil)))
		f.submitAs(t, "other-isp", 17, 1, filing.Order{Type: filing.CancelSubject, Province: "44",
			Target: &filing.Target{SubjectNumber: other.SubjectNumber}})
		if rs := f.resultsOf(t, "other-isp"); len(rs) != 1 || rs[0].Code != CodeNotProvidersFiling {
			t.Fatalf("cancel_subject by a provider without access: %+v", rs)
		}
	})
}

// Where the administration lets an empty subject file services (Beijing, from the rule's date), a new service of
// a subject no provider hosts any more takes the next service number: numbers are never reused.
func TestEmptySubjectNewServiceWhereAllowed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		f.clk.Advance(time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC).Sub(f.clk.Now())) // the rule applies from 2026-08-23
		subj := enterprise("示例公司", companyID, principal("张三", legalID, legalTel))
		res := f.filed(t, 1, newFiling("11", subj, website("示例官网", "example.com", nil)))
		f.submit(t, 2, 1, filing.Order{Type: filing.CancelService, Province: "11",
			Target: &filing.Target{ServiceNumber: res.Services[0].Number}})
		f.verify(t, legalTel, legalID)
		f.approve(t, "11", 2)
		f.submit(t, 3, 1, filing.Order{Type: filing.NewService, Province: "11", Subject: subj,
			Services: []filing.Service{website("示例官网", "example.com", nil)}})
		f.verify(t, legalTel, legalID)
		f.approve(t, "11", 3)
		rs := f.results(t)
		if last := rs[len(rs)-1]; last.Code != CodeApproved || last.Services[0].Number != res.SubjectNumber+"-2" {
			t.Fatalf("new service of an empty subject in 11: %+v", rs)
		}
	})
}

func TestChangesAndCancelSubject(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{Mode: PolicyAutomatic})
		boss := principal("张三", legalID, legalTel)
		subj := enterprise("示例公司", companyID, boss)
		f.submit(t, 1, 1, newFiling("44", subj, website("示例官网", "example.com", nil)))
		f.verify(t, legalTel, legalID)
		rs := f.results(t)
		wantActions(t, rs, filing.ActForwarded, filing.ActSMSVerified, filing.ActAdminApprove)
		number, site := rs[2].SubjectNumber, rs[2].Services[0].Number

		// change_subject: new name, SMS to the subject principal; the province cannot change.
		cs := filing.Order{Type: filing.ChangeSubject, Province: "44", Subject: subj, Target: &filing.Target{SubjectNumber: number}}
		cs.Subject.Name = "示例集团有限公司"
		f.submit(t, 2, 1, cs)
		f.verify(t, legalTel, legalID)
		wantActions(t, f.results(t), filing.ActForwarded, filing.ActSMSVerified, filing.ActAdminApprove)
		if recs, _ := f.sim.Query(ctx, Query{Domain: "example.com"}); len(recs) != 1 || recs[0].SubjectName != "示例集团有限公司" {
			t.Fatalf("after change_subject: %+v", recs)
		}
		bad := cs
		bad.Province = "11"
		f.submit(t, 3, 1, bad)
		if rs := f.results(t); len(rs) != 1 || rs[0].Code != 1046 {
			t.Fatalf("province change: %+v", rs)
		}

		// change_service: a new domain.
		chs := filing.Order{Type: filing.ChangeService, Province: "44", Subject: cs.Subject,
			Services: []filing.Service{website("示例集团官网", "example.net", nil)}}
		chs.Services[0].Number = site
		f.submit(t, 4, 1, chs)
		f.verify(t, legalTel, legalID)
		if rs := f.results(t); rs[len(rs)-1].Code != 1001 {
			t.Fatalf("change_service: %+v", rs)
		}
		if recs, _ := f.sim.Query(ctx, Query{Domain: "example.com"}); len(recs) != 0 {
			t.Fatalf("old domain still filed: %+v", recs)
		}
		if recs, _ := f.sim.Query(ctx, Query{Domain: "example.net"}); len(recs) != 1 || recs[0].ServiceName != "示例集团官网" ||
			recs[0].ServiceNumber != site {
			t.Fatalf("new domain: %+v", recs)
		}

		// cancel_subject removes the subject and its services; the public query still shows when they were
		// last approved, by number as by domain, and when they were cancelled.
		before, _ := f.sim.Query(ctx, Query{Number: number})
		f.clk.Advance(48 * time.Hour)
		f.submit(t, 5, 1, filing.Order{Type: filing.CancelSubject, Province: "44", Target: &filing.Target{SubjectNumber: number}})
		f.verify(t, legalTel, legalID)
		if rs := f.results(t); rs[len(rs)-1].Code != 1001 {
			t.Fatalf("cancel_subject: %+v", rs)
		}
		if st, _ := f.sim.LookupSubject(ctx, "", companyID); st.Filed {
			t.Fatalf("cancelled subject still filed: %+v", st)
		}
		if recs, _ := f.sim.Query(ctx, Query{Number: number}); len(recs) != 1 || recs[0].Status != StatusCancelled ||
			recs[0].ServiceNumber != site {
			t.Fatalf("cancelled subject not answered as cancelled: %+v", recs)
		}
		if recs, _ := f.sim.Query(ctx, Query{Domain: "example.net"}); len(recs) != 1 || recs[0].Status != StatusCancelled {
			t.Fatalf("domain of a cancelled subject: %+v", recs)
		}
		byNumber, _ := f.sim.Query(ctx, Query{Number: number})
		byDomain, _ := f.sim.Query(ctx, Query{Domain: "example.net"})
		if len(before) != 1 || len(byNumber) != 1 || !byNumber[0].ApprovedAt.Equal(before[0].ApprovedAt) ||
			!byDomain[0].ApprovedAt.Equal(before[0].ApprovedAt) || !byNumber[0].CancelledAt.After(before[0].ApprovedAt) {
			t.Fatalf("approval date before the cancellation %+v; after, by number %+v, by domain %+v", before, byNumber, byDomain)
		}
		// Filing again gives a new subject number.
		f.submit(t, 6, 1, newFiling("44", subj, website("示例官网", "example.com", nil)))
		f.verify(t, legalTel, legalID)
		rs = f.results(t)
		if last := rs[len(rs)-1]; last.SubjectNumber != "粤ICP备2026000002号" {
			t.Fatalf("re-filed subject: %+v", last)
		}
	})
}

func TestAutomaticPolicyAfterWorkdays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{Mode: PolicyAutomatic, AfterWorkdays: 2})
		boss := principal("张三", legalID, legalTel)
		f.submit(t, 1, 1, newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "example.com", nil)))
		f.verify(t, legalTel, legalID)
		wantActions(t, f.results(t), filing.ActForwarded, filing.ActSMSVerified)
		f.clk.Advance(24 * time.Hour) // Tuesday: one working day
		f.sim.Sweep(ctx)
		if rs := f.results(t); len(rs) != 0 {
			t.Fatalf("decided early: %+v", rs)
		}
		f.clk.Advance(24 * time.Hour)
		f.sim.Sweep(ctx)
		rs := f.results(t)
		wantActions(t, rs, filing.ActAdminApprove)
		if rs[0].SubjectNumber != "粤ICP备2026000001号" {
			t.Fatalf("%+v", rs[0])
		}
	})
}

func TestRejectionAndResubmission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		o := newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "example.com", nil))
		f.submit(t, 1, 1, o)
		f.verify(t, legalTel, legalID)
		id := f.reviewID(t, "44", 1)
		if err := f.sim.Decide(ctx, 7, []string{"44"}, id, false, "网站名称与主体无关"); err != nil {
			t.Fatal(err)
		}
		rs := f.results(t)
		if last := rs[len(rs)-1]; last.Action != filing.ActAdminReject || last.Code != 1002 || last.Reason != "网站名称与主体无关" {
			t.Fatalf("%+v", last)
		}
		f.submit(t, 1, 2, o)
		f.verify(t, legalTel, legalID)
		f.approve(t, "44", 1)
		rs = f.results(t)
		if last := rs[len(rs)-1]; last.Code != 1001 || last.Attempt != 2 {
			t.Fatalf("%+v", last)
		}
	})
}

func TestApproveFindsConflictMeanwhile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		a := principal("张三", legalID, legalTel)
		b := principal("赵六", "110101198001011232", "13600136000")
		f.submit(t, 1, 1, newFiling("44", enterprise("甲公司", companyID, a), website("甲官网", "example.com", nil)))
		f.submit(t, 2, 1, newFiling("44", enterprise("乙公司", "91440101MA5D00002C", b), website("乙官网", "example.com", nil)))
		f.verify(t, legalTel, legalID)
		f.verify(t, "13600136000", "110101198001011232")
		f.approve(t, "44", 1)
		err := f.sim.Decide(ctx, 7, []string{"44"}, f.reviewID(t, "44", 2), true, "")
		wantCode(t, err, "miit.approve_conflict")
		if problem.As(err)[0].Params["code"] != "1005" {
			t.Fatalf("%v", problem.As(err)[0].Params)
		}
	})
}

func TestBlacklist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		if err := f.sim.BlacklistDomain(ctx, "bad-example.cn", "赌博"); err != nil {
			t.Fatal(err)
		}
		if err := f.sim.BlacklistSubject(ctx, "91440101MA5D000092", "失信"); err != nil {
			t.Fatal(err)
		}
		boss := principal("张三", legalID, legalTel)
		f.submit(t, 1, 1, newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "www.bad-example.cn", nil)))
		f.submit(t, 2, 1, newFiling("44", enterprise("黑名单公司", "91440101MA5D000092", boss), website("示例官网", "ok-example.cn", nil)))
		rs := f.results(t)
		if len(rs) != 2 || rs[0].Code != 1064 || rs[1].Code != 1065 {
			t.Fatalf("%+v", rs)
		}
		if ds, _ := f.sim.LookupDomain(ctx, "bad-example.cn"); !ds.Blacklisted || ds.Filed {
			t.Fatalf("%+v", ds)
		}
		if ds, _ := f.sim.LookupDomain(ctx, "shop.bad-example.cn"); !ds.Blacklisted || ds.Filed {
			t.Fatalf("a host under a blacklisted domain: %+v", ds)
		}
		f.sim.UnblacklistDomain(ctx, "bad-example.cn")
		if ds, _ := f.sim.LookupDomain(ctx, "bad-example.cn"); ds.Blacklisted {
			t.Fatalf("%+v", ds)
		}
	})
}

func TestLoadRegistry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{Mode: PolicyAutomatic})
		boss := principal("张三", legalID, legalTel)
		seed := []SeedRecord{
			{Province: "44", Subject: func() filing.Subject {
				s := enterprise("老牌公司", "91440101MA5D000107", boss)
				s.Number = "粤ICP备2026000005号"
				return s
			}(), Services: []filing.Service{website("老牌官网", "old-example.cn", nil)}, Providers: []string{provider},
				ApprovedAt: start.Add(-24 * time.Hour)},
			{Province: "11", Subject: enterprise("北京公司", "91110000MA0000010J", boss),
				Services:  []filing.Service{website("北京官网", "bj-example.cn", nil), app("北京APP", []string{"api.bj-example.cn"}, boss)},
				Providers: []string{"other-isp"}},
			{Province: "51", Subject: enterprise("四川公司", "91510000MA0000010D", boss)}, // a subject without services
		}
		if err := f.sim.LoadRegistry(ctx, seed); err != nil {
			t.Fatal(err)
		}
		if err := f.sim.LoadRegistry(ctx, seed); err != nil { // again: skipped
			t.Fatal(err)
		}
		recs, _ := f.sim.Query(ctx, Query{Domain: "old-example.cn"})
		if len(recs) != 1 || recs[0].ServiceNumber != "粤ICP备2026000005号-1" || !recs[0].ApprovedAt.Equal(start.Add(-24*time.Hour)) {
			t.Fatalf("%+v", recs)
		}
		recs, _ = f.sim.Query(ctx, Query{Number: "京ICP备2026000001号"})
		if len(recs) != 2 || recs[1].ServiceNumber != "京ICP备2026000001号-2A" {
			t.Fatalf("%+v", recs)
		}
		recs, _ = f.sim.Query(ctx, Query{Number: "川ICP备2026000001号"})
		if len(recs) != 1 || recs[0].SubjectName != "四川公司" {
			t.Fatalf("川 read as 蜀: %+v", recs)
		}
		// The counters moved past the seeded number.
		f.submit(t, 1, 1, newFiling("44", enterprise("新公司", companyID, boss), website("新官网", "new-example.cn", nil)))
		f.verify(t, legalTel, legalID)
		rs := f.results(t)
		if last := rs[len(rs)-1]; last.SubjectNumber != "粤ICP备2026000006号" {
			t.Fatalf("%+v", last)
		}
		// A seeded domain conflicts.
		f.submit(t, 2, 1, newFiling("44", enterprise("别家", "91440101MA5D000208", boss), website("别家", "old-example.cn", nil)))
		if rs := f.results(t); rs[0].Code != 1005 {
			t.Fatalf("%+v", rs)
		}
	})
}

// Personal data never reaches the database file in the clear (docs/design.md §9).
func TestPersonalDataSealed(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db, Policy{})
	boss := principal("张三", legalID, legalTel)
	web := principal("李四", webID, webTel)
	o := newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "example.com", &web))
	f.filed(t, 1, o)
	f.sim.LoadRegistry(ctx, []SeedRecord{{Province: "44", Subject: enterprise("种子公司", "91440101MA5D000309",
		principal("王五", "440106199303034563", "13700137000")), Services: []filing.Service{website("种子", "seed-example.cn", nil)}}})
	if _, err := db.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(db.URL, "sqlite:")
	files, _ := filepath.Glob(path + "*")
	if len(files) == 0 {
		t.Fatal("no database file")
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{legalID, legalTel, webID, webTel, "440106199303034563", "13700137000", "p@example.com"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains %s in the clear", filepath.Base(file), secret)
			}
		}
	}
}

func subm(prov string, id int64, o filing.Order) regulatorSubmission {
	return regulatorSubmission{ProviderID: prov, ProviderOrderID: id, Attempt: 1, Order: o}
}

func TestSetPolicy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		wantCode(t, f.sim.SetPolicy(Policy{Mode: "sometimes"}), "miit.policy_invalid")
		wantCode(t, f.sim.SetPolicy(Policy{Mode: PolicyAutomatic, AfterWorkdays: 21}), "miit.policy_invalid")
		if err := f.sim.SetPolicy(Policy{Mode: PolicyAutomatic}); err != nil {
			t.Fatal(err)
		}
		boss := principal("张三", legalID, legalTel)
		f.submit(t, 1, 1, newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "example.com", nil)))
		f.verify(t, legalTel, legalID)
		wantActions(t, f.results(t), filing.ActForwarded, filing.ActSMSVerified, filing.ActAdminApprove)
		if p := f.sim.Policy(); p.Mode != PolicyAutomatic {
			t.Fatalf("%+v", p)
		}
	})
}

// accessOf is provider's access to service number n of the filed subject, as the registry gives it.
func accessOf(t *testing.T, f *fixture, provider, subject, n string) regulator.Access {
	t.Helper()
	rec, err := f.sim.LookupFiling(context.Background(), provider, subject)
	if err != nil {
		t.Fatal(err)
	}
	for _, fs := range rec.Services {
		for _, a := range fs.Accesses {
			if fs.Service.Number == n && a.ProviderID == provider {
				return a
			}
		}
	}
	t.Fatalf("no access of %s to %s in %+v", provider, n, rec.Services)
	return regulator.Access{}
}
