// Package promo holds the rules of campaigns and coupons: a spend-and-get
// campaign (消费满送) with its audience, window, qualifying orders, tiers and
// gifts; the campaign ledger a customer's total is derived from; and coupon
// packs (上云礼包) and the discounts their coupons give. Pure: the market
// package loads the facts, calls these functions and stores the results; the
// limits (stock, packs, budget, one gift per customer) are enforced by the
// database in the transaction that uses them (docs/campaigns.md).
package promo

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/seller"
)

// Date is a calendar day without a zone; a campaign reads its days in its
// own zone.
type Date = seller.Date

// RefundPolicy says what happens when a refund would take a customer's total
// below the threshold of the gift it redeemed.
type RefundPolicy string

const (
	// RefuseRefund refuses such a refund (the default).
	RefuseRefund RefundPolicy = "refuse"
	// DeductGiftValue allows it and keeps the gift's declared value from the
	// money given back.
	DeductGiftValue RefundPolicy = "deduct_gift_value"
)

// Gift is a physical gift of a tier.
type Gift struct {
	ID    string       `json:"id"`
	Name  catalog.Text `json:"name"`
	Value money.Amount `json:"value"` // declared value: what a refund may deduct
	Stock int          `json:"stock"` // units on offer; the database counts them down
}

// Tier is a threshold of a customer's total and the gifts it unlocks.
type Tier struct {
	Threshold money.Amount `json:"threshold"`
	Gifts     []Gift       `json:"gifts"`
}

// Campaign is a spend-and-get campaign: who may join, when, which orders
// count, the tiers and gifts, and the coupon pack.
type Campaign struct {
	ID       string         `json:"id"`
	Name     catalog.Text   `json:"name"`
	Currency money.Currency `json:"currency"` // only orders paid in it count
	// Zone is the IANA zone the dates are read in (Asia/Shanghai).
	Zone string `json:"zone"`
	// Start and End are the first and last days of the window, both whole.
	Start Date `json:"start"`
	End   Date `json:"end"`
	// Segments are the customer segments admitted; others need their
	// account manager's admission.
	Segments []account.Segment `json:"segments"`
	// CountKinds are the order kinds that count; none means new purchases only.
	CountKinds   []order.Kind `json:"count_kinds,omitempty"`
	RefundPolicy RefundPolicy `json:"refund_policy"` // "" is RefuseRefund
	// RedeemBy is the last day (whole, in Zone) a gift may be redeemed: on or
	// after End.
	RedeemBy Date   `json:"redeem_by"`
	Tiers    []Tier `json:"tiers"` // ascending thresholds
	// Pack is the coupon pack a customer in the audience claims.
	Pack []Template `json:"pack,omitempty"`
	// PackLimit is how many packs may be claimed in all.
	PackLimit int `json:"pack_limit"`
	// ClaimsPerCustomer is how many packs one customer may claim; 0 is 1.
	ClaimsPerCustomer int `json:"claims_per_customer"`
	// Budget is what the marketplace may spend on the pack's discounts.
	Budget money.Amount `json:"budget"`
	State  State        `json:"state"`
}

// Policy is the campaign's refund policy, RefuseRefund when unset.
func (c Campaign) Policy() RefundPolicy {
	if c.RefundPolicy == "" {
		return RefuseRefund
	}
	return c.RefundPolicy
}

// Counts reports whether orders of the kind count toward the campaign.
func (c Campaign) Counts(k order.Kind) bool {
	if len(c.CountKinds) == 0 {
		return k == order.New
	}
	return slices.Contains(c.CountKinds, k)
}

// Claims is how many packs one customer may claim.
func (c Campaign) Claims() int { return max(c.ClaimsPerCustomer, 1) }

// Gift returns the gift with the id and the index of its tier.
func (c Campaign) Gift(id string) (Gift, int, bool) {
	for i, t := range c.Tiers {
		for _, g := range t.Gifts {
			if g.ID == id {
				return g, i, true
			}
		}
	}
	return Gift{}, -1, false
}

// Limits of a campaign.
const (
	MaxTiers             = 10
	MaxGiftsPerTier      = 10
	MaxTemplates         = 10
	MaxClaimsPerCustomer = 100
)

var orderKinds = []order.Kind{order.New, order.Renewal, order.Upgrade}

