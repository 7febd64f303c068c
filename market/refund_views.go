package market

import (
	"context"
	"slices"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
)

// Views of an order's refunds and buyer for the order pages.

// Refunds lists an order's refunds, oldest first, to whoever may read the
// order: its buyer organisation and operators see each refund whole; a
// seller sees only the refunds that touched its lines, each with only its
// lines' parts (and their sum as the amount), without who asked for it or
// the ledger posting.
//
// Errors: NotFound (also for orders the actor may not see).
func (s *Service) Refunds(ctx context.Context, actor account.Actor, orderID string) ([]store.Refund, error) {
	o, err := s.Order(ctx, actor, orderID) // a seller gets only its lines
	if err != nil {
		return nil, err
	}
	refunds, err := s.store.Refunds(ctx, o.ID)
	if err != nil || account.Can(actor, account.ReadPurchases, account.Resource{OrgID: o.BuyerOrgID}) {
		return refunds, err
	}
	var mine []int
	for _, l := range o.Lines {
		mine = append(mine, l.No)
	}
	out := make([]store.Refund, 0, len(refunds))
	for _, r := range refunds {
		part := store.Refund{ID: r.ID, OrderID: r.OrderID, Amount: money.New(0, r.Amount.Currency), Reason: r.Reason, CreatedAt: r.CreatedAt}
		for _, l := range r.Lines {
			if slices.Contains(mine, l.No) {
				part.Lines = append(part.Lines, l)
				part.Amount.Minor += l.Amount // parts of a refund that fits in int64
			}
		}
		if len(part.Lines) > 0 {
			out = append(out, part)
		}
	}
	return out, nil
}

// OrderBuyerName names the customer organisation that placed an order, to
// whoever may read the order (its buyers, the sellers of its lines,
// operators).
//
// Errors: NotFound (also for orders the actor may not see).
func (s *Service) OrderBuyerName(ctx context.Context, actor account.Actor, orderID string) (string, error) {
	o, err := s.Order(ctx, actor, orderID)
	if err != nil {
		return "", err
	}
	org, err := s.store.Org(ctx, o.BuyerOrgID)
	if err != nil {
		return "", err
	}
	return org.Name, nil
}
