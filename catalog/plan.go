package catalog

import (
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// BillingMode is how a plan charges.
type BillingMode string

const (
	OneTime   BillingMode = "one_time"
	Monthly   BillingMode = "monthly"
	Yearly    BillingMode = "yearly"
	PayPerUse BillingMode = "pay_per_use" // by reported usage, at tiered unit prices
)

// BillingModes lists every mode, in the order forms show them.
var BillingModes = []BillingMode{OneTime, Monthly, Yearly, PayPerUse}

// Valid reports whether m is a known mode.
func (m BillingMode) Valid() bool { return slices.Contains(BillingModes, m) }

var modeNames = map[BillingMode]Text{
	OneTime: {"one-time", "一次性"}, Monthly: {"monthly", "包月"},
	Yearly: {"yearly", "包年"}, PayPerUse: {"pay-per-use", "按量付费"},
}

// Name names the mode in each language.
func (m BillingMode) Name() Text { return modeNames[m] }

// allowedModes is the marketplace's rule of which type may be billed how: an
// image runs on the buyer's instance, which can be metered; a licence key and
// a service cannot be metered once delivered; an image is never sold outright,
// as its instance keeps running on the cloud.
var allowedModes = map[Type][]BillingMode{
	TypeImage:   {Monthly, Yearly, PayPerUse},
	TypeSaaS:    {OneTime, Monthly, Yearly, PayPerUse},
	TypeLicense: {OneTime, Monthly, Yearly},
	TypeService: {OneTime, Monthly, Yearly},
}

// AllowedModes returns the billing modes a type allows, in the order of
// BillingModes; none for an unknown type.
func AllowedModes(t Type) []BillingMode { return slices.Clone(allowedModes[t]) }

// Allows reports whether products of type t may have plans billed in mode m.
func (t Type) Allows(m BillingMode) bool { return slices.Contains(allowedModes[t], m) }

// Limits of plans.
const (
	MaxPlans     = 20
	MaxTrialDays = 90
)

// Plan is one way to buy a product (a SKU): a billing mode and its price in
// one currency. A product may have plans in several currencies side by side.
//
// Errors of Product.Validate: Invalid on plans (error.plans_required: no
// active plan; error.plans_many), plans[i].code (error.plan_code,
// error.plan_code_taken), plans[i].name.en and .zh (error.name_length),
// plans[i].mode (error.billing_mode: unknown, or not allowed for the type),
// plans[i].price (error.currency_unsupported; error.price_positive: zero or
// negative; error.price_usage: a fixed price on a pay-per-use plan),
// plans[i].usage (error.usage_required; error.usage_not_metered: usage prices
// on another mode), plans[i].usage.… (listed on UsagePrice),
// plans[i].trial_days (error.trial_days: outside 0–90;
// error.trial_not_allowed: on a one-time plan, or a type without trials).
type Plan struct {
	ID        string       `json:"id"`
	Code      string       `json:"code"` // unique within the product: "basic", "pro-yearly"
	Name      Text         `json:"name"`
	Mode      BillingMode  `json:"mode"`
	Price     money.Amount `json:"price"`           // one-time, per month or per year; zero for pay-per-use
	Usage     *UsagePrice  `json:"usage,omitempty"` // pay-per-use only
	TrialDays int          `json:"trial_days"`      // free days before the first charge
	Active    bool         `json:"active"`          // offered to new buyers
}

// Currency is the plan's currency: of its price, or of its usage tiers.
func (pl Plan) Currency() money.Currency {
	if pl.Mode == PayPerUse && pl.Usage != nil && len(pl.Usage.Tiers) > 0 {
		return pl.Usage.Tiers[0].UnitPrice.Currency
	}
	return pl.Price.Currency
}

var planCodePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// validatePlans checks the plans: each on its own, codes unique, and for
// review at least one active plan, so the listing can be bought.
func (p Product) validatePlans(v validator) error {
	if len(p.Plans) > MaxPlans {
		return fault.Field("plans", "error.plans_many", "offer at most 20 plans")
	}
	for i, pl := range p.Plans {
		field := fmt.Sprintf("plans[%d]", i)
		if err := pl.validate(v, p, field); err != nil {
			return err
		}
		if pl.Code != "" && slices.ContainsFunc(p.Plans[:i], func(o Plan) bool { return o.Code == pl.Code }) {
			return fault.Field(field+".code", "error.plan_code_taken", fmt.Sprintf("another plan has the code %q", pl.Code))
		}
	}
	if v.review && !slices.ContainsFunc(p.Plans, func(pl Plan) bool { return pl.Active }) {
		return fault.Field("plans", "error.plans_required", "add at least one active plan, so the product can be bought")
	}
	return nil
}

// validate checks one plan of product p; field is its place ("plans[0]").
func (pl Plan) validate(v validator, p Product, field string) error {
	if err := firstError(
		v.planCode(field+".code", pl.Code),
		v.text(field+".name", pl.Name, 1, MaxName, "error.name_length", "enter a name of 1 to 120 characters"),
		enum(v, field+".mode", pl.Mode, BillingModes, "error.billing_mode", "choose one_time, monthly, yearly or pay_per_use"),
	); err != nil {
		return err
	}
	if pl.Mode != "" && !p.Type.Allows(pl.Mode) {
		return fault.Field(field+".mode", "error.billing_mode", fmt.Sprintf("%s products cannot be sold %s: choose %s",
			p.Type.Name().EN, pl.Mode.Name().EN, modeList(allowedModes[p.Type])))
	}
	var err error
	if pl.Mode == PayPerUse {
		err = pl.validateMetered(v, field)
	} else {
		err = pl.validateFixed(v, field)
	}
	if err != nil {
		return err
	}
	return pl.validateTrial(p, field)
}

func (v validator) planCode(field, code string) error {
	if (code == "" && !v.review) || (len(code) <= 40 && planCodePattern.MatchString(code)) {
		return nil
	}
	return fault.Field(field, "error.plan_code", "use 1 to 40 lower-case letters, digits and single dashes, such as pro-yearly")
}

// validateFixed checks a plan with a fixed price: one-time, monthly, yearly.
func (pl Plan) validateFixed(v validator, field string) error {
	if pl.Usage != nil && pl.Mode != "" {
		return fault.Field(field+".usage", "error.usage_not_metered", "only a pay-per-use plan has usage prices")
	}
	given := pl.Price.Currency != "" || pl.Price.Minor != 0
	if (v.review || given) && !pl.Price.Currency.Supported() {
		return unsupportedCurrency(field+".price", pl.Price.Currency)
	}
	if pl.Price.IsNegative() || (v.review && pl.Price.IsZero()) {
		return fault.Field(field+".price", "error.price_positive", "enter a price above zero")
	}
	return nil
}

// validateMetered checks a pay-per-use plan, which is priced by its usage
// tiers alone: a fixed price besides them would have no period to be charged for.
func (pl Plan) validateMetered(v validator, field string) error {
	if !pl.Price.IsZero() {
		return fault.Field(field+".price", "error.price_usage", "a pay-per-use plan is priced by its usage tiers: leave the price empty")
	}
	if pl.Usage == nil {
		if v.review {
			return fault.Field(field+".usage", "error.usage_required", "give the usage unit and its price")
		}
		return nil
	}
	return pl.Usage.validate(v, field+".usage")
}

func (pl Plan) validateTrial(p Product, field string) error {
	f := field + ".trial_days"
	switch {
	case pl.TrialDays < 0 || pl.TrialDays > MaxTrialDays:
		return fault.Field(f, "error.trial_days", "enter 0 to 90 trial days")
	case pl.TrialDays == 0:
		return nil
	case pl.Mode == OneTime:
		return fault.Field(f, "error.trial_not_allowed", "a one-time purchase has no free trial")
	case p.Type == TypeSaaS && !p.TrialsAllowed():
		return fault.Field(f, "error.trial_not_allowed", "offer a free trial in the SaaS details first")
	case !p.TrialsAllowed():
		return fault.Field(f, "error.trial_not_allowed", fmt.Sprintf("%s products have no free trial", p.Type.Name().EN))
	}
	return nil
}

func unsupportedCurrency(field string, c money.Currency) error {
	return fault.Field(field, "error.currency_unsupported", fmt.Sprintf("the marketplace does not price in %q: choose CNY or USD", c))
}

// modeList writes modes as "one-time, monthly or yearly".
func modeList(modes []BillingMode) string {
	names := make([]string, len(modes))
	for i, m := range modes {
		names[i] = m.Name().EN
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// YearlySaving returns how much cheaper a yearly plan is than twelve months of
// a monthly plan, in whole percent rounded half up (1,000 a year against 100 a
// month saves 16.67%: 17), to show "save 17%". ok is false when there is
// nothing to show: the plans are not yearly and monthly, their currencies
// differ, a price is not above zero, or the saving rounds to under 1%.
func (pl Plan) YearlySaving(monthly Plan) (percent int, ok bool) {
	if pl.Mode != Yearly || monthly.Mode != Monthly || pl.Price.Currency != monthly.Price.Currency ||
		pl.Price.Minor <= 0 || monthly.Price.Minor <= 0 {
		return 0, false
	}
	// In big integers: twelve months of a large price overflows int64.
	full := new(big.Int).Mul(big.NewInt(monthly.Price.Minor), big.NewInt(12))
	saved := new(big.Int).Sub(full, big.NewInt(pl.Price.Minor))
	if saved.Sign() <= 0 {
		return 0, false
	}
	// round(100·saved/full) = ⌊(200·saved + full) / (2·full)⌋
	num := new(big.Int).Add(new(big.Int).Mul(saved, big.NewInt(200)), full)
	pct := num.Quo(num, new(big.Int).Lsh(full, 1)).Int64()
	return int(pct), pct >= 1
}

// ListPrice is the price a plan is shown and sorted at: its price, or for
// pay-per-use its lowest unit price above zero; ok is false for a plan with
// neither.
func (pl Plan) ListPrice() (money.Amount, bool) {
	if pl.Mode != PayPerUse {
		return pl.Price, pl.Price.Currency != ""
	}
	if pl.Usage == nil {
		return money.Amount{}, false
	}
	for _, t := range pl.Usage.Tiers {
		if t.UnitPrice.Minor > 0 {
			return t.UnitPrice, true
		}
	}
	return money.Amount{}, false
}

// Unit is the usage unit of a pay-per-use plan, "" for others.
func (pl Plan) Unit() string {
	if pl.Usage == nil {
		return ""
	}
	return pl.Usage.Unit
}
