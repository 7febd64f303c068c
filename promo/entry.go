package promo

import (
	"errors"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// EntryKind says what a campaign ledger entry records.
type EntryKind string

const (
	OrderCounted EntryKind = "order"  // a counted order: + what was paid
	OrderRefund  EntryKind = "refund" // a refund of a counted order: − what was given back of it
)

// Entry is one line of the campaign ledger: append-only, one per campaign and
// counted order, and one per campaign and refund of such an order. Its key
// (CampaignID, Kind, Ref) is unique in the store, so a replayed payment or
// refund event adds nothing.
type Entry struct {
	CampaignID    string       `json:"campaign_id"`
	CustomerOrgID string       `json:"customer_org_id"`
	Kind          EntryKind    `json:"kind"`
	Ref           string       `json:"ref"` // the order id, or the refund id
	OrderID       string       `json:"order_id"`
	Amount        money.Amount `json:"amount"` // + paid, − refunded
	At            time.Time    `json:"at"`     // when it was paid or refunded
}

// Key identifies the entry: "<campaign>/<kind>/<ref>".
func (e Entry) Key() string { return e.CampaignID + "/" + string(e.Kind) + "/" + e.Ref }

// OrderEntry is the campaign ledger entry of an order that counts, or the
// reason it does not (and no entry).
func OrderEntry(c Campaign, o OrderFacts) (Entry, Reason) {
	amount, r := Qualifies(c, o)
	if r != Counted {
		return Entry{}, r
	}
	return Entry{CampaignID: c.ID, CustomerOrgID: o.CustomerOrgID, Kind: OrderCounted, Ref: o.OrderID,
		OrderID: o.OrderID, Amount: amount, At: o.PaidAt}, Counted
}

// RefundEntry is the campaign ledger entry of a refund of a counted order
// (counted is the order's entry): minus the paid amount given back. A
// deducted gift value is part of the refunded amount: the order's total goes
// down by all of the refund.
//
// Errors: Invalid on "amount" (error.refund_amount) when refunded is not a
// positive amount in the campaign's currency up to what the order counted;
// Invalid when counted is not an order's entry.
func RefundEntry(counted Entry, refundID string, refunded money.Amount, at time.Time) (Entry, error) {
	if counted.Kind != OrderCounted || refundID == "" {
		return Entry{}, fault.New(fault.Invalid, "a campaign refund entry needs the counted order's entry and a refund id")
	}
	if refunded.Currency != counted.Amount.Currency || refunded.Minor <= 0 || refunded.Minor > counted.Amount.Minor {
		return Entry{}, fault.Field("amount", "error.refund_amount", "refund a positive amount up to what was paid")
	}
	return Entry{CampaignID: counted.CampaignID, CustomerOrgID: counted.CustomerOrgID, Kind: OrderRefund, Ref: refundID,
		OrderID: counted.OrderID, Amount: refunded.Neg(), At: at}, nil
}

// ErrMixedEntries: Total was given entries of several campaigns or customers.
var ErrMixedEntries = errors.New("promo: entries of several campaigns or customers")

// Total is a customer's total in a campaign: the sum of its entries (all of
// one campaign and one customer), each key counted once. The sum of none is
// zero in cur.
//
// Errors: ErrMixedEntries; money.ErrMismatch, money.ErrOverflow.
func Total(cur money.Currency, entries []Entry) (money.Amount, error) {
	total := money.New(0, cur)
	seen := map[string]bool{}
	for _, e := range entries {
		if e.CampaignID != entries[0].CampaignID || e.CustomerOrgID != entries[0].CustomerOrgID {
			return money.Amount{}, ErrMixedEntries
		}
		if seen[e.Key()] {
			continue
		}
		seen[e.Key()] = true
		var err error
		if total, err = total.Add(e.Amount); err != nil {
			return money.Amount{}, err
		}
	}
	return total, nil
}
