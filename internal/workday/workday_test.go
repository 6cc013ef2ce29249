package workday

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"time"
)

// at returns hh:mm on a YYYY-MM-DD day in Asia/Shanghai.
func at(t testing.TB, date string, hh, mm int) time.Time {
	t.Helper()
	d, err := ParseDate(date)
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

func TestEmbeddedCoverage(t *testing.T) {
	c := Default()
	for y := 2018; y <= 2026; y++ {
		if !c.Covers(y) {
			t.Errorf("Covers(%d) = false", y)
		}
	}
	for _, y := range []int{2017, 2027} {
		if c.Covers(y) {
			t.Errorf("Covers(%d) = true, but there is no data", y)
		}
	}
	if got := c.MissingYears(2025, 2028); !slices.Equal(got, []int{2027, 2028}) {
		t.Errorf("MissingYears(2025, 2028) = %v", got)
	}
	if got := c.MissingYears(2018, 2026); got != nil {
		t.Errorf("MissingYears(2018, 2026) = %v, want nil", got)
	}
}

// The README's table of hashes is the provenance record: the embedded files must be the ones it names.
func TestEmbeddedFilesMatchProvenance(t *testing.T) {
	readme, err := dataFS.ReadFile("data/README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(readme))
	for sc.Scan() {
		f := strings.Fields(strings.NewReplacer("|", " ").Replace(sc.Text()))
		if len(f) == 2 && strings.HasSuffix(f[0], ".json") {
			want[f[0]] = f[1]
		}
	}
	entries, err := dataFS.ReadDir("data")
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		files++
		raw, _ := dataFS.ReadFile("data/" + e.Name())
		sum := sha256.Sum256(raw)
		if got := hex.EncodeToString(sum[:]); got != want[e.Name()] {
			t.Errorf("%s: sha256 %s, README says %q", e.Name(), got, want[e.Name()])
		}
	}
	if files != len(want) || files != 9 {
		t.Errorf("%d data files, %d in README, want 9", files, len(want))
	}
	license, err := dataFS.ReadFile("data/LICENSE")
	if err != nil || !bytes.Contains(license, []byte("MIT License")) || !bytes.Contains(license, []byte("NateScarlet")) {
		t.Errorf("data/LICENSE missing or not holiday-cn's MIT licence: %v", err)
	}
}

func TestIsWorkday(t *testing.T) {
	c := Default()
	cases := []struct {
		date string
		want bool
		why  string
	}{
		{"2026-09-30", true, "Wednesday before National Day"},
		{"2026-10-01", false, "国庆节"},
		{"2026-10-05", false, "国庆节 on a Monday"},
		{"2026-10-07", false, "last day of 国庆节"},
		{"2026-10-08", true, "Thursday after National Day (the 2026 notice gives 10-01..07)"},
		{"2026-10-10", true, "make-up Saturday"},
		{"2026-10-11", false, "plain Sunday"},
		{"2026-09-20", true, "make-up Sunday"},
		{"2026-02-14", true, "make-up Saturday before 春节"},
		{"2026-02-16", false, "春节 on a Monday"},
		{"2026-02-23", false, "last day of 春节, a Monday"},
		{"2026-02-24", true, "Tuesday after 春节"},
		{"2026-02-28", true, "make-up Saturday after 春节"},
		{"2026-01-02", false, "元旦 on a Friday"},
		{"2026-01-04", true, "make-up Sunday after 元旦"},
		{"2025-01-26", true, "make-up Sunday before 春节 2025"},
		{"2025-01-28", false, "除夕 2025"},
		{"2025-10-08", false, "国庆节、中秋节 2025"},
		{"2025-10-11", true, "make-up Saturday 2025"},
		{"2018-12-29", true, "make-up Saturday listed in 2019.json"},
		{"2018-12-31", false, "元旦 2019 on a Monday, listed in 2019.json"},
		{"2026-03-07", false, "plain Saturday"},
		{"2026-03-09", true, "plain Monday"},
		{"2027-01-01", true, "no 2027 data: plain Friday (reported by MissingYears)"},
	}
	for _, tc := range cases {
		if got := c.IsWorkday(at(t, tc.date, 12, 0)); got != tc.want {
			t.Errorf("IsWorkday(%s) = %v, want %v (%s)", tc.date, got, tc.want, tc.why)
		}
	}
}

func TestDaysAreCountedInShanghai(t *testing.T) {
	c := Default()
	// 2026-09-30 17:00 UTC is 2026-10-01 01:00 in Shanghai: a holiday.
	if c.IsWorkday(time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC)) {
		t.Error("01:00 on 10-01 Shanghai counted as a working day")
	}
	// 2026-09-30 15:00 UTC is 23:00 the same day in Shanghai: a Wednesday.
	if !c.IsWorkday(time.Date(2026, 9, 30, 15, 0, 0, 0, time.UTC)) {
		t.Error("23:00 on 09-30 Shanghai counted as a holiday")
	}
}

