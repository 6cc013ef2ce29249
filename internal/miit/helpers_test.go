package miit

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
)

const provider = "beian-demo"

// fakeSMS records every message, by phone.
type fakeSMS struct {
	mu   sync.Mutex
	msgs map[string][]string
	fail bool
}

func (f *fakeSMS) SendSMS(_ context.Context, phone, body string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return context.DeadlineExceeded
	}
	if f.msgs == nil {
		f.msgs = map[string][]string{}
	}
	f.msgs[phone] = append(f.msgs[phone], body)
	return nil
}

var codeRE = regexp.MustCompile(`验证码：(\d{6})`)

// code returns the last code sent to phone.
func (f *fakeSMS) code(t *testing.T, phone string) string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	ms := f.msgs[phone]
	if len(ms) == 0 {
		t.Fatalf("no SMS to %s (have %v)", phone, f.phones())
	}
	m := codeRE.FindStringSubmatch(ms[len(ms)-1])
	if m == nil {
		t.Fatalf("no code in %q", ms[len(ms)-1])
	}
	return m[1]
}

func (f *fakeSMS) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, ms := range f.msgs {
		n += len(ms)
	}
	return n
}

func (f *fakeSMS) phones() []string {
	var out []string
	for p := range f.msgs {
		out = append(out, p)
	}
	return out
}

var abbrs = map[string]string{"11": "京", "31": "沪", "44": "粤", "51": "蜀"}

// start is a Monday morning in Beijing.
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, cst)

type fixture struct {
	sim *Simulator
	sms *fakeSMS
	clk *clock.Adjustable
	db  *sqldb.DB
}

