package workday

import (
	"sort"
	"time"
)

// MaxWorkdays bounds n in AddWorkdays (about 400 years), so that a bad input cannot run off the calendar.
const MaxWorkdays = 100_000

// AddWorkdays returns the deadline n working days after from.
//
// The deadline is an exclusive instant: 00:00 Asia/Shanghai of the day after the n-th working day that follows
// the Asia/Shanghai day of from. The day of from never counts, even when it is a working day and from is early
// in the morning. So a provider review of 1 working day submitted on Friday 2026-10-09 is due before
// 2026-10-11 00:00 (Saturday 10-10 is a make-up working day), and one of 20 working days submitted on
// 2026-09-30 is due before 2026-11-04 00:00 (10-01..07 off, 10-10 worked). A task is late when !now.Before(due); the last working day to show
// is due.AddDate(0, 0, -1). n = 0 gives the end of from's own day; n < 0 counts as 0 and n > MaxWorkdays as
// MaxWorkdays.
//
// exact is false when a day counted lies in a year without data, where plain weekdays were used.
func (c *Calendar) AddWorkdays(from time.Time, n int) (due time.Time, exact bool) {
	n = min(max(n, 0), MaxWorkdays)
	first := dayOf(from) + 1 // the first day that may count
	if n == 0 {
		return start(first), true
	}
	target := int64(n)
	// Find the smallest end such that [first, end) holds n working days: day end-1 is the n-th one.
	lo, hi := first, first+target // count(first, lo) < n; widen hi until count(first, hi) >= n
	for c.count(first, hi) < target {
		lo, hi = hi, first+2*(hi-first)
	}
	end := lo + int64(sort.Search(int(hi-lo), func(i int) bool { return c.count(first, lo+int64(i)+1) >= target })) + 1
	return start(end), c.coversDays(first, end-1)
}

// WorkdaysBetween returns how many whole working days begin after the Asia/Shanghai day of a and before b:
// the "还剩 N 个工作日" of a deadline b seen at a. WorkdaysBetween(a, c.AddWorkdays(a, n)) == n. It is 0 when
// b is not after the end of a's day (use !now.Before(due) to tell that a deadline has passed).
//
// exact is false when a day counted lies in a year without data, where plain weekdays were used.
func (c *Calendar) WorkdaysBetween(a, b time.Time) (n int, exact bool) {
	first := dayOf(a) + 1
	last := dayOf(b.Add(-time.Nanosecond)) // the last day that starts before b
	if last < first {
		return 0, true
	}
	return int(c.count(first, last+1)), c.coversDays(first, last)
}

// count returns the number of working days in [lo, hi).
func (c *Calendar) count(lo, hi int64) int64 {
	if hi <= lo {
		return 0
	}
	return weekdaysBefore(hi) - weekdaysBefore(lo) + int64(c.shiftBefore(hi)-c.shiftBefore(lo))
}

// shiftBefore returns how much the listed days before day n change the plain weekday count.
func (c *Calendar) shiftBefore(n int64) int {
	i := sort.Search(len(c.sorted), func(i int) bool { return c.sorted[i] >= n })
	return c.shift[i]
}
