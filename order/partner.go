package order

import (
	"strings"

	"github.com/cloudmart/cloudmart/money"
)

// PartnerChannelPrefix starts the channel of an order a channel partner
// placed for its customer: "partner:<partner org id>".
const PartnerChannelPrefix = "partner:"

// PartnerChannel is the channel of an order the partner placed.
func PartnerChannel(partnerOrgID string) string { return PartnerChannelPrefix + partnerOrgID }

// PartnerOrgID is the channel partner that placed the order, "" for an order
// not placed by one.
func (o Order) PartnerOrgID() string {
	id, _ := strings.CutPrefix(o.Channel, PartnerChannelPrefix)
	if id == o.Channel {
		return ""
	}
	return id
}

// WithPartnerMargins sets each line's partner margin: its price before
// discount × the line's product's partner discount (basis points, by product
// id) ÷ 10,000, rounded half away from zero. Lines paid later (usage, a
// trial's first period) have none: the margin is on what is paid at once.
//
// Errors: money.ErrOverflow.
func WithPartnerMargins(q Quote, discountBPS map[string]int) (Quote, error) {
	lines := make([]Line, len(q.Lines))
	for i, l := range q.Lines {
		price, err := l.PriceBeforeDiscount()
		if err != nil {
			return q, err
		}
		if l.PartnerMargin, err = price.Ratio(int64(discountBPS[l.ProductID]), 10_000); err != nil {
			return q, err
		}
		lines[i] = l
	}
	q.Lines = lines
	return q, nil
}

// PartnerMargin is the partner's margin on the order: the sum of its lines'.
func (o Order) PartnerMargin() money.Amount {
	sum := money.New(0, o.Currency)
	for _, l := range o.Lines {
		sum.Minor += l.PartnerMargin.Minor
	}
	return sum
}

// commissionBase is what the commission is taken on: the line's price before
// discount less the partner's margin.
func (l Line) commissionBase(price money.Amount) (money.Amount, error) {
	if l.PartnerMargin.IsZero() {
		return price, nil
	}
	return price.Sub(l.PartnerMargin)
}
