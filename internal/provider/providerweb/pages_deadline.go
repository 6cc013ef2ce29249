package providerweb

// The caveat beside a deadline counted through a year whose holiday schedule is not entered yet.

import (
	"time"

	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/workday"
)

// deadlineCaveat is the note shown beside deadline when the working days up to it cross a year whose holiday
// schedule (published by the State Council's General Office each year) the calendar does not hold yet: the count
// then uses plain weekdays. "" when there is no deadline or every year is covered.
func (s *Server) deadlineCaveat(v *web.View, deadline *time.Time) string {
	if deadline == nil || deadline.IsZero() {
		return ""
	}
	a := s.clock.Now().In(workday.Location()).Year()
	b := deadline.In(workday.Location()).Year()
	if len(s.Calendar().MissingYears(min(a, b), max(a, b))) == 0 {
		return ""
	}
	return v.T("web.deadline.estimated")
}
