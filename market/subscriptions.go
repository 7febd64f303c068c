package market

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/subscription"
)

// SubscriptionsArgs asks the scheduler to renew, freeze and release the
// subscriptions that are due.
type SubscriptionsArgs struct{}

// Kind names the job on the queue.
func (SubscriptionsArgs) Kind() string { return "subscriptions" }

// reader is what both the store and a transaction read with: code that may
// run inside a transaction reads through it, never through the store's pool
// (on PostgreSQL, waiting for a pooled connection while holding one
// deadlocks once the pool is taken by transactions waiting for this one).
type reader interface {
	Region(ctx context.Context, code string) (seller.Region, error)
	SubscriptionOfLine(ctx context.Context, orderID string, lineNo int) (subscription.Subscription, bool, error)
	LicenseOfLine(ctx context.Context, orderID string, lineNo int) (store.License, bool, error)
}

// regionZone is the zone of a region's customers (UTC when unknown), by name.
func regionZone(ctx context.Context, q reader, region string) string {
	if r, err := q.Region(ctx, region); err == nil && subscription.LoadZone(r.Zone) != time.UTC {
		return r.Zone
	}
	return "UTC"
}

// startSubscriptions starts a subscription for each monthly or yearly line of
// a new order, in its transaction.
func (s *Service) startSubscriptions(ctx context.Context, tx *store.Tx, o order.Order, autoRenew map[int]bool) error {
	for _, l := range o.Lines {
		if l.Mode != catalog.Monthly && l.Mode != catalog.Yearly {
			continue
		}
		zone := regionZone(ctx, tx, l.Region)
		loc := subscription.LoadZone(zone)
		sub := subscription.Start(subscription.Subscription{ID: ids.New("sub"), OrderID: o.ID, LineNo: l.No, BuyerOrgID: o.BuyerOrgID,
			ProductID: l.ProductID, SellerOrgID: l.SellerOrgID, Plan: l.Plan, Mode: l.Mode, Quantity: l.Quantity, Region: l.Region, Zone: zone,
			AutoRenew: autoRenew[l.No]}, o.PaidAt, l.Periods, l.TrialDays, loc)
		if err := tx.CreateSubscription(ctx, sub); err != nil {
			return err
		}
	}
	return nil
}

// ownSubscription returns a subscription the actor's organisation bought (or
// any, for operators).
//
// Errors: NotFound.
func (s *Service) ownSubscription(ctx context.Context, actor account.Actor, id string, act account.Action) (subscription.Subscription, error) {
	sub, err := s.store.Subscription(ctx, id)
	if err != nil {
		return sub, err
	}
	if !account.Can(actor, act, account.Resource{OrgID: sub.BuyerOrgID}) {
		return subscription.Subscription{}, fault.New(fault.NotFound, "no such subscription")
	}
	return sub, nil
}

// Subscriptions lists a customer's subscriptions (its buyers, operators).
//
// Errors: Forbidden.
func (s *Service) Subscriptions(ctx context.Context, actor account.Actor, orgID string) ([]subscription.Subscription, error) {
	if err := allow(actor, account.ReadPurchases, account.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	return s.store.Subscriptions(ctx, orgID)
}

// SetAutoRenew turns a subscription's auto-renewal on or off (its buyers).
//
// Errors: NotFound; InvalidState (error.subscription_released).
func (s *Service) SetAutoRenew(ctx context.Context, actor account.Actor, id string, on bool) (subscription.Subscription, error) {
	sub, err := s.ownSubscription(ctx, actor, id, account.Buy)
	if err != nil {
		return sub, err
	}
	if sub.State == subscription.Released {
		return sub, &fault.Error{Code: fault.InvalidState, MsgID: "error.subscription_released", Message: "the subscription has ended"}
	}
	if sub.AutoRenew == on {
		return sub, nil
	}
	now := s.now()
	was := sub.UpdatedAt
	sub.AutoRenew, sub.UpdatedAt = on, now
	return sub, s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSubscription(ctx, sub, was); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleBuyer), action: "subscription.auto_renew", objectType: "subscription",
			objectID: id, orgID: sub.BuyerOrgID, summary: fmt.Sprintf("auto-renewal of %s set to %v", id, on)})
	})
}

