package providerweb

import (
	"net/http"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
)

// devMessages lets an operator read what the development SMS/e-mail gateway "sent" (demo mode only).
func (s *Server) devMessages(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	if !s.Demo {
		web.WriteError(w, r, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	list, err := s.svc.DevMessages(r.Context(), a, r.URL.Query().Get("to"), web.QueryInt(r, "limit", 50))
	web.Respond(w, r, http.StatusOK, map[string]any{"messages": list}, err)
}

type clockBody struct {
	Now    time.Time `json:"now"`
	Offset string    `json:"offset"`
	Demo   bool      `json:"demo"`
}

func (s *Server) clockState() clockBody {
	b := clockBody{Now: s.clock.Now(), Demo: s.Demo && s.Adjust != nil, Offset: "0s"}
	if s.Adjust != nil {
		b.Offset = s.Adjust.Offset().String()
	}
	return b
}

func (s *Server) getClock(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	web.WriteJSON(w, http.StatusOK, s.clockState())
}

// advanceClock moves the simulated clock forward; refused outside demo mode (the issue: never in production).
func (s *Server) advanceClock(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	if !s.Demo || s.Adjust == nil {
		web.WriteError(w, r, problem.New(problem.Forbidden, "dev.clock_fixed", ""))
		return
	}
	var in struct {
		Advance string `json:"advance"` // a Go duration: "25h", "72h30m"
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	d, err := time.ParseDuration(in.Advance)
	if err != nil || d <= 0 || d > 366*24*time.Hour {
		web.WriteError(w, r, problem.Invalidf("dev.bad_duration", "advance"))
		return
	}
	if _, err := s.Adjust.Advance(d); err != nil {
		web.WriteError(w, r, err)
		return
	}
	if s.AfterAdvance != nil {
		s.AfterAdvance()
	}
	web.WriteJSON(w, http.StatusOK, s.clockState())
}
