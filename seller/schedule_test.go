package seller_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/seller"
)

// hours returns an interval from "HH:MM" to "HH:MM" or stops the test.
func hours(tb testing.TB, start, end string) seller.Interval {
	tb.Helper()
	iv, err := seller.ParseInterval("hours", start, end)
	if err != nil {
		tb.Fatalf("ParseInterval(%s, %s): %v", start, end, err)
	}
	return iv
}

// weekdays returns a week with the intervals on Monday to Friday and nothing
// at the weekend.
func weekdays(ivs ...seller.Interval) [7][]seller.Interval {
	var days [7][]seller.Interval
	for wd := time.Monday; wd <= time.Friday; wd++ {
		days[wd] = ivs
	}
	return days
}

// wantFault fails the test unless err is an Invalid fault on the field with the message id.
func wantFault(tb testing.TB, err error, field, msgID string) {
	tb.Helper()
	e := fault.As(err)
	if e == nil || e.Code != fault.Invalid || e.Field != field || e.MsgID != msgID {
		tb.Errorf("got %#v, want Invalid on %q with %s", e, field, msgID)
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"00:00", 0, true},
		{"09:30", 570, true},
		{"23:59", 1439, true},
		{"24:00", 1440, true},
		{"24:01", 0, false},
		{"25:00", 0, false},
		{"12:60", 0, false},
		{"9:30", 0, false},
		{"09:30:00", 0, false},
		{"+9:30", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		got, err := seller.ParseClock("start", tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseClock(%q) = %d, %v; want %d, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil {
			wantFault(t, err, "start", "error.clock_invalid")
		}
		if tc.ok && seller.FormatClock(got) != tc.in {
			t.Errorf("FormatClock(%d) = %q, want %q", got, seller.FormatClock(got), tc.in)
		}
	}
}

func TestParseInterval(t *testing.T) {
	tests := []struct {
		start, end   string
		field, msgID string // "" when valid
	}{
		{"09:00", "17:00", "", ""},
		{"20:00", "24:00", "", ""},
		{"17:00", "09:00", "monday[0]", "error.interval_order"},
		{"09:00", "09:00", "monday[0]", "error.interval_order"},
		{"24:00", "24:00", "monday[0]", "error.interval_order"},
		{"9", "17:00", "monday[0].start", "error.clock_invalid"},
		{"09:00", "24:01", "monday[0].end", "error.clock_invalid"},
	}
	for _, tc := range tests {
		iv, err := seller.ParseInterval("monday[0]", tc.start, tc.end)
		if tc.msgID == "" {
			if err != nil || iv.String() != tc.start+"-"+tc.end {
				t.Errorf("ParseInterval(%s, %s) = %v, %v", tc.start, tc.end, iv, err)
			}
			continue
		}
		wantFault(t, err, tc.field, tc.msgID)
	}
}

func TestScheduleValidate(t *testing.T) {
	nineToFive := seller.Interval{Start: 9 * 60, End: 17 * 60}
	tests := []struct {
		name         string
		s            seller.Schedule
		field, msgID string // "" when valid
	}{
		{"office hours", seller.Schedule{Zone: "Asia/Shanghai", Days: weekdays(nineToFive)}, "", ""},
		{"touching intervals", seller.Schedule{Zone: "UTC", Days: weekdays(
			seller.Interval{Start: 0, End: 600}, seller.Interval{Start: 600, End: 1440})}, "", ""},
		{"no hours at all", seller.Schedule{Zone: "Europe/Dublin"}, "", ""},
		{"24/7 without zone", seller.Schedule{AllDay: true}, "", ""},
		{"24/7 ignores days", seller.Schedule{AllDay: true, Zone: "UTC", Days: weekdays(seller.Interval{Start: 5, End: 1})}, "", ""},
		{"24/7 with unknown zone", seller.Schedule{AllDay: true, Zone: "Mars/Olympus"}, "support.zone", "error.zone_unknown"},
		{"unknown zone", seller.Schedule{Zone: "Asia/Beijing", Days: weekdays(nineToFive)}, "support.zone", "error.zone_unknown"},
		{"no zone", seller.Schedule{Days: weekdays(nineToFive)}, "support.zone", "error.zone_unknown"},
		{"server's zone", seller.Schedule{Zone: "Local", Days: weekdays(nineToFive)}, "support.zone", "error.zone_unknown"},
		{"overlap", seller.Schedule{Zone: "UTC", Days: [7][]seller.Interval{time.Monday: {
			{Start: 540, End: 720}, {Start: 780, End: 1080}, {Start: 1020, End: 1200}}}},
			"support.days.monday[2]", "error.schedule_overlap"},
		{"contained", seller.Schedule{Zone: "UTC", Days: [7][]seller.Interval{time.Wednesday: {
			{Start: 540, End: 1080}, {Start: 600, End: 660}}}},
			"support.days.wednesday[1]", "error.schedule_overlap"},
		{"start after end", seller.Schedule{Zone: "UTC", Days: [7][]seller.Interval{time.Friday: {
			{Start: 540, End: 600}, {Start: 1020, End: 540}}}},
			"support.days.friday[1]", "error.interval_order"},
		{"start equals end", seller.Schedule{Zone: "UTC", Days: [7][]seller.Interval{time.Sunday: {{Start: 540, End: 540}}}},
			"support.days.sunday[0]", "error.interval_order"},
		{"past 24:00", seller.Schedule{Zone: "UTC", Days: [7][]seller.Interval{time.Tuesday: {{Start: 1200, End: 1441}}}},
			"support.days.tuesday[0]", "error.interval_range"},
		{"before 00:00", seller.Schedule{Zone: "UTC", Days: [7][]seller.Interval{time.Saturday: {{Start: -60, End: 60}}}},
			"support.days.saturday[0]", "error.interval_range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.s.Validate()
			if tc.msgID == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			wantFault(t, err, tc.field, tc.msgID)
		})
	}
}

