package miit

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/regulator/regulatorhttp"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// eachTransport runs fn with the simulator reached in-process and over HTTP (regulatorhttp's client and handler,
// signed with a shared secret), on each database.
func eachTransport(t *testing.T, fn func(t *testing.T, f *fixture, reg regulator.Regulator)) {
	t.Run("in-process", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
			f := newFixture(t, db, Policy{})
			fn(t, f, f.sim)
		})
	})
	t.Run("http", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
			f := newFixture(t, db, Policy{})
			secret := []byte("contract-test-secret")
			srv := httptest.NewServer(regulatorhttp.NewHandler(f.sim, f.sim, map[string][]byte{provider: secret}, nil))
			t.Cleanup(srv.Close)
			fn(t, f, regulatorhttp.NewClient(srv.URL, provider, secret, nil))
		})
	})
}

// upload submits through reg; the sequence is unique per order and attempt, as the outbox id is.
func upload(t *testing.T, reg regulator.Regulator, orderID int64, attempt int, o filing.Order) error {
	t.Helper()
	return reg.Submit(ctx, regulator.Submission{ProviderID: provider, ProviderOrderID: orderID, Attempt: attempt,
		Order: o, SubmittedAt: start, Sequence: orderID*100 + int64(attempt)})
}

func download(t *testing.T, reg regulator.Regulator) []regulator.Result {
	t.Helper()
	rs, err := reg.Results(ctx, provider, 100)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func ids(rs []regulator.Result) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// The regulator interface behaves the same through both transports: uploads are idempotent, results are
// downloaded again until acknowledged, refusals keep their code, kind and field, look-ups answer the registry.
func TestRegulatorContract(t *testing.T) {
	eachTransport(t, func(t *testing.T, f *fixture, reg regulator.Regulator) {
		boss := principal("张三", legalID, legalTel)
		o := newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "a-example.cn", nil))
		for range 2 { // the second upload of the same attempt changes nothing
			if err := upload(t, reg, 1, 1, o); err != nil {
				t.Fatal(err)
			}
		}
		first := download(t, reg)
		wantActions(t, first, filing.ActForwarded)
		if first[0].ProviderOrderID != 1 || first[0].Attempt != 1 || first[0].SMSDeadline == nil {
			t.Fatalf("forwarded result %+v", first[0])
		}
		again := download(t, reg) // not acknowledged: delivered again
		if len(again) != 1 || again[0].ID != first[0].ID {
			t.Fatalf("without an ack the download gave %+v, want %+v again", again, first)
		}
		if err := reg.Ack(ctx, provider, ids(first)); err != nil {
			t.Fatal(err)
		}
		if rs := download(t, reg); len(rs) != 0 {
			t.Fatalf("acknowledged results came again: %+v", rs)
		}

		bad := o
		bad.Province = "99"
		err := upload(t, reg, 2, 1, bad)
		if !problem.Is(err, "miit.province_unknown") || problem.KindOf(err) != problem.Invalid {
			t.Fatalf("unknown province: %v (kind %v)", err, problem.KindOf(err))
		}
		if l := problem.As(err); len(l) != 1 || l[0].Field != "order.province" || l[0].Params["province"] != "99" {
			t.Fatalf("refusal lost its field or parameters: %+v", l)
		}

		st, err := reg.LookupDomain(ctx, "a-example.cn")
		if err != nil || st.Filed {
			t.Fatalf("domain before approval: %+v, %v", st, err)
		}
		_, err = reg.LookupFiling(ctx, provider, "粤ICP备99999999号")
		if problem.KindOf(err) != problem.NotFound {
			t.Fatalf("unknown subject number: %v", err)
		}

		f.verify(t, legalTel, legalID) // on the simulator's own page, as the principal would
		f.approve(t, "44", 1)
		rs := download(t, reg)
		wantActions(t, rs, filing.ActSMSVerified, filing.ActAdminApprove)
		approved := rs[1]
		if approved.Code != 1001 || approved.SubjectNumber == "" || len(approved.Services) != 1 {
			t.Fatalf("approval %+v", approved)
		}
		if err := reg.Ack(ctx, provider, ids(rs)); err != nil {
			t.Fatal(err)
		}
		st, err = reg.LookupDomain(ctx, "a-example.cn")
		if err != nil || !st.Filed || st.ServiceNumber != approved.Services[0].Number {
			t.Fatalf("domain after approval: %+v, %v", st, err)
		}
		subj, err := reg.LookupSubject(ctx, "business_license", companyID)
		if err != nil || !subj.Filed || subj.Number != approved.SubjectNumber {
			t.Fatalf("subject after approval: %+v, %v", subj, err)
		}
		rec, err := reg.LookupFiling(ctx, provider, approved.SubjectNumber)
		if err != nil || len(rec.Services) != 1 || !rec.Services[0].HasAccess(provider) {
			t.Fatalf("filing after approval: %+v, %v", rec, err)
		}

		if err := upload(t, reg, 3, 1, newFiling("44", enterprise("另一公司", "91440101MA5D00002C", boss),
			website("另一官网", "b-example.cn", nil))); err != nil {
			t.Fatal(err)
		}
		if err := reg.Withdraw(ctx, provider, 3); err != nil {
			t.Fatal(err)
		}
		err = reg.Withdraw(ctx, provider, 99)
		if !problem.Is(err, "miit.submission_not_found") || problem.KindOf(err) != problem.NotFound {
			t.Fatalf("withdraw of an unknown order: %v", err)
		}
	})
}

