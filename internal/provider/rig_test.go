package provider

import (
	"context"
	"crypto/rand"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/notify"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
)

// rig is the provider's use cases wired to the MIIT simulator on one test database: the real rules engine, the
// real outbox worker, codes read from the messages as a person reads them.
type rig struct {
	t        *testing.T
	ctx      context.Context
	svc      *Service
	sim      *miit.Simulator
	st       *store.Store
	worker   *Worker
	box      *phoneBox
	clk      *clock.Adjustable
	reviewer Actor
	operator Actor
	n        int
}

const providerID = "beian-demo"

// start is a Monday morning in Beijing.
var start = time.Date(2026, 12, 7, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// phoneBox keeps every text message, from the provider's outbox and from the simulator (12381).
type phoneBox struct {
	mu   sync.Mutex
	msgs map[string][]string
}

func (b *phoneBox) add(phone, body string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.msgs == nil {
		b.msgs = map[string][]string{}
	}
	b.msgs[phone] = append(b.msgs[phone], body)
}

// last returns the last message to phone that matches re, and its first group.
func (b *phoneBox) last(phone string, re *regexp.Regexp) (string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ms := b.msgs[phone]
	for i := len(ms) - 1; i >= 0; i-- {
		if m := re.FindStringSubmatch(ms[i]); m != nil {
			return m[1], true
		}
	}
	return "", false
}

type simSMS struct{ b *phoneBox }

func (s simSMS) SendSMS(_ context.Context, phone, body string) error {
	s.b.add(phone, body)
	return nil
}

type gateway struct{ b *phoneBox }

func (g gateway) SendSMS(_ context.Context, m notify.Message) error {
	g.b.add(m.To, m.Body)
	return nil
}
func (g gateway) SendMail(_ context.Context, m notify.Message) error {
	g.b.add(m.To, m.Subject+"\n"+m.Body)
	return nil
}

func testKeys(t testing.TB) *secret.Keyring {
	k, idx := make([]byte, 32), make([]byte, 32)
	rand.Read(k)
	rand.Read(idx)
	kr, err := secret.New(map[byte][]byte{1: k}, 1, idx)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func newRig(t *testing.T, db *sqldb.DB) *rig {
	t.Helper()
	ctx := context.Background()
	keys := testKeys(t)
	base := start
	clk := clock.NewAdjustable(func() time.Time { return base })
	box := &phoneBox{}
	sim := miit.New(db, keys, clk, miit.Config{ProviderIDs: []string{providerID, "other-isp"},
		Abbr: func(p string) (string, bool) {
			pr, ok := divisions.ProvinceByCode(p)
			return string(pr.Abbr), ok
		},
		SMS: simSMS{box}, Policy: miit.Policy{Mode: miit.PolicyAutomatic}})
	st := store.New(db, keys)
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := sim.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	svc := New(st, Config{ProviderID: providerID, Clock: clk, Regulator: sim, Checker: NewChecker(st),
		Password: password.Fast, AddWorkdays: func(from time.Time, n int) time.Time { return from.AddDate(0, 0, n) }})
	r := &rig{t: t, ctx: ctx, svc: svc, sim: sim, st: st, box: box, clk: clk}
	r.worker = NewWorker(svc, gateway{box}, gateway{box})
	r.reviewer = r.staff("reviewer@example.cn", RoleReviewer)
	r.operator = r.staff("operator@example.cn", RoleOperator)
	return r
}

func (r *rig) staff(email, role string) Actor {
	a, err := r.svc.CreateStaffUnchecked(r.ctx, Registration{Email: email, Name: "审核员", Mobile: "13800000001",
		Password: "correct horse 1"}, role, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	return Actor{ID: a.ID, Role: role}
}

// applicant registers an applicant with a prepaid instance of quota 10.
func (r *rig) applicant(email string) (Actor, int64) {
	r.t.Helper()
	a, err := r.svc.Register(r.ctx, Registration{Email: email, Name: "陈伟", Mobile: "13926184530", Password: "correct horse 1"})
	if err != nil {
		r.t.Fatal(err)
	}
	now := r.clk.Now()
	res, err := r.svc.CreateResource(r.ctx, r.operator, store.Resource{OwnerID: a.ID, Name: "ecs", IPs: []string{"203.0.113.77"},
		Billing: "prepaid", StartsAt: now, ExpiresAt: now.AddDate(1, 0, 0), QuotaTotal: 10})
	if err != nil {
		r.t.Fatal(err)
	}
	return Actor{ID: a.ID, Role: RoleApplicant}, res.ID
}

// run delivers the outbox and applies the regulator's results until nothing is left.
func (r *rig) run() {
	r.t.Helper()
	if _, err := r.worker.RunOnce(r.ctx); err != nil {
		r.t.Fatal(err)
	}
}

var smsCodeRE = regexp.MustCompile(`验证码：(\d{6})`)

// subjectPerson is the demo subject principal (also the legal representative); the USCC differs per test subject.
func subjectPerson() filing.Principal {
	return filing.Principal{Name: "陈伟", CredentialType: "resident_id", CredentialNumber: "440106199207154565",
		CredentialValidFrom: "2015-01-01", CredentialValidTo: "2035-01-01", OfficePhone: "020-83920147",
		Mobile: "13926184530", EmergencyMobile: "13751208469", Email: "chenwei@gz-demo.cn"}
}

// usccs are valid unified social credit codes, one per test subject.
var usccs = []string{"91440101MA9W87654R", "91440300MA5FUK8N55", "91440101MA59Q1XJ3D", "91440101MA59Q1XJ4G",
	"91440101MA59Q1XJ5K", "91440101MA59Q1XJ6N", "91440101MA59Q1XJ7R", "91440101MA59Q1XJ8W"}

// file takes a new Guangdong enterprise filing of one website all the way to approval and returns the order.
func (r *rig) file(a Actor, res int64, uscc, domain string) *filing.Order {
	r.t.Helper()
	o, err := r.svc.CreateOrder(r.ctx, a, CreateInput{Check: CheckInput{Province: "44", Nature: "enterprise",
		CredentialType: "business_license", CredentialNumber: uscc, ServiceKind: filing.Website, Domain: domain},
		Resource: filing.ResourceRef{InstanceID: res}}, "")
	if err != nil {
		r.t.Fatal(err)
	}
	subj := o.Subject
	p := subjectPerson()
	if r.n > 0 { // another subject: another person, with contacts of their own (unique across subjects)
		p = filing.Principal{Name: "李娜", CredentialType: "resident_id", CredentialNumber: "110105199001010029",
			CredentialLongTerm: true, OfficePhone: "020-83920148", Mobile: "13711826403", EmergencyMobile: "13502718466",
			Email: "lina@gz-other.cn"}
	}
	r.n++
	subj.Name, subj.CredentialAddress = "广州示例云科技有限公司", "广州市天河区天河路100号"
	subj.CommunicationAddress, subj.Investor = "广东省广州市天河区天河路100号", p.Name
	subj.LegalRepresentative = &filing.LegalRepresentative{Name: p.Name, IDNumber: p.CredentialNumber}
	subj.Principal = p
	svcs := o.Services
	svcs[0].Name, svcs[0].Content, svcs[0].PrincipalSameAsSubject = "示例云官网", []string{"unit_portal"}, true
	if _, err := r.svc.UpdateOrder(r.ctx, a, o.ID, Content{Subject: subj, Services: svcs, AgreementsAccepted: true}); err != nil {
		r.t.Fatal(err)
	}
	return r.through(a, o.ID, true)
}

// through submits an order (confirming it when irreversible), has the reviewer approve it, verifies the SMS
// codes the simulator sends and lets the automatic policy decide; it returns the order as it ends.
func (r *rig) through(a Actor, id int64, submit bool) *filing.Order {
	r.t.Helper()
	if submit {
		r.submit(a, id)
	}
	if _, err := r.svc.Decide(r.ctx, r.reviewer, id, Decision{Decision: "approve"}); err != nil {
		r.t.Fatalf("approve %d: %v", id, err)
	}
	r.run()
	o := r.order(a, id)
	if o.State == filing.SMSPending {
		r.verifyAll(o)
		r.run()
	}
	return r.order(a, id)
}

func (r *rig) submit(a Actor, id int64) {
	r.t.Helper()
	c, err := r.svc.Consequences(r.ctx, a, id)
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.svc.SubmitConfirmed(r.ctx, a, id, c.Phrase); err != nil {
		r.t.Fatalf("submit %d: %v", id, err)
	}
}

// verifyAll verifies every phone of the order that received a code from 12381.
func (r *rig) verifyAll(o *filing.Order) {
	r.t.Helper()
	people := []filing.Principal{o.Subject.Principal}
	for i := range o.Services {
		people = append(people, o.EffectivePrincipal(i))
	}
	for _, p := range people {
		code, ok := r.box.last(p.Mobile, smsCodeRE)
		if !ok {
			continue
		}
		if _, err := r.sim.VerifySMS(r.ctx, p.Mobile, code, p.CredentialNumber[len(p.CredentialNumber)-6:]); err != nil &&
			!problem.Is(err, "miit.code_used") {
			r.t.Logf("verify %s: %v", p.Mobile, err)
		}
	}
}

func (r *rig) order(a Actor, id int64) *filing.Order {
	r.t.Helper()
	o, err := r.svc.GetOrder(r.ctx, a, id)
	if err != nil {
		r.t.Fatal(err)
	}
	return o
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !problem.Is(err, code) {
		t.Fatalf("error %v, want %s", err, code)
	}
}

var claimCodeRE = regexp.MustCompile(`验证码：(\d{6})`)
