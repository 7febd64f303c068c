package market

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/subscription"
)

// RefundRequest asks for money back on an order.
type RefundRequest struct {
	OrderID string
	Lines   []int         // the line numbers to refund; all when empty
	Amount  *money.Amount // how much, split over the lines in proportion to what each may give back; all they may when nil
	Reason  string
	// IdempotencyKey makes the refund once: the same key on the order returns
	// the refund made with it ("" for none).
	IdempotencyKey string
}

// hash is the request's fingerprint for idempotency.
func (r RefundRequest) hash() string {
	return fingerprint(struct {
		Lines  []int         `json:"lines"`
		Amount *money.Amount `json:"amount"`
		Reason string        `json:"reason"`
	}{r.Lines, r.Amount, r.Reason})
}

// RefundQuote is what may be refunded of each line of an order now.
type RefundQuote struct {
	Order      order.Order
	Refundable []money.Amount // by line, in order
	Total      money.Amount
}

// Refundable says what may be refunded of each line of the order now (its
// buyers, operators).
//
// Errors: NotFound.
func (s *Service) Refundable(ctx context.Context, actor account.Actor, orderID string) (RefundQuote, error) {
	o, err := s.store.Order(ctx, orderID)
	if err != nil {
		return RefundQuote{}, err
	}
	if !account.Can(actor, account.ReadPurchases, account.Resource{OrgID: o.BuyerOrgID}) {
		return RefundQuote{}, fault.New(fault.NotFound, "no such order")
	}
	return s.refundable(ctx, s.store, o)
}

// refundReader reads what decides what a line may still give back.
type refundReader interface {
	reader
	EngagementOfLine(ctx context.Context, orderID string, lineNo int) (engagement.Engagement, bool, error)
}

func (s *Service) refundable(ctx context.Context, q refundReader, o order.Order) (RefundQuote, error) {
	rq := RefundQuote{Order: o, Total: money.New(0, o.Currency)}
	now := s.now()
	for _, l := range o.Lines {
		use := order.Use{}
		if l.Type == catalog.TypeLicense {
			lic, ok, err := q.LicenseOfLine(ctx, o.ID, l.No)
			if err != nil {
				return rq, err
			}
			use.Consumed = ok && !lic.ActivatedAt.IsZero()
		}
		if l.Type == catalog.TypeService {
			var err error
			if use.Consumed, err = engagementConsumed(ctx, q, o, l); err != nil {
				return rq, err
			}
		}
		if sub, ok, err := q.SubscriptionOfLine(ctx, o.ID, l.No); err != nil {
			return rq, err
		} else if ok {
			loc := sub.Location()
			use.Periods, use.PeriodsStarted = sub.Periods, subscription.PeriodsStarted(sub, now, loc)
			if sub.State == subscription.Released {
				use.PeriodsStarted = use.Periods
			}
		}
		r := order.Refundable(l, o.PaidAt, now, l.RefundDays, use, l.Refunded)
		rq.Refundable = append(rq.Refundable, r)
		var err error
		if rq.Total, err = rq.Total.Add(r); err != nil {
			return rq, err
		}
	}
	return rq, nil
}

// Refund gives money back on an order to the buyer's balance (its buyers,
// operators), under the product's refund policy (order.Refundable): one
// posting reverses each refunded line's payment in proportion, the order
// becomes partially_refunded or refunded, subscriptions refunded in full are
// released, and the sellers are told. The order's row is locked first, so two
// refunds at once never both give back the same money.
//
// Errors: NotFound; Invalid on lines or amount (error.refund_amount,
// error.refund_nothing); InvalidState (error.refund_state);
// IdempotencyConflict (the key was used for another refund of the order);
// for an order counted in a campaign, InvalidState (error.refund_below_gift)
// when the campaign refuses a refund that would take the customer's total
// below its redeemed gift's threshold.
func (s *Service) Refund(ctx context.Context, actor account.Actor, req RefundRequest) (store.Refund, error) {
	o, err := s.store.Order(ctx, req.OrderID)
	if err != nil {
		return store.Refund{}, err
	}
	role := account.RoleBuyer
	switch {
	case account.Can(actor, account.Buy, account.Resource{OrgID: o.BuyerOrgID}):
	case account.Can(actor, account.ManageBalances, account.Resource{OrgID: o.BuyerOrgID}):
		role = account.RoleOperator
	default:
		return store.Refund{}, fault.New(fault.NotFound, "no such order")
	}
	req.Reason = strings.TrimSpace(req.Reason)
	if err := checkKey(req.IdempotencyKey); err != nil {
		return store.Refund{}, err
	}
	if utf8.RuneCountInString(req.Reason) > 500 {
		return store.Refund{}, fault.Field("reason", "error.note_length", "keep the reason under 500 characters")
	}
	for _, n := range req.Lines {
		if n < 1 || n > len(o.Lines) {
			return store.Refund{}, fault.Field("lines", "error.refund_line", "choose lines of the order")
		}
	}
	now := s.now()
	var refund store.Refund
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.LockOrder(ctx, o.ID); err != nil {
			return err
		}
		if req.IdempotencyKey != "" { // under the lock: a second request with the key waits, then finds the first
			if was, ok, err := tx.RefundByKey(ctx, o.ID, req.IdempotencyKey); err != nil || ok {
				if err == nil && was.RequestHash != req.hash() {
					err = errKeyReused
				}
				refund = was
				return err
			}
		}
		o, err := tx.Order(ctx, req.OrderID) // as it is now, under the lock
		if err != nil {
			return err
		}
		if o.State == order.Pending {
			return &fault.Error{Code: fault.InvalidState, MsgID: "error.refund_state", Message: "an order not paid cannot be refunded"}
		}
		rq, err := s.refundable(ctx, tx, o)
		if err != nil {
			return err
		}
		may := make([]money.Amount, len(o.Lines))
		for i, l := range o.Lines {
			may[i] = money.New(0, o.Currency)
			if len(req.Lines) == 0 || slices.Contains(req.Lines, l.No) {
				may[i] = rq.Refundable[i]
			}
		}
		total, _ := money.Sum(o.Currency, may...)
		if total.IsZero() {
			return fault.Field("lines", "error.refund_nothing", "nothing of this order may be refunded now under the product's refund policy")
		}
		amount := total
		if req.Amount != nil {
			amount = *req.Amount
			if amount.Currency != o.Currency {
				return fault.Field("amount", "error.refund_amount", "refund in the order's currency")
			}
		}
		parts, err := order.SplitRefund(amount, may)
		if err != nil {
			return err
		}
		refund = store.Refund{ID: ids.New("rfd"), OrderID: o.ID, Amount: amount, Reason: req.Reason, CreatedAt: now, CreatedBy: actor.UserID,
			IdempotencyKey: req.IdempotencyKey, RequestHash: req.hash()}
		// A service refunded in full before its seller accepted it is cancelled.
		if err := s.cancelRefunded(ctx, tx, o, parts, actor, engagementRole[role], req.Reason, now); err != nil {
			return err
		}
		if refund, err = s.giveBack(ctx, tx, o, parts, refund, false); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(role), action: "order.refund", objectType: "order", objectID: o.ID, orgID: o.BuyerOrgID,
			summary: fmt.Sprintf("refund of %s on order %s", amount, o.ID), after: refund})
	})
	return refund, err
}

