package jobs

import (
	"time"

	"github.com/riverqueue/river"
)

// PastTheHour is the image hours job's schedule, for tests.
func PastTheHour(d time.Duration) river.PeriodicSchedule { return pastTheHour(d) }