func TestListed(t *testing.T) {
	d, ok := Default().Listed(at(t, "2026-10-03", 9, 0))
	if !ok || d.Name != "国庆节" || !d.OffDay || d.Date != "2026-10-03" {
		t.Errorf("Listed(2026-10-03) = %+v, %v", d, ok)
	}
	if _, ok := Default().Listed(at(t, "2026-03-09", 9, 0)); ok {
		t.Error("a plain Monday is listed")
	}
}

func TestAddWorkdays(t *testing.T) {
	c := Default()
	cases := []struct {
		from      time.Time
		n         int
		due       string // 00:00 Asia/Shanghai of this day
		wantExact bool
	}{
		{at(t, "2026-10-09", 10, 0), 1, "2026-10-11", true},  // Friday → make-up Saturday 10-10
		{at(t, "2026-09-30", 9, 0), 1, "2026-10-09", true},   // over 国庆节 to Thursday 10-08
		{at(t, "2026-09-30", 9, 0), 20, "2026-11-04", true},  // administration review, the legal maximum
		{at(t, "2026-09-18", 18, 0), 1, "2026-09-21", true},  // Friday → make-up Sunday 09-20
		{at(t, "2026-02-13", 16, 0), 1, "2026-02-15", true},  // Friday → make-up Saturday 02-14
		{at(t, "2026-02-13", 16, 0), 2, "2026-02-25", true},  // … then over 春节 to 02-24
		{at(t, "2026-02-14", 0, 0), 1, "2026-02-25", true},   // the day of from never counts
		{at(t, "2025-01-24", 11, 0), 1, "2025-01-27", true},  // Friday → make-up Sunday 2025-01-26
		{at(t, "2025-01-24", 11, 0), 2, "2025-01-28", true},  // Monday 01-27
		{at(t, "2025-01-24", 11, 0), 3, "2025-02-06", true},  // over 春节 2025 (01-28..02-04) to Wednesday 02-05
		{at(t, "2026-10-01", 15, 0), 0, "2026-10-02", true},  // n = 0: end of from's day
		{at(t, "2026-10-01", 15, 0), -3, "2026-10-02", true}, // n < 0 counts as 0
		{at(t, "2026-12-30", 9, 0), 1, "2027-01-01", true},   // 12-31 is the last day counted
		{at(t, "2026-12-31", 9, 0), 1, "2027-01-02", false},  // 2027-01-01 has no data: plain Friday, flagged
		{at(t, "2017-12-29", 9, 0), 1, "2018-01-03", false},  // 2018-01-01 元旦 is in 2018.json, but 2017-12-30/31 are not known
		// 00:30 on 10-10 in Shanghai is still 10-09 in UTC: the Shanghai day counts.
		{time.Date(2026, 10, 9, 16, 30, 0, 0, time.UTC), 1, "2026-10-13", true},
	}
	for _, tc := range cases {
		due, exact := c.AddWorkdays(tc.from, tc.n)
		if want := at(t, tc.due, 0, 0); !due.Equal(want) || exact != tc.wantExact {
			t.Errorf("AddWorkdays(%s, %d) = %s, %v; want %s, %v", tc.from, tc.n, due, exact, want, tc.wantExact)
		}
		if due.Location() != Location() {
			t.Errorf("AddWorkdays(%s, %d) in %s, want Asia/Shanghai", tc.from, tc.n, due.Location())
		}
	}
}

