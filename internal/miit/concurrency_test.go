package miit

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// The invariants the simulator keeps when its writers run at once (locks.go), each exercised by many
// transactions released together. On SQLite the database's write lock orders them; on PostgreSQL these fail if
// the row and key locks are taken away.

// together runs fns at once, released by one signal, and returns their errors in order.
func together(fns ...func() error) []error {
	errs := make([]error, len(fns))
	var ready, done sync.WaitGroup
	gate := make(chan struct{})
	for i, fn := range fns {
		ready.Add(1)
		done.Go(func() {
			ready.Done()
			<-gate
			errs[i] = fn()
		})
	}
	ready.Wait()
	close(gate)
	done.Wait()
	return errs
}

// person is the k-th principal (k < 4) of the i-th filing, with their own credential and phone.
func person(i, k int) filing.Principal {
	return principal([]string{"法人", "网站负责人", "APP负责人", "其他"}[k], fmt.Sprintf("44010619900%d%06d", k, i),
		fmt.Sprintf("13%d%08d", 5+k, i))
}

// No domain is filed by two subjects: two subjects' filings of the same domain, both in review, approved at
// the same moment: one is approved, the other refused with 1005.
func TestConcurrentApprovalsFileADomainOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		const pairs = 12
		var decide []func() error
		for i := range pairs {
			domain := fmt.Sprintf("contested%d-example.cn", i)
			for side := range 2 {
				n := 2*i + side
				boss := person(n, 0)
				f.submit(t, int64(n+1), 1, newFiling("44", enterprise(fmt.Sprintf("竞争公司%d", n),
					fmt.Sprintf("91440101MA%08d", n), boss), website("竞争官网", domain, nil)))
				f.verify(t, boss.Mobile, boss.CredentialNumber)
			}
		}
		for n := range 2 * pairs {
			id := f.reviewID(t, "44", int64(n+1))
			decide = append(decide, func() error { return f.sim.Decide(ctx, 7, []string{"44"}, id, true, "") })
		}
		errs := together(decide...)
		for i := range pairs {
			a, b := errs[2*i], errs[2*i+1]
			approved := 0
			for _, err := range []error{a, b} {
				switch {
				case err == nil:
					approved++
				case problem.Is(err, "miit.approve_conflict") && problem.As(err)[0].Params["code"] == "1005":
				default:
					t.Fatalf("pair %d: %v", i, err)
				}
			}
			if approved != 1 {
				t.Errorf("contested%d-example.cn: %d subjects approved, want 1", i, approved)
			}
			var owners int
			if err := db.R.QueryRowContext(ctx, `SELECT COUNT(DISTINCT subject_id) FROM miit_domains WHERE domain = $1`,
				fmt.Sprintf("contested%d-example.cn", i)).Scan(&owners); err != nil || owners != 1 {
				t.Errorf("contested%d-example.cn filed by %d subjects (%v)", i, owners, err)
			}
		}
	})
}

// A subject has one submission in flight: two providers upload orders of the same subject at the same moment;
// one goes on to SMS verification, the other is refused with 1017.
func TestConcurrentUploadsOneInFlightPerSubject(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		const subjects = 12
		var uploads []func() error
		for i := range subjects {
			subj := enterprise(fmt.Sprintf("同时公司%d", i), fmt.Sprintf("91440101MB%08d", i), person(i, 0))
			for side, prov := range []string{provider, "other-isp"} {
				o := newFiling("44", subj, website("同时官网", fmt.Sprintf("same%d-%d-example.cn", i, side), nil))
				uploads = append(uploads, func() error {
					return f.sim.Submit(ctx, regulatorSubmission{ProviderID: prov, ProviderOrderID: int64(i + 1),
						Attempt: 1, Order: o, SubmittedAt: f.clk.Now()})
				})
			}
		}
		for _, err := range together(uploads...) {
			if err != nil {
				t.Fatal(err)
			}
		}
		outcome := map[int64][]int{} // order → codes of both providers' first results
		for _, prov := range []string{provider, "other-isp"} {
			for _, r := range f.resultsOf(t, prov) {
				outcome[r.ProviderOrderID] = append(outcome[r.ProviderOrderID], r.Code)
			}
		}
		for i := range subjects {
			got := outcome[int64(i+1)]
			forwarded, refused := 0, 0
			for _, c := range got {
				switch c {
				case 0:
					forwarded++
				case CodeChangeInProgress:
					refused++
				}
			}
			if len(got) != 2 || forwarded != 1 || refused != 1 {
				t.Errorf("subject %d: result codes %v, want one forwarded (0) and one %d", i, got, CodeChangeInProgress)
			}
		}
	})
}

