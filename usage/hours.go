package usage

import (
	"slices"
	"time"
)

// Pay-per-use images are billed by the time their instances run (the rule
// in docs/compute.md, "Billing pay-per-use images"): running time is
// measured to the second and summed over the billing month, and the month
// is billed in whole hours, rounded up. So a buyer pays at most one hour
// more than the time the instance ran in a month, however often it was
// stopped and started, and never for time it did not run.

// Run is a time an instance ran: from Start until Stop, or still running
// when Stop is zero.
type Run struct {
	Start, Stop time.Time
}

// HourSeconds is the running time in one clock hour (UTC).
type HourSeconds struct {
	Hour    time.Time // the hour's first instant
	Seconds int64     // 1 to 3600
}

// RunningSeconds returns, for each clock hour from the hour of `from` up
// to (not including) the hour of `to`, the whole seconds the runs ran in
// it, leaving out hours they did not run in; oldest first. A run still
// running counts to the end of the last hour. Runs of one instance never
// overlap; if some did, an hour would still count at most 3,600 seconds.
func RunningSeconds(runs []Run, from, to time.Time) []HourSeconds {
	from, to = HourOf(from), HourOf(to)
	secs := map[time.Time]int64{}
	for _, r := range runs {
		start, stop := r.Start.UTC(), r.Stop.UTC()
		if r.Stop.IsZero() || stop.After(to) {
			stop = to
		}
		if start.Before(from) {
			start = from
		}
		for h := HourOf(start); h.Before(stop); h = h.Add(time.Hour) {
			a, b := maxTime(start, h), minTime(stop, h.Add(time.Hour))
			if n := int64(b.Sub(a) / time.Second); n > 0 {
				secs[h] = min(secs[h]+n, 3600)
			}
		}
	}
	out := make([]HourSeconds, 0, len(secs))
	for h, n := range secs {
		out = append(out, HourSeconds{Hour: h, Seconds: n})
	}
	slices.SortFunc(out, func(a, b HourSeconds) int { return a.Hour.Compare(b.Hour) })
	return out
}

// BilledHours is the hours billed for a month's running seconds: rounded
// up to a whole hour (0 for none).
func BilledHours(seconds int64) int64 {
	if seconds <= 0 {
		return 0
	}
	return (seconds + 3599) / 3600
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
