package promo

import (
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// ChannelPrefix starts the channel of an order placed through a campaign's
// page: "campaign:<id>".
const ChannelPrefix = "campaign:"

// Channel is the order channel of the campaign's page.
func Channel(campaignID string) string { return ChannelPrefix + campaignID }

// OrderFacts is what the rules need to know of an order, as it was when it
// was paid. The integrator fills it from the order, its coupon and the
// customer's history (SegmentAt, Admitted).
type OrderFacts struct {
	OrderID       string
	CustomerOrgID string
	Kind          order.Kind
	Channel       string // direct, campaign:<id>, partner:<id>
	// CouponCampaignID is the campaign of the coupon the order was paid
	// with, "" without a coupon.
	CouponCampaignID string
	Paid             money.Amount // the order's payable: after every discount
	PaidAt           time.Time    // zero: not paid
	Segment          account.Segment
	Admitted         bool // admitted to this campaign by its account manager
}

// Facts are the facts of an order for a campaign: the customer's segment and
// admission to the campaign as they were when the order was paid.
func Facts(c Campaign, o order.Order, couponCampaignID string, segments []SegmentChange, admissions []Admission) OrderFacts {
	var mine []Admission
	for _, a := range admissions {
		if a.CampaignID == c.ID && a.CustomerOrgID == o.BuyerOrgID {
			mine = append(mine, a)
		}
	}
	return OrderFacts{OrderID: o.ID, CustomerOrgID: o.BuyerOrgID, Kind: o.Kind, Channel: o.Channel,
		CouponCampaignID: couponCampaignID, Paid: o.Payable, PaidAt: o.PaidAt,
		Segment: SegmentAt(segments, o.PaidAt), Admitted: Admitted(mine, o.PaidAt)}
}

// CampaignOf is the one campaign an order takes part in, "" for none: its
// coupon's campaign when it was paid with a coupon (the coupon is the benefit
// it took), otherwise the campaign whose page it came through. So an order
// counts toward at most one campaign.
func CampaignOf(o OrderFacts) string {
	if o.CouponCampaignID != "" {
		return o.CouponCampaignID
	}
	id, _ := strings.CutPrefix(o.Channel, ChannelPrefix)
	if id == o.Channel {
		return ""
	}
	return id
}

// Reason says why an order does not count toward a campaign; Counted when it
// does. Reasons are stable codes: the UI's messages are "campaign.reason.<code>".
type Reason string

const (
	Counted       Reason = "counted"
	NotPaid       Reason = "not_paid"        // the order has not been paid
	BeforeWindow  Reason = "before_window"   // paid before the first day
	AfterWindow   Reason = "after_window"    // paid after the last day
	OtherCampaign Reason = "other_campaign"  // it takes part in another campaign (its page or its coupon)
	NotThrough    Reason = "not_through"     // bought neither on this campaign's page nor with its coupon
	KindExcluded  Reason = "kind_excluded"   // a renewal or upgrade the campaign does not count
	OtherCurrency Reason = "other_currency"  // paid in another currency
	NotInAudience Reason = "not_in_audience" // the customer was not in the audience when it paid
	NothingPaid   Reason = "nothing_paid"    // nothing was paid (a free trial, pay-per-use)
)

var reasonText = map[Reason]string{
	Counted:       "counted toward the campaign",
	NotPaid:       "not paid yet",
	BeforeWindow:  "paid before the campaign began",
	AfterWindow:   "paid after the campaign ended",
	OtherCampaign: "takes part in another campaign",
	NotThrough:    "bought neither through the campaign's page nor with a coupon from its pack",
	KindExcluded:  "renewals and upgrades do not count in this campaign",
	OtherCurrency: "paid in another currency than the campaign's",
	NotInAudience: "the customer was not in the campaign's audience when the order was paid",
	NothingPaid:   "nothing was paid for it",
}

// Message is the reason in English, for the API and logs.
func (r Reason) Message() string { return reasonText[r] }

// Reasons lists every reason the order does not count toward the campaign,
// most telling first; none when it counts. It does not look at the
// campaign's state, so a dry run applies it to any campaign.
func Reasons(c Campaign, o OrderFacts) []Reason {
	if o.PaidAt.IsZero() {
		return []Reason{NotPaid}
	}
	var rs []Reason
	from, until := c.Window()
	switch {
	case o.PaidAt.Before(from):
		rs = append(rs, BeforeWindow)
	case !o.PaidAt.Before(until):
		rs = append(rs, AfterWindow)
	}
	switch CampaignOf(o) {
	case c.ID:
	case "":
		rs = append(rs, NotThrough)
	default:
		rs = append(rs, OtherCampaign)
	}
	if !c.Counts(o.Kind) {
		rs = append(rs, KindExcluded)
	}
	if o.Paid.Currency != c.Currency {
		rs = append(rs, OtherCurrency)
	}
	if !c.InAudience(o.Segment, o.Admitted) {
		rs = append(rs, NotInAudience)
	}
	if o.Paid.Minor <= 0 {
		rs = append(rs, NothingPaid)
	}
	return rs
}

// Qualifies returns the amount the order adds to its customer's total in the
// campaign (what was paid, after every discount) and Counted, or zero and the
// first reason it does not count.
func Qualifies(c Campaign, o OrderFacts) (money.Amount, Reason) {
	if rs := Reasons(c, o); len(rs) > 0 {
		return money.New(0, c.Currency), rs[0]
	}
	return o.Paid, Counted
}
