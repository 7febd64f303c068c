package catalog

import (
	"fmt"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// UsagePrice is how a pay-per-use plan charges: a unit of usage the product
// reports ("GB", "API call", "vCPU-hour") and unit prices by tier.
//
// Errors of Product.Validate, under plans[i].usage: Invalid on .unit
// (error.usage_unit), .tiers (error.tiers_count: 1 to 10),
// .tiers[j].up_to (error.tier_order: not above the previous bound, negative,
// or unbounded before the last; error.tier_last: a bounded last tier),
// .tiers[j].unit_price (error.currency_unsupported; error.tier_currency: not
// the first tier's currency; error.tier_price: negative, or zero other than
// on a first tier followed by others).
type UsagePrice struct {
	Unit  string `json:"unit"`
	Tiers []Tier `json:"tiers"`
}

// Tier is a band of usage with its unit price. The first tier starts at 0 and
// each next one where the previous ended, so a tier prices the units from the
// previous bound up to (not including) UpTo. Only the last tier is unbounded,
// and it must be, so every quantity has a price.
type Tier struct {
	UpTo      int64        `json:"up_to"` // 0: no bound
	UnitPrice money.Amount `json:"unit_price"`
}

// Limits of usage prices.
const (
	MaxTiers    = 10
	MaxUnitName = 32
)

// validate checks a usage price; field is its place ("plans[0].usage").
func (u UsagePrice) validate(v validator, field string) error {
	if err := v.length(field+".unit", u.Unit, 1, MaxUnitName, "error.usage_unit", "name the usage unit in up to 32 characters, such as GB or API call"); err != nil {
		return err
	}
	if n := len(u.Tiers); n < v.atLeast(1) || n > MaxTiers {
		return fault.Field(field+".tiers", "error.tiers_count", "give 1 to 10 price tiers")
	}
	var from int64
	for i, t := range u.Tiers {
		f := fmt.Sprintf("%s.tiers[%d]", field, i)
		last := i == len(u.Tiers)-1
		switch {
		case t.UpTo < 0 || (t.UpTo == 0 && !last) || (t.UpTo != 0 && t.UpTo <= from):
			return fault.Field(f+".up_to", "error.tier_order", "each tier must end above the one before it; only the last has no bound")
		case last && t.UpTo != 0 && v.review:
			return fault.Field(f+".up_to", "error.tier_last", "leave the last tier without a bound, so every quantity has a price")
		}
		if err := t.validatePrice(v, f+".unit_price", u.Tiers[0].UnitPrice.Currency, i == 0 && !last); err != nil {
			return err
		}
		from = t.UpTo
	}
	return nil
}

// validatePrice checks a tier's unit price. Only a first tier followed by
// others may be free: a free allowance, not a free product.
func (t Tier) validatePrice(v validator, field string, currency money.Currency, mayBeFree bool) error {
	p := t.UnitPrice
	switch {
	case !p.Currency.Supported():
		return unsupportedCurrency(field, p.Currency)
	case p.Currency != currency:
		return fault.Field(field, "error.tier_currency", "price every tier in the same currency")
	case p.IsNegative() || (p.IsZero() && !mayBeFree && v.review):
		return fault.Field(field, "error.tier_price", "enter a unit price above zero; only a first tier followed by others may be free")
	}
	return nil
}

// UsageCost returns what units of usage cost on a pay-per-use plan: the sum,
// over the tiers, of the units falling in each tier times its unit price,
// exact in minor units. With tiers [0, 100) at 0.00 and [100, ∞) at 0.50,
// 100 units cost 0.00 and 101 units cost 0.50.
//
// Errors: Invalid on "mode" (error.plan_not_metered) for a plan that is not
// pay-per-use, on "units" (error.units_negative), or as UsagePrice's rules on
// "usage.…" when the tiers are not valid for review; an error wrapping
// money.ErrOverflow when the cost does not fit in an amount.
func (pl Plan) UsageCost(units int64) (money.Amount, error) {
	if pl.Mode != PayPerUse || pl.Usage == nil {
		return money.Amount{}, fault.Field("mode", "error.plan_not_metered", "only a pay-per-use plan charges for usage")
	}
	if err := pl.Usage.validate(validator{review: true}, "usage"); err != nil {
		return money.Amount{}, err
	}
	if units < 0 {
		return money.Amount{}, fault.Field("units", "error.units_negative", "usage cannot be negative")
	}
	tiers := pl.Usage.Tiers
	total := money.Amount{Currency: tiers[0].UnitPrice.Currency}
	var from int64 // where the tier starts
	for _, t := range tiers {
		if units <= from {
			break
		}
		n := units - from
		if t.UpTo != 0 {
			n = min(n, t.UpTo-from)
		}
		cost, err := t.UnitPrice.Times(n)
		if err == nil {
			total, err = total.Add(cost)
		}
		if err != nil {
			return money.Amount{}, fmt.Errorf("catalog: cost of %d %s: %w", units, pl.Usage.Unit, err)
		}
		from = t.UpTo
	}
	return total, nil
}
