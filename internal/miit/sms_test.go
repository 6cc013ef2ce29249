package miit

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

func TestSharedPhoneOneCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		f.submit(t, 1, 1, newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "a-example.cn", nil)))
		if f.sms.count() != 1 {
			t.Fatalf("%d messages, want one code for the shared phone", f.sms.count())
		}
		out := f.verify(t, legalTel, legalID)
		if !out.Complete {
			t.Fatalf("%+v", out)
		}
		wantActions(t, f.results(t), filing.ActForwarded, filing.ActSMSVerified)
		// Entering the code again changes nothing.
		out = f.verify(t, legalTel, legalID)
		if !out.Complete {
			t.Fatalf("again: %+v", out)
		}
		if rs := f.results(t); len(rs) != 0 {
			t.Fatalf("results %+v", rs)
		}
	})
}

func TestWrongCodesReturnTheSubmission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		f.submit(t, 1, 1, newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "a-example.cn", nil)))
		f.results(t)
		good := f.sms.code(t, legalTel)
		bad := fmt.Sprintf("%06d", (atoi(good)+1)%1000000)

		// Input errors are not counted.
		_, err := f.sim.VerifySMS(ctx, legalTel, "12345", "01123X")
		wantCode(t, err, "miit.sms_code_invalid")
		_, err = f.sim.VerifySMS(ctx, "12345", good, "01123X")
		wantCode(t, err, "miit.sms_phone_invalid")

		// A number nothing waits for gets the answer a wrong code gets (no count of tries either).
		_, unknown := f.sim.VerifySMS(ctx, "13911112222", bad, "01123X")
		wantCode(t, unknown, "miit.sms_mismatch")
		for i := 1; i <= 5; i++ {
			_, err := f.sim.VerifySMS(ctx, legalTel, bad, "01123X")
			if !reflect.DeepEqual(err, unknown) {
				t.Fatalf("try %d: %#v; the unknown number got %#v", i, err, unknown)
			}
		}
		// The right code with the wrong ID digits is wrong too: the sixth wrong try returns the submission, and
		// the answer is still the same.
		_, err = f.sim.VerifySMS(ctx, legalTel, good, "999999")
		if !reflect.DeepEqual(err, unknown) {
			t.Fatalf("sixth try: %#v", err)
		}
		rs := f.results(t)
		wantActions(t, rs, filing.ActSMSFailed)
		// Only whoever knows the code and the ID digits learns that the submission was returned.
		_, err = f.sim.VerifySMS(ctx, legalTel, good, "01123X")
		wantCode(t, err, "miit.sms_locked")
		if problem.KindOf(err) != problem.TooMany {
			t.Fatalf("kind %v", problem.KindOf(err))
		}
		if rs := f.results(t); len(rs) != 0 {
			t.Fatalf("more results: %+v", rs)
		}

		// The provider forwards again (attempt 2): new codes, fresh count.
		o := newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "a-example.cn", nil))
		f.submit(t, 1, 2, o)
		wantActions(t, f.results(t), filing.ActForwarded)
		if out := f.verify(t, legalTel, legalID); !out.Complete {
			t.Fatalf("%+v", out)
		}
	})
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestSMSExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		web := principal("李四", webID, webTel)
		f.submit(t, 1, 1, newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "a-example.cn", &web)))
		f.results(t)
		wantSealedPhones(t, db, map[string]bool{"pending": true})
		f.verify(t, legalTel, legalID)
		wantSealedPhones(t, db, map[string]bool{"verified": false, "pending": true})

		f.clk.Advance(23 * time.Hour)
		if err := f.sim.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if rs := f.results(t); len(rs) != 0 {
			t.Fatalf("expired early: %+v", rs)
		}
		f.clk.Advance(time.Hour)
		// Two sweeps at once (two nodes) queue one result.
		var wg sync.WaitGroup
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := f.sim.Sweep(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		f.sim.Sweep(ctx)
		wantActions(t, f.results(t), filing.ActSMSExpired)
		_, err := f.sim.VerifySMS(ctx, webTel, f.sms.code(t, webTel), webID[12:])
		wantCode(t, err, "miit.sms_expired")
		wantSealedPhones(t, db, map[string]bool{"verified": false, "void": false})
	})
}

