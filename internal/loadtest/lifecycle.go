package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// Staff are the demo seed's reviewer, officer and operator.
type Staff struct {
	Reviewer, Officer, Operator *Party
	// MIITApart says the MIIT simulator runs in its own process (`beian miit serve`): Officer and Operator are
	// logged in there, and the principals verify their codes there.
	MIITApart bool
	// ProviderOperator, when set, is the provider's operator, who gives the applicants their instances
	// (NewApplicant), when Operator is the simulator's (MIITApart); nil: Operator.
	ProviderOperator *Party
	// AfterSubmit, when set, runs once the applicant submitted order id, before the reviewer decides (a test
	// stops the simulator there).
	AfterSubmit func(id int64)
}

// LoginStaff logs the demo staff in; their requests go to each node in turn.
func LoginStaff(ctx context.Context, nodes []string, client *http.Client, password string) (*Staff, error) {
	var s Staff
	var err error
	for _, x := range []struct {
		dst   **Party
		email string
	}{{&s.Reviewer, "reviewer@beian.local"}, {&s.Officer, "officer@beian.local"}, {&s.Operator, "operator@beian.local"}} {
		if *x.dst, err = Login(ctx, nodes, 0, client, x.email, password); err != nil {
			return nil, err
		}
		(*x.dst).spread = true
	}
	return &s, nil
}

// LoginStaffApart logs the demo staff in for nodes whose MIIT simulator runs apart at miitURL (`beian miit
// serve` in demo mode): the reviewer and the provider's operator at the nodes, the officer and the operator
// (who read the codes the simulator texts and the answers of its image challenges) at the simulator.
func LoginStaffApart(ctx context.Context, nodes []string, miitURL string, client *http.Client, password string) (*Staff, error) {
	s := Staff{MIITApart: true}
	var err error
	for _, x := range []struct {
		dst   **Party
		at    []string
		email string
	}{{&s.Reviewer, nodes, "reviewer@beian.local"}, {&s.ProviderOperator, nodes, "operator@beian.local"},
		{&s.Officer, []string{miitURL}, "officer@beian.local"}, {&s.Operator, []string{miitURL}, "operator@beian.local"}} {
		if *x.dst, err = Login(ctx, x.at, 0, client, x.email, password); err != nil {
			return nil, fmt.Errorf("%s at %s: %w", x.email, strings.Join(x.at, ","), err)
		}
		(*x.dst).spread = true
	}
	return &s, nil
}

// SimulatorApart asks node where its MIIT simulator's pages are: "" when the node serves them itself (the
// simulator runs inside), else the address it sends browsers to (a simulator in its own process).
func SimulatorApart(ctx context.Context, node string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, node+"/miit/verify", nil)
	if err != nil {
		return "", err
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
		return "", nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		to, err := resp.Location()
		if err != nil {
			return "", fmt.Errorf("GET %s/miit/verify: %d without a usable Location: %w", node, resp.StatusCode, err)
		}
		return to.Scheme + "://" + to.Host, nil
	}
	return "", fmt.Errorf("GET %s/miit/verify: %d, want the simulator's page or a redirect to it (is it a beian node in demo mode?)",
		node, resp.StatusCode)
}

// publicFor is how the principal of a's order reaches the simulator's verification API: through a's node, or
// at the simulator in its own process.
func (s *Staff) publicFor(a *Applicant) *Party {
	if s.MIITApart {
		return s.Operator.anonymous()
	}
	return a.anonymous()
}

// Applicant is a registered applicant with a hosting instance that has quota for many filings.
type Applicant struct {
	*Party
	Resource int64
}

// NewApplicant registers applicant k, at home on node k (of several), and has the operator give it an instance
// with quota.
func NewApplicant(ctx context.Context, nodes []string, client *http.Client, staff *Staff, run string, k int) (*Applicant, error) {
	email := fmt.Sprintf("load-%s-%d@example.com", run, k)
	anon := &Party{nodes: nodes, home: k % len(nodes), client: client}
	if err := anon.Do(ctx, "POST", "/api/v1/accounts", map[string]string{"email": email, "name": "负载测试",
		"password": "load-test-password"}, nil); err != nil {
		return nil, err
	}
	p, err := Login(ctx, nodes, k, client, email, "load-test-password")
	if err != nil {
		return nil, err
	}
	var acc struct{ ID int64 }
	if err := p.Do(ctx, "GET", "/api/v1/me", nil, &acc); err != nil {
		return nil, err
	}
	now := time.Now()
	var res struct{ ID int64 }
	operator := staff.Operator
	if staff.ProviderOperator != nil {
		operator = staff.ProviderOperator
	}
	err = operator.Do(ctx, "POST", "/api/v1/console/resources", map[string]any{"owner_id": acc.ID,
		"name": "load", "ips": []string{"203.0.113.9"}, "billing": "prepaid", "starts_at": now,
		"expires_at": now.AddDate(1, 0, 0), "quota_total": 1000}, &res)
	return &Applicant{Party: p, Resource: res.ID}, err
}

