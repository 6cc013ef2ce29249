package ops

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/regulator"
)

// Round trips to the platforms the provider calls: the regulator (beian_regulator_request_duration_seconds) and
// the police platform (beian_police_request_duration_seconds), each by operation and outcome, whichever the
// transport (in-process or over HTTP). The wrappers change nothing else.

// start starts timing op on h; the function it returns records the outcome: defer start(h, "submit")(&err).
func start(h *prometheus.HistogramVec, op string) func(err *error) {
	begin := time.Now()
	return func(err *error) {
		outcome := "ok"
		if *err != nil {
			outcome = "error"
		}
		h.WithLabelValues(op, outcome).Observe(time.Since(begin).Seconds())
	}
}

// Regulator wraps the provider's side of the regulator interface so that every round trip is timed and counted.
func (m *Metrics) Regulator(r regulator.Regulator) regulator.Regulator {
	return timedRegulator{r: r, h: m.regulator}
}

type timedRegulator struct {
	r regulator.Regulator
	h *prometheus.HistogramVec
}

func (t timedRegulator) Submit(ctx context.Context, s regulator.Submission) (err error) {
	defer start(t.h, "submit")(&err)
	return t.r.Submit(ctx, s)
}

func (t timedRegulator) Withdraw(ctx context.Context, providerID string, providerOrderID int64) (err error) {
	defer start(t.h, "withdraw")(&err)
	return t.r.Withdraw(ctx, providerID, providerOrderID)
}

func (t timedRegulator) Results(ctx context.Context, providerID string, limit int) (_ []regulator.Result, err error) {
	defer start(t.h, "results")(&err)
	return t.r.Results(ctx, providerID, limit)
}

func (t timedRegulator) Ack(ctx context.Context, providerID string, ids []int64) (err error) {
	defer start(t.h, "ack")(&err)
	return t.r.Ack(ctx, providerID, ids)
}

func (t timedRegulator) LookupSubject(ctx context.Context, credentialType, credentialNumber string) (_ regulator.SubjectStatus, err error) {
	defer start(t.h, "lookup_subject")(&err)
	return t.r.LookupSubject(ctx, credentialType, credentialNumber)
}

func (t timedRegulator) LookupDomain(ctx context.Context, domain string) (_ regulator.DomainStatus, err error) {
	defer start(t.h, "lookup_domain")(&err)
	return t.r.LookupDomain(ctx, domain)
}

func (t timedRegulator) LookupFiling(ctx context.Context, providerID, subjectNumber string) (_ regulator.Filing, err error) {
	defer start(t.h, "lookup_filing")(&err)
	return t.r.LookupFiling(ctx, providerID, subjectNumber)
}

// Police wraps the provider's side of the police interface so that every round trip is timed and counted
// (ops push and status). nil stays nil (no police platform configured).
func (m *Metrics) Police(p police.Platform) police.Platform {
	if p == nil {
		return nil
	}
	return timedPolice{p: p, h: m.police}
}

type timedPolice struct {
	p police.Platform
	h *prometheus.HistogramVec
}

func (t timedPolice) PushICPData(ctx context.Context, p police.Push) (_ police.DataCode, err error) {
	defer start(t.h, "push")(&err)
	return t.p.PushICPData(ctx, p)
}

func (t timedPolice) FilingStatus(ctx context.Context, q police.StatusQuery) (_ police.FilingStatus, err error) {
	defer start(t.h, "status")(&err)
	return t.p.FilingStatus(ctx, q)
}