// RunSubscriptions does what is due at now for every subscription: renewal
// orders charged from the balance (RenewBefore the end; a balance short is
// tried again every RetryEvery and the buyer told), freezing at expiry,
// release at the end of the grace period or of an unconverted trial. It
// returns how many subscriptions it changed. Each subscription is handled in
// its own transaction; one failing does not stop the others.
func (s *Service) RunSubscriptions(ctx context.Context, now time.Time) (int, error) {
	due, err := s.store.DueSubscriptions(ctx, now.Add(subscription.RenewBefore), 500)
	if err != nil {
		return 0, err
	}
	changed := 0
	var errs []error
	for _, sub := range due {
		did, err := s.runSubscription(ctx, sub, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("subscription %s: %w", sub.ID, err))
		}
		if did {
			changed++
		}
	}
	return changed, errors.Join(errs...)
}

func (s *Service) runSubscription(ctx context.Context, sub subscription.Subscription, now time.Time) (bool, error) {
	loc := sub.Location()
	was := sub.UpdatedAt
	switch subscription.Next(sub, now) {
	case subscription.Renew:
		_, err := s.renew(ctx, sub, now, loc)
		var fe *fault.Error
		if errors.As(err, &fe) && fe.Code != fault.Internal {
			// The balance is short, or the product or plan is no longer on
			// sale: note the attempt, tell the buyer, and let it expire.
			sub.RenewedAt, sub.UpdatedAt = now, now
			return true, s.store.Write(ctx, func(tx *store.Tx) error {
				if err := tx.SaveSubscription(ctx, sub, was); err != nil {
					return err
				}
				return s.tellBuyers(ctx, tx, sub, "subscription.renewal_failed",
					"Renewal failed: "+fe.Message, "续费失败："+fe.Message,
					fmt.Sprintf("Subscription %s ends %s unless it is renewed: top up your balance.", sub.ID, sub.PeriodEnd.In(loc).Format("2006-01-02 15:04 MST")),
					fmt.Sprintf("订阅 %s 将于 %s 到期，除非续费：请充值。", sub.ID, sub.PeriodEnd.In(loc).Format("2006-01-02 15:04 MST")))
			})
		}
		return err == nil, err
	case subscription.Freeze:
		sub.State, sub.UpdatedAt = subscription.Frozen, now
		return true, s.store.Write(ctx, func(tx *store.Tx) error {
			if err := tx.SaveSubscription(ctx, sub, was); err != nil {
				return err
			}
			if err := s.askSubscription(ctx, tx, sub.OrderID, sub.LineNo, delivery.Freeze, termCause(sub), now); err != nil {
				return err
			}
			end := sub.PeriodEnd.Add(subscription.Grace).In(loc).Format("2006-01-02 15:04 MST")
			return s.tellBuyers(ctx, tx, sub, "subscription.frozen", "Subscription expired: frozen", "订阅已到期：已冻结",
				"Renew by "+end+" to keep it; after that it is released.", "请在 "+end+" 前续费以保留；之后将被释放。")
		})
	case subscription.Release:
		sub.State, sub.UpdatedAt = subscription.Released, now
		return true, s.store.Write(ctx, func(tx *store.Tx) error {
			if err := tx.SaveSubscription(ctx, sub, was); err != nil {
				return err
			}
			if err := s.askSubscription(ctx, tx, sub.OrderID, sub.LineNo, delivery.Release, termCause(sub), now); err != nil {
				return err
			}
			return s.tellBuyers(ctx, tx, sub, "subscription.released", "Subscription released", "订阅已释放",
				"Subscription "+sub.ID+" has ended.", "订阅 "+sub.ID+" 已结束。")
		})
	}
	return false, nil
}

// termCause names a subscription's term as the cause of what its end asks
// of delivery (a freeze, a release): once per term.
func termCause(sub subscription.Subscription) string {
	return "term:" + sub.ID + ":" + sub.PeriodEnd.UTC().Format(time.RFC3339Nano)
}

