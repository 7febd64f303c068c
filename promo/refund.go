package promo

import (
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
)

// Redemption is the gift a customer redeemed in a campaign, as the refund
// rule needs it.
type Redemption struct {
	GiftID    string       `json:"gift_id"`
	Tier      int          `json:"tier"`      // index of the tier it was redeemed from
	Threshold money.Amount `json:"threshold"` // of that tier (not of the highest reached)
	Value     money.Amount `json:"value"`     // the gift's declared value
	Deducted  money.Amount `json:"deducted"`  // of Value, kept from refunds so far
}

// PolicyFor is the refund policy that applies to a refund: the campaign's for
// a refund the buyer asks for; DeductGiftValue for a refund the marketplace
// owes whatever the customer's total (a delivery that failed), which is never
// refused.
func PolicyFor(c Campaign, owed bool) RefundPolicy {
	if owed {
		return DeductGiftValue
	}
	return c.Policy()
}

// RefundAllowed decides a refund of a counted order's paid amount when the
// customer's total in the campaign is total and it redeemed a gift (nil:
// none). A refund that leaves the total at or above the redeemed gift's
// threshold is allowed as it is. One that takes it below is, under
// RefuseRefund, refused; under DeductGiftValue, allowed, keeping back deduct:
// what is left of the gift's value not yet deducted, up to the refund.
//
// Errors: InvalidState (error.refund_below_gift) under RefuseRefund;
// money.ErrMismatch.
func RefundAllowed(total, refund money.Amount, redeemed *Redemption, policy RefundPolicy) (deduct money.Amount, err error) {
	zero := money.New(0, refund.Currency)
	if redeemed == nil {
		return zero, nil
	}
	after, err := total.Sub(refund)
	if err != nil {
		return zero, err
	}
	cmp, err := after.Cmp(redeemed.Threshold)
	if err != nil || cmp >= 0 {
		return zero, err
	}
	if policy != DeductGiftValue {
		return zero, &fault.Error{Code: fault.InvalidState, MsgID: "error.refund_below_gift",
			Message: "this refund would take the campaign total to " + after.String() + ", below the " +
				redeemed.Threshold.String() + " of the gift redeemed: this campaign refuses such refunds"}
	}
	left, err := redeemed.Value.Sub(redeemed.Deducted)
	if err != nil || left.Minor <= 0 {
		return zero, err
	}
	if left.Minor > refund.Minor {
		return refund, nil
	}
	return left, nil
}

// GiftDeduction are the ledger entries that keep a deducted gift value from a
// refund, to add to the refund's own entries (order.RefundEntries) in the
// same posting: the buyer's balance gets that much less, and the
// marketplace's campaign spending (ledger.Discounts) gets it back.
func GiftDeduction(buyerOrgID string, deduct money.Amount) []ledger.Entry {
	if deduct.Minor <= 0 {
		return nil
	}
	return []ledger.Entry{
		{Account: ledger.Customer(buyerOrgID), Amount: deduct.Neg()},
		{Account: ledger.Discounts, Amount: deduct},
	}
}
