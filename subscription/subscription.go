// Package subscription holds the rules of monthly and yearly plans after they
// are bought: billing periods in calendar months of the buyer's region zone,
// renewal, the grace period in which the instance is frozen, release,
// upgrades priced pro rata, and what a refund gives back. Pure functions over
// plain values; the market package runs them from scheduled jobs.
package subscription

import (
	"sync"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// State is where a subscription is.
type State string

const (
	Trial    State = "trial"    // free days; converts to paid at their end when auto-renewal is on
	Active   State = "active"   // paid up to PeriodEnd
	Frozen   State = "frozen"   // expired, in the grace period: the instance is frozen, renewal restores it
	Released State = "released" // ended: after the grace period, a refund, or a trial not converted
)

// The timing rules (docs/buying.md).
const (
	RenewBefore = 3 * 24 * time.Hour  // renewal orders are placed this long before expiry
	Grace       = 15 * 24 * time.Hour // frozen this long after expiry, then released
	RetryEvery  = 6 * time.Hour       // a failed renewal (balance short) is tried again after this
)

// Subscription is a monthly or yearly line of an order, kept running.
type Subscription struct {
	ID          string
	OrderID     string // the order that started it
	LineNo      int
	BuyerOrgID  string
	ProductID   string
	SellerOrgID string
	Plan        string
	Mode        catalog.BillingMode // monthly or yearly
	Quantity    int
	Region      string
	Zone        string // the IANA zone of the region: months are its calendar months
	State       State
	AutoRenew   bool
	AnchorDay   int       // day of the month periods end on (1–31), clamped to short months
	Periods     int       // months or years paid for in the current term (0 in a trial)
	PeriodStart time.Time // of the current term (or the trial)
	PeriodEnd   time.Time
	RenewedAt   time.Time // last renewal attempt (zero: none this period)
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// AddMonths moves t forward by n calendar months in loc, ending on the anchor
// day of the month (the day the subscription started), or on the month's last
// day when the month is shorter: 31 January + 1 month is 28 (or 29) February,
// + 2 months is 31 March. The time of day is kept.
func AddMonths(t time.Time, n, anchorDay int, loc *time.Location) time.Time {
	l := t.In(loc)
	y, m, _ := l.Date()
	first := time.Date(y, m+time.Month(n), 1, l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), loc)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(anchorDay, last)-1).UTC()
}

// Months is how many calendar months periods of the mode last.
func Months(mode catalog.BillingMode, periods int) int {
	if mode == catalog.Yearly {
		return 12 * periods
	}
	return periods
}

// Start begins a subscription bought at `at` for the line's periods (or its
// trial days).
func Start(s Subscription, at time.Time, periods, trialDays int, loc *time.Location) Subscription {
	s.AnchorDay = at.In(loc).Day()
	s.PeriodStart, s.CreatedAt, s.UpdatedAt = at, at, at
	if trialDays > 0 {
		s.State, s.PeriodEnd = Trial, at.AddDate(0, 0, trialDays)
		return s
	}
	s.State, s.Periods, s.PeriodEnd = Active, periods, AddMonths(at, Months(s.Mode, periods), s.AnchorDay, loc)
	return s
}

// Extend adds periods after the current end (a renewal, a trial converting,
// or a frozen subscription renewed in its grace period: the new period starts
// at the old end, so the frozen days are paid for, as the instance was kept).
func Extend(s Subscription, periods int, at time.Time, loc *time.Location) Subscription {
	if s.State == Trial {
		s.AnchorDay = s.PeriodEnd.In(loc).Day()
	}
	start := s.PeriodEnd
	s.PeriodStart, s.Periods, s.PeriodEnd = start, periods, AddMonths(start, Months(s.Mode, periods), s.AnchorDay, loc)
	s.State, s.RenewedAt, s.UpdatedAt = Active, time.Time{}, at
	return s
}

// Due is what the scheduler must do with a subscription at now.
type Due int

const (
	Nothing Due = iota
	Renew       // place a renewal order (auto-renewal on, within RenewBefore of the end, not tried in the last RetryEvery)
	Freeze      // expired without renewal: frozen for the grace period
	Release     // the grace period is over, or a trial ended unconverted
)

// Next says what is due at now.
func Next(s Subscription, now time.Time) Due {
	switch s.State {
	case Trial, Active:
		if !now.Before(s.PeriodEnd) { // expired: renewal goes on in the grace period
			if s.State == Trial && !s.AutoRenew {
				return Release
			}
			return Freeze
		}
		if s.AutoRenew && !now.Before(s.PeriodEnd.Add(-RenewBefore)) && (s.RenewedAt.IsZero() || !now.Before(s.RenewedAt.Add(RetryEvery))) {
			return Renew
		}
	case Frozen:
		if s.AutoRenew && (s.RenewedAt.IsZero() || !now.Before(s.RenewedAt.Add(RetryEvery))) && now.Before(s.PeriodEnd.Add(Grace)) {
			return Renew
		}
		if !now.Before(s.PeriodEnd.Add(Grace)) {
			return Release
		}
	}
	return Nothing
}

// UpgradePrice is what moving to a plan priced `to` from one priced `from`
// (per unit and period, same currency and mode) costs for the rest of the
// current term at now: the difference × quantity × periods of the term × the
// share of the term left (by the second, rounded half away from zero).
//
// Errors: Invalid (error.upgrade_lower) when the new plan is not dearer;
// InvalidState (error.upgrade_state) outside an active period.
func UpgradePrice(s Subscription, from, to money.Amount, now time.Time) (money.Amount, error) {
	if s.State != Active || !now.Before(s.PeriodEnd) || now.Before(s.PeriodStart) {
		return money.Amount{}, &fault.Error{Code: fault.InvalidState, MsgID: "error.upgrade_state", Message: "only an active subscription can be upgraded"}
	}
	diff, err := to.Sub(from)
	if err != nil || diff.Minor <= 0 {
		return money.Amount{}, fault.Field("plan", "error.upgrade_lower", "choose a dearer plan of the same billing mode and currency")
	}
	diff, err = diff.Times(int64(s.Quantity) * int64(max(s.Periods, 1)))
	if err != nil {
		return money.Amount{}, err
	}
	left, total := int64(s.PeriodEnd.Sub(now)/time.Second), int64(s.PeriodEnd.Sub(s.PeriodStart)/time.Second)
	return diff.Ratio(left, max(total, 1))
}

// PeriodsStarted is how many periods of the current term have begun at now
// (0 in a trial): the rest are unused and refundable.
func PeriodsStarted(s Subscription, now time.Time, loc *time.Location) int {
	if s.State == Trial || s.Periods == 0 {
		return 0
	}
	per := Months(s.Mode, 1)
	n := 0
	for k := 0; k < s.Periods; k++ {
		if now.Before(AddMonths(s.PeriodStart, k*per, s.AnchorDay, loc)) {
			break
		}
		n++
	}
	return n
}

// Location is the subscription's zone, whose calendar months its terms are.
func (s Subscription) Location() *time.Location { return LoadZone(s.Zone) }

// zones remembers loaded zones: time.LoadLocation reads the zone database
// each time.
var zones sync.Map // name → *time.Location

// LoadZone returns the IANA zone of the name, UTC when it is unknown.
func LoadZone(name string) *time.Location {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return time.UTC
	}
	zones.Store(name, loc)
	return loc
}