// Validate checks a campaign as an operator enters it.
//
// Errors: Invalid on "name.en", "name.zh", "currency", "zone", "start", "end",
// "redeem_by", "segments", "count_kinds", "refund_policy", "tiers",
// "tiers[i].threshold", "tiers[i].gifts", "tiers[i].gifts[j]…", "pack",
// "pack[i]…", "pack_limit", "claims_per_customer", "budget".
func (c Campaign) Validate() error {
	for _, f := range []struct{ field, v string }{{"name.en", c.Name.EN}, {"name.zh", c.Name.ZH}} {
		if n := utf8.RuneCountInString(strings.TrimSpace(f.v)); n < 1 || n > catalog.MaxName {
			return fault.Field(f.field, "error.name_length", "enter a name of 1 to 120 characters")
		}
	}
	if !c.Currency.Supported() {
		return fault.Field("currency", "error.currency", "choose a currency cloudmart prices in")
	}
	if _, err := time.LoadLocation(c.Zone); err != nil || c.Zone == "" || c.Zone == "Local" {
		return fault.Field("zone", "error.zone", "enter an IANA time zone such as Asia/Shanghai")
	}
	switch {
	case !c.Start.Valid():
		return fault.Field("start", "error.date_invalid", "enter the first day like 2020-08-12")
	case !c.End.Valid():
		return fault.Field("end", "error.date_invalid", "enter the last day like 2020-09-11")
	case c.End.Before(c.Start):
		return fault.Field("end", "error.campaign_dates", "the last day cannot be before the first")
	case !c.RedeemBy.Valid() || c.RedeemBy.Before(c.End):
		return fault.Field("redeem_by", "error.redeem_by", "gifts may be redeemed until a day on or after the campaign's last day")
	}
	if len(c.Segments) == 0 {
		return fault.Field("segments", "error.segments", "admit at least one customer segment")
	}
	for _, s := range c.Segments {
		if !s.Valid() {
			return fault.Field("segments", "error.segments", fmt.Sprintf("unknown segment %q", s))
		}
	}
	for _, k := range c.CountKinds {
		if !slices.Contains(orderKinds, k) {
			return fault.Field("count_kinds", "error.count_kinds", "count new purchases, renewals or upgrades")
		}
	}
	if p := c.Policy(); p != RefuseRefund && p != DeductGiftValue {
		return fault.Field("refund_policy", "error.refund_policy", "choose refuse or deduct_gift_value")
	}
	if err := c.validateTiers(); err != nil {
		return err
	}
	return c.validatePack()
}

func (c Campaign) validateTiers() error {
	if len(c.Tiers) == 0 || len(c.Tiers) > MaxTiers {
		return fault.Field("tiers", "error.tiers", "give 1 to 10 tiers")
	}
	ids := map[string]bool{}
	for i, t := range c.Tiers {
		field := fmt.Sprintf("tiers[%d]", i)
		if t.Threshold.Currency != c.Currency || t.Threshold.Minor <= 0 {
			return fault.Field(field+".threshold", "error.tier_threshold", "a threshold is a positive amount in the campaign's currency")
		}
		if i > 0 && t.Threshold.Minor <= c.Tiers[i-1].Threshold.Minor {
			return fault.Field(field+".threshold", "error.tier_order", "each tier's threshold must be above the one before")
		}
		if len(t.Gifts) == 0 || len(t.Gifts) > MaxGiftsPerTier {
			return fault.Field(field+".gifts", "error.tier_gifts", "give each tier 1 to 10 gifts")
		}
		for j, g := range t.Gifts {
			gf := fmt.Sprintf("%s.gifts[%d]", field, j)
			switch {
			case g.ID == "" || ids[g.ID]:
				return fault.Field(gf+".id", "error.gift_id", "each gift needs an id of its own")
			case strings.TrimSpace(g.Name.EN) == "" || strings.TrimSpace(g.Name.ZH) == "":
				return fault.Field(gf+".name", "error.name_length", "name the gift in English and Chinese")
			case g.Value.Currency != c.Currency || g.Value.Minor < 0:
				return fault.Field(gf+".value", "error.gift_value", "declare the gift's value in the campaign's currency")
			case g.Stock < 0:
				return fault.Field(gf+".stock", "error.gift_stock", "stock cannot be negative")
			}
			ids[g.ID] = true
		}
	}
	return nil
}

func (c Campaign) validatePack() error {
	noBudget := c.Budget == (money.Amount{}) || c.Budget == money.New(0, c.Currency)
	if !noBudget && (c.Budget.Currency != c.Currency || c.Budget.Minor < 0) {
		return fault.Field("budget", "error.budget", "the budget is an amount in the campaign's currency")
	}
	if len(c.Pack) > 0 && noBudget {
		return fault.Field("budget", "error.budget", "give the pack's discounts a budget")
	}
	if c.ClaimsPerCustomer < 0 || c.ClaimsPerCustomer > MaxClaimsPerCustomer {
		return fault.Field("claims_per_customer", "error.claims_per_customer", "a customer may claim 1 to 100 packs")
	}
	if len(c.Pack) == 0 {
		return nil
	}
	if len(c.Pack) > MaxTemplates {
		return fault.Field("pack", "error.pack", "a pack holds at most 10 coupons")
	}
	if c.PackLimit <= 0 {
		return fault.Field("pack_limit", "error.pack_limit", "say how many packs may be claimed in all")
	}
	ids := map[string]bool{}
	for i, t := range c.Pack {
		field := fmt.Sprintf("pack[%d]", i)
		if t.ID == "" || ids[t.ID] {
			return fault.Field(field+".id", "error.template_id", "each coupon of the pack needs an id of its own")
		}
		ids[t.ID] = true
		if err := t.validate(field, c.Currency); err != nil {
			return err
		}
	}
	return nil
}
