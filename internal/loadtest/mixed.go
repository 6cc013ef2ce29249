package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// The mixed workload: what a provider's filing traffic looks like once subjects are filed. Each subject goes
// through a new filing, a new website for it (nothing retyped), a change of subject (SMS to its principal) and
// the cancellation of the new website (confirmed), each a complete order over HTTP (docs/after-filing.md).

// MixedKinds are the order types of the mixed workload, in the order a subject goes through them.
var MixedKinds = []filing.OrderType{filing.NewFiling, filing.NewService, filing.ChangeSubject, filing.CancelService}

// Mixed runs the mixed workload on n subjects with c concurrent applicants, spread over the nodes, and returns
// the overall result and one per order type. A code missing from the outbox ends the run (RunLifecycles).
func Mixed(ctx context.Context, nodes []string, staff *Staff, run string, n, c int) (Result, map[filing.OrderType]Result, error) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	client := NewHTTPClient(c * 2)
	applicants := make([]*Applicant, c)
	for k := range applicants {
		a, err := NewApplicant(ctx, nodes, client, staff, run, k)
		if err != nil {
			return Result{}, nil, err
		}
		applicants[k] = a
	}
	var next atomic.Int64
	var errs [4]atomic.Int64
	var first error
	var once sync.Once
	lat := make([][4][]time.Duration, c)
	var wg sync.WaitGroup
	start := time.Now()
	for k := range applicants {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				for kind, d := range subjectJourney(ctx, applicants[k], staff, run, i) {
					if d.err != nil {
						errs[kind].Add(1)
						once.Do(func() { first = d.err })
						if errors.Is(d.err, ErrNoSMSCode) {
							stop()
						}
						break // the later steps need this one
					}
					lat[k][kind] = append(lat[k][kind], d.took)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	per := map[filing.OrderType]Result{}
	var all [][]time.Duration
	var allErrs int64
	for kind, t := range MixedKinds {
		var l [][]time.Duration
		done := int64(0)
		for k := range lat {
			l = append(l, lat[k][kind])
			done += int64(len(lat[k][kind]))
		}
		e := errs[kind].Load()
		per[t] = summarise(done+e, e, elapsed, l)
		all = append(all, l...)
		allErrs += e
	}
	total := int64(0)
	for _, l := range all {
		total += int64(len(l))
	}
	return summarise(total+allErrs, allErrs, elapsed, all), per, first
}

type step struct {
	took time.Duration
	err  error
}

// subjectJourney files subject i and takes it through the other order types; it stops at the first failure.
func subjectJourney(ctx context.Context, a *Applicant, staff *Staff, run string, i int) []step {
	var out []step
	timed := func(f func() error) bool {
		t0 := time.Now()
		err := f()
		out = append(out, step{time.Since(t0), err})
		return err == nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(len(MixedKinds))*OrderTimeout)
	defer cancel()
	var site string
	if !timed(func() (err error) { site, err = Lifecycle(ctx, a, staff, run, i); return err }) {
		return out
	}
	subject := site[:len(site)-len("-1")]
	var blog string
	if !timed(func() (err error) {
		o, err := afterOrder(ctx, a, staff, i, subject, provider.FiledOrderInput{Type: filing.NewService,
			ServiceKind: filing.Website, Domain: fmt.Sprintf("s%d-%s.cn", i, run), Resource: filing.ResourceRef{InstanceID: a.Resource}},
			func(c *provider.Content) {
				c.Services[0].Name, c.Services[0].Content, c.Services[0].PrincipalSameAsSubject = "广州负载科技博客", []string{"unit_portal"}, true
			})
		if err == nil {
			blog = o.Services[0].Number
		}
		return err
	}) {
		return out
	}
	if !timed(func() error {
		_, err := afterOrder(ctx, a, staff, i, subject, provider.FiledOrderInput{Type: filing.ChangeSubject},
			func(c *provider.Content) { c.Subject.Principal.Email = fmt.Sprintf("q%d@load.example.com", i) })
		return err
	}) {
		return out
	}
	timed(func() error {
		_, err := afterOrder(ctx, a, staff, i, subject, provider.FiledOrderInput{Type: filing.CancelService,
			ServiceNumbers: []string{blog}}, nil)
		return err
	})
	return out
}

// afterOrder opens an order on a filed subject, edits it, submits it with its confirmation, and takes it
// through provider review, SMS verification (when the type needs it) and the administration's approval.
func afterOrder(ctx context.Context, a *Applicant, staff *Staff, i int, subject string, in provider.FiledOrderInput,
	edit func(c *provider.Content)) (*filing.Order, error) {
	var o filing.Order
	if err := a.Do(ctx, "POST", "/api/v1/filings/"+url.PathEscape(subject)+"/orders", in, &o); err != nil {
		return nil, err
	}
	id := o.ID
	c := provider.Content{Subject: o.Subject, Services: o.Services, AgreementsAccepted: true}
	if edit != nil {
		edit(&c)
	}
	if err := a.Do(ctx, "PUT", fmt.Sprintf("/api/v1/orders/%d", id), c, nil); err != nil {
		return nil, err
	}
	seen, err := lastCode(ctx, staff.Operator, Mobile(i, 0))
	if err != nil {
		return nil, err
	}
	var conf struct{ Phrase string }
	if err := a.Do(ctx, "GET", fmt.Sprintf("/api/v1/orders/%d/consequences", id), nil, &conf); err != nil {
		return nil, err
	}
	if err := a.Do(ctx, "POST", fmt.Sprintf("/api/v1/orders/%d/submit", id), map[string]string{"confirm": conf.Phrase}, &o); err != nil {
		return nil, err
	}
	if err := staff.Reviewer.Do(ctx, "POST", fmt.Sprintf("/api/v1/console/orders/%d/decisions", id),
		provider.Decision{Decision: "approve"}, nil); err != nil {
		return nil, err
	}
	got, err := waitFor(ctx, a.Party, id, o.Version, filing.SMSPending, filing.AdministrationReview)
	if err != nil {
		return nil, err
	}
	if got.State == filing.SMSPending {
		phone := Mobile(i, 0)
		code, err := smsCode(ctx, staff.Operator, phone, seen)
		if err != nil {
			return nil, err
		}
		if err := verifySMS(ctx, staff.publicFor(a), staff.Operator, phone, code, ResidentID(i)[12:]); err != nil {
			return nil, err
		}
		if got, err = waitFor(ctx, a.Party, id, got.Version, filing.AdministrationReview); err != nil {
			return nil, err
		}
	}
	if err := officerApprove(ctx, staff, id); err != nil {
		return nil, err
	}
	return waitFor(ctx, a.Party, id, got.Version, filing.Approved)
}

// officerApprove approves the administration review of provider order id.
func officerApprove(ctx context.Context, staff *Staff, id int64) error {
	var reviews struct{ Reviews []struct{ ID int64 } }
	if err := staff.Officer.Do(ctx, "GET", fmt.Sprintf("/miit/api/v1/reviews?provider_order_id=%d", id), nil, &reviews); err != nil {
		return err
	}
	if len(reviews.Reviews) != 1 {
		return fmt.Errorf("order %d: %d reviews at the administration", id, len(reviews.Reviews))
	}
	return staff.Officer.Do(ctx, "POST", fmt.Sprintf("/miit/api/v1/reviews/%d/decision", reviews.Reviews[0].ID),
		map[string]any{"approve": true}, nil)
}

// lastCode is the latest code 12381 texted to phone, "" when none.
func lastCode(ctx context.Context, operator *Party, phone string) (string, error) {
	var msgs struct {
		Messages []struct{ Sender, Body string }
	}
	if err := operator.Do(ctx, "GET", "/api/v1/dev/messages?limit=5&to="+phone, nil, &msgs); err != nil {
		return "", err
	}
	for _, m := range msgs.Messages {
		if m.Sender == "12381" {
			return smsCodeRE.FindString(m.Body), nil
		}
	}
	return "", nil
}