// renew places and pays a renewal order for one period of the subscription's
// plan at today's price, and extends it, in one transaction. Its
// Idempotency-Key is the subscription and the end it extends, so a renewal is
// never charged twice for one period.
func (s *Service) renew(ctx context.Context, sub subscription.Subscription, now time.Time, loc *time.Location) (order.Order, error) {
	key := renewalKey(sub.ID, sub.PeriodEnd)
	lines := []order.LineRequest{{ProductID: sub.ProductID, Plan: sub.Plan, Quantity: sub.Quantity, Periods: 1, Region: sub.Region}}
	q, err := s.Quote(ctx, lines)
	if err != nil {
		return order.Order{}, err
	}
	first, _, err := s.store.OrderByKey(ctx, sub.BuyerOrgID, key)
	if err == nil {
		return first, nil // renewed already
	}
	o := order.Order{ID: ids.New("ord"), BuyerOrgID: sub.BuyerOrgID, Kind: order.Renewal, Channel: "direct", State: order.Paid,
		SubscriptionID: sub.ID, Quote: q, PlacedAt: now, PaidAt: now}
	buyers, err := s.store.OrgMembers(ctx, sub.BuyerOrgID, account.RoleBuyer)
	if err != nil || len(buyers) == 0 {
		return o, fmt.Errorf("market: no buyer in %s to place the renewal: %v", sub.BuyerOrgID, err)
	}
	o.BuyerUserID = buyers[0]
	was := sub.UpdatedAt
	next := subscription.Extend(sub, 1, now, loc)
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrder(ctx, o, key, key); err != nil {
			return err
		}
		if err := s.pay(ctx, tx, o, ""); err != nil {
			return err
		}
		if err := tx.SaveSubscription(ctx, next, was); err != nil {
			return err
		}
		if err := s.askSubscription(ctx, tx, sub.OrderID, sub.LineNo, delivery.Renew, o.ID, now); err != nil {
			return err
		}
		for _, seller := range sellersOf(o) {
			if err := s.notifyCompany(ctx, tx, seller, notice.Notification{Kind: "order.renewal", Link: "/seller/orders/" + o.ID,
				TitleEN: "Renewal " + o.ID, TitleZH: "续费订单 " + o.ID,
				BodyEN: "A customer renewed " + lineNames(o, seller, false) + ".", BodyZH: "客户续费了 " + lineNames(o, seller, true) + "。"}); err != nil {
				return err
			}
		}
		return s.tellBuyers(ctx, tx, next, "subscription.renewed", "Subscription renewed: "+o.Payable.String(), "订阅已续费："+o.Payable.String(),
			"It now runs until "+next.PeriodEnd.In(loc).Format("2006-01-02 15:04 MST")+".", "现有效至 "+next.PeriodEnd.In(loc).Format("2006-01-02 15:04 MST")+"。")
	})
	return o, err
}

// RenewNow renews a subscription by one period now, from the balance (its
// organisation's buyers): a frozen one is restored, an active one extended, a
// trial converted. end is the end of the term the buyer saw and renews: when
// the subscription no longer ends there, it was renewed meanwhile (a double
// click, the scheduler) and the renewal of that end is returned, charging
// nothing more.
//
// Errors: NotFound; InvalidState (error.subscription_released);
// Conflict (error.subscription_changed: it changed otherwise);
// InsufficientFunds; those of Quote (the product or plan off sale).
func (s *Service) RenewNow(ctx context.Context, actor account.Actor, id string, end time.Time) (order.Order, error) {
	sub, err := s.ownSubscription(ctx, actor, id, account.Buy)
	if err != nil {
		return order.Order{}, err
	}
	if !sub.PeriodEnd.Equal(end) {
		if o, _, err := s.store.OrderByKey(ctx, sub.BuyerOrgID, renewalKey(sub.ID, end)); err == nil {
			return o, nil
		}
		return order.Order{}, &fault.Error{Code: fault.Conflict, MsgID: "error.subscription_changed", Message: "the subscription changed since it was shown: look again"}
	}
	if sub.State == subscription.Released {
		return order.Order{}, &fault.Error{Code: fault.InvalidState, MsgID: "error.subscription_released", Message: "the subscription has ended"}
	}
	loc := sub.Location()
	return s.renew(ctx, sub, s.now(), loc)
}

// renewalKey is the Idempotency-Key of the renewal that extends a
// subscription's term ending at end: one per period.
func renewalKey(id string, end time.Time) string {
	return "renewal:" + id + ":" + end.UTC().Format(time.RFC3339Nano)
}

// pay posts an order's payment from the buyer's balance, in its transaction.
func (s *Service) pay(ctx context.Context, tx *store.Tx, o order.Order, by string) error {
	entries, err := o.PaymentEntries()
	if err != nil || len(entries) == 0 {
		return err
	}
	return tx.Post(ctx, ledger.Posting{ID: ids.New("pst"), Kind: ledger.Payment, Ref: o.ID, CreatedAt: o.PaidAt, CreatedBy: by, Entries: entries})
}