func TestCoverage(t *testing.T) {
	shanghaiWeekdays := seller.Schedule{Zone: "Asia/Shanghai", Days: weekdays(hours(t, "00:00", "24:00"))}
	tests := []struct {
		name string
		s    seller.Schedule
		zone string
		day  string
		want time.Duration
	}{
		{"same zone", seller.Schedule{Zone: "Asia/Shanghai", Days: weekdays(hours(t, "09:00", "17:00"))}, "Asia/Shanghai", "2026-11-30", 8 * time.Hour},
		{"weekend", seller.Schedule{Zone: "Asia/Shanghai", Days: weekdays(hours(t, "09:00", "17:00"))}, "Asia/Shanghai", "2026-11-29", 0},
		// Shanghai Monday 00:00 is Sunday 13:00 in Santiago in its summer (UTC-3)
		// and Sunday 12:00 in its winter (UTC-4); Shanghai's week ends Friday 24:00,
		// which is Friday 13:00 or 12:00 there.
		{"Santiago Monday, winter", shanghaiWeekdays, "America/Santiago", "2026-07-06", 24 * time.Hour},
		{"Santiago Friday, winter", shanghaiWeekdays, "America/Santiago", "2026-07-03", 12 * time.Hour},
		{"Santiago Friday, summer", shanghaiWeekdays, "America/Santiago", "2027-01-08", 13 * time.Hour},
		{"Santiago Sunday, summer", shanghaiWeekdays, "America/Santiago", "2027-01-10", 11 * time.Hour},
		// A whole day on Jerusalem's spring-forward Friday is 23 hours long.
		{"24/7 on a short day", seller.Schedule{AllDay: true}, "Asia/Jerusalem", "2026-03-27", 23 * time.Hour},
		{"24/7 on a long day", seller.Schedule{AllDay: true}, "Europe/Dublin", "2026-10-25", 25 * time.Hour},
		// Santiago's clocks jump from Saturday 24:00 to Sunday 01:00: Sunday
		// begins at 01:00 and is 23 hours long; Saturday is whole.
		{"24/7 when midnight is skipped", seller.Schedule{AllDay: true}, "America/Santiago", "2026-09-06", 23 * time.Hour},
		{"24/7 the day before midnight is skipped", seller.Schedule{AllDay: true}, "America/Santiago", "2026-09-05", 24 * time.Hour},
		// ... and back from Sunday 00:00 to Saturday 23:00 in April.
		{"24/7 when 23:00 repeats", seller.Schedule{AllDay: true}, "America/Santiago", "2026-04-04", 25 * time.Hour},
		// 02:00–03:00 does not exist that day: the stated 00:00–08:00 is 7 hours.
		{"stated hours skip the lost hour", seller.Schedule{Zone: "Asia/Jerusalem", Days: weekdays(hours(t, "00:00", "08:00"))}, "Asia/Jerusalem", "2026-03-27", 7 * time.Hour},
		// A start the clocks skip counts from the jump: 03:00–10:30 EDT.
		{"start in the lost hour", seller.Schedule{Zone: "America/New_York", Days: [7][]seller.Interval{time.Sunday: {hours(t, "02:30", "10:30")}}}, "America/New_York", "2026-03-08", 7*time.Hour + 30*time.Minute},
		{"end in the lost hour", seller.Schedule{Zone: "America/New_York", Days: [7][]seller.Interval{time.Sunday: {hours(t, "00:00", "02:30")}}}, "America/New_York", "2026-03-08", 2 * time.Hour},
		// 01:00–02:00 is shown twice when Dublin's clocks go back.
		{"stated hours repeat an hour", seller.Schedule{Zone: "Europe/Dublin", Days: [7][]seller.Interval{time.Sunday: {hours(t, "00:00", "08:00")}}}, "Europe/Dublin", "2026-10-25", 9 * time.Hour},
		{"start in the repeated hour, at its first showing", seller.Schedule{Zone: "Europe/Dublin", Days: [7][]seller.Interval{time.Sunday: {hours(t, "01:30", "08:00")}}}, "Europe/Dublin", "2026-10-25", 7*time.Hour + 30*time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.s.Coverage(tc.zone, mustDate(t, tc.day))
			if err != nil || got != tc.want {
				t.Errorf("Coverage(%s, %s) = %v, %v; want %v", tc.zone, tc.day, got, err, tc.want)
			}
		})
	}
	if _, err := shanghaiWeekdays.Coverage("Nowhere/Land", mustDate(t, "2026-01-01")); err == nil {
		t.Error("Coverage in an unknown zone: no error")
	} else {
		wantFault(t, err, "zone", "error.zone_unknown")
	}
}