// Content is the order content for lifecycle i: a Guangdong enterprise with one website, every identifier unique to i.
func Content(o *filing.Order, i int) provider.Content {
	id := ResidentID(i)
	s := o.Subject
	s.Name = fmt.Sprintf("广州负载第%d号科技有限公司", i)
	s.CredentialAddress, s.CommunicationAddress = "广州市天河区天河路100号", "广东省广州市天河区天河路100号"
	s.Investor = "陈伟"
	s.LegalRepresentative = &filing.LegalRepresentative{Name: "陈伟", IDNumber: id}
	s.Principal = filing.Principal{Name: "陈伟", CredentialType: "resident_id", CredentialNumber: id,
		CredentialValidFrom: "2015-01-01", CredentialValidTo: "2035-01-01", OfficePhone: "020-83920147",
		Mobile: Mobile(i, 0), EmergencyMobile: Mobile(i, 1), Email: fmt.Sprintf("p%d@load.example.com", i)}
	svc := o.Services[0]
	svc.Name, svc.Content, svc.Languages, svc.PrincipalSameAsSubject = "广州负载科技官网", []string{"unit_portal"}, []string{"zh-Hans"}, true
	return provider.Content{Subject: s, Services: []filing.Service{svc}, AgreementsAccepted: true}
}

var smsCodeRE = regexp.MustCompile(`\d{6}`)

// Lifecycle takes filing i from the filing-type check to the issued ICP number, as the applicant, the
// reviewer, the principal (SMS at the simulator) and the administration officer would, all over HTTP. When a
// node goes away mid-request, the step is retried on another node and its outcome checked (ErrMaybeDone).
func Lifecycle(ctx context.Context, a *Applicant, staff *Staff, run string, i int) (string, error) {
	check := provider.CheckInput{Province: "44", Nature: "enterprise", CredentialType: "business_license",
		CredentialNumber: USCC(i), ServiceKind: filing.Website, Domain: fmt.Sprintf("l%d-%s.cn", i, run)}
	o, err := create(ctx, a, check, fmt.Sprintf("%s-%d", run, i))
	if err != nil {
		return "", err
	}
	id := o.ID
	if err := a.Do(ctx, "PUT", fmt.Sprintf("/api/v1/orders/%d", id), Content(o, i), nil); err != nil {
		return "", err
	}
	if err := submit(ctx, a, o, fmt.Sprintf("%s-%d", run, i)); err != nil {
		return "", err
	}
	if staff.AfterSubmit != nil {
		staff.AfterSubmit(id)
	}
	if err := staff.Reviewer.Do(ctx, "POST", fmt.Sprintf("/api/v1/console/orders/%d/decisions", id),
		provider.Decision{Decision: "approve"}, nil); err != nil && !errors.Is(err, ErrMaybeDone) {
		return "", err
	}
	seen, err := waitFor(ctx, a.Party, id, o.Version, filing.SMSPending)
	if err != nil {
		return "", err
	}
	phone := Mobile(i, 0)
	code, err := smsCode(ctx, staff.Operator, phone, "")
	if err != nil {
		return "", err
	}
	if err := verifySMS(ctx, staff.publicFor(a), staff.Operator, phone, code, ResidentID(i)[12:]); err != nil && !errors.Is(err, ErrMaybeDone) {
		return "", err
	}
	if seen, err = waitFor(ctx, a.Party, id, seen.Version, filing.AdministrationReview); err != nil {
		return "", err
	}
	var reviews struct{ Reviews []struct{ ID int64 } }
	if err := staff.Officer.Do(ctx, "GET", fmt.Sprintf("/miit/api/v1/reviews?provider_order_id=%d", id), nil, &reviews); err != nil {
		return "", err
	}
	if len(reviews.Reviews) != 1 {
		return "", fmt.Errorf("order %d: %d reviews at the administration", id, len(reviews.Reviews))
	}
	if err := staff.Officer.Do(ctx, "POST", fmt.Sprintf("/miit/api/v1/reviews/%d/decision", reviews.Reviews[0].ID),
		map[string]any{"approve": true}, nil); err != nil && !errors.Is(err, ErrMaybeDone) {
		return "", err
	}
	done, err := waitFor(ctx, a.Party, id, seen.Version, filing.Approved)
	if err != nil {
		return "", err
	}
	return done.Services[0].Number, nil
}

