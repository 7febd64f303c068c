// Package usage holds the rules of metered (pay-per-use) billing: which
// usage records a seller may report, and what usage costs on a plan's
// tiered unit prices. Pure: the market package stores records and rates
// them every hour (docs/usage.md).
//
// Money is exact. Quantities are whole units of the plan's usage unit and
// unit prices whole minor units, so a cost is an exact product and sum: no
// rounding happens anywhere in rating. (The marketplace's commission on a
// charge is rounded when the charge is posted; see order.CommissionBPS.)
package usage

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
)

// Limits of reporting.
const (
	MaxBatch    = 1000           // records in one report
	MaxLateness = 48 * time.Hour // a record may end at most this long before it is received
	MaxAhead    = 5 * time.Minute
	MaxID       = 128
)

// Record is one report of usage of an instance: quantity units used from
// Begin to End, within one clock hour (UTC). An adjustment corrects an
// earlier record: it names it in Adjusts and its quantity may be negative.
type Record struct {
	ID         string    `json:"record_id"`
	InstanceID string    `json:"instance_id"`
	Unit       string    `json:"unit"`
	Begin      time.Time `json:"begin"`
	End        time.Time `json:"end"`
	Quantity   int64     `json:"quantity"`
	Adjusts    string    `json:"adjusts,omitempty"`
}

// Same reports whether r and o say the same thing (a record sent again).
func (r Record) Same(o Record) bool {
	return r.ID == o.ID && r.InstanceID == o.InstanceID && r.Unit == o.Unit && r.Begin.Equal(o.Begin) && r.End.Equal(o.End) &&
		r.Quantity == o.Quantity && r.Adjusts == o.Adjusts
}

// Reason says why a record was rejected; each has a message for the seller.
type Reason string

// The reasons.
const (
	ReasonID               Reason = "record_id"             // missing or longer than 128 characters
	ReasonInstance         Reason = "instance_id"           // missing
	ReasonUnknownInstance  Reason = "unknown_instance"      // not an instance of the seller's products
	ReasonNotMetered       Reason = "not_metered"           // the instance's plan is not pay-per-use
	ReasonNotOpen          Reason = "instance_not_open"     // the instance is not open (yet)
	ReasonUnit             Reason = "unit"                  // not the plan's usage unit
	ReasonPeriod           Reason = "period"                // begin not before end, or not within one clock hour
	ReasonFuture           Reason = "in_future"             // ends after now (beyond a little clock skew)
	ReasonTooLate          Reason = "too_late"              // ended more than 48 hours ago
	ReasonNegative         Reason = "quantity_negative"     // a negative quantity outside an adjustment
	ReasonZeroAdjustment   Reason = "adjustment_zero"       // an adjustment of nothing
	ReasonAdjustsUnknown   Reason = "adjusts_unknown"       // an adjustment of a record not accepted for the instance
	ReasonBelowZero        Reason = "adjustment_below_zero" // it would take the month's usage below zero
	ReasonConflict         Reason = "record_conflict"       // the record id was used for different usage
	ReasonInstanceReleased Reason = "instance_released"     // usage after the instance was released
)

// Rejection is a record refused, with why.
type Rejection struct {
	Reason  Reason
	Message string
}

func reject(r Reason, format string, args ...any) *Rejection {
	return &Rejection{Reason: r, Message: fmt.Sprintf(format, args...)}
}

// Check applies a record's own rules at now (when it is received): ids
// given, a period within one clock hour, no later than now, at most 48 hours
// late, and a quantity not negative unless it is an adjustment. The rules
// that need the instance and earlier records are the caller's.
func Check(r Record, now time.Time) *Rejection {
	switch {
	case strings.TrimSpace(r.ID) == "" || utf8.RuneCountInString(r.ID) > MaxID:
		return reject(ReasonID, "give each record a record_id of 1 to %d characters", MaxID)
	case strings.TrimSpace(r.InstanceID) == "":
		return reject(ReasonInstance, "name the instance the usage is of")
	case !r.Begin.Before(r.End) || HourOf(r.Begin) != HourOf(r.End.Add(-time.Nanosecond)):
		return reject(ReasonPeriod, "begin must be before end, both within one clock hour (UTC)")
	case r.End.After(now.Add(MaxAhead)):
		return reject(ReasonFuture, "the record ends after now: report usage once it has happened")
	case r.End.Before(now.Add(-MaxLateness)):
		return reject(ReasonTooLate, "the record ended more than 48 hours ago: usage is accepted up to 48 hours late")
	case r.Quantity < 0 && r.Adjusts == "":
		return reject(ReasonNegative, "a quantity cannot be negative: correct an earlier record with an adjustment record")
	case r.Quantity == 0 && r.Adjusts != "":
		return reject(ReasonZeroAdjustment, "an adjustment must change the quantity")
	}
	return nil
}

// HourOf is the clock hour (UTC) a time falls in.
func HourOf(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }

// Period is the billing month (UTC) of a time, as YYYY-MM: tiers apply to an
// instance's usage within one billing month.
func Period(t time.Time) string { return t.UTC().Format("2006-01") }

// Cost is what quantity units cost on a pay-per-use plan in one billing
// month: graduated tiers, each unit priced by the tier it falls in.
//
// Errors: those of catalog.Plan.UsageCost.
func Cost(pl catalog.Plan, quantity int64) (money.Amount, error) {
	return pl.UsageCost(quantity)
}

// Charge is what rating charges when an instance's usage in a billing month
// goes from `before` to `after` units: Cost(after) − Cost(before), so the
// charges of a month always add up to the cost of its usage, however late
// or corrected the records came. Negative when an adjustment lowered it.
//
// Errors: those of Cost.
func Charge(pl catalog.Plan, before, after int64) (money.Amount, error) {
	was, err := Cost(pl, before)
	if err != nil {
		return money.Amount{}, err
	}
	now, err := Cost(pl, after)
	if err != nil {
		return money.Amount{}, err
	}
	return now.Sub(was)
}
