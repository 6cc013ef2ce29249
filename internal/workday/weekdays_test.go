package workday

import (
	"testing"
	"time"
)

func TestAddWeekdays(t *testing.T) {
	tests := []struct {
		name string
		from string // RFC 3339
		n    int
		want string // RFC 3339, UTC
	}{
		{"none", "2026-05-01T10:00:00+08:00", 0, "2026-05-01T02:00:00Z"},
		{"Friday to Monday", "2026-12-04T10:00:00+08:00", 1, "2026-12-07T02:00:00Z"},
		{"holidays count as weekdays", "2026-09-30T10:00:00+08:00", 3, "2026-10-05T02:00:00Z"},
		{"Beijing date, not UTC date", "2026-12-04T20:00:00Z", 1, "2026-12-06T20:00:00Z"}, // Saturday 04:00 in Beijing: Monday, not the UTC Friday's Monday
		{"four weeks", "2026-12-07T09:00:00+08:00", 20, "2027-01-04T01:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, _ := time.Parse(time.RFC3339, tt.from)
			if got := AddWeekdays(from, tt.n).Format(time.RFC3339); got != tt.want {
				t.Errorf("AddWeekdays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}
