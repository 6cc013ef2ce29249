package workday

import "time"

// plainZone is China Standard Time as a fixed offset (UTC+8, no daylight saving since 1991).
var plainZone = time.FixedZone("CST", 8*3600)

// AddWeekdays adds n weekdays to from, counting Beijing dates and skipping only Saturdays and Sundays (no
// holidays, no adjusted working weekends): what a simulator counts when it is given no calendar. The answer
// keeps from's time of day, in UTC.
func AddWeekdays(from time.Time, n int) time.Time {
	t := from.In(plainZone)
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t.UTC()
}
