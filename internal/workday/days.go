package workday

import (
	"fmt"
	"time"
)

// Days are handled as day numbers: the count of days since 1970-01-01 (a Thursday), so that the arithmetic is
// integer arithmetic and the weekday is a modulus.

const epochMonday = 4 // day number of 1970-01-05, a Monday

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// civil returns the day number of a calendar date.
func civil(y int, m time.Month, d int) int64 {
	return floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400)
}

// dayOf returns the day number of t's calendar day in Asia/Shanghai.
func dayOf(t time.Time) int64 {
	y, m, d := t.In(shanghai).Date()
	return civil(y, m, d)
}

// start returns 00:00 Asia/Shanghai of day n.
func start(n int64) time.Time {
	y, m, d := time.Unix(n*86400, 0).UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, shanghai)
}

func yearOf(n int64) int { return time.Unix(n*86400, 0).UTC().Year() }

func isWeekday(n int64) bool {
	wd := (n - epochMonday) % 7
	if wd < 0 {
		wd += 7
	}
	return wd < 5 // 0 = Monday … 4 = Friday
}

// weekdaysBefore returns the number of Monday-Fridays before day n, counted from the epoch Monday (negative
// before it); only differences are meaningful.
func weekdaysBefore(n int64) int64 {
	k := n - epochMonday
	weeks := floorDiv(k, 7)
	rest := k - 7*weeks
	return 5*weeks + min(rest, 5)
}

// ParseDate parses a YYYY-MM-DD date strictly (two-digit month and day, a real calendar date) and returns
// 00:00 of that day in Asia/Shanghai.
func ParseDate(s string) (time.Time, error) {
	n, err := dayNumber(s)
	if err != nil {
		return time.Time{}, err
	}
	return start(n), nil
}

func dayNumber(s string) (int64, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1 {
		return 0, fmt.Errorf("workday: date %q is not YYYY-MM-DD", s)
	}
	return civil(t.Date()), nil
}
