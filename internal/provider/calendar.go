package provider

import (
	"context"
	"strconv"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/workday"
)

// EnterCalendarYear records a year's working-day schedule as the State Council published it — holiday-cn's
// {year}.json format, which workday embeds for past years — and puts it in force at once (operators only).
// Entering a year again replaces it. Until a year is entered or shipped, deadlines there count plain weekdays
// and the server warns at start (docs/design.md §9; workday package).
func (s *Service) EnterCalendarYear(ctx context.Context, by Actor, year int, file []byte) (*workday.File, error) {
	if err := requireRole(by, RoleOperator); err != nil {
		return nil, err
	}
	if year < 2000 || year > 2100 {
		return nil, problem.Invalidf("calendar.year_invalid", "year", "year", strconv.Itoa(year))
	}
	f, err := workday.ParseFile(file)
	switch {
	case err != nil:
		return nil, problem.Invalidf("calendar.invalid", "days", "reason", err.Error())
	case f.Year != year:
		return nil, problem.Invalidf("calendar.year_mismatch", "year", "year", strconv.Itoa(f.Year), "path", strconv.Itoa(year))
	case len(f.Days) == 0:
		return nil, problem.Invalidf("calendar.empty", "days")
	}
	now := s.now()
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveCalendarYear(ctx, store.CalendarYear{Year: year, File: file, EnteredBy: by.ID, EnteredAt: now}); err != nil {
			return err
		}
		return tx.Audit(ctx, now, by.ID, by.Role, "calendar.enter", "calendar:"+strconv.Itoa(year),
			strconv.Itoa(len(f.Days))+" days")
	})
	if err != nil {
		return nil, err
	}
	if s.cfg.CalendarEntered != nil {
		if err := s.cfg.CalendarEntered(f); err != nil {
			return nil, err
		}
	}
	return &f, nil
}

// CalendarYears lists the schedules operators entered (staff only).
func (s *Service) CalendarYears(ctx context.Context, by Actor) ([]store.CalendarYear, error) {
	if !by.IsStaff() {
		return nil, forbidden()
	}
	return s.st.CalendarYears(ctx)
}
