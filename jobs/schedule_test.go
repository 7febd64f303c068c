package jobs_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/jobs"
)

// The image hours job runs at 5 past every hour, never twice in one.
func TestPastTheHour(t *testing.T) {
	at := func(h, m, s int) time.Time { return time.Date(2026, 11, 25, h, m, s, 0, time.UTC) }
	s := jobs.PastTheHour(5 * time.Minute)
	for now, want := range map[time.Time]time.Time{
		at(10, 0, 0): at(10, 5, 0), at(10, 4, 59): at(10, 5, 0), at(10, 5, 0): at(11, 5, 0), at(10, 59, 0): at(11, 5, 0),
		at(23, 30, 0): time.Date(2026, 11, 26, 0, 5, 0, 0, time.UTC),
	} {
		if got := s.Next(now); !got.Equal(want) {
			t.Errorf("Next(%s) = %s, want %s", now.Format("15:04:05"), got, want)
		}
	}
}