// create opens the order of a check, once: with an Idempotency-Key, and when the node that had the first attempt
// went away, by finding the draft it may have created (an applicant's lifecycles run one after the other, so a
// draft of theirs is this one).
func create(ctx context.Context, a *Applicant, check provider.CheckInput, key string) (*filing.Order, error) {
	in := provider.CreateInput{Check: check, Resource: filing.ResourceRef{InstanceID: a.Resource}}
	var o filing.Order
	err := a.Do(ctx, "POST", "/api/v1/orders", in, &o, "Idempotency-Key", key+"-create")
	if !errors.Is(err, ErrMaybeDone) {
		return &o, err
	}
	var list struct{ Orders []struct{ ID int64 } }
	if err := a.Do(ctx, "GET", "/api/v1/orders?state=draft", nil, &list); err != nil {
		return nil, err
	}
	if len(list.Orders) == 0 {
		err = a.Do(ctx, "POST", "/api/v1/orders", in, &o, "Idempotency-Key", key+"-create-again")
		return &o, err
	}
	err = a.Do(ctx, "GET", fmt.Sprintf("/api/v1/orders/%d", list.Orders[0].ID), nil, &o)
	return &o, err
}

// submit submits the order, once, checking its state when the node that had the first attempt went away.
func submit(ctx context.Context, a *Applicant, o *filing.Order, key string) error {
	path := fmt.Sprintf("/api/v1/orders/%d/submit", o.ID)
	err := a.Do(ctx, "POST", path, nil, o, "Idempotency-Key", key+"-submit")
	if !errors.Is(err, ErrMaybeDone) {
		return err
	}
	if err := a.Do(ctx, "GET", fmt.Sprintf("/api/v1/orders/%d", o.ID), nil, o); err != nil || o.State != filing.Draft {
		return err
	}
	return a.Do(ctx, "POST", path, nil, o, "Idempotency-Key", key+"-submit-again")
}

// verifySMS enters a code on the simulator's verification API as public does, with a fresh image challenge
// whose answer the operator reads through the demo hook. Challenges are kept by the node that made them, so
// the three steps go to one node, as a browser's would behind a load balancer with client affinity; when that
// node goes away, the whole step starts again on another.
func verifySMS(ctx context.Context, public, operator *Party, phone, code, last6 string) error {
	var err error
	start := public.first()
	for k := range len(public.nodes) {
		node := start + k
		err = verifyOn(ctx, public.pinned(node), operator.pinned(node), phone, code, last6)
		if err == nil || errors.Is(err, ErrMaybeDone) || !errors.Is(err, errNodeGone) {
			return err
		}
	}
	return err
}

// errNodeGone marks a step that failed because its node went away.
var errNodeGone = errors.New("loadtest: node went away")

func verifyOn(ctx context.Context, public, operator *Party, phone, code, last6 string) error {
	gone := func(err error) error {
		if err != nil && ctx.Err() == nil {
			return fmt.Errorf("%w: %w", errNodeGone, err)
		}
		return err
	}
	var c struct{ ID string }
	if err := public.Do(ctx, "POST", "/miit/api/v1/captchas", nil, &c); err != nil {
		return gone(err)
	}
	var answer struct{ Answer string }
	if err := operator.Do(ctx, "GET", "/miit/api/v1/dev/captchas/"+c.ID, nil, &answer); err != nil {
		return gone(err)
	}
	err := public.Do(ctx, "POST", "/miit/api/v1/sms-verifications", map[string]string{"phone": phone, "code": code,
		"id_last6": last6, "captcha_id": c.ID, "captcha": answer.Answer}, nil)
	if err != nil && !errors.Is(err, ErrMaybeDone) {
		return gone(err)
	}
	return err
}

// SMSWait bounds how long smsCode waits for a verification code to show in the development outbox (a
// variable for tests).
var SMSWait = time.Minute

// ErrNoSMSCode is a verification code that did not show in the development outbox within SMSWait: most likely
// not a slow text but one sent elsewhere, which waiting longer does not change.
var ErrNoSMSCode = errors.New("loadtest: no verification code in the development outbox")

