package order

import (
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
)

// DefaultRefundDays is how many days after payment a purchase is refunded in
// full when its product sets no policy.
const DefaultRefundDays = 5

// Use is what has happened to a line since it was paid, as refunds need it.
type Use struct {
	Consumed       bool // a licence activated, a professional service accepted by the seller
	Periods        int  // periods of the subscription's current term (0: not a subscription)
	PeriodsStarted int  // of them, begun by now
}

// Refundable is what may still be refunded of a paid line at now, with
// refundDays the line's full-refund window (Line.RefundDays):
//
//   - a professional service: in full until the seller accepts it, then nothing;
//   - within refundDays days of payment, anything not consumed (a licence not
//     yet activated): in full;
//   - after that, a monthly or yearly line: its unused whole periods, pro rata
//     (paid × unused / periods, rounded half away from zero); others nothing;
//
// less what was refunded already (never below zero).
func Refundable(l Line, paidAt, now time.Time, refundDays int, use Use, refunded money.Amount) money.Amount {
	zero := money.New(0, l.Paid.Currency)
	full := zero
	switch {
	case l.Paid.Minor <= 0:
	case l.Type == catalog.TypeService:
		if !use.Consumed {
			full = l.Paid
		}
	case !use.Consumed && now.Before(paidAt.AddDate(0, 0, refundDays)):
		full = l.Paid
	case (l.Mode == catalog.Monthly || l.Mode == catalog.Yearly) && use.Periods > 0:
		unused := int64(use.Periods - min(use.PeriodsStarted, use.Periods))
		full, _ = l.Paid.Ratio(unused, int64(use.Periods))
	}
	left, err := full.Sub(refunded)
	if err != nil || left.Minor < 0 {
		return zero
	}
	return left
}

// RefundEntries are the ledger entries that give back `amount` of a paid line
// (amount ≤ the line's paid amount): the buyer's balance gets it; the
// commission, the marketplace's discounts account and a channel partner's
// payable take back their shares of the line (PaymentEntries) in the
// proportion amount ÷ paid, each rounded
// half away from zero, and the seller's payable the rest, so the entries
// balance exactly and a full refund undoes the payment's entries exactly.
// The coupon used is not given back. A test order's refund goes back to the
// buyer's test balance from the marketplace's test-credit account.
func RefundEntries(o Order, l Line, amount money.Amount) ([]ledger.Entry, error) {
	if amount.Minor <= 0 || amount.Minor > l.Paid.Minor {
		return nil, fault.Field("amount", "error.refund_amount", "refund a positive amount up to what was paid")
	}
	if o.Channel == TestChannel {
		return testEntries(o.BuyerOrgID, amount), nil
	}
	price, err := l.PriceBeforeDiscount()
	if err != nil {
		return nil, err
	}
	base, err := l.commissionBase(price)
	if err != nil {
		return nil, err
	}
	fee, err := base.Ratio(CommissionBPS, 10_000)
	if err != nil {
		return nil, err
	}
	feeBack, err := fee.Ratio(amount.Minor, l.Paid.Minor)
	if err != nil {
		return nil, err
	}
	discountBack := money.New(0, amount.Currency)
	if !l.Discount.IsZero() {
		if discountBack, err = l.Discount.Ratio(amount.Minor, l.Paid.Minor); err != nil {
			return nil, err
		}
	}
	marginBack := money.New(0, amount.Currency)
	if !l.PartnerMargin.IsZero() {
		if marginBack, err = l.PartnerMargin.Ratio(amount.Minor, l.Paid.Minor); err != nil {
			return nil, err
		}
	}
	sellerBack, err := amount.Add(discountBack)
	if err == nil {
		sellerBack, err = sellerBack.Sub(feeBack)
	}
	if err == nil {
		sellerBack, err = sellerBack.Sub(marginBack)
	}
	if err != nil {
		return nil, err
	}
	entries := []ledger.Entry{{Account: ledger.Customer(o.BuyerOrgID), Amount: amount}}
	if !sellerBack.IsZero() {
		entries = append(entries, ledger.Entry{Account: ledger.SellerPayable(l.SellerOrgID), Amount: sellerBack.Neg()})
	}
	if !feeBack.IsZero() {
		entries = append(entries, ledger.Entry{Account: ledger.Commission, Amount: feeBack.Neg()})
	}
	if !discountBack.IsZero() {
		entries = append(entries, ledger.Entry{Account: ledger.Discounts, Amount: discountBack})
	}
	if !marginBack.IsZero() {
		entries = append(entries, ledger.Entry{Account: ledger.PartnerPayable(o.PartnerOrgID()), Amount: marginBack.Neg()})
	}
	return entries, nil
}

// SplitRefund allocates a refund of total over lines in proportion to what
// each may still give back (money.Allocate: largest remainders, exact), so the
// parts sum to total and no line gives back more than it may.
//
// Errors: Invalid on amount (error.refund_amount) when total exceeds what the
// lines may give back, or is not positive.
func SplitRefund(total money.Amount, refundable []money.Amount) ([]money.Amount, error) {
	sum := money.New(0, total.Currency)
	weights := make([]int64, len(refundable))
	for i, r := range refundable {
		var err error
		if sum, err = sum.Add(r); err != nil {
			return nil, err
		}
		weights[i] = r.Minor
	}
	if total.Minor <= 0 || total.Minor > sum.Minor {
		return nil, fault.Field("amount", "error.refund_amount", "refund a positive amount up to what may be refunded: "+sum.String())
	}
	return money.Allocate(total, weights)
}
