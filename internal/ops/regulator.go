package ops

import (
	"context"
	"time"

	"github.com/beian/beian/internal/regulator"
)

// Regulator wraps the provider's side of the regulator interface so that every round trip is timed and counted
// (beian_regulator_request_duration_seconds{op, outcome}). It changes nothing else.
func (m *Metrics) Regulator(r regulator.Regulator) regulator.Regulator {
	return timedRegulator{r: r, m: m}
}

type timedRegulator struct {
	r regulator.Regulator
	m *Metrics
}

// time starts timing op; the function it returns records the outcome: defer t.time("submit")(&err).
func (t timedRegulator) time(op string) func(err *error) {
	start := time.Now()
	return func(err *error) {
		outcome := "ok"
		if *err != nil {
			outcome = "error"
		}
		t.m.regulator.WithLabelValues(op, outcome).Observe(time.Since(start).Seconds())
	}
}

func (t timedRegulator) Submit(ctx context.Context, s regulator.Submission) (err error) {
	defer t.time("submit")(&err)
	return t.r.Submit(ctx, s)
}

func (t timedRegulator) Withdraw(ctx context.Context, providerID string, providerOrderID int64) (err error) {
	defer t.time("withdraw")(&err)
	return t.r.Withdraw(ctx, providerID, providerOrderID)
}

func (t timedRegulator) Results(ctx context.Context, providerID string, limit int) (_ []regulator.Result, err error) {
	defer t.time("results")(&err)
	return t.r.Results(ctx, providerID, limit)
}

func (t timedRegulator) Ack(ctx context.Context, providerID string, ids []int64) (err error) {
	defer t.time("ack")(&err)
	return t.r.Ack(ctx, providerID, ids)
}

func (t timedRegulator) LookupSubject(ctx context.Context, credentialType, credentialNumber string) (_ regulator.SubjectStatus, err error) {
	defer t.time("lookup_subject")(&err)
	return t.r.LookupSubject(ctx, credentialType, credentialNumber)
}

func (t timedRegulator) LookupDomain(ctx context.Context, domain string) (_ regulator.DomainStatus, err error) {
	defer t.time("lookup_domain")(&err)
	return t.r.LookupDomain(ctx, domain)
}

func (t timedRegulator) LookupFiling(ctx context.Context, providerID, subjectNumber string) (_ regulator.Filing, err error) {
	defer t.time("lookup_filing")(&err)
	return t.r.LookupFiling(ctx, providerID, subjectNumber)
}
