package engagement

import (
	"slices"
	"time"

	"github.com/cloudmart/cloudmart/fault"
)

// The deadlines (docs/services.md).
const (
	// AcceptWorkingDays: the seller may accept until the end of this many
	// working days after the day of payment.
	AcceptWorkingDays = 3
	// ConfirmAfter: a delivery the buyer neither confirms nor disputes is
	// confirmed this long after it (elapsed time: 168 hours, also across a
	// change of daylight saving time).
	ConfirmAfter = 7 * 24 * time.Hour
)

// Date is a day of the calendar, without a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the day t falls on in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// ParseDate reads a day written 2006-01-02 (a holiday in the configuration).
//
// Errors: Invalid on "date" (error.date).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fault.Field("date", "error.date", "write the day as YYYY-MM-DD")
	}
	return DateOf(t, time.UTC), nil
}

func (d Date) String() string { return d.noon().Format(time.DateOnly) }

// noon is the day at noon UTC: days are stepped there, away from any change of
// the clocks.
func (d Date) noon() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

// AddDays is the day n days later (earlier for negative n), across month and
// year ends.
func (d Date) AddDays(n int) Date { return DateOf(d.noon().AddDate(0, 0, n), time.UTC) }

// Calendar says which days are working days, and in which zone days begin.
type Calendar struct {
	Loc *time.Location // nil is UTC
	// Holidays are Mondays to Fridays off (public holidays).
	Holidays []Date
	// Workdays are Saturdays or Sundays worked (the days China's holidays
	// are made up on).
	Workdays []Date
}

func (c Calendar) location() *time.Location {
	if c.Loc == nil {
		return time.UTC
	}
	return c.Loc
}

// Working reports whether d is a working day: Monday to Friday unless a
// holiday, and the weekend days listed as worked.
func (c Calendar) Working(d Date) bool {
	switch d.noon().Weekday() {
	case time.Saturday, time.Sunday:
		return slices.Contains(c.Workdays, d)
	}
	return !slices.Contains(c.Holidays, d)
}

// AcceptBy is the acceptance deadline of a service paid at paidAt: the end of
// the AcceptWorkingDays-th working day after the day of payment, in the
// calendar's zone, as the instant the next day begins there (exclusive: an
// acceptance must come before it). The day of payment never counts, even a
// working day paid early. Paid Friday 17:00 in Asia/Shanghai: Monday, Tuesday,
// Wednesday count, and the deadline is Thursday 00:00 Asia/Shanghai
// (Wednesday 16:00 UTC). The result is in UTC.
func AcceptBy(paidAt time.Time, cal Calendar) time.Time {
	loc := cal.location()
	d := DateOf(paidAt, loc)
	// A year of days off in a row would be a broken calendar: stop there.
	for n, i := 0, 0; n < AcceptWorkingDays && i < 366; i++ {
		if d = d.AddDays(1); cal.Working(d) {
			n++
		}
	}
	next := d.AddDays(1)
	return time.Date(next.Year, next.Month, next.Day, 0, 0, 0, 0, loc).UTC()
}

// ConfirmBy is when a delivery made at deliveredAt is confirmed without an
// answer from the buyer: ConfirmAfter later (exclusive), in UTC.
func ConfirmBy(deliveredAt time.Time) time.Time { return deliveredAt.Add(ConfirmAfter).UTC() }
