package promo

import (
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// FitsBudget decides whether a discount fits what is left of the campaign's
// budget after used. It gives a clear answer early; the store decides for
// real with one conditional update in the transaction that places the order
// (UPDATE … SET budget_used = budget_used + d WHERE id = … AND budget_used +
// d <= budget, refused when no row changes), so concurrent checkouts never
// overspend. The budget counts discounts given: a refunded order's discount
// is not put back, as its coupon is not.
//
// Errors: Conflict (error.budget_spent); money.ErrMismatch, money.ErrOverflow.
func FitsBudget(budget, used, discount money.Amount) error {
	after, err := used.Add(discount)
	if err != nil {
		return err
	}
	cmp, err := after.Cmp(budget)
	if err != nil {
		return err
	}
	if cmp > 0 {
		return &fault.Error{Code: fault.Conflict, MsgID: "error.budget_spent", Message: "this campaign's coupons have run out: its budget is spent"}
	}
	return nil
}
