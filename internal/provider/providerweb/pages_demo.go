package providerweb

// The demo tools (operators, demo mode only): the messages the development outbox would have sent, and the
// adjustable clock.

import (
	"net/http"
	"strings"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
)

// ---- demo tools -----------------------------------------------------------------------------------------

type demoData struct {
	To       string
	Messages []store.DevMessage
	Clock    clockBody
	Advances []web.Option
}

func (s *Server) demoPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current = "demo", "demo"
	if !s.Demo {
		s.Fail(w, r, v, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	to := strings.TrimSpace(r.URL.Query().Get("to"))
	msgs, err := s.svc.DevMessages(v.Ctx(), v.Actor, to, 100)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d := &demoData{To: to, Messages: msgs, Clock: s.clockState()}
	for _, a := range []string{"1h", "25h", "72h", "168h", "720h"} {
		d.Advances = append(d.Advances, web.Option{Value: a, Label: v.T("web.demo.advance." + a)})
	}
	v.D = d
	s.Render(w, v, http.StatusOK, "demo")
}

func (s *Server) demoClock(w http.ResponseWriter, r *http.Request, v *web.View) {
	if !s.Demo || s.Adjust == nil {
		s.Fail(w, r, v, problem.New(problem.Forbidden, "dev.clock_fixed", ""))
		return
	}
	d, err := time.ParseDuration(r.PostFormValue("advance"))
	if err != nil || d <= 0 || d > 366*24*time.Hour {
		s.Fail(w, r, v, problem.Invalidf("dev.bad_duration", "advance"))
		return
	}
	if _, err := s.Adjust.Advance(d); err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if s.AfterAdvance != nil {
		s.AfterAdvance()
	}
	web.Redirect(w, r, "/demo", "clock")
}
