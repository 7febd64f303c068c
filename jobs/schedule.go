package jobs

import "time"

// pastTheHour is a schedule at `past` after every clock hour (UTC): an
// hour's running time is recorded once the hour has ended, so the job runs
// just after.
type pastTheHour time.Duration

func (p pastTheHour) Next(now time.Time) time.Time {
	next := now.UTC().Truncate(time.Hour).Add(time.Duration(p))
	if !next.After(now) {
		next = next.Add(time.Hour)
	}
	return next
}
