package store

import (
	"context"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// CalendarYear is a year's working-day schedule as an operator entered it (a holiday-cn {year}.json).
type CalendarYear struct {
	Year      int       `json:"year"`
	File      []byte    `json:"-"`
	EnteredBy int64     `json:"entered_by"`
	EnteredAt time.Time `json:"entered_at"`
}

// SaveCalendarYear records a year's schedule, replacing one entered before.
func (t *Tx) SaveCalendarYear(ctx context.Context, y CalendarYear) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO calendar_years (year, file, entered_by, entered_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (year) DO UPDATE SET file = excluded.file, entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
		y.Year, string(y.File), y.EnteredBy, sqldb.Millis(y.EnteredAt))
	return err
}

// CalendarYears returns the schedules operators entered, by year.
func (s *Store) CalendarYears(ctx context.Context) ([]CalendarYear, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT year, file, entered_by, entered_at FROM calendar_years ORDER BY year`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CalendarYear
	for rows.Next() {
		var y CalendarYear
		var file string
		var at int64
		if err := rows.Scan(&y.Year, &file, &y.EnteredBy, &at); err != nil {
			return nil, err
		}
		y.File, y.EnteredAt = []byte(file), sqldb.Time(at)
		out = append(out, y)
	}
	return out, rows.Err()
}
