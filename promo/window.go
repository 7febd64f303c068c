package promo

import (
	"time"

	"github.com/cloudmart/cloudmart/subscription"
)

// Location is the campaign's zone (UTC when the name is unknown: Validate
// refuses such a campaign).
func (c Campaign) Location() *time.Location { return subscription.LoadZone(c.Zone) }

// Window is when orders count: from the first instant of Start in the
// campaign's zone, until (not including) the first instant of the day after
// End. For 2020-08-12 to 2020-09-11 in Asia/Shanghai that is
// 2020-08-11 16:00 UTC to 2020-09-11 16:00 UTC.
func (c Campaign) Window() (from, until time.Time) {
	loc := c.Location()
	return c.Start.In(loc), c.End.AddDays(1).In(loc)
}

// InWindow reports whether t falls in the window.
func (c Campaign) InWindow(t time.Time) bool {
	from, until := c.Window()
	return !t.Before(from) && t.Before(until)
}

// RedeemUntil is the instant redemption closes: the first instant of the day
// after RedeemBy in the campaign's zone.
func (c Campaign) RedeemUntil() time.Time { return c.RedeemBy.AddDays(1).In(c.Location()) }
