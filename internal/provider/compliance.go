package provider

import (
	"context"
	"encoding/json"
	"time"

	"github.com/beian/beian/internal/compliance"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// The homepage compliance checker on the console (docs/compliance.md): staff sweep every filed website accessed
// here, follow the sweep live, read each site's report with the HTML to paste, schedule a recurring sweep and
// receive a digest of the sites that newly fail; applicants see the latest result for their own sites.

// Schedules of the recurring sweep.
const (
	EveryOff    = "off"
	EveryDaily  = "daily"
	EveryWeekly = "weekly"
)

// SweepView is a sweep with its websites.
type SweepView struct {
	store.Sweep
	Sites []store.SiteResult `json:"sites"`
}

// SiteCheck is one website's result with the checker's report and the footer the site should show.
type SiteCheck struct {
	store.SiteResult
	Report *compliance.Report `json:"report,omitempty"`
	// Footer is the whole footer with the filed numbers, ready to paste ("" when the domain is not filed).
	Footer string `json:"footer,omitempty"`
}

func requireStaff(by Actor) error { return requireRole(by, RoleReviewer, RoleOperator) }

// StartSweep starts checking every filed website accessed here; the sweep runs in the background
// (RunComplianceSweeps). One sweep runs at a time: while one is running, this is a Conflict naming it.
func (s *Service) StartSweep(ctx context.Context, by Actor) (*store.Sweep, error) {
	if err := requireStaff(by); err != nil {
		return nil, err
	}
	id, err := s.createSweep(ctx, by.ID, nil)
	if err != nil {
		return nil, err
	}
	s.KickSweeps()
	return s.st.Sweep(ctx, id)
}

// createSweep records a sweep of every filed website; claim, when set, runs first in the same transaction and
// may decline (the scheduled start another node took).
func (s *Service) createSweep(ctx context.Context, by int64, claim func(tx *store.Tx) (bool, error)) (int64, error) {
	targets, err := s.sweepTargets(ctx)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		id = 0
		if claim != nil {
			if ok, err := claim(tx); err != nil || !ok {
				return err
			}
		}
		open, err := tx.OpenSweep(ctx)
		if err != nil {
			return err
		}
		if open != 0 {
			return problem.New(problem.Conflict, "checker.sweep_running", "", "id", itoaID(open))
		}
		if len(targets) == 0 {
			return problem.New(problem.Conflict, "checker.no_sites", "")
		}
		id, err = tx.CreateSweep(ctx, by, targets, s.now())
		return err
	})
	return id, err
}

