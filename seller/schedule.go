package seller

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones must load the same on a server without a zone database

	"github.com/cloudmart/cloudmart/fault"
)

// minutesPerDay is the end of a day on the clock: "24:00".
const minutesPerDay = 24 * 60

// Interval is a span of wall-clock time within one day, in minutes since
// midnight: 0 <= Start < End <= 1440. End is exclusive, so 09:00–17:00 is 8 hours
// and "24:00" ends the day.
type Interval struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// ParseClock reads a wall-clock time "HH:MM" (00:00 to 24:00) as minutes since
// midnight.
//
// Errors: Invalid on the field (error.clock_invalid).
func ParseClock(field, s string) (int, error) {
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, clockError(field)
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	if m > 59 || h*60+m > minutesPerDay {
		return 0, clockError(field)
	}
	return h*60 + m, nil
}

func clockError(field string) error {
	return fault.Field(field, "error.clock_invalid", "enter a time from 00:00 to 24:00, like 09:30")
}

func digits(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

// FormatClock writes minutes since midnight as "HH:MM" (1440 is "24:00").
func FormatClock(minutes int) string {
	return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60)
}

// ParseInterval reads the start and end of an interval, each "HH:MM".
//
// Errors: Invalid on field+".start" or field+".end" (error.clock_invalid), or
// on the field (error.interval_order) when the start is not before the end.
func ParseInterval(field, start, end string) (Interval, error) {
	a, err := ParseClock(field+".start", start)
	if err != nil {
		return Interval{}, err
	}
	b, err := ParseClock(field+".end", end)
	if err != nil {
		return Interval{}, err
	}
	iv := Interval{a, b}
	return iv, iv.validate(field)
}

// String returns the interval as "09:00-17:00".
func (iv Interval) String() string { return FormatClock(iv.Start) + "-" + FormatClock(iv.End) }

// validate checks the interval's bounds.
//
// Errors: Invalid on the field (error.interval_range, error.interval_order).
func (iv Interval) validate(field string) error {
	switch {
	case iv.Start < 0 || iv.End > minutesPerDay:
		return fault.Field(field, "error.interval_range", "support hours must lie between 00:00 and 24:00")
	case iv.Start >= iv.End:
		return fault.Field(field, "error.interval_order", "the start of support hours must come before their end")
	}
	return nil
}

func (iv Interval) overlaps(other Interval) bool {
	return iv.Start < other.End && other.Start < iv.End
}

// Schedule is the weekly support a seller states, in wall-clock time of its own
// zone. Support that runs past midnight is stated as two intervals, one ending
// at 24:00 and one starting at 00:00 the next day; they count as one block.
type Schedule struct {
	Zone   string        `json:"zone"`    // IANA zone the hours are stated in, e.g. "Europe/Dublin"; may be empty when AllDay
	AllDay bool          `json:"all_day"` // support around the clock, every day: Days are ignored
	Days   [7][]Interval `json:"days"`    // indexed by time.Weekday (Sunday = 0)
}

// Validate checks a schedule as input: a zone that loads (unless AllDay), and
// on each day well-formed intervals within 00:00–24:00 that do not overlap
// (intervals may touch). It returns the first error found, day by day from Sunday.
//
// Errors: Invalid on field "support.zone" (error.zone_unknown) or
// "support.days.<weekday>[i]" (error.interval_range, error.interval_order,
// error.schedule_overlap).
func (s Schedule) Validate() error {
	if s.AllDay && s.Zone == "" {
		return nil
	}
	if _, err := loadZone("support.zone", s.Zone); err != nil {
		return err
	}
	if s.AllDay {
		return nil
	}
	for wd, day := range s.Days {
		for i, iv := range day {
			field := fmt.Sprintf("support.days.%s[%d]", strings.ToLower(time.Weekday(wd).String()), i)
			if err := iv.validate(field); err != nil {
				return err
			}
			for _, earlier := range day[:i] {
				if iv.overlaps(earlier) {
					return fault.Field(field, "error.schedule_overlap", fmt.Sprintf("%s overlaps %s on the same day", iv, earlier))
				}
			}
		}
	}
	return nil
}

// loadZone loads an IANA zone. "Local" is refused: it would mean whatever the
// server is set to.
//
// Errors: Invalid on the field (error.zone_unknown).
func loadZone(field, name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return nil, fault.Field(field, "error.zone_unknown", fmt.Sprintf("unknown time zone %q; use an IANA name like Asia/Shanghai", name))
	}
	return loc, nil
}

// Coverage returns how much of a calendar day in zone the schedule covers: the
// length of the union of the schedule's intervals, turned into real time in the
// schedule's zone, within that day (from its first instant in zone to the first
// instant of the next day: 23 or 25 hours on a daylight-saving change). A stated
// time the clocks skip counts from the moment they jump; one they show twice is
// taken at its first showing. The intervals are not validated: call Validate.
//
// Errors: Invalid on field "support.zone" or "zone" (error.zone_unknown).
func (s Schedule) Coverage(zone string, day Date) (time.Duration, error) {
	var stated *time.Location
	if !s.AllDay {
		var err error
		if stated, err = loadZone("support.zone", s.Zone); err != nil {
			return 0, err
		}
	}
	served, err := loadZone("zone", zone)
	if err != nil {
		return 0, err
	}
	return s.coverage(stated, served, day), nil
}

// coverage is Coverage with the zones loaded: stated is the schedule's zone
// (unused when AllDay), served the zone of the day.
func (s Schedule) coverage(stated, served *time.Location, day Date) time.Duration {
	from := day.In(served)
	length := day.AddDays(1).In(served).Sub(from)
	if s.AllDay {
		return length
	}
	// Zones are at most 26 hours apart, so only the stated days from two before
	// to two after the day can reach it.
	var spans []span
	for d := day.AddDays(-2); !d.After(day.AddDays(2)); d = d.AddDays(1) {
		for _, iv := range s.Days[d.Weekday()] {
			sp := span{
				from: max(0, wallTime(d, iv.Start, stated).Sub(from)),
				to:   min(length, wallTime(d, iv.End, stated).Sub(from)),
			}
			if sp.from < sp.to {
				spans = append(spans, sp)
			}
		}
	}
	return unionLength(spans)
}

// span is a stretch of time from the start of a day: from inclusive, to exclusive.
type span struct{ from, to time.Duration }

// unionLength returns the length of time covered by at least one span.
func unionLength(spans []span) time.Duration {
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	var total time.Duration
	var end time.Duration // the end of what is counted so far
	for _, sp := range spans {
		if sp.to > end {
			total += sp.to - max(sp.from, end)
			end = sp.to
		}
	}
	return total
}
