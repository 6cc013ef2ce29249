package providerweb

import (
	"net/http"
	"strconv"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
)

// The homepage compliance checker's console pages (docs/compliance.md): the sweeps with the start button and the
// recurring schedule, one sweep with its live progress, and one site's report with the HTML to paste.

func (s *Server) compliancePageRoutes() {
	const reviewer, operator = provider.RoleReviewer, provider.RoleOperator
	s.HandlePage("GET", "/console/compliance", s.Page(s.compliancePage, reviewer, operator))
	s.HandlePage("POST", "/console/compliance/sweeps", s.Page(s.sweepSubmit, reviewer, operator))
	s.HandlePage("POST", "/console/compliance/schedule", s.FormPost(s.scheduleSubmit, reviewer, operator))
	s.HandlePage("GET", "/console/compliance/{id}", s.Page(s.sweepPage, reviewer, operator))
	s.HandlePage("GET", "/console/compliance/{id}/sites/{seq}", s.Page(s.siteReportPage, reviewer, operator))
}

type complianceData struct {
	Sweeps   []store.Sweep
	Schedule store.Schedule
	Every    []string
}

func (s *Server) compliancePage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showCompliance(w, r, v, nil, http.StatusOK)
}

func (s *Server) showCompliance(w http.ResponseWriter, r *http.Request, v *web.View, errs error, status int) {
	v.Area, v.Current = "console", "compliance"
	d := &complianceData{Every: []string{provider.EveryOff, provider.EveryDaily, provider.EveryWeekly}}
	var err error
	if d.Sweeps, err = s.svc.Sweeps(v.Ctx(), v.Actor, 20); err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if d.Schedule, err = s.svc.SweepSchedule(v.Ctx(), v.Actor); err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if errs != nil {
		v.Errors = s.PageErrors(r, errs)
		v.AimErrors("", map[string]web.Input{"every": {ID: "every", Label: v.T("web.checker.every")}})
	}
	v.Title = v.T("web.checker.title")
	v.D = d
	s.Render(w, v, status, "compliance")
}

// sweepSubmit starts a sweep and shows its progress; while one runs, the list says so.
func (s *Server) sweepSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	sw, err := s.svc.StartSweep(v.Ctx(), v.Actor)
	if err != nil {
		if problem.KindOf(err) != problem.Conflict {
			s.Fail(w, r, v, err)
			return
		}
		s.showCompliance(w, r, v, err, http.StatusConflict)
		return
	}
	web.Redirect(w, r, "/console/compliance/"+strconv.FormatInt(sw.ID, 10), "sweep_started")
}

func (s *Server) scheduleSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	err := v.Refused()
	if err == nil {
		_, err = s.svc.SetSweepSchedule(v.Ctx(), v.Actor, formValue(r, "every"))
	}
	if err != nil {
		if problem.KindOf(err) != problem.Invalid {
			s.Fail(w, r, v, err)
			return
		}
		s.showCompliance(w, r, v, err, http.StatusUnprocessableEntity)
		return
	}
	web.Redirect(w, r, "/console/compliance#schedule", "schedule_saved")
}

func (s *Server) sweepPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	sw, err := s.svc.Sweep(v.Ctx(), v.Actor, id)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	v.Area, v.Current = "console", "compliance"
	v.Title = v.Tf("web.checker.sweep_title", "id", strconv.FormatInt(sw.ID, 10))
	v.D = sw
	s.Render(w, v, http.StatusOK, "compliance_sweep")
}

func (s *Server) siteReportPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil || seq < 0 {
		s.Fail(w, r, v, problem.New(problem.NotFound, "checker.site_not_found", ""))
		return
	}
	c, err := s.svc.SiteReport(v.Ctx(), v.Actor, id, seq)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if c.Report != nil {
		c.Report.Localize(v.Lang)
	}
	v.Area, v.Current = "console", "compliance"
	v.Title = v.Tf("web.checker.site_title", "domain", c.Domain)
	v.D = c
	s.Render(w, v, http.StatusOK, "compliance_site")
}