// Review begins only when every phone is verified, exactly once: each submission needs three phones, and all
// of them are verified at the same moment — in half of the submissions each twice (a person pressing the
// button twice), which must be answered as verified too.
func TestConcurrentVerificationsEnterReviewOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		const subs = 16
		var verifications []func() error
		for i := range subs {
			boss, web, appP := person(i, 0), person(i, 1), person(i, 2)
			f.submit(t, int64(i+1), 1, newFiling("44", enterprise(fmt.Sprintf("核验公司%d", i), fmt.Sprintf("91440101MC%08d", i), boss),
				website("核验官网", fmt.Sprintf("verify%d-example.cn", i), &web),
				app("核验APP", []string{fmt.Sprintf("api.verify%d-example.cn", i)}, appP)))
			for _, p := range []filing.Principal{boss, web, appP} {
				code := f.sms.code(t, p.Mobile)
				for range 1 + i%2 {
					verifications = append(verifications, func() error {
						_, err := f.sim.VerifySMS(ctx, p.Mobile, code, p.CredentialNumber[len(p.CredentialNumber)-6:])
						return err
					})
				}
			}
		}
		for _, err := range together(verifications...) {
			if err != nil {
				t.Fatalf("verification: %v", err)
			}
		}
		verified := map[int64]int{}
		for _, r := range f.results(t) {
			if r.Action == filing.ActSMSVerified {
				verified[r.ProviderOrderID]++
			}
		}
		for i := range subs {
			if verified[int64(i+1)] != 1 {
				t.Errorf("order %d: %d sms_verified results, want 1", i+1, verified[int64(i+1)])
			}
		}
		var unverified int
		if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM miit_sms_codes c JOIN miit_submissions s
			ON s.id = c.submission_id WHERE s.state = 'administration_review' AND c.state <> 'verified'`).Scan(&unverified); err != nil || unverified != 0 {
			t.Errorf("%d unverified phones of submissions in review (%v)", unverified, err)
		}
	})
}

// The same upload sent several times at once (an outbox delivering it again) is received once: one submission,
// one code; sent again once the submission waits for review, it changes nothing.
func TestConcurrentDuplicateUploads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := person(1, 0)
		o := newFiling("44", enterprise("重复公司", "91440101MD0000001Y", boss), website("重复官网", "dup-example.cn", nil))
		upload := func() error {
			return f.sim.Submit(ctx, regulatorSubmission{ProviderID: provider, ProviderOrderID: 9, Attempt: 1, Order: o,
				SubmittedAt: f.clk.Now()})
		}
		for _, err := range together(upload, upload, upload, upload) {
			if err != nil {
				t.Fatal(err)
			}
		}
		if f.sms.count() != 1 {
			t.Fatalf("%d codes sent for one upload received four times", f.sms.count())
		}
		f.verify(t, boss.Mobile, boss.CredentialNumber)
		if err := upload(); err != nil {
			t.Fatalf("the same upload once in review: %v", err)
		}
		wantActions(t, f.results(t), filing.ActForwarded, filing.ActSMSVerified)
		f.reviewID(t, "44", 9) // still waiting for review
	})
}

// A scheduled sweep runs once per period whatever the number of nodes, and again in the next period.
func TestScheduledSweepRunsOnceAcrossNodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		nodes := []*Simulator{newFixture(t, db, Policy{}).sim, newFixture(t, db, Policy{}).sim, newFixture(t, db, Policy{}).sim}
		const period = 2 * time.Second // long enough for the second round to fall inside it on a busy machine
		sweeps := func() int {
			ran := make([]bool, len(nodes))
			var fns []func() error
			for i, n := range nodes {
				fns = append(fns, func() (err error) { ran[i], err = n.SweepScheduled(ctx, period); return err })
			}
			for _, err := range together(fns...) {
				if err != nil {
					t.Fatal(err)
				}
			}
			count := 0
			for _, r := range ran {
				if r {
					count++
				}
			}
			return count
		}
		if n := sweeps(); n != 1 {
			t.Fatalf("%d nodes swept, want 1", n)
		}
		if n := sweeps(); n != 0 {
			t.Fatalf("%d nodes swept again within the period", n)
		}
		time.Sleep(period)
		if n := sweeps(); n != 1 {
			t.Fatalf("%d nodes swept in the next period, want 1", n)
		}
	})
}