func keyring(t testing.TB) *secret.Keyring {
	t.Helper()
	k := make([]byte, 32)
	idx := make([]byte, 32)
	rand.Read(k)
	rand.Read(idx)
	kr, err := secret.New(map[byte][]byte{1: k}, 1, idx)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func newFixture(t testing.TB, db *sqldb.DB, policy Policy) *fixture {
	t.Helper()
	base := start
	clk := clock.NewAdjustable(func() time.Time { return base })
	sms := &fakeSMS{}
	sim := New(db, keyring(t), clk, Config{
		ProviderIDs: []string{provider, "other-isp"},
		Abbr:        func(p string) (string, bool) { a, ok := abbrs[p]; return a, ok },
		SMS:         sms,
		Policy:      policy,
	})
	if err := sim.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return &fixture{sim: sim, sms: sms, clk: clk, db: db}
}

func principal(name, id, mobile string) filing.Principal {
	return filing.Principal{Name: name, CredentialType: "resident_id", CredentialNumber: id, CredentialLongTerm: true,
		OfficePhone: "020-83000000", Mobile: mobile, EmergencyMobile: "13900000000", Email: "p@example.com"}
}

func website(name, domain string, p *filing.Principal) filing.Service {
	s := filing.Service{Kind: filing.Website, Name: name, Domains: []string{domain}, IPs: []string{"203.0.113.10"},
		Content: []string{"8"}, Languages: []string{"zh-CN"}}
	if p == nil {
		s.PrincipalSameAsSubject = true
	} else {
		s.Principal = *p
	}
	return s
}

func app(name string, domains []string, p filing.Principal) filing.Service {
	return filing.Service{Kind: filing.App, Name: name, Domains: domains, IPs: []string{"203.0.113.11"},
		Principal: p, App: &filing.AppInfo{Platforms: []filing.Platform{{Platform: "android", Package: "cn.example.app"}}}}
}

func enterprise(name, uscc string, p filing.Principal) filing.Subject {
	return filing.Subject{Nature: "enterprise", Name: name, CredentialType: "business_license", CredentialNumber: uscc,
		CredentialAddress: "广东省广州市天河区体育西路1号", CommunicationAddress: "广东省广州市天河区体育西路1号",
		Principal: p}
}

func newFiling(province string, subj filing.Subject, svcs ...filing.Service) filing.Order {
	return filing.Order{Type: filing.NewFiling, Province: province, Subject: subj, Services: svcs}
}

func (f *fixture) submit(t *testing.T, orderID int64, attempt int, o filing.Order) {
	t.Helper()
	f.submitAs(t, provider, orderID, attempt, o)
}

func (f *fixture) submitAs(t *testing.T, prov string, orderID int64, attempt int, o filing.Order) {
	t.Helper()
	err := f.sim.Submit(context.Background(), regulator.Submission{ProviderID: prov, ProviderOrderID: orderID,
		Attempt: attempt, Order: o, SubmittedAt: f.clk.Now()})
	if err != nil {
		t.Fatalf("submit order %d: %v", orderID, err)
	}
}

// results returns and acknowledges every pending result of the provider.
func (f *fixture) results(t *testing.T) []regulator.Result {
	t.Helper()
	return f.resultsOf(t, provider)
}

func (f *fixture) resultsOf(t *testing.T, prov string) []regulator.Result {
	t.Helper()
	rs, err := f.sim.Results(context.Background(), prov, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	if err := f.sim.Ack(context.Background(), prov, ids); err != nil {
		t.Fatal(err)
	}
	return rs
}

func actions(rs []regulator.Result) []filing.Action {
	var out []filing.Action
	for _, r := range rs {
		out = append(out, r.Action)
	}
	return out
}

func wantActions(t *testing.T, rs []regulator.Result, want ...filing.Action) {
	t.Helper()
	got := actions(rs)
	if len(got) != len(want) {
		t.Fatalf("results %v, want %v (%+v)", got, want, rs)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("results %v, want %v (%+v)", got, want, rs)
		}
	}
}

func (f *fixture) verify(t *testing.T, phone, idNumber string) VerifyOutcome {
	t.Helper()
	out, err := f.sim.VerifySMS(context.Background(), phone, f.sms.code(t, phone), idNumber[len(idNumber)-6:])
	if err != nil {
		t.Fatalf("verify %s: %v", phone, err)
	}
	return out
}

// reviewID returns the id of the submission of an order that waits for review.
func (f *fixture) reviewID(t *testing.T, province string, orderID int64) int64 {
	t.Helper()
	rs, _, err := f.sim.Reviews(context.Background(), ReviewFilter{Provinces: []string{province}, State: "all", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.ProviderOrderID == orderID {
			return r.ID
		}
	}
	t.Fatalf("order %d not in the console of %s", orderID, province)
	return 0
}

func (f *fixture) approve(t *testing.T, province string, orderID int64) {
	t.Helper()
	id := f.reviewID(t, province, orderID)
	if err := f.sim.Decide(context.Background(), 7, []string{province}, id, true, ""); err != nil {
		t.Fatalf("approve order %d: %v", orderID, err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !problem.Is(err, code) {
		t.Fatalf("error %v, want %s", err, code)
	}
}

// filed runs a new filing through SMS and approval and returns the approval result.
func (f *fixture) filed(t *testing.T, orderID int64, o filing.Order) regulator.Result {
	t.Helper()
	f.submit(t, orderID, 1, o)
	seen := map[string]bool{}
	verify := func(p filing.Principal) {
		if !seen[p.Mobile] {
			seen[p.Mobile] = true
			f.verify(t, p.Mobile, p.CredentialNumber)
		}
	}
	verify(o.Subject.Principal)
	for i := range o.Services {
		verify(o.EffectivePrincipal(i))
	}
	f.approve(t, o.Province, orderID)
	rs := f.results(t)
	last := rs[len(rs)-1]
	if last.Action != filing.ActAdminApprove {
		t.Fatalf("order %d not approved: %+v", orderID, rs)
	}
	return last
}

type regulatorSubmission = regulator.Submission

// exportAll exports the registry as JSON lines and decodes them again.
func exportAll(sim *Simulator) ([]SeedRecord, error) {
	var recs []SeedRecord
	err := sim.ExportRegistry(context.Background(), func() ExportEncoder {
		return func(dst []byte, rec *SeedRecord) ([]byte, error) {
			b, err := json.Marshal(rec)
			return append(append(dst, b...), '\n'), err
		}
	}, func(b []byte, records int) error {
		before := len(recs)
		for line := range bytes.Lines(b) {
			var rec SeedRecord
			if err := json.Unmarshal(line, &rec); err != nil {
				return err
			}
			recs = append(recs, rec)
		}
		if len(recs)-before != records {
			return fmt.Errorf("%d records written as %d", len(recs)-before, records)
		}
		return nil
	})
	return recs, err
}

// validUSCC returns the unified social credit code of body (its first 17 characters) with the check character
// that makes it valid, for records the registry's import checks (ident.Credential).
func validUSCC(body string) string {
	for _, c := range "0123456789ABCDEFGHJKLMNPQRTUWXY" {
		if v := body[:17] + string(c); ident.USCC(v).Valid() {
			return v
		}
	}
	panic("no check character makes " + body + " valid")
}