func TestAddWorkdaysBounded(t *testing.T) {
	due, exact := Default().AddWorkdays(at(t, "2026-01-05", 9, 0), 1<<40)
	if exact || due.Year() < 2300 || due.Year() > 2500 {
		t.Errorf("AddWorkdays(huge n) = %s, %v; want about 400 years later, not exact", due, exact)
	}
	if n, _ := Default().WorkdaysBetween(at(t, "2026-01-05", 9, 0), due); n != MaxWorkdays {
		t.Errorf("WorkdaysBetween back = %d, want %d", n, MaxWorkdays)
	}
}

// naiveDue walks day by day with IsWorkday: the reference for the indexed arithmetic.
func naiveDue(c *Calendar, from time.Time, n int) time.Time {
	y, m, d := from.In(Location()).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, Location())
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.IsWorkday(day) {
			n--
		}
	}
	return day.AddDate(0, 0, 1)
}

func TestAddWorkdaysMatchesDayByDayWalk(t *testing.T) {
	c := Default()
	for day := at(t, "2017-12-01", 14, 0); day.Year() < 2028; day = day.AddDate(0, 0, 1) {
		for _, n := range []int{0, 1, 2, 3, 5, 7, 20, 30} {
			due, _ := c.AddWorkdays(day, n)
			if want := naiveDue(c, day, n); !due.Equal(want) {
				t.Fatalf("AddWorkdays(%s, %d) = %s, day-by-day walk gives %s", day, n, due, want)
			}
			if back, _ := c.WorkdaysBetween(day, due); back != n {
				t.Fatalf("WorkdaysBetween(%s, AddWorkdays(…, %d)) = %d", day, n, back)
			}
		}
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := Default()
	cases := []struct {
		a, b      time.Time
		want      int
		wantExact bool
	}{
		{at(t, "2026-09-30", 9, 0), at(t, "2026-10-09", 0, 0), 1, true}, // only 10-08 remains
		{at(t, "2026-10-08", 9, 0), at(t, "2026-10-12", 0, 0), 2, true}, // 10-09 and make-up 10-10
		{at(t, "2026-10-08", 9, 0), at(t, "2026-10-12", 9, 0), 3, true}, // 10-12 starts before b
		{at(t, "2026-10-08", 9, 0), at(t, "2026-10-08", 23, 0), 0, true},
		{at(t, "2026-10-08", 9, 0), at(t, "2026-10-01", 0, 0), 0, true}, // past deadline
		{at(t, "2026-12-30", 9, 0), at(t, "2027-01-05", 0, 0), 3, false},
	}
	for _, tc := range cases {
		got, exact := c.WorkdaysBetween(tc.a, tc.b)
		if got != tc.want || exact != tc.wantExact {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, %v; want %d, %v", tc.a, tc.b, got, exact, tc.want, tc.wantExact)
		}
	}
}

func TestWithOverrides(t *testing.T) {
	base := Default()
	c, err := base.WithOverrides([]Day{
		{Date: "2026-10-08", OffDay: true, Name: "临时调整"},          // correction: off
		{Date: "2026-10-10", OffDay: true, Name: "国庆节"},           // remove a make-up day
		{Date: "2027-01-01", OffDay: true, Name: "元旦"},            // a new year's schedule
		{Date: "2027-02-06", OffDay: false, Name: "春节"},           // make-up Saturday
		{Date: "2027-01-01", OffDay: true, Name: "元旦 (repeated)"}, // last wins
	})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		cal  *Calendar
		date string
		want bool
	}{
		{c, "2026-10-08", false},
		{c, "2026-10-10", false},
		{c, "2027-01-01", false},
		{c, "2027-02-06", true},
		{c, "2026-10-09", true},
		{base, "2026-10-08", true}, // the original calendar is unchanged
		{base, "2026-10-10", true},
		{base, "2027-01-01", true},
	}
	for _, ch := range checks {
		if got := ch.cal.IsWorkday(at(t, ch.date, 12, 0)); got != ch.want {
			t.Errorf("IsWorkday(%s) = %v, want %v (base=%v)", ch.date, got, ch.want, ch.cal == base)
		}
	}
	if !c.Covers(2027) || base.Covers(2027) {
		t.Errorf("Covers(2027): overridden %v, base %v", c.Covers(2027), base.Covers(2027))
	}
	if d, _ := c.Listed(at(t, "2027-01-01", 0, 0)); d.Name != "元旦 (repeated)" {
		t.Errorf("repeated override: %+v", d)
	}
	// Counting uses the overrides: from 10-07, 10-08 and 10-10 are off now.
	due, exact := c.AddWorkdays(at(t, "2026-10-07", 9, 0), 2)
	if !due.Equal(at(t, "2026-10-13", 0, 0)) || !exact {
		t.Errorf("AddWorkdays with overrides = %s, %v", due, exact)
	}
	if _, err := base.WithOverrides([]Day{{Date: "2026-13-01"}}); err == nil {
		t.Error("invalid override date accepted")
	}
}

