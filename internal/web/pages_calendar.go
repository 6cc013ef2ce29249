package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
)

// The working-day calendar in the console: which years' statutory schedules are known, and, for operators,
// a form to enter a new year's schedule as published (holiday-cn's {year}.json), in force at once.

type calendarData struct {
	Entered  []store.CalendarYear
	Missing  string // this year and next without a schedule, e.g. "2027"
	CanEnter bool
	Form     *form
}

func (s *Server) calendarForm(v *view, r *http.Request) *form {
	year := strconv.Itoa(s.clock.Now().In(shanghai).Year() + 1)
	if m := s.missingYears(); len(m) > 0 {
		year = strconv.Itoa(m[0])
	}
	get := func(k, def string) string {
		if r != nil && r.Method == http.MethodPost {
			return r.PostFormValue(k)
		}
		return def
	}
	return &form{Sections: []*Section{{ID: "calendar-year", Title: v.t("web.calendar.new"), Intro: v.t("web.calendar.intro"), Fields: []*Field{
		v.field("number", "year", get("year", year)).req().labelled(v.t("web.calendar.year")).mode("numeric"),
		v.field("textarea", "days", get("days", "")).req().labelled(v.t("web.calendar.file")).hint(v.t("web.calendar.file_hint")).wide(),
	}}}}
}

func (s *Server) missingYears() []int {
	y := s.clock.Now().In(shanghai).Year()
	return s.Calendar().MissingYears(y, y+1)
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request, v *view) {
	s.showCalendar(w, r, v, s.calendarForm(v, nil), http.StatusOK)
}

func (s *Server) showCalendar(w http.ResponseWriter, r *http.Request, v *view, f *form, status int) {
	v.Area, v.Current = "console", "calendar"
	entered, err := s.svc.CalendarYears(v.ctx(), v.Actor)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	var missing []string
	for _, y := range s.missingYears() {
		missing = append(missing, strconv.Itoa(y))
	}
	v.D = &calendarData{Entered: entered, Missing: strings.Join(missing, "、"), CanEnter: v.Actor.Role == provider.RoleOperator, Form: f}
	s.render(w, v, status, "calendar")
}

func (s *Server) calendarEnter(w http.ResponseWriter, r *http.Request, v *view) {
	f := s.calendarForm(v, r)
	year, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	if err == nil {
		_, err = s.svc.EnterCalendarYear(v.ctx(), v.Actor, year, []byte(r.PostFormValue("days")))
	} else {
		err = problem.Invalidf("calendar.year_invalid", "year", "year", r.PostFormValue("year"))
	}
	if err != nil {
		f.place(s.pageErrors(r, err))
		v.setErrors(f)
		s.showCalendar(w, r, v, f, statusFor(err))
		return
	}
	v.Flash = v.tf("web.flash.calendar_entered", "year", strconv.Itoa(year))
	s.showCalendar(w, r, v, s.calendarForm(v, nil), http.StatusOK)
}