// Over the network an upload carries its sequence: a re-upload of a sequence (the provider crashed before it
// read the answer) is answered as the first was, even when the simulator would now answer otherwise; another
// submission under a used sequence is refused.
func TestUploadSequence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		secret := []byte("sequence-test-secret")
		srv := httptest.NewServer(regulatorhttp.NewHandler(f.sim, f.sim, map[string][]byte{provider: secret}, nil))
		defer srv.Close()
		c := regulatorhttp.NewClient(srv.URL, provider, secret, nil)
		boss := principal("张三", legalID, legalTel)
		o := newFiling("44", enterprise("示例公司", companyID, boss), website("示例官网", "a-example.cn", nil))
		sub := regulator.Submission{ProviderID: provider, ProviderOrderID: 1, Attempt: 1, Order: o, SubmittedAt: start, Sequence: 41}
		for range 2 {
			if err := c.Submit(ctx, sub); err != nil {
				t.Fatal(err)
			}
		}
		if rs := download(t, c); len(rs) != 1 {
			t.Fatalf("two uploads of one sequence gave %d results", len(rs))
		}

		refused := sub
		refused.ProviderOrderID, refused.Sequence, refused.Order.Province = 2, 42, "99"
		first := c.Submit(ctx, refused)
		if !problem.Is(first, "miit.province_unknown") {
			t.Fatalf("first upload of 42: %v", first)
		}
		f.sim.cfg.Abbr = func(string) (string, bool) { return "粤", true } // the simulator would now take it
		if again := c.Submit(ctx, refused); !problem.Is(again, "miit.province_unknown") {
			t.Fatalf("re-upload of 42 answered %v, first answer %v", again, first)
		}

		other := sub
		other.ProviderOrderID = 3 // another submission under sequence 41
		err := c.Submit(ctx, other)
		if err == nil || problem.KindOf(err) != problem.Internal || errors.Is(err, regulator.ErrUnavailable) {
			t.Fatalf("sequence reused for another submission: %v", err)
		}
	})
}

// BenchmarkTransportLookupDomain is one regulator round trip in each transport: what the HTTP transport (signing,
// JSON, loopback TCP) adds to a look-up.
func BenchmarkTransportLookupDomain(b *testing.B) {
	f := newFixture(b, storetest.SQLite(b), Policy{})
	secret := []byte("bench-secret-0123456789")
	srv := httptest.NewServer(regulatorhttp.NewHandler(f.sim, f.sim, map[string][]byte{provider: secret}, nil))
	defer srv.Close()
	for _, tr := range []struct {
		name string
		reg  regulator.Regulator
	}{{"in-process", f.sim}, {"http", regulatorhttp.NewClient(srv.URL, provider, secret, nil)}} {
		b.Run(tr.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := tr.reg.LookupDomain(ctx, "a-example.cn"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