func TestNewRejectsDuplicates(t *testing.T) {
	if _, err := New([]Day{{Date: "2026-01-01"}, {Date: "2026-01-01"}}, []int{2026}); err == nil {
		t.Error("duplicate date accepted")
	}
}

func TestParseDate(t *testing.T) {
	good := map[string]time.Time{
		"2026-10-01": time.Date(2026, 10, 1, 0, 0, 0, 0, Location()),
		"2024-02-29": time.Date(2024, 2, 29, 0, 0, 0, 0, Location()),
	}
	for s, want := range good {
		if got, err := ParseDate(s); err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %s, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "2026-1-01", "2026-02-30", "2025-02-29", "2026/10/01", " 2026-10-01", "2026-10-01T00:00:00Z", "0000-01-01"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
}

func TestParseFile(t *testing.T) {
	raw, err := dataFS.ReadFile("data/2026.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFile(raw)
	if err != nil || f.Year != 2026 || len(f.Days) != 39 || len(f.Papers) != 1 {
		t.Fatalf("ParseFile(2026.json) = year %d, %d days, %d papers, %v", f.Year, len(f.Days), len(f.Papers), err)
	}
	bad := []string{
		`not json`,
		`{"year": 0, "days": []}`,
		`{"year": 2027, "days": [{"date": "2027-02-30", "isOffDay": true}]}`,
		`{"year": 2027, "days": [{"date": "2029-01-01", "isOffDay": true}]}`,
		`{"year": 2027, "days": [{"date": "2027-01-01", "isOffDay": true}, {"date": "2027-01-01", "isOffDay": false}]}`,
	}
	for _, s := range bad {
		if _, err := ParseFile([]byte(s)); err == nil {
			t.Errorf("ParseFile(%s) accepted", s)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-10-01", "2024-02-29", "2026-02-30", "9999-12-31", "0001-01-01", "-001-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if got := d.Format(time.DateOnly); got != s {
			t.Fatalf("ParseDate(%q) round-trips to %q", s, got)
		}
	})
}

func FuzzParseFile(f *testing.F) {
	raw, _ := dataFS.ReadFile("data/2025.json")
	f.Add(raw)
	f.Add([]byte(`{"year": 2027, "days": [{"date": "2026-12-31", "isOffDay": true, "name": "元旦"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseFile(data)
		if err != nil {
			return
		}
		// Whatever parses must build a calendar that answers for its year.
		c, err := Default().WithOverrides(file.Days)
		if err != nil {
			t.Fatalf("parsed file rejected by WithOverrides: %v", err)
		}
		for _, d := range file.Days {
			day, _ := ParseDate(d.Date)
			if c.IsWorkday(day) == d.OffDay {
				t.Fatalf("%s: IsWorkday disagrees with isOffDay=%v", d.Date, d.OffDay)
			}
		}
	})
}

func BenchmarkAddWorkdays20(b *testing.B) {
	c := Default()
	from := time.Date(2026, 9, 30, 9, 0, 0, 0, Location())
	for b.Loop() {
		c.AddWorkdays(from, 20)
	}
}

func BenchmarkAddWorkdays2(b *testing.B) {
	c := Default()
	from := time.Date(2026, 2, 13, 9, 0, 0, 0, Location())
	for b.Loop() {
		c.AddWorkdays(from, 2)
	}
}

func BenchmarkWorkdaysBetween(b *testing.B) {
	c := Default()
	a := time.Date(2026, 9, 30, 9, 0, 0, 0, Location())
	due := time.Date(2026, 11, 4, 0, 0, 0, 0, Location())
	for b.Loop() {
		c.WorkdaysBetween(a, due)
	}
}
