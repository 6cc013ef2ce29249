package miit

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// Subject name search: prefix, name order, pages that neither repeat nor skip, a subject with all its filed
// services on one page, and the registrable domain answered for a deeper host.
func TestQueryByNamePrefixAndHost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{Mode: PolicyAutomatic})
		boss := principal("张三", legalID, legalTel)
		var seed []SeedRecord
		for i := range 7 {
			subj := enterprise(fmt.Sprintf("广州示例%d科技有限公司", i), validUSCC(fmt.Sprintf("91440101MA5D%05d", 100+i)), boss)
			svcs := []filing.Service{website(fmt.Sprintf("示例%d官网", i), fmt.Sprintf("ex%d.com.cn", i), nil)}
			if i == 3 {
				svcs = append(svcs, website("示例3博客", "blog-ex3.cn", nil))
			}
			seed = append(seed, SeedRecord{Province: "44", Subject: subj, Services: svcs, Providers: []string{provider}})
		}
		seed = append(seed, SeedRecord{Province: "44", Subject: enterprise("广州其他公司", "91440101MA5D00090F", boss),
			Services: []filing.Service{website("其他", "other-ex.cn", nil)}, Providers: []string{provider}})
		if err := f.sim.LoadRegistry(ctx, seed); err != nil {
			t.Fatal(err)
		}

		var names []string
		q := Query{SubjectName: " 广州示例", Limit: 3}
		for page := 0; ; page++ {
			a, err := f.sim.QueryPage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range a.Records {
				if r.Status != StatusFiled {
					t.Errorf("status %q", r.Status)
				}
				names = append(names, r.SubjectName+"/"+r.ServiceName)
			}
			if a.Next == "" {
				break
			}
			if page > 5 {
				t.Fatal("pages never end")
			}
			q.After = a.Next
		}
		want := []string{"广州示例0科技有限公司/示例0官网", "广州示例1科技有限公司/示例1官网", "广州示例2科技有限公司/示例2官网",
			"广州示例3科技有限公司/示例3官网", "广州示例3科技有限公司/示例3博客", "广州示例4科技有限公司/示例4官网",
			"广州示例5科技有限公司/示例5官网", "广州示例6科技有限公司/示例6官网"}
		if fmt.Sprint(names) != fmt.Sprint(want) {
			t.Fatalf("pages gave\n%v\nwant\n%v", names, want)
		}

		if a, _ := f.sim.QueryPage(ctx, Query{SubjectName: "广州示例6科技有限公司"}); len(a.Records) != 1 || a.Next != "" {
			t.Errorf("exact name: %+v", a)
		}
		if a, _ := f.sim.QueryPage(ctx, Query{SubjectName: "深圳"}); len(a.Records) != 0 || a.Next != "" {
			t.Errorf("no match: %+v", a)
		}
		for _, bad := range []struct {
			q    Query
			code string
		}{{Query{SubjectName: "广州", After: "!!"}, "miit.query_after_invalid"},
			{Query{SubjectName: "深圳", After: encodeAfter("广州示例", "x")}, "miit.query_after_invalid"},
			{Query{SubjectName: "广州\x07"}, "miit.query_name_invalid"}} {
			if _, err := f.sim.QueryPage(ctx, bad.q); !problem.Is(err, bad.code) {
				t.Errorf("%+v: %v, want %s", bad.q, err, bad.code)
			}
		}

		for _, host := range []string{"ex2.com.cn", "www.ex2.com.cn", "a.b.ex2.com.cn", "https://WWW.EX2.com.cn/x"} {
			if recs, err := f.sim.Query(ctx, Query{Domain: host}); err != nil || len(recs) != 1 || recs[0].ServiceName != "示例2官网" {
				t.Errorf("%s: %+v %v", host, recs, err)
			}
		}
		if got := domainCandidates("www.ex2.com.cn"); fmt.Sprint(got) != "[www.ex2.com.cn ex2.com.cn]" {
			t.Errorf("candidates %v: the public suffix com.cn is never asked about", got)
		}
	})
}

// A query by domain answers a live request and refuses one whose client has gone (its probes themselves do not
// watch the request's cancellation).
func TestQueryDomainCancelledRequest(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db, Policy{Mode: PolicyAutomatic})
	boss := principal("张三", legalID, legalTel)
	seed := []SeedRecord{{Province: "44", Subject: enterprise("广州取消测试公司", "91440101MA5D00091J", boss),
		Services: []filing.Service{website("取消测试", "cancel-ex.cn", nil)}, Providers: []string{provider}}}
	if err := f.sim.LoadRegistry(ctx, seed); err != nil {
		t.Fatal(err)
	}
	if recs, err := f.sim.Query(ctx, Query{Domain: "www.cancel-ex.cn"}); err != nil || len(recs) != 1 {
		t.Fatalf("live request: %v, %v", recs, err)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if recs, err := f.sim.Query(gone, Query{Domain: "cancel-ex.cn"}); !errors.Is(err, context.Canceled) || recs != nil {
		t.Fatalf("cancelled request: %v, %v", recs, err)
	}
}

// On SQLite a page of a subject name search reads indexes only, in the answer's order: no table rows (each a
// look-up at a random place) and no sort of the prefix's range, whose rows the search stops reading after a
// page (a short prefix may match millions of subjects).
func TestQueryByNamePlan(t *testing.T) {
	db := storetest.SQLite(t)
	newFixture(t, db, Policy{})
	rows, err := db.R.QueryContext(ctx, `EXPLAIN QUERY PLAN `+queryText.subjectName, "广州", "", "广州\U0010FFFF")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	want := []string{"SEARCH su USING COVERING INDEX miit_subjects_name ((name,number)>(?,?) AND name<?)",
		"SEARCH s USING COVERING INDEX miit_services_public (subject_id=?) LEFT-JOIN"}
	if fmt.Sprint(plan) != fmt.Sprint(want) {
		t.Errorf("plan\n%q\nwant\n%q", plan, want)
	}
}