// tellBuyers notifies the buyers of a subscription's organisation.
func (s *Service) tellBuyers(ctx context.Context, tx *store.Tx, sub subscription.Subscription, kind, titleEN, titleZH, bodyEN, bodyZH string) error {
	buyers, err := tx.OrgMembers(ctx, sub.BuyerOrgID, account.RoleBuyer)
	if err != nil {
		return err
	}
	return s.notify(ctx, tx, buyers, notice.Notification{Kind: kind, Link: "/account/subscriptions", TitleEN: titleEN, TitleZH: titleZH, BodyEN: bodyEN, BodyZH: bodyZH})
}

// Upgrade moves a subscription to a dearer plan of the same product, billing
// mode and currency for the rest of its term, charging the difference pro
// rata (subscription.UpgradePrice) with an order of kind upgrade.
//
// With an Idempotency-Key (key, "" for none) the upgrade is made once: the
// same key for the same subscription and plan returns its order.
//
// Errors: NotFound; Invalid on plan; InvalidState; InsufficientFunds;
// IdempotencyConflict.
func (s *Service) Upgrade(ctx context.Context, actor account.Actor, id, plan, key string) (order.Order, error) {
	sub, err := s.ownSubscription(ctx, actor, id, account.Buy)
	if err != nil {
		return order.Order{}, err
	}
	if err := checkKey(key); err != nil {
		return order.Order{}, err
	}
	hash := "upgrade:" + id + ":" + plan
	if key != "" {
		if o, ok, err := s.replay(ctx, sub.BuyerOrgID, key, hash); ok || err != nil {
			return o, err
		}
	}
	p, _, err := s.PublicProduct(ctx, sub.ProductID)
	if err != nil {
		return order.Order{}, err
	}
	var from, to *catalog.Plan
	for i := range p.Plans {
		switch p.Plans[i].Code {
		case sub.Plan:
			from = &p.Plans[i]
		case plan:
			to = &p.Plans[i]
		}
	}
	if to == nil || from == nil || to.Mode != sub.Mode {
		return order.Order{}, fault.Field("plan", "error.upgrade_lower", "choose a dearer plan of the same billing mode and currency")
	}
	now := s.now()
	price, err := subscription.UpgradePrice(sub, from.Price, to.Price, now)
	if err != nil {
		return order.Order{}, err
	}
	line := order.Line{No: 1, ProductID: p.ID, ProductName: p.Name, Type: p.Type, SellerOrgID: sub.SellerOrgID, Plan: plan, Mode: to.Mode,
		Quantity: sub.Quantity, Periods: 1, Region: sub.Region, UnitPrice: to.Price, List: price, Discount: money.New(0, price.Currency), Paid: price}
	q, err := order.Totalled(price.Currency, []order.Line{line})
	if err != nil {
		return order.Order{}, err
	}
	o := order.Order{ID: ids.New("ord"), BuyerOrgID: sub.BuyerOrgID, BuyerUserID: actor.UserID, Kind: order.Upgrade, Channel: "direct",
		State: order.Paid, SubscriptionID: sub.ID, Quote: q, PlacedAt: now, PaidAt: now}
	was := sub.UpdatedAt
	sub.Plan, sub.UpdatedAt = plan, now
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrder(ctx, o, key, hash); err != nil {
			return err
		}
		if err := s.pay(ctx, tx, o, actor.UserID); err != nil {
			return err
		}
		if err := tx.SaveSubscription(ctx, sub, was); err != nil {
			return err
		}
		if err := s.askSubscription(ctx, tx, sub.OrderID, sub.LineNo, delivery.Upgrade, o.ID, now); err != nil {
			return err
		}
		if err := s.notifyCompany(ctx, tx, sub.SellerOrgID, notice.Notification{Kind: "order.upgrade", Link: "/seller/orders/" + o.ID,
			TitleEN: "Upgrade " + o.ID, TitleZH: "升级订单 " + o.ID,
			BodyEN: "A customer upgraded to plan " + plan + ".", BodyZH: "客户升级到规格 " + plan + "。"}); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleBuyer), action: "subscription.upgrade", objectType: "subscription",
			objectID: sub.ID, orgID: sub.BuyerOrgID, summary: fmt.Sprintf("upgraded to %s for %s", plan, price), after: auditOrder(o)})
	})
	if store.IsIdempotencyTaken(err) { // a concurrent request with the key won
		if won, ok, rerr := s.replay(ctx, sub.BuyerOrgID, key, hash); ok || rerr != nil {
			return won, rerr
		}
	}
	return o, err
}
