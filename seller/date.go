package seller

import (
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/fault"
)

// Date is a calendar date with no time of day and no zone: the day a company
// was founded, or the day a check is made. Arithmetic is done on the proleptic
// Gregorian calendar, as the time package does.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const dateLayout = "2006-01-02"

// ParseDate reads a date written "2006-01-02".
//
// Errors: Invalid on field "date" when s is not such a date (2025-02-29 is not).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fault.Field("date", "error.date_invalid", "enter a date like 2006-01-02")
	}
	return DateOf(t), nil
}

// DateOf returns the calendar date of t in t's own location: to get today in
// Beijing, pass now.In(shanghai).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String returns the date as "2006-01-02".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Valid reports whether d is a real date in the years 1 to 9999.
func (d Date) Valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && DateOf(d.midnightUTC()) == d
}

// In returns the first instant of d in loc. When the clocks skip midnight (a
// daylight-saving jump at 00:00) that is the instant they jump, so consecutive
// days never overlap or leave a gap.
func (d Date) In(loc *time.Location) time.Time { return wallTime(d, 0, loc) }

// wallTime returns the first instant at which the clocks in loc show the wall
// time minutes after the midnight that begins d (1440 is the next day's 00:00).
// A wall time the clocks skip, in the hour lost when daylight saving starts,
// gives the instant they jump over it; one they show twice, in the hour
// repeated when it ends, gives its first occurrence. time.Date is not used for
// these: it settles them one way or the other depending on the zone.
func wallTime(d Date, minutes int, loc *time.Location) time.Time {
	wall := time.Date(d.Year, d.Month, d.Day, 0, minutes, 0, 0, time.UTC)
	// The offsets in force a day before and a day after: clocks change at most
	// once within two days.
	before, after := offsetAt(wall.Add(-24*time.Hour), loc), offsetAt(wall.Add(24*time.Hour), loc)
	byBefore, byAfter := wall.Add(-before), wall.Add(-after)
	okBefore, okAfter := offsetAt(byBefore, loc) == before, offsetAt(byAfter, loc) == after
	switch {
	case okBefore && okAfter: // the same instant, or the wall time is shown twice
		return minTime(byBefore, byAfter).In(loc)
	case okBefore:
		return byBefore.In(loc)
	case okAfter:
		return byAfter.In(loc)
	}
	// Skipped: read with the old offset, the wall time lands after the jump.
	jump, _ := byBefore.In(loc).ZoneBounds()
	return jump
}

// offsetAt returns the offset from UTC in force in loc at the instant t.
func offsetAt(t time.Time, loc *time.Location) time.Duration {
	_, seconds := t.In(loc).Zone()
	return time.Duration(seconds) * time.Second
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func (d Date) midnightUTC() time.Time { return d.In(time.UTC) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.midnightUTC().Weekday() }

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.midnightUTC().AddDate(0, 0, n)) }

// AddYears returns the same month and day n years after d. A 29 February that
// does not exist in the target year becomes 1 March, as time.Date normalises it.
func (d Date) AddYears(n int) Date { return DateOf(d.midnightUTC().AddDate(n, 0, 0)) }

// Compare returns -1 if d is before e, 0 if they are the same date, +1 if after.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// earliestEstablished is the earliest founding date accepted: older dates are typos.
var earliestEstablished = Date{1800, time.January, 1}

// ValidateEstablished checks a founding date as input: it must be a real date,
// not before 1800 and not after today. A valid date may still fail the
// establishment_time requirement.
//
// Errors: Invalid on field "established" (error.date_invalid,
// error.established_too_early, error.established_future).
func ValidateEstablished(d Date, today Date) error {
	switch {
	case !d.Valid():
		return fault.Field("established", "error.date_invalid", "enter the date the company was established, like 2006-01-02")
	case d.Before(earliestEstablished):
		return fault.Field("established", "error.established_too_early", "the establishment date cannot be before 1800")
	case d.After(today):
		return fault.Field("established", "error.established_future", "the establishment date cannot be in the future")
	}
	return nil
}

// Anniversary returns the first date on which a company established on that date has
// existed for one full year: the same month and day one year later, and 1 March
// for a 29 February founding when the next year has no 29 February.
func Anniversary(established Date) Date { return established.AddYears(1) }
