package app_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/beian/beian/internal/storetest"
	"github.com/beian/beian/internal/workday"
)

// schedule2031 is a year's schedule in holiday-cn's format: 2031-01-01 (a Wednesday) off, a Sunday worked.
func schedule2031(year int, days ...map[string]any) map[string]any {
	if days == nil {
		days = []map[string]any{
			{"name": "元旦", "date": "2031-01-01", "isOffDay": true},
			{"name": "春节", "date": "2031-01-22", "isOffDay": false},
			{"name": "春节", "date": "2031-01-23", "isOffDay": true},
		}
	}
	return map[string]any{"year": year, "papers": []string{"https://www.gov.cn/zhengce/2031-holidays"}, "days": days}
}

// An operator enters a year's working-day schedule as published: deadlines count it at once, it survives a
// restart, and bad files or other roles change nothing.
func TestOperatorEntersAYearsCalendar(t *testing.T) {
	for name, url := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) {
			if name == "sqlite" {
				url = "sqlite:" + filepath.Join(t.TempDir(), "beian.db") // kept across the restart below
			}
			a := startApp(t, url)
			p := newParties(t, a)
			newYearsEve := time.Date(2030, 12, 31, 10, 0, 0, 0, workday.Location())
			// A deadline one working day after 2030-12-31 ends with that working day, at midnight.
			if due, _ := a.Calendar().AddWorkdays(newYearsEve, 1); due.Format(time.DateOnly) != "2031-01-02" {
				t.Fatalf("before: due %s, want the end of 2031-01-01 (plain weekdays)", due)
			}

			// Refused: another role, the wrong year, a date twice, no days, not a schedule.
			reviewer := p.reviewer
			if codes := reviewer.errorCodes(403, "PUT", "/api/v1/console/calendar/2031", schedule2031(2031)); len(codes) == 0 {
				t.Error("a reviewer entered a calendar")
			}
			twice := map[string]any{"name": "元旦", "date": "2031-01-01", "isOffDay": true}
			for _, bad := range []struct {
				body any
				code string
			}{
				{schedule2031(2032), "calendar.year_mismatch"},
				{schedule2031(2031, twice, twice), "calendar.invalid"},
				{schedule2031(2031, []map[string]any{}...), "calendar.empty"},
				{"not a schedule", "calendar.invalid"},
			} {
				if codes := p.operator.errorCodes(422, "PUT", "/api/v1/console/calendar/2031", bad.body); !slices.Contains(codes, bad.code) {
					t.Errorf("%v: codes %v, want %s", bad.body, codes, bad.code)
				}
			}
			if codes := p.operator.errorCodes(422, "PUT", "/api/v1/console/calendar/31", schedule2031(31)); !slices.Contains(codes, "calendar.year_invalid") {
				t.Errorf("year 31: codes %v, want calendar.year_invalid", codes)
			}
			if a.Calendar().Covers(2031) {
				t.Fatal("a refused file changed the calendar")
			}

			p.operator.must(200, "PUT", "/api/v1/console/calendar/2031", schedule2031(2031), nil)
			if due, _ := a.Calendar().AddWorkdays(newYearsEve, 1); due.Format(time.DateOnly) != "2031-01-03" {
				t.Errorf("after: due %s, want the end of 2031-01-02 (元旦 off)", due)
			}
			if !a.Calendar().IsWorkday(time.Date(2031, 1, 22, 12, 0, 0, 0, workday.Location())) {
				t.Error("the make-up Sunday is not a working day")
			}
			var cal struct {
				Entered []struct{ Year int }
				Missing []int
			}
			reviewer.must(200, "GET", "/api/v1/console/calendar", nil, &cal)
			y := a.Clock.Now().In(workday.Location()).Year()
			if len(cal.Entered) != 1 || cal.Entered[0].Year != 2031 || !slices.Equal(cal.Missing, a.Calendar().MissingYears(y, y+1)) {
				t.Errorf("calendar state %+v", cal)
			}
			audit, err := a.Store.AuditLog(context.Background(), "calendar:2031", 5)
			if err != nil || len(audit) != 1 || audit[0].Action != "calendar.enter" {
				t.Errorf("audit %+v %v, want one calendar.enter", audit, err)
			}

			a.Close()
			b := startApp(t, url)
			if !b.Calendar().Covers(2031) {
				t.Fatal("the entered year is lost on restart")
			}
			if due, _ := b.Calendar().AddWorkdays(newYearsEve, 1); due.Format(time.DateOnly) != "2031-01-03" {
				t.Errorf("after restart: due %s, want the end of 2031-01-02", due)
			}
		})
	}
}
