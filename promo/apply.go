package promo

import (
	"errors"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// Eligible reports whether the coupon may take money off the line: a line in
// its scope (categories holds each product's category slug, by product id),
// in its currency, with something to pay now. Pay-per-use lines never are
// (they are paid later, by usage), nor free trials.
func Eligible(cp Coupon, l order.Line, categories map[string]string) bool {
	return l.Mode != catalog.PayPerUse && !l.Trial && l.Paid.Minor > 0 &&
		l.Paid.Currency == cp.Template.Currency() &&
		cp.Template.Scope.Covers(l.Type, categories[l.ProductID], l.ProductID)
}

// Apply computes the discount the coupon gives on a quote's lines at `at`
// and splits it over them: one part per line, zero for the lines it does not
// apply to. The base is what the eligible lines still cost (their paid
// amounts). An amount-off coupon takes its amount off (never more than the
// base) once the base reaches the minimum spend; a percent-off coupon takes
// its share of the base, rounded half away from zero, up to its cap. The
// discount is split over the eligible lines in proportion to their paid
// amounts with money.Allocate: largest remainders, ties to the earlier line,
// so the parts sum to the discount exactly and no line goes below zero.
//
// Whether the coupon is its buyer's, unused, and within the campaign's
// budget is decided by the store in the transaction that uses it.
//
// Errors: Conflict (error.coupon_used); InvalidState (error.coupon_dates);
// Invalid on "coupon" (error.coupon_not_applicable: no line in scope,
// error.coupon_min_spend: the lines in scope do not reach the minimum).
func Apply(cp Coupon, lines []order.Line, categories map[string]string, at time.Time) ([]money.Amount, error) {
	t := cp.Template
	cur := t.Currency()
	switch {
	case cp.OrderID != "":
		return nil, &fault.Error{Code: fault.Conflict, MsgID: "error.coupon_used", Message: "this coupon has been used"}
	case !cp.ValidAt(at):
		return nil, &fault.Error{Code: fault.InvalidState, MsgID: "error.coupon_dates",
			Message: "this coupon is valid from " + cp.ValidFrom.UTC().Format(time.RFC3339) + " until " + cp.ValidUntil.UTC().Format(time.RFC3339)}
	}
	weights := make([]int64, len(lines))
	base := money.New(0, cur)
	for i, l := range lines {
		if !Eligible(cp, l, categories) {
			continue
		}
		weights[i] = l.Paid.Minor
		var err error
		if base, err = base.Add(l.Paid); err != nil {
			return nil, err
		}
	}
	if base.IsZero() {
		return nil, fault.Field("coupon", "error.coupon_not_applicable", "this coupon applies to none of these products (never to pay-per-use plans)")
	}
	if base.Minor < t.MinSpend.Minor {
		missing, _ := t.MinSpend.Sub(base)
		return nil, fault.Field("coupon", "error.coupon_min_spend",
			"spend "+missing.String()+" more on the products this coupon applies to")
	}
	off, err := Discount(t, base)
	if err != nil {
		return nil, err
	}
	return money.Allocate(off, weights)
}

// Discount is what the template takes off a base (in its currency) that
// reaches its minimum spend: never more than the base.
//
// Errors: money.ErrOverflow.
func Discount(t Template, base money.Amount) (money.Amount, error) {
	off := t.Off
	if t.Kind == PercentOff {
		var err error
		if off, err = base.Ratio(t.PercentBPS, 10_000); err != nil {
			return money.Amount{}, err
		}
		off.Minor = min(off.Minor, t.Cap.Minor)
	}
	off.Minor = min(off.Minor, base.Minor)
	off.Currency = base.Currency
	return off, nil
}

// ErrParts: Discounted was given parts that do not fit the quote's lines.
var ErrParts = errors.New("promo: discount parts do not fit the lines")

// Discounted is the quote with the parts (from Apply) taken off its lines:
// each line's discount grows and its paid amount shrinks by its part, and the
// totals are summed again.
//
// Errors: ErrParts when there is not one part per line or a part exceeds its
// line's paid amount or is in another currency; those of order.Totalled.
func Discounted(q order.Quote, parts []money.Amount) (order.Quote, error) {
	if len(parts) != len(q.Lines) {
		return order.Quote{}, ErrParts
	}
	lines := make([]order.Line, len(q.Lines))
	for i, l := range q.Lines {
		p := parts[i]
		if p.Currency != l.Paid.Currency || p.Minor < 0 || p.Minor > l.Paid.Minor {
			return order.Quote{}, ErrParts
		}
		l.Discount.Minor += p.Minor
		l.Paid.Minor -= p.Minor
		lines[i] = l
	}
	return order.Totalled(q.Currency, lines)
}
