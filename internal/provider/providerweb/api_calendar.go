package providerweb

import (
	"net/http"
	"strconv"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
)

// calendarOut is the working-day calendar's state: the years operators entered, and which of this year and
// the next have no schedule yet (their deadlines count plain weekdays).
type calendarOut struct {
	Entered []store.CalendarYear `json:"entered"`
	Missing []int                `json:"missing"`
}

func (s *Server) calendarYears(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	years, err := s.svc.CalendarYears(r.Context(), a)
	if years == nil {
		years = []store.CalendarYear{}
	}
	y := s.clock.Now().In(web.Shanghai).Year()
	missing := s.Calendar().MissingYears(y, y+1)
	if missing == nil {
		missing = []int{}
	}
	web.Respond(w, r, http.StatusOK, calendarOut{Entered: years, Missing: missing}, err)
}

// enterCalendarYear takes a year's schedule as published, in holiday-cn's {year}.json format.
func (s *Server) enterCalendarYear(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		web.WriteError(w, r, problem.Invalidf("calendar.year_invalid", "year", "year", r.PathValue("year")))
		return
	}
	body, err := web.ReadBody(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	f, err := s.svc.EnterCalendarYear(r.Context(), a, year, body)
	web.Respond(w, r, http.StatusOK, f, err)
}
