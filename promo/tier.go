package promo

import (
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// Standing is where a customer's total stands against the tiers.
type Standing struct {
	Total   money.Amount `json:"total"`
	Reached int          `json:"reached"` // index of the highest tier reached; -1 for none
	Next    int          `json:"next"`    // index of the next tier; -1 when the highest is reached
	Missing money.Amount `json:"missing"` // what the next tier needs more; zero when there is none
}

// Progress places a total against tiers of ascending thresholds (as Validate
// requires): a threshold is reached when the total is at or above it, to the
// minor unit.
//
// Errors: money.ErrMismatch when a threshold is in another currency.
func Progress(total money.Amount, tiers []Tier) (Standing, error) {
	s := Standing{Total: total, Reached: -1, Next: -1, Missing: money.New(0, total.Currency)}
	for i, t := range tiers {
		cmp, err := total.Cmp(t.Threshold)
		if err != nil {
			return Standing{}, err
		}
		if cmp < 0 {
			s.Next = i
			s.Missing, err = t.Threshold.Sub(total)
			return s, err
		}
		s.Reached = i
	}
	return s, nil
}

// RedeemFacts is what deciding a redemption needs besides the campaign.
type RedeemFacts struct {
	GiftID    string
	Total     money.Amount // the customer's total in the campaign now
	Redeemed  bool         // the customer has redeemed a gift of the campaign already
	StockLeft int          // of the gift, as last read
	At        time.Time
}

// CheckRedeem decides whether a customer may redeem a gift: one gift per
// campaign, from the highest tier reached or a lower one, while stock lasts,
// from the window's opening until the end of RedeemBy. It returns the
// redemption to record. The check of StockLeft and Redeemed only gives a
// clear answer early: the database decides both (a conditional update of the
// stock, a unique key on campaign and customer) in the transaction that
// records the redemption.
//
// Errors: NotFound (error.gift_unknown); InvalidState (error.redeem_closed,
// error.tier_not_reached); Conflict (error.gift_redeemed, error.out_of_stock).
func CheckRedeem(c Campaign, r RedeemFacts) (Redemption, error) {
	gift, tier, ok := c.Gift(r.GiftID)
	from, _ := c.Window()
	switch {
	case !ok:
		return Redemption{}, &fault.Error{Code: fault.NotFound, MsgID: "error.gift_unknown", Message: "the campaign has no such gift"}
	case (c.State != Active && c.State != Ended) || r.At.Before(from):
		return Redemption{}, &fault.Error{Code: fault.InvalidState, MsgID: "error.redeem_closed", Message: "gifts are redeemed once the campaign has begun"}
	case !r.At.Before(c.RedeemUntil()):
		return Redemption{}, &fault.Error{Code: fault.InvalidState, MsgID: "error.redeem_closed",
			Message: "gifts could be redeemed until " + c.RedeemBy.String()}
	case r.Redeemed:
		return Redemption{}, &fault.Error{Code: fault.Conflict, MsgID: "error.gift_redeemed", Message: "one gift per campaign: this customer has redeemed its gift"}
	}
	threshold := c.Tiers[tier].Threshold
	cmp, err := r.Total.Cmp(threshold)
	if err != nil {
		return Redemption{}, err
	}
	if cmp < 0 {
		missing, _ := threshold.Sub(r.Total)
		return Redemption{}, &fault.Error{Code: fault.InvalidState, MsgID: "error.tier_not_reached",
			Message: missing.String() + " more to reach this gift's tier"}
	}
	if r.StockLeft <= 0 {
		return Redemption{}, &fault.Error{Code: fault.Conflict, MsgID: "error.out_of_stock", Message: "this gift is out of stock: choose another"}
	}
	return Redemption{GiftID: gift.ID, Tier: tier, Threshold: threshold, Value: gift.Value,
		Deducted: money.New(0, c.Currency)}, nil
}
