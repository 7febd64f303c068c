package usage_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/usage"
)

func TestRunningSeconds(t *testing.T) {
	at := func(h, m, s int) time.Time { return time.Date(2026, 3, 10, h, m, s, 0, time.UTC) }
	hs := func(h int, secs int64) usage.HourSeconds { return usage.HourSeconds{Hour: at(h, 0, 0), Seconds: secs} }
	tests := []struct {
		name     string
		runs     []usage.Run
		from, to time.Time
		want     []usage.HourSeconds
	}{
		{"5 h 10 min from a whole hour", []usage.Run{{at(10, 0, 0), at(15, 10, 0)}}, at(0, 0, 0), at(18, 0, 0),
			[]usage.HourSeconds{hs(10, 3600), hs(11, 3600), hs(12, 3600), hs(13, 3600), hs(14, 3600), hs(15, 600)}},
		{"within one hour", []usage.Run{{at(10, 20, 5), at(10, 40, 5)}}, at(10, 0, 0), at(11, 0, 0), []usage.HourSeconds{hs(10, 1200)}},
		{"two runs share an hour", []usage.Run{{at(10, 0, 0), at(10, 20, 0)}, {at(10, 40, 0), at(11, 30, 0)}}, at(0, 0, 0), at(12, 0, 0),
			[]usage.HourSeconds{hs(10, 2400), hs(11, 1800)}},
		{"still running: to the end of the last whole hour", []usage.Run{{Start: at(9, 30, 0)}}, at(9, 0, 0), at(11, 45, 0),
			[]usage.HourSeconds{hs(9, 1800), hs(10, 3600)}},
		{"hours before from left out", []usage.Run{{Start: at(8, 30, 0)}}, at(10, 15, 0), at(12, 0, 0),
			[]usage.HourSeconds{hs(10, 3600), hs(11, 3600)}},
		{"the hour in progress left out", []usage.Run{{at(11, 10, 0), at(11, 20, 0)}}, at(0, 0, 0), at(11, 59, 59), []usage.HourSeconds{}},
		{"a run of no time", []usage.Run{{at(10, 10, 0), at(10, 10, 0)}}, at(0, 0, 0), at(12, 0, 0), []usage.HourSeconds{}},
		{"overlapping runs count an hour once", []usage.Run{{at(10, 0, 0), at(11, 0, 0)}, {at(10, 30, 0), at(11, 0, 0)}}, at(0, 0, 0), at(12, 0, 0),
			[]usage.HourSeconds{hs(10, 3600)}},
		{"across midnight and a month", []usage.Run{{time.Date(2026, 3, 31, 23, 15, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 45, 0, 0, time.UTC)}},
			time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC),
			[]usage.HourSeconds{{time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), 2700}, {time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), 2700}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := usage.RunningSeconds(tt.runs, tt.from, tt.to); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("RunningSeconds = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBilledHours(t *testing.T) {
	for secs, want := range map[int64]int64{0: 0, -5: 0, 1: 1, 3599: 1, 3600: 1, 3601: 2, 5*3600 + 600: 6, 8*3600 + 600: 9} {
		if got := usage.BilledHours(secs); got != want {
			t.Errorf("BilledHours(%d) = %d, want %d", secs, got, want)
		}
	}
}
