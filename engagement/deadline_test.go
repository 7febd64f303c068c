package engagement_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/fault"
)

var newYork = mustZone("America/New_York")

func day(s string) engagement.Date {
	d, err := engagement.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestAcceptBy(t *testing.T) {
	tests := []struct {
		name    string
		paid    time.Time
		weekday time.Weekday // of paid, locally: the table says what it means
		cal     engagement.Calendar
		want    time.Time
	}{
		{"Friday afternoon: Mon, Tue, Wed", time.Date(2026, 3, 6, 17, 0, 0, 0, shanghai), time.Friday,
			engagement.Calendar{Loc: shanghai}, time.Date(2026, 3, 12, 0, 0, 0, 0, shanghai)},
		{"Monday morning: the day of payment does not count", time.Date(2026, 3, 9, 8, 0, 0, 0, shanghai), time.Monday,
			engagement.Calendar{Loc: shanghai}, time.Date(2026, 3, 13, 0, 0, 0, 0, shanghai)},
		{"Monday, last instant", time.Date(2026, 3, 9, 23, 59, 59, 999999999, shanghai), time.Monday,
			engagement.Calendar{Loc: shanghai}, time.Date(2026, 3, 13, 0, 0, 0, 0, shanghai)},
		{"Tuesday's first instant: Wed, Thu, Fri", time.Date(2026, 3, 10, 0, 0, 0, 0, shanghai), time.Tuesday,
			engagement.Calendar{Loc: shanghai}, time.Date(2026, 3, 14, 0, 0, 0, 0, shanghai)},
		{"Saturday", time.Date(2026, 3, 7, 10, 0, 0, 0, shanghai), time.Saturday,
			engagement.Calendar{Loc: shanghai}, time.Date(2026, 3, 12, 0, 0, 0, 0, shanghai)},
		{"Sunday", time.Date(2026, 3, 8, 23, 0, 0, 0, shanghai), time.Sunday,
			engagement.Calendar{Loc: shanghai}, time.Date(2026, 3, 12, 0, 0, 0, 0, shanghai)},
		{"Wednesday: over the weekend", time.Date(2026, 3, 11, 12, 0, 0, 0, shanghai), time.Wednesday,
			engagement.Calendar{Loc: shanghai}, time.Date(2026, 3, 17, 0, 0, 0, 0, shanghai)},
		{"month end", time.Date(2026, 4, 30, 9, 0, 0, 0, shanghai), time.Thursday,
			engagement.Calendar{Loc: shanghai}, time.Date(2026, 5, 6, 0, 0, 0, 0, shanghai)},
		{"month end with the May holidays", time.Date(2026, 4, 30, 9, 0, 0, 0, shanghai), time.Thursday,
			engagement.Calendar{Loc: shanghai, Holidays: []engagement.Date{day("2026-05-01"), day("2026-05-04"), day("2026-05-05")}},
			time.Date(2026, 5, 9, 0, 0, 0, 0, shanghai)},
		{"a Sunday worked counts", time.Date(2026, 9, 25, 9, 0, 0, 0, shanghai), time.Friday,
			engagement.Calendar{Loc: shanghai, Workdays: []engagement.Date{day("2026-09-27")}}, time.Date(2026, 9, 30, 0, 0, 0, 0, shanghai)},
		{"a holiday on a Saturday changes nothing", time.Date(2026, 3, 6, 17, 0, 0, 0, shanghai), time.Friday,
			engagement.Calendar{Loc: shanghai, Holidays: []engagement.Date{day("2026-03-07")}}, time.Date(2026, 3, 12, 0, 0, 0, 0, shanghai)},
		{"year end", time.Date(2026, 12, 30, 9, 0, 0, 0, shanghai), time.Wednesday,
			engagement.Calendar{Loc: shanghai}, time.Date(2027, 1, 5, 0, 0, 0, 0, shanghai)},
		{"year end, New Year's Day off", time.Date(2026, 12, 30, 9, 0, 0, 0, shanghai), time.Wednesday,
			engagement.Calendar{Loc: shanghai, Holidays: []engagement.Date{day("2027-01-01")}}, time.Date(2027, 1, 6, 0, 0, 0, 0, shanghai)},
		{"leap February", time.Date(2028, 2, 25, 9, 0, 0, 0, shanghai), time.Friday,
			engagement.Calendar{Loc: shanghai}, time.Date(2028, 3, 2, 0, 0, 0, 0, shanghai)},
		// New York: clocks go forward on Sunday 8 March 2026 and back on
		// Sunday 1 November 2026; the deadline is local midnight either way.
		{"New York, over the spring change", time.Date(2026, 3, 6, 17, 0, 0, 0, newYork), time.Friday,
			engagement.Calendar{Loc: newYork}, time.Date(2026, 3, 12, 4, 0, 0, 0, time.UTC)},
		{"New York, over the autumn change", time.Date(2026, 10, 30, 17, 0, 0, 0, newYork), time.Friday,
			engagement.Calendar{Loc: newYork}, time.Date(2026, 11, 5, 5, 0, 0, 0, time.UTC)},
		{"New York, on the spring change", time.Date(2026, 3, 8, 3, 30, 0, 0, newYork), time.Sunday,
			engagement.Calendar{Loc: newYork}, time.Date(2026, 3, 12, 0, 0, 0, 0, newYork)},
		// Thursday 23:30 in New York is Friday in UTC: the local day counts.
		{"New York, late Thursday", time.Date(2026, 3, 5, 23, 30, 0, 0, newYork), time.Thursday,
			engagement.Calendar{Loc: newYork}, time.Date(2026, 3, 11, 0, 0, 0, 0, newYork)},
		{"no zone is UTC", time.Date(2026, 3, 6, 23, 0, 0, 0, time.UTC), time.Friday,
			engagement.Calendar{}, time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		loc := tc.cal.Loc
		if loc == nil {
			loc = time.UTC
		}
		if wd := tc.paid.In(loc).Weekday(); wd != tc.weekday {
			t.Fatalf("%s: paid on a %v, not a %v", tc.name, wd, tc.weekday)
		}
		got := engagement.AcceptBy(tc.paid, tc.cal)
		if !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("%s: %v (%v), want %v", tc.name, got, got.In(loc), tc.want.In(loc))
		}
	}
}

func TestConfirmBy(t *testing.T) {
	// Saturday 31 October 2026 noon in New York: seven days later the clocks
	// have gone back, so the deadline reads 11:00 there, 168 hours on.
	delivered := time.Date(2026, 10, 31, 12, 0, 0, 0, newYork)
	got := engagement.ConfirmBy(delivered)
	if !got.Equal(delivered.Add(168*time.Hour)) || got.Location() != time.UTC || got.In(newYork).Hour() != 11 || got.In(newYork).Day() != 7 {
		t.Fatalf("ConfirmBy = %v (%v)", got, got.In(newYork))
	}
}

func TestDates(t *testing.T) {
	if d := day("2026-02-28").AddDays(1); d != (engagement.Date{Year: 2026, Month: time.March, Day: 1}) {
		t.Errorf("28 Feb + 1 = %v", d)
	}
	if d := day("2027-01-01").AddDays(-1); d.String() != "2026-12-31" {
		t.Errorf("1 Jan − 1 = %v", d)
	}
	if d := engagement.DateOf(time.Date(2026, 3, 5, 23, 30, 0, 0, newYork), time.UTC); d.String() != "2026-03-06" {
		t.Errorf("DateOf = %v", d)
	}
	for _, bad := range []string{"", "2026-02-30", "26-01-01", "2026/01/01"} {
		if _, err := engagement.ParseDate(bad); !fault.Is(err, fault.Invalid) {
			t.Errorf("ParseDate(%q): %v", bad, err)
		}
	}
	cal := engagement.Calendar{Holidays: []engagement.Date{day("2026-10-01")}, Workdays: []engagement.Date{day("2026-10-10")}}
	for s, want := range map[string]bool{"2026-09-30": true, "2026-10-01": false, "2026-10-03": false, "2026-10-10": true, "2026-10-11": false} {
		if got := cal.Working(day(s)); got != want {
			t.Errorf("Working(%s) = %v", s, got)
		}
	}
}
