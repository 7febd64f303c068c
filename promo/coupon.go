package promo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
)

// DiscountKind is how a coupon takes money off.
type DiscountKind string

const (
	AmountOff  DiscountKind = "amount_off"  // a fixed amount, with a minimum spend: ¥300 off ¥1,000
	PercentOff DiscountKind = "percent_off" // a share of the eligible lines, up to a cap
)

// Scope is what a coupon applies to. Each list that is not empty narrows it:
// a line is in scope when its product's type, category and id are each in
// the lists given. An empty scope covers every product.
type Scope struct {
	Types      []catalog.Type `json:"types,omitempty"`
	Categories []string       `json:"categories,omitempty"` // catalog.Category slugs
	Products   []string       `json:"products,omitempty"`   // product ids
}

// Covers reports whether a product of the type, category and id is in scope.
func (s Scope) Covers(t catalog.Type, category, productID string) bool {
	return (len(s.Types) == 0 || slices.Contains(s.Types, t)) &&
		(len(s.Categories) == 0 || slices.Contains(s.Categories, category)) &&
		(len(s.Products) == 0 || slices.Contains(s.Products, productID))
}

// Template is a coupon of a campaign's pack, before anyone claims it.
type Template struct {
	ID   string       `json:"id"`
	Name catalog.Text `json:"name"`
	Kind DiscountKind `json:"kind"`
	Off  money.Amount `json:"off,omitempty"` // AmountOff: what it takes off
	// PercentBPS is, for PercentOff, the share taken off in basis points
	// (1500 is 15 %).
	PercentBPS int64        `json:"percent_bps,omitempty"`
	Cap        money.Amount `json:"cap,omitempty"` // PercentOff: the most it takes off
	// MinSpend is what the lines in scope must add up to (zero: anything).
	MinSpend money.Amount `json:"min_spend"`
	Scope    Scope        `json:"scope"`
	// ValidDays: a claimed coupon is valid from its claim until the end of
	// the ValidDays-th day after the day of the claim (in the campaign's
	// zone). Otherwise, from the first instant of ValidFrom to the end of
	// ValidUntil.
	ValidDays  int  `json:"valid_days,omitempty"`
	ValidFrom  Date `json:"valid_from,omitzero"`
	ValidUntil Date `json:"valid_until,omitzero"`
}

// Currency is the currency of the template's amounts (its campaign's).
func (t Template) Currency() money.Currency { return t.MinSpend.Currency }

// MaxValidDays is the longest a claimed coupon may be valid for.
const MaxValidDays = 366

func (t Template) validate(field string, cur money.Currency) error {
	inCur := func(a money.Amount, positive bool) bool {
		return a.Currency == cur && (a.Minor > 0 || !positive && a.Minor == 0)
	}
	switch {
	case strings.TrimSpace(t.Name.EN) == "" || strings.TrimSpace(t.Name.ZH) == "":
		return fault.Field(field+".name", "error.name_length", "name the coupon in English and Chinese")
	case t.Kind == AmountOff && !inCur(t.Off, true):
		return fault.Field(field+".off", "error.coupon_off", "take off a positive amount in the campaign's currency")
	case t.Kind == PercentOff && (t.PercentBPS < 1 || t.PercentBPS > 9999):
		return fault.Field(field+".percent_bps", "error.coupon_percent", "take off between 0.01 % and 99.99 % (1 to 9999 basis points)")
	case t.Kind == PercentOff && !inCur(t.Cap, true):
		return fault.Field(field+".cap", "error.coupon_cap", "cap a percentage coupon with a positive amount in the campaign's currency")
	case t.Kind != AmountOff && t.Kind != PercentOff:
		return fault.Field(field+".kind", "error.coupon_kind", "choose amount_off or percent_off")
	case !inCur(t.MinSpend, false):
		return fault.Field(field+".min_spend", "error.coupon_min_spend", "the minimum spend is an amount in the campaign's currency, zero or more")
	}
	for _, ty := range t.Scope.Types {
		if !ty.Valid() {
			return fault.Field(field+".scope.types", "error.coupon_scope", fmt.Sprintf("unknown product type %q", ty))
		}
	}
	for _, slug := range t.Scope.Categories {
		if _, ok := catalog.CategoryBySlug(slug); !ok {
			return fault.Field(field+".scope.categories", "error.coupon_scope", fmt.Sprintf("unknown category %q", slug))
		}
	}
	if slices.Contains(t.Scope.Products, "") {
		return fault.Field(field+".scope.products", "error.coupon_scope", "a product id is missing")
	}
	fixed := t.ValidFrom != (Date{}) || t.ValidUntil != (Date{})
	switch {
	case t.ValidDays > 0 && fixed, t.ValidDays == 0 && !fixed:
		return fault.Field(field+".valid_days", "error.coupon_validity", "make the coupon valid either for some days after claiming or between two dates")
	case t.ValidDays < 0 || t.ValidDays > MaxValidDays:
		return fault.Field(field+".valid_days", "error.coupon_validity", "a coupon is valid for 1 to 366 days after claiming")
	case fixed && (!t.ValidFrom.Valid() || !t.ValidUntil.Valid() || t.ValidUntil.Before(t.ValidFrom)):
		return fault.Field(field+".valid_until", "error.coupon_validity", "give the first and last days the coupon is valid, the last not before the first")
	}
	return nil
}

// Coupon is a template claimed by a customer: its terms are copied at the
// claim, so later edits of the pack do not change it.
type Coupon struct {
	ID         string    `json:"id"`
	CampaignID string    `json:"campaign_id"`
	OwnerOrgID string    `json:"owner_org_id"`
	Template   Template  `json:"template"`
	ClaimedAt  time.Time `json:"claimed_at"`
	ValidFrom  time.Time `json:"valid_from"`  // first instant it may be used
	ValidUntil time.Time `json:"valid_until"` // first instant it may no longer be used
	// OrderID is the order it was used on, "" while unused. A coupon used on
	// an order that is refunded is not given back.
	OrderID string    `json:"order_id,omitempty"`
	UsedAt  time.Time `json:"used_at,omitzero"`
}

// Issue is the coupon of the template a customer claims at `at`, its
// validity read in the campaign's zone.
func Issue(c Campaign, t Template, id, ownerOrgID string, at time.Time) Coupon {
	loc := c.Location()
	cp := Coupon{ID: id, CampaignID: c.ID, OwnerOrgID: ownerOrgID, Template: t, ClaimedAt: at}
	if t.ValidDays > 0 {
		claimDay := seller.DateOf(at.In(loc))
		cp.ValidFrom, cp.ValidUntil = at, claimDay.AddDays(t.ValidDays+1).In(loc)
	} else {
		cp.ValidFrom, cp.ValidUntil = t.ValidFrom.In(loc), t.ValidUntil.AddDays(1).In(loc)
	}
	return cp
}

// ValidAt reports whether the coupon's dates allow using it at t.
func (cp Coupon) ValidAt(t time.Time) bool { return !t.Before(cp.ValidFrom) && t.Before(cp.ValidUntil) }
