// Package workday is the Chinese working-day calendar every deadline and SLA in beian is counted in (docs/design.md §9,
// docs/design.md §8).
//
// A working day is a Monday-Friday that is not listed as a holiday, or a listed make-up working day (调休, a
// Saturday or Sunday worked instead of a holiday). Days are calendar days in Asia/Shanghai, whatever the
// location of the time.Time passed in. The statutory schedule is data, not rules: the State Council publishes it
// each year, it is embedded from NateScarlet/holiday-cn (see data/README.md) and operators can correct or extend
// it at run time with WithOverrides.
//
// Years without data. Before a year's schedule is published (usually November of the year before) the calendar
// can only count plain weekdays there, which is wrong for 元旦 and 春节. The calendar never hides this:
//   - Covers and MissingYears say which years are known; the server should warn the operator at startup
//     about MissingYears(thisYear, thisYear+1).
//   - AddWorkdays and WorkdaysBetween still compute (with plain weekdays in unknown years) but return
//     exact=false when any day they counted lies in a year without data, so a page can say "约" or an
//     operator can be told.
//
// A Calendar is immutable and safe for concurrent use.
package workday

import (
	"fmt"
	"slices"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Shanghai must resolve on hosts without a zoneinfo database
)

// Day is one listed date: a holiday (OffDay) or a make-up working day (!OffDay). The JSON names are those of
// holiday-cn's files, so a published {year}.json can be fed to WithOverrides as it is.
type Day struct {
	Date   string `json:"date"`     // YYYY-MM-DD, a calendar day in Asia/Shanghai
	OffDay bool   `json:"isOffDay"` // true: no work that day; false: a working day even on a weekend
	Name   string `json:"name"`     // e.g. "国庆节"; informative only
}

// Calendar answers working-day questions from a set of listed days and the years those lists cover.
type Calendar struct {
	listed  map[int64]Day // day number → entry
	covered map[int]bool  // years whose schedule is known
	// sorted day numbers of listed entries and, for counting, prefix sums of how much each entry changes the
	// plain weekday count: shift[i] = Σ_{j<i} (isWork(listed[j]) - isWeekday(listed[j])).
	sorted []int64
	shift  []int
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		// Unreachable with time/tzdata linked in; China has used UTC+8 without DST since 1991.
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// Location returns Asia/Shanghai, the zone in which days are counted.
func Location() *time.Location { return shanghai }

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := embedded()
	if err != nil {
		panic(err) // the embedded files are checked by the tests; a broken build must not start
	}
	return c
})

// Default returns the calendar of the embedded data (2018-2026 at the time of writing).
func Default() *Calendar { return defaultCalendar() }

// New builds a calendar from listed days, marking years as covered. A date listed twice is an error.
func New(days []Day, years []int) (*Calendar, error) {
	c := &Calendar{listed: make(map[int64]Day, len(days)), covered: make(map[int]bool, len(years))}
	for _, y := range years {
		c.covered[y] = true
	}
	for _, d := range days {
		n, err := dayNumber(d.Date)
		if err != nil {
			return nil, err
		}
		if _, dup := c.listed[n]; dup {
			return nil, fmt.Errorf("workday: %s listed twice", d.Date)
		}
		c.listed[n] = d
	}
	c.index()
	return c, nil
}

// WithOverrides returns a copy of c in which days replace the entries of the same dates, for operator
// corrections and for a new year's schedule entered before a release ships it. An override with OffDay=false
// on a weekday, or OffDay=true on a weekend, simply restores the plain week for that date.
//
// Any override in a year marks that year as covered: an operator entering a new year is expected to enter its
// whole schedule (or import holiday-cn's {year}.json). The last entry wins when days lists a date twice.
// An invalid date is an error and nothing is applied.
func (c *Calendar) WithOverrides(days []Day) (*Calendar, error) {
	nc := &Calendar{listed: make(map[int64]Day, len(c.listed)+len(days)), covered: make(map[int]bool, len(c.covered)+1)}
	for n, d := range c.listed {
		nc.listed[n] = d
	}
	for y := range c.covered {
		nc.covered[y] = true
	}
	for _, d := range days {
		n, err := dayNumber(d.Date)
		if err != nil {
			return nil, err
		}
		nc.listed[n] = d
		nc.covered[yearOf(n)] = true
	}
	nc.index()
	return nc, nil
}

func (c *Calendar) index() {
	c.sorted = make([]int64, 0, len(c.listed))
	for n := range c.listed {
		c.sorted = append(c.sorted, n)
	}
	slices.Sort(c.sorted)
	c.shift = make([]int, len(c.sorted)+1)
	for i, n := range c.sorted {
		delta := 0
		switch work, weekday := !c.listed[n].OffDay, isWeekday(n); {
		case work && !weekday:
			delta = 1
		case !work && weekday:
			delta = -1
		}
		c.shift[i+1] = c.shift[i] + delta
	}
}

// IsWorkday reports whether the Asia/Shanghai calendar day of t is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool { return c.isWork(dayOf(t)) }

func (c *Calendar) isWork(n int64) bool {
	if d, ok := c.listed[n]; ok {
		return !d.OffDay
	}
	return isWeekday(n)
}

// Listed returns the entry for the Asia/Shanghai day of t when the data lists that day, e.g. to show
// "国庆节" on a calendar.
func (c *Calendar) Listed(t time.Time) (Day, bool) {
	d, ok := c.listed[dayOf(t)]
	return d, ok
}

// Covers reports whether the schedule of year is known (embedded or entered by an operator).
func (c *Calendar) Covers(year int) bool { return c.covered[year] }

// MissingYears returns the years in [from, to] whose schedule is not known, in order; nil when all are.
func (c *Calendar) MissingYears(from, to int) []int {
	var out []int
	for y := from; y <= to; y++ {
		if !c.covered[y] {
			out = append(out, y)
		}
	}
	return out
}

// coversDays reports whether every day in [first, last] lies in a covered year.
func (c *Calendar) coversDays(first, last int64) bool {
	if last < first {
		return true
	}
	return len(c.MissingYears(yearOf(first), yearOf(last))) == 0
}
