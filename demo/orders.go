package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// purchase is a demo order: who bought what, how many days ago.
type purchase struct {
	buyer, product, plan, region string
	quantity, periods            int
	autoRenew                    bool
	daysAgo                      int
	refund                       string // refund it whole with this reason, a day later
}

var purchases = []purchase{
	{"telesales@demo.test", "Lakeside DB Enterprise", "year-8-cores", north, 1, 1, false, 85, ""},
	{"telesales@demo.test", "Bluepeak Vulnerability Scanner", "monthly", north, 1, 3, true, 80, ""},
	{"telesales@demo.test", "Cloud onboarding training", "fixed", east, 1, 1, false, 60, ""},
	{"direct@demo.test", "Lakeside Log Analytics", "monthly", north, 1, 1, true, 40, ""}, // renewed once
	{"direct@demo.test", "Database migration to the cloud", "fixed", north, 1, 1, false, 30, ""},
	{"direct@demo.test", "Middleware installation", "fixed", east, 1, 1, false, 20, "the project was cancelled"},
	{"partner-customer@demo.test", "Lakeside Cloud Backup", "monthly-1tb", north, 2, 1, true, 12, ""},
	{"other@demo.test", "Bluepeak Hardened WAF", "monthly", east, 1, 1, false, 5, ""},
}

// outage is the demo's failed delivery: a server image bought while the
// simulated cloud was down for longer than a delivery waits (3 hours), so the
// order ends delivery_failed and its line is refunded in full. Only with the
// simulated cloud: a demo never makes a real cloud fail.
var outage = purchase{"direct@demo.test", "Bluepeak Hardened WAF", "monthly", east, 1, 1, false, 50, ""}

// topUp is what each demo customer paid into its balance 90 days ago.
var topUp = money.New(100_000_00, money.CNY)

// loadOrders gives the demo customers balances and a few months of orders
// (placed and delivered at their past dates: see delivery.go),
// including a renewal and a refund. Skipped
// when the customers have balances already.
func loadOrders(ctx context.Context, svc *market.Service, placed map[string]string) error {
	ops, err := svc.ActorByEmail(ctx, "ops@demo.test")
	if err != nil {
		return err
	}
	now := svc.Now()
	start := now.AddDate(0, 0, -90)
	for _, email := range []string{"telesales@demo.test", "partner-customer@demo.test", "direct@demo.test", "other@demo.test"} {
		buyer, err := svc.ActorByEmail(ctx, email)
		if err != nil {
			return err
		}
		org := buyerOrg(buyer)
		if bs, err := svc.Balances(ctx, ops, org); err != nil || len(bs) > 0 {
			return err // loaded before
		}
		if _, err := svc.At(start).TopUp(ctx, ops, org, topUp, "DEMO-WIRE-"+org, "opening balance"); err != nil {
			return fmt.Errorf("demo: top-up for %s: %w", email, err)
		}
	}
	bought := map[string]boughtOrder{}
	for i, p := range purchases {
		buyer, err := svc.ActorByEmail(ctx, p.buyer)
		if err != nil {
			return err
		}
		at := now.AddDate(0, 0, -p.daysAgo)
		o, _, err := svc.At(at).PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: buyerOrg(buyer), IdempotencyKey: fmt.Sprint("demo-", i),
			Lines: []order.LineRequest{{ProductID: placed[p.product], Plan: p.plan, Quantity: p.quantity, Periods: p.periods, Region: p.region, AutoRenew: p.autoRenew}}})
		if err != nil {
			return fmt.Errorf("demo: order of %s: %w", p.product, err)
		}
		bought[p.product] = boughtOrder{order: o, buyer: buyer}
		if err := deliverAt(ctx, svc, ops, at, o.ID); err != nil {
			return err
		}
		if p.refund != "" {
			if _, err := svc.At(at.AddDate(0, 0, 1)).Refund(ctx, buyer, market.RefundRequest{OrderID: o.ID, Reason: p.refund}); err != nil {
				return fmt.Errorf("demo: refund of %s: %w", p.product, err)
			}
			if err := deliverAt(ctx, svc, ops, at.AddDate(0, 0, 1), o.ID); err != nil {
				return err
			}
		}
	}
	if sim, ok := svc.Compute().(*ecs.Sim); ok {
		if err := failInOutage(ctx, svc, ops, sim, placed[outage.product], now.AddDate(0, 0, -outage.daysAgo)); err != nil {
			return err
		}
	}
	if err := walkServices(ctx, svc, bought); err != nil {
		return err
	}
	// Run the subscriptions day by day up to now: the monthly ones renew.
	for day := start; day.Before(now); day = day.Add(24 * time.Hour) {
		if _, err := svc.At(day).RunSubscriptions(ctx, day); err != nil {
			return err
		}
	}
	_, err = svc.RunSubscriptions(ctx, now)
	return err
}

// failInOutage places the outage order at `at` and delivers it while the
// simulated cloud is down: once a minute later, and again when its window has
// passed, which fails the delivery and refunds the line.
func failInOutage(ctx context.Context, svc *market.Service, ops account.Actor, sim *ecs.Sim, productID string, at time.Time) error {
	buyer, err := svc.ActorByEmail(ctx, outage.buyer)
	if err != nil {
		return err
	}
	o, _, err := svc.At(at).PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: buyerOrg(buyer), IdempotencyKey: "demo-outage",
		Lines: []order.LineRequest{{ProductID: productID, Plan: outage.plan, Quantity: outage.quantity, Periods: outage.periods, Region: outage.region}}})
	if err != nil {
		return fmt.Errorf("demo: the outage order: %w", err)
	}
	ds, err := svc.Deliveries(ctx, ops, o.ID)
	if err != nil {
		return err
	}
	gaveUp := at.Add(3*time.Hour + 5*time.Minute)
	sim.FailAll(true)
	for _, d := range ds {
		_ = svc.At(at.Add(time.Minute)).Deliver(ctx, d.ID) // refused by the cloud: retried later
		if err := svc.At(gaveUp).Deliver(ctx, d.ID); err != nil {
			sim.FailAll(false)
			return fmt.Errorf("demo: the outage delivery: %w", err)
		}
	}
	sim.FailAll(false)
	// The refund asked for the line's release, which cleans up what the
	// failed attempts left, once the cloud is back.
	if ds, err = svc.Deliveries(ctx, ops, o.ID); err != nil {
		return err
	}
	for _, d := range ds {
		if d.State == delivery.Waiting {
			if err := svc.At(gaveUp.Add(time.Minute)).Deliver(ctx, d.ID); err != nil {
				return fmt.Errorf("demo: the outage's release: %w", err)
			}
		}
	}
	if got, err := svc.Order(ctx, ops, o.ID); err != nil || got.State != order.Refunded {
		return fmt.Errorf("demo: the outage order is %s, not refunded (%v)", got.State, err)
	}
	return nil
}

func buyerOrg(a account.Actor) string {
	for _, m := range a.Memberships {
		if m.Role == account.RoleBuyer {
			return m.OrgID
		}
	}
	return ""
}