// smsCode reads the verification code texted to phone from the development outbox, waiting for it a little
// as a person waits for a text: the order may show that codes were sent before the message is recorded. A
// phone that verified an earlier order still holds that code: seen is it ("" for none), and is skipped.
func smsCode(ctx context.Context, operator *Party, phone, seen string) (string, error) {
	deadline := time.Now().Add(SMSWait)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		c, err := lastCode(ctx, operator, phone)
		if err != nil {
			return "", err
		}
		if c != "" && c != seen {
			return c, nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%w: nothing texted to %s within %s in the outbox at %s; a node whose MIIT "+
				"simulator runs apart (`beian miit serve`) has the simulator text the codes (give -miit-url), and a node "+
				"with BEIAN_SMS_URL sends them to its gateway (run it without)",
				ErrNoSMSCode, phone, SMSWait, strings.Join(operator.nodes, ","))
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("no verification code texted to %s: %w", phone, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// waitFor long-polls the order, whose version the caller last saw, until it reaches one of states.
func waitFor(ctx context.Context, p *Party, id int64, version int, states ...filing.State) (*filing.Order, error) {
	for {
		var o filing.Order
		if err := p.Do(ctx, "GET", fmt.Sprintf("/api/v1/orders/%d?version=%d&wait=25s", id, version), nil, &o); err != nil {
			return nil, fmt.Errorf("order %d, version %d, waiting for %v: %w", id, version, states, err)
		}
		if slices.Contains(states, o.State) {
			return &o, nil
		}
		if o.State.Final() || o.State.Editable() { // ended, or back with the applicant: it will not get there
			return nil, fmt.Errorf("order %d is %s while waiting for %v%s", id, o.State, states, resultReason(&o))
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("order %d stuck in %s waiting for %v: %w", id, o.State, states, ctx.Err())
		}
		version = o.Version
	}
}

// resultReason is the administration's reason, if it decided.
func resultReason(o *filing.Order) string {
	if o.Result != nil && o.Result.Reason != "" {
		return ": " + o.Result.Reason
	}
	return ""
}

// Lifecycles runs n lifecycles with c concurrent applicants, spread over the nodes, and returns the rate of
// completed lifecycles.
func Lifecycles(ctx context.Context, nodes []string, staff *Staff, run string, n, c int) (Result, error) {
	applicants, err := NewApplicants(ctx, nodes, staff, run, c)
	if err != nil {
		return Result{}, err
	}
	return RunLifecycles(ctx, applicants, staff, run, n)
}

// NewApplicants registers c applicants (NewApplicant) sharing one HTTP client.
func NewApplicants(ctx context.Context, nodes []string, staff *Staff, run string, c int) ([]*Applicant, error) {
	client := NewHTTPClient(c * 2)
	applicants := make([]*Applicant, c)
	for k := range applicants {
		a, err := NewApplicant(ctx, nodes, client, staff, run, k)
		if err != nil {
			return nil, err
		}
		applicants[k] = a
	}
	return applicants, nil
}

// RunLifecycles runs n lifecycles, each applicant running its share one after the other.
// A code missing from the outbox ends the run: every later lifecycle would wait for its own in vain.
func RunLifecycles(ctx context.Context, applicants []*Applicant, staff *Staff, run string, n int) (Result, error) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	return spread(ctx, n, len(applicants), func(k, i int) error {
		ctx, cancel := context.WithTimeout(ctx, OrderTimeout)
		defer cancel()
		_, err := Lifecycle(ctx, applicants[k], staff, run, i)
		if errors.Is(err, ErrNoSMSCode) {
			stop()
		}
		return err
	})
}

// OrderTimeout bounds one order's way from opening to approval in the load runs: an order that stops advancing,
// or a text that never comes, is a failure that says where it stopped (waitFor, smsCode), not a run that never
// ends.
const OrderTimeout = 2 * time.Minute

// spread runs jobs 0..n-1 on c workers (worker k runs job i as do(k, i)) and summarises the completed ones; the
// error is the first failure.
func spread(ctx context.Context, n, c int, do func(k, i int) error) (Result, error) {
	var next, errs atomic.Int64
	var first error
	var once sync.Once
	lat := make([][]time.Duration, c)
	var wg sync.WaitGroup
	start := time.Now()
	for k := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				if err := do(k, i); err != nil {
					errs.Add(1)
					once.Do(func() { first = err })
					continue
				}
				lat[k] = append(lat[k], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	return summarise(int64(n), errs.Load(), time.Since(start), lat), first
}
