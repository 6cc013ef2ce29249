package providerweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
)

// The working-day calendar in the console: which years' statutory schedules are known, and, for operators,
// a form to enter a new year's schedule as published (holiday-cn's {year}.json), in force at once.

type calendarData struct {
	Entered  []store.CalendarYear
	Missing  string // this year and next without a schedule, e.g. "2027"
	CanEnter bool
	Form     *web.Form
}

func (s *Server) calendarForm(v *web.View, r *http.Request) *web.Form {
	year := strconv.Itoa(s.clock.Now().In(web.Shanghai).Year() + 1)
	if m := s.missingYears(); len(m) > 0 {
		year = strconv.Itoa(m[0])
	}
	get := func(k, def string) string {
		if r != nil && r.Method == http.MethodPost {
			return r.PostFormValue(k)
		}
		return def
	}
	return &web.Form{Sections: []*web.Section{{ID: "calendar-year", Title: v.T("web.calendar.new"), Intro: v.T("web.calendar.intro"), Fields: []*web.Field{
		v.Field("number", "year", get("year", year)).Req().Labelled(v.T("web.calendar.year")).Mode("numeric"),
		v.Field("textarea", "days", get("days", "")).Req().Labelled(v.T("web.calendar.file")).Hinted(v.T("web.calendar.file_hint")).Widen(),
	}}}}
}

func (s *Server) missingYears() []int {
	y := s.clock.Now().In(web.Shanghai).Year()
	return s.Calendar().MissingYears(y, y+1)
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showCalendar(w, r, v, s.calendarForm(v, nil), http.StatusOK)
}

func (s *Server) showCalendar(w http.ResponseWriter, r *http.Request, v *web.View, f *web.Form, status int) {
	v.Area, v.Current = "console", "calendar"
	entered, err := s.svc.CalendarYears(v.Ctx(), v.Actor)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	var missing []string
	for _, y := range s.missingYears() {
		missing = append(missing, strconv.Itoa(y))
	}
	v.D = &calendarData{Entered: entered, Missing: strings.Join(missing, "、"), CanEnter: v.Actor.Role == provider.RoleOperator, Form: f}
	s.Render(w, v, status, "calendar")
}

func (s *Server) calendarEnter(w http.ResponseWriter, r *http.Request, v *web.View) {
	f := s.calendarForm(v, r)
	year, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	switch {
	case v.Refused() != nil:
		err = v.Refused()
	case err == nil:
		_, err = s.svc.EnterCalendarYear(v.Ctx(), v.Actor, year, []byte(r.PostFormValue("days")))
	default:
		err = problem.Invalidf("calendar.year_invalid", "year", "year", r.PostFormValue("year"))
	}
	if err != nil {
		f.Place(s.PageErrors(r, err))
		v.SetErrors(f)
		s.showCalendar(w, r, v, f, web.StatusFor(err))
		return
	}
	v.Flash = v.Tf("web.flash.calendar_entered", "year", strconv.Itoa(year))
	s.showCalendar(w, r, v, s.calendarForm(v, nil), http.StatusOK)
}