// sweepTargets lists every domain of the filed websites accessed through this provider, as the registry holds
// them now; a subject the registry no longer has is checked by the websites recorded here (the check then says
// the filing was cancelled). A domain is checked once.
func (s *Service) sweepTargets(ctx context.Context) ([]store.SweepTarget, error) {
	subjects, err := s.st.SweepSubjects(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.SweepTarget
	seen := map[string]bool{}
	add := func(t store.SweepTarget) {
		if t.Domain != "" && !seen[t.Domain] {
			seen[t.Domain] = true
			out = append(out, t)
		}
	}
	for _, su := range subjects {
		rec, err := s.cfg.Regulator.LookupFiling(ctx, s.cfg.ProviderID, su.Number)
		if problem.KindOf(err) == problem.NotFound {
			for _, t := range su.Local {
				add(t)
			}
			continue
		}
		if err != nil {
			return nil, problem.Wrap(err, "regulator.unavailable")
		}
		for _, fs := range rec.Services {
			if fs.Service.Kind != filing.Website || !fs.HasAccess(s.cfg.ProviderID) {
				continue
			}
			for _, d := range fs.Service.Domains {
				add(store.SweepTarget{ServiceNumber: fs.Service.Number, Domain: d, ApplicantID: su.ApplicantID})
			}
		}
	}
	return out, nil
}

// Sweeps lists the latest sweeps, newest first.
func (s *Service) Sweeps(ctx context.Context, by Actor, limit int) ([]store.Sweep, error) {
	if err := requireStaff(by); err != nil {
		return nil, err
	}
	return s.st.Sweeps(ctx, min(max(limit, 1), 100))
}

// Sweep returns a sweep with its websites.
func (s *Service) Sweep(ctx context.Context, by Actor, id int64) (*SweepView, error) {
	if err := requireStaff(by); err != nil {
		return nil, err
	}
	w, err := s.st.Sweep(ctx, id)
	if err != nil {
		return nil, err
	}
	sites, err := s.st.SiteResults(ctx, id)
	if err != nil {
		return nil, err
	}
	return &SweepView{Sweep: *w, Sites: sites}, nil
}

// WaitSweep returns the sweep once its version differs from version, or when wait has passed (then unchanged):
// the long poll behind the live progress, as WaitOrder is for an order.
func (s *Service) WaitSweep(ctx context.Context, by Actor, id int64, version int, wait time.Duration) (*SweepView, error) {
	var out *SweepView
	err := s.sweeps.wait(ctx, id, wait, func(*store.SavedOrder) (bool, error) {
		v, err := s.Sweep(ctx, by, id)
		out = v
		return err != nil || v.Version != version, err
	})
	return out, err
}

// SiteReport returns one website's result in a sweep with its report.
func (s *Service) SiteReport(ctx context.Context, by Actor, sweepID int64, seq int) (*SiteCheck, error) {
	if err := requireStaff(by); err != nil {
		return nil, err
	}
	r, err := s.st.SiteResult(ctx, sweepID, seq)
	if err != nil {
		return nil, err
	}
	return siteCheck(*r)
}

// MySiteChecks returns the latest result for each of the applicant's filed websites that a sweep checked.
func (s *Service) MySiteChecks(ctx context.Context, by Actor) ([]SiteCheck, error) {
	if err := requireRole(by, RoleApplicant); err != nil {
		return nil, err
	}
	rs, err := s.st.LatestSiteResults(ctx, by.ID)
	if err != nil {
		return nil, err
	}
	out := make([]SiteCheck, 0, len(rs))
	for _, r := range rs {
		c, err := siteCheck(r)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, nil
}

func siteCheck(r store.SiteResult) (*SiteCheck, error) {
	c := &SiteCheck{SiteResult: r}
	if r.Report == nil {
		return c, nil
	}
	c.Report = &compliance.Report{}
	if err := json.Unmarshal(r.Report, c.Report); err != nil {
		return nil, err
	}
	if f := c.Report.Filing; f != nil && f.Filed && f.ServiceNumber != "" {
		c.Footer = compliance.FooterSnippet(f.ServiceNumber, f.PoliceNumber)
	}
	return c, nil
}

// SweepSchedule returns the recurring sweep.
func (s *Service) SweepSchedule(ctx context.Context, by Actor) (store.Schedule, error) {
	if err := requireStaff(by); err != nil {
		return store.Schedule{}, err
	}
	return s.st.SweepSchedule(ctx)
}

// SetSweepSchedule sets the recurring sweep: off, daily or weekly from now.
func (s *Service) SetSweepSchedule(ctx context.Context, by Actor, every string) (store.Schedule, error) {
	if err := requireStaff(by); err != nil {
		return store.Schedule{}, err
	}
	now := s.now()
	sc := store.Schedule{Every: every, UpdatedBy: by.ID, UpdatedAt: now}
	switch every {
	case EveryOff:
	case EveryDaily, EveryWeekly:
		sc.NextAt = nextRun(every, now)
	default:
		return sc, problem.Invalidf("checker.bad_every", "every")
	}
	err := s.st.Update(ctx, func(tx *store.Tx) error { return tx.SetSweepSchedule(ctx, sc) })
	if err == nil {
		s.KickSweeps()
	}
	return sc, err
}

// nextRun is when a schedule starts its next sweep after from.
func nextRun(every string, from time.Time) time.Time {
	if every == EveryWeekly {
		return from.Add(7 * 24 * time.Hour)
	}
	return from.Add(24 * time.Hour)
}