// wantSealedPhones checks, for each state of the SMS codes, whether their rows still hold the sealed phone
// (only a waiting code needs it, to be sent again) and that every row keeps its masked phone.
func wantSealedPhones(t *testing.T, db *sqldb.DB, want map[string]bool) {
	t.Helper()
	rows, err := db.R.Query(`SELECT state, length(phone) > 0, phone_masked FROM miit_sms_codes ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var state, masked string
		var held bool
		if err := rows.Scan(&state, &held, &masked); err != nil {
			t.Fatal(err)
		}
		seen[state] = true
		if w, ok := want[state]; !ok || held != w || !strings.Contains(masked, "****") {
			t.Errorf("a %s code: sealed phone held %v, masked %q; want held %v", state, held, masked, w)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for state := range want {
		if !seen[state] {
			t.Errorf("no %s code", state)
		}
	}
}

func TestExpiryNoticedByVerification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		f.submit(t, 1, 1, newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "a-example.cn", nil)))
		f.results(t)
		f.clk.Advance(25 * time.Hour) // no sweep ran
		_, err := f.sim.VerifySMS(ctx, legalTel, f.sms.code(t, legalTel), legalID)
		wantCode(t, err, "miit.sms_expired")
		wantActions(t, f.results(t), filing.ActSMSExpired)
		f.sim.Sweep(ctx)
		if rs := f.results(t); len(rs) != 0 {
			t.Fatalf("sweep queued again: %+v", rs)
		}
	})
}

func TestResendAfterFailedDelivery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		f.sms.fail = true
		boss := principal("张三", legalID, legalTel)
		f.submit(t, 1, 1, newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "example.com", nil)))
		f.sms.fail = false
		f.sim.Sweep(ctx)
		if f.sms.count() != 0 {
			t.Fatal("resent before the retry delay")
		}
		f.clk.Advance(2 * time.Minute)
		f.sim.Sweep(ctx)
		f.sim.Sweep(ctx)
		if f.sms.count() != 1 {
			t.Fatalf("%d messages after resend", f.sms.count())
		}
		if out := f.verify(t, legalTel, legalID); !out.Complete {
			t.Fatalf("%+v", out)
		}
	})
}

// Whose phone each order type verifies (docs/design.md §4.9 table).
func TestSMSByOrderType(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		boss := principal("张三", legalID, legalTel)
		web := principal("李四", webID, webTel)
		subj := enterprise("示例公司", companyID, boss)
		res := f.filed(t, 1, newFiling("44", subj, website("示例官网", "example.com", &web)))
		site := res.Services[0].Number
		target := func(o filing.Order) filing.Order {
			o.Province, o.Subject = "44", subj
			return o
		}
		svc := website("示例官网", "example.com", &web)
		svc.Number = site
		newWeb := principal("王五", "440106199303034563", "13700137000")
		cases := []struct {
			name   string
			o      filing.Order
			phones []string
		}{
			{"new_service: service principal", target(filing.Order{Type: filing.NewService,
				Services: []filing.Service{website("示例二", "second-example.cn", &newWeb)}}), []string{"13700137000"}},
			{"new_service principal same as subject", target(filing.Order{Type: filing.NewService,
				Services: []filing.Service{website("示例三", "third-example.cn", nil)}}), []string{legalTel}},
			{"change_service: service principal", target(filing.Order{Type: filing.ChangeService,
				Services: []filing.Service{svc}}), []string{webTel}},
			{"change_subject: subject principal", target(filing.Order{Type: filing.ChangeSubject,
				Target: &filing.Target{SubjectNumber: res.SubjectNumber}}), []string{legalTel}},
			{"cancel_subject: subject principal", filing.Order{Type: filing.CancelSubject, Province: "44",
				Target: &filing.Target{SubjectNumber: res.SubjectNumber}}, []string{legalTel}},
			{"cancel_service: none", filing.Order{Type: filing.CancelService, Province: "44",
				Target: &filing.Target{ServiceNumber: site}}, nil},
			{"withdraw_access: none", filing.Order{Type: filing.WithdrawAccess, Province: "44",
				Target: &filing.Target{ServiceNumber: site}}, nil},
		}
		for i, c := range cases {
			before := map[string]int{}
			for p, ms := range f.sms.msgs {
				before[p] = len(ms)
			}
			id := int64(100 + i)
			f.submit(t, id, 1, c.o)
			rs := f.results(t)
			var got []string
			for p, ms := range f.sms.msgs {
				if len(ms) > before[p] {
					got = append(got, p)
				}
			}
			want := filing.ActForwarded
			if len(c.phones) == 0 {
				want = filing.ActForwardedNoSMS
			}
			if len(rs) != 1 || rs[0].Action != want || fmt.Sprint(got) != fmt.Sprint(c.phones) {
				t.Errorf("%s: results %v, SMS to %v, want %s to %v", c.name, actions(rs), got, want, c.phones)
			}
			// Clear the way for the next case (one filing at a time per subject).
			if want == filing.ActForwarded {
				if err := f.sim.Withdraw(ctx, provider, id); err != nil {
					t.Fatal(err)
				}
			} else if err := f.sim.Decide(ctx, 7, []string{"44"}, f.reviewID(t, "44", id), false, "测试"); err != nil {
				t.Fatal(err)
			}
			f.results(t)
		}
	})
}
