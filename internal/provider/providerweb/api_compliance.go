package providerweb

import (
	"net/http"
	"strconv"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
)

// The homepage compliance checker's API (docs/compliance.md): staff start and follow sweeps (a long poll like an
// order's), read a site's report and set the recurring sweep; an applicant reads the latest result for their
// own websites.

func (s *Server) complianceRoutes() {
	const reviewer, operator, applicant = provider.RoleReviewer, provider.RoleOperator, provider.RoleApplicant
	s.Handle("POST", "/api/v1/console/compliance/sweeps", s.Authed(s.startSweep, reviewer, operator))
	s.Handle("GET", "/api/v1/console/compliance/sweeps", s.Authed(s.listSweeps, reviewer, operator))
	s.Handle("GET", "/api/v1/console/compliance/sweeps/{id}", s.Authed(withID(s.getSweep), reviewer, operator))
	s.Handle("GET", "/api/v1/console/compliance/sweeps/{id}/sites/{seq}", s.Authed(withID(s.getSiteReport), reviewer, operator))
	s.Handle("GET", "/api/v1/console/compliance/schedule", s.Authed(s.getSweepSchedule, reviewer, operator))
	s.Handle("PUT", "/api/v1/console/compliance/schedule", s.Authed(s.setSweepSchedule, reviewer, operator))
	s.Handle("GET", "/api/v1/site-checks", s.Authed(s.mySiteChecks, applicant))
}

func (s *Server) startSweep(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	sw, err := s.svc.StartSweep(r.Context(), a)
	web.Respond(w, r, http.StatusCreated, sw, err)
}

func (s *Server) listSweeps(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, err := s.svc.Sweeps(r.Context(), a, web.QueryInt(r, "limit", 20))
	web.Respond(w, r, http.StatusOK, map[string]any{"sweeps": list}, err)
}

// getSweep answers at once, or with ?version=N&wait=30s once the sweep's version differs from N.
func (s *Server) getSweep(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	wait, ok, err := longPollWait(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	if !ok {
		v, err := s.svc.Sweep(r.Context(), a, id)
		web.Respond(w, r, http.StatusOK, v, err)
		return
	}
	v, err := s.svc.WaitSweep(r.Context(), a, id, web.QueryInt(r, "version", 0), wait)
	web.Respond(w, r, http.StatusOK, v, err)
}

func (s *Server) getSiteReport(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil || seq < 0 {
		web.WriteError(w, r, problem.Invalidf("checker.bad_seq", "seq"))
		return
	}
	c, err := s.svc.SiteReport(r.Context(), a, id, seq)
	if err == nil && c.Report != nil {
		c.Report.Localize(web.LangOf(r))
	}
	web.Respond(w, r, http.StatusOK, c, err)
}

func (s *Server) getSweepSchedule(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	sc, err := s.svc.SweepSchedule(r.Context(), a)
	web.Respond(w, r, http.StatusOK, sc, err)
}

func (s *Server) setSweepSchedule(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in struct {
		Every string `json:"every"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	sc, err := s.svc.SetSweepSchedule(r.Context(), a, in.Every)
	web.Respond(w, r, http.StatusOK, sc, err)
}

func (s *Server) mySiteChecks(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, err := s.svc.MySiteChecks(r.Context(), a)
	for i := range list {
		if list[i].Report != nil {
			list[i].Report.Localize(web.LangOf(r))
		}
	}
	web.Respond(w, r, http.StatusOK, map[string]any{"sites": list}, err)
}