// giveBack makes the refund r of parts (one amount per line of o, in order)
// in tx: one posting reverses each line's payment in proportion, the order
// becomes partially_refunded or refunded, what was refunded in full is
// released, and the sellers are told. It returns r with its lines and posting.
// owed says the marketplace owes the refund (a failed delivery, a service
// order given back): for an order counted in a campaign, it is then never
// refused for the gift redeemed (refundInCampaign).
//
// Errors: those of refundInCampaign.
func (s *Service) giveBack(ctx context.Context, tx *store.Tx, o order.Order, parts []money.Amount, r store.Refund, owed bool) (store.Refund, error) {
	var entries []ledger.Entry
	for i, part := range parts {
		if part.IsZero() {
			continue
		}
		es, err := order.RefundEntries(o, o.Lines[i], part)
		if err != nil {
			return r, err
		}
		entries = append(entries, es...)
		r.Lines = append(r.Lines, store.RefundLine{No: o.Lines[i].No, Amount: part.Minor})
	}
	if err := refundPartnerMargin(ctx, tx, o, entries); err != nil {
		return r, err
	}
	deduction, err := s.refundInCampaign(ctx, tx, o, r, owed)
	if err != nil {
		return r, err
	}
	entries = append(entries, deduction...)
	p := ledger.Posting{ID: ids.New("pst"), Kind: ledger.Refund, Ref: o.ID, Memo: r.Reason, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Entries: ledger.Net(entries)}
	if err := tx.Post(ctx, p); err != nil {
		return r, err
	}
	r.PostingID = p.ID
	state := order.PartiallyRefunded
	if o.Refunded.Minor+r.Amount.Minor >= o.Payable.Minor {
		state = order.Refunded
	}
	if err := tx.AddRefund(ctx, r, state); err != nil {
		return r, err
	}
	if err := s.releaseRefunded(ctx, tx, o, parts, r.ID, r.CreatedAt); err != nil {
		return r, err
	}
	for _, seller := range sellersOf(o) {
		if err := s.notifyCompany(ctx, tx, seller, notice.Notification{Kind: "order.refund", Link: "/seller/orders/" + o.ID,
			TitleEN: "Refund on order " + o.ID, TitleZH: "订单 " + o.ID + " 退款",
			BodyEN: "Refunded " + r.Amount.String() + ". Reason: " + r.Reason, BodyZH: "已退款 " + r.Amount.String() + "。原因：" + r.Reason}); err != nil {
			return r, err
		}
	}
	return r, nil
}

// releaseRefunded releases what lines now refunded in full delivered (a
// delivery asked for by the refund) and their subscriptions.
func (s *Service) releaseRefunded(ctx context.Context, tx *store.Tx, o order.Order, parts []money.Amount, refundID string, at time.Time) error {
	for i, l := range o.Lines {
		if parts[i].IsZero() || l.Refunded.Minor+parts[i].Minor < l.Paid.Minor {
			continue
		}
		if err := s.ask(ctx, tx, o, l.No, delivery.Release, refundID, at); err != nil {
			return err
		}
		sub, ok, err := tx.SubscriptionOfLine(ctx, o.ID, l.No)
		if err != nil || !ok || sub.State == subscription.Released {
			if err != nil {
				return err
			}
			continue
		}
		was := sub.UpdatedAt
		sub.State, sub.UpdatedAt = subscription.Released, at
		if err := tx.SaveSubscription(ctx, sub, was); err != nil {
			return err
		}
	}
	return nil
}
