package provider

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/compliance"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/notify"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// sweepLease is how long a node owns a sweep it runs without recording a result; after a node stopped, another
// takes the sweep over once this has passed and checks the websites left.
const sweepLease = 2 * time.Minute

// SweepKicks delivers a signal when a sweep was started or the schedule changed: the runner loop
// (internal/app) then calls RunComplianceSweeps at once instead of at its next tick.
func (s *Service) SweepKicks() <-chan struct{} { return s.sweepKick }

// KickSweeps has the runner look for work now (after a sweep started, the schedule changed or the clock moved).
func (s *Service) KickSweeps() {
	select {
	case s.sweepKick <- struct{}{}:
	default:
	}
}

// RunComplianceSweeps starts the scheduled sweep when it is due and runs every unfinished sweep no other node
// holds. Several nodes may call it: the schedule's start and each sweep are claimed by one of them.
func (s *Service) RunComplianceSweeps(ctx context.Context) error {
	if err := s.startScheduled(ctx); err != nil {
		return err
	}
	for {
		var id int64
		err := s.st.Update(ctx, func(tx *store.Tx) error {
			now := s.now()
			var err error
			id, err = tx.ClaimSweep(ctx, now, now.Add(sweepLease))
			return err
		})
		if err != nil || id == 0 {
			return err
		}
		if err := s.runSweep(ctx, id); err != nil {
			return err
		}
	}
}

// startScheduled starts the recurring sweep when due; the node that moves the schedule on starts it.
func (s *Service) startScheduled(ctx context.Context) error {
	sc, err := s.st.SweepSchedule(ctx)
	if err != nil || sc.Every == EveryOff || sc.NextAt.IsZero() || s.now().Before(sc.NextAt) {
		return err
	}
	next := nextRun(sc.Every, s.now())
	_, err = s.createSweep(ctx, 0, func(tx *store.Tx) (bool, error) { return tx.ClaimScheduledSweep(ctx, sc.NextAt, next) })
	if k := problem.KindOf(err); k == problem.Conflict {
		slog.Info("compliance: scheduled sweep skipped", "reason", problem.As(err)[0].Code)
		return s.st.Update(ctx, func(tx *store.Tx) error { _, err := tx.ClaimScheduledSweep(ctx, sc.NextAt, next); return err })
	}
	return err
}

// runSweep checks the websites of a sweep still pending, records each result as it comes (waking the long
// polls), then finishes the sweep and mails the digest of new failures.
func (s *Service) runSweep(ctx context.Context, id int64) error {
	sites, err := s.st.SiteResults(ctx, id)
	if err != nil {
		return err
	}
	var targets []string
	seqOf := map[string]store.SiteResult{}
	for _, r := range sites {
		if r.State == store.SitePending {
			targets = append(targets, r.Domain)
			seqOf[r.Domain] = r
		}
	}
	checker := compliance.NewChecker(siteRegistry{s}, s.cfg.SiteFetch)
	var recordErr error
	workers := s.cfg.SiteWorkers
	if workers <= 0 {
		workers = 4
	}
	checker.CheckAll(ctx, targets, workers, func(rep compliance.Report) {
		if ctx.Err() != nil || recordErr != nil {
			return // stopping: the site stays pending for whoever takes the sweep over
		}
		recordErr = s.recordSite(ctx, seqOf[rep.Target], rep)
	})
	if recordErr != nil || ctx.Err() != nil {
		return errors.Join(recordErr, ctx.Err())
	}
	return s.finishSweep(ctx, id)
}

func (s *Service) recordSite(ctx context.Context, r store.SiteResult, rep compliance.Report) error {
	b, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	r.Report, r.Errors, r.CheckedAt, r.State = b, rep.Count(compliance.Error), rep.CheckedAt, store.SitePass
	if !rep.Pass {
		r.State = store.SiteFail
	}
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.RecordSiteResult(ctx, r, s.now().Add(sweepLease))
		return err
	})
	if err == nil {
		s.sweeps.wake(r.SweepID)
	}
	return err
}

// finishSweep marks the sweep finished and, in the same transaction, queues the digest of the websites that
// fail now and did not fail in the previous sweep (all failing ones when there was none).
func (s *Service) finishSweep(ctx context.Context, id int64) error {
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		ok, err := tx.FinishSweep(ctx, id, s.now())
		if err != nil || !ok {
			return err
		}
		fresh, err := newFailures(ctx, tx, id)
		if err != nil || len(fresh) == 0 {
			return err
		}
		return s.queueDigest(ctx, tx, id, fresh)
	})
	if err == nil {
		s.sweeps.wake(id)
		s.cfg.Kick()
	}
	return err
}

func newFailures(ctx context.Context, tx *store.Tx, id int64) ([]store.SiteResult, error) {
	now, err := tx.SiteResults(ctx, id)
	if err != nil {
		return nil, err
	}
	prev, err := tx.PreviousFinishedSweep(ctx, id)
	if err != nil {
		return nil, err
	}
	failedBefore := map[string]bool{}
	if prev != 0 {
		before, err := tx.SiteResults(ctx, prev)
		if err != nil {
			return nil, err
		}
		for _, r := range before {
			failedBefore[r.Domain] = verifiedFailure(r)
		}
	}
	var out []store.SiteResult
	for _, r := range now {
		if verifiedFailure(r) && !failedBefore[r.Domain] {
			out = append(out, r)
		}
	}
	return out, nil
}

// verifiedFailure reports whether a site failed for something found, not only because the registry could not
// be asked (registry.unavailable: its report says so, but a regulator that is away would otherwise put every
// site in the digest, and keep the sites that really fail out of the next one).
func verifiedFailure(r store.SiteResult) bool {
	if r.State != store.SiteFail {
		return false
	}
	var rep compliance.Report
	return json.Unmarshal(r.Report, &rep) != nil || rep.FoundWrong()
}

// queueDigest e-mails every reviewer and operator, each in their language, the websites that newly fail with
// the first error of each and a link to its report.
func (s *Service) queueDigest(ctx context.Context, tx *store.Tx, id int64, fresh []store.SiteResult) error {
	staff, err := tx.StaffAccounts(ctx)
	if err != nil {
		return err
	}
	base := strings.TrimRight(s.cfg.BaseURL, "/")
	for _, a := range staff {
		if a.Email == "" {
			continue
		}
		lang := i18n.Parse(a.Lang)
		var body strings.Builder
		body.WriteString(i18n.T(lang, "checker.digest.lead", map[string]string{"n": strconv.Itoa(len(fresh))}))
		for _, r := range fresh {
			body.WriteString("\n\n" + i18n.T(lang, "checker.digest.site", map[string]string{"domain": r.Domain,
				"number": r.ServiceNumber, "problem": firstError(lang, r),
				"link": base + "/console/compliance/" + itoaID(id) + "/sites/" + strconv.Itoa(r.Seq)}))
		}
		m := notify.Message{Channel: notify.ChannelEmail, To: a.Email, Body: body.String(),
			Subject: i18n.T(lang, "checker.digest.subject", map[string]string{"n": strconv.Itoa(len(fresh))})}
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, TopicEmail, b, s.now()); err != nil {
			return err
		}
	}
	return nil
}

// firstError is the message of a result's first error finding.
func firstError(lang i18n.Lang, r store.SiteResult) string {
	var rep compliance.Report
	if json.Unmarshal(r.Report, &rep) == nil {
		for _, f := range rep.Findings {
			if f.Severity == compliance.Error {
				return f.Text(lang)
			}
		}
	}
	return ""
}
