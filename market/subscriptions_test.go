package market_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/subscription"
)

// buying sets up a world with backupService on sale (CNY 199.00 a month) and
// a fresh buyer's organisation topped up with `balance` minor units.
func buying(t *testing.T, st *store.Store, balance int64) (*markettest.World, string, account.Actor) {
	t.Helper()
	ctx := context.Background()
	w := markettest.Demo(t, st, t0)
	id := onSale(t, w)
	buyer := freshBuyer(t, w, "Subscribing Buyer")
	if _, err := w.Svc.TopUp(ctx, w.Actor(t, "ops@demo.test", demo.Password), orgOf(buyer), money.New(balance, money.CNY), "BANK-1", ""); err != nil {
		t.Fatal(err)
	}
	return w, id, buyer
}

func TestSubscriptionRenewsFreezesAndReleases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w, id, buyer := buying(t, st, 50000)
		svc := w.Svc
		o, _, err := svc.PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: orgOf(buyer),
			Lines: []order.LineRequest{{ProductID: id, Plan: "monthly", Region: "cn-north-4", AutoRenew: true}}})
		if err != nil {
			t.Fatal(err)
		}
		subs, err := svc.Subscriptions(ctx, buyer, orgOf(buyer))
		if err != nil || len(subs) != 1 {
			t.Fatalf("subscriptions %+v %v", subs, err)
		}
		sub := subs[0]
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		if sub.State != subscription.Active || sub.OrderID != o.ID || !sub.PeriodEnd.Equal(subscription.AddMonths(o.PaidAt, 1, o.PaidAt.In(shanghai).Day(), shanghai)) {
			t.Fatalf("subscription %+v", sub)
		}
		// run runs the scheduler at `at` and returns our subscription then.
		run := func(at time.Time) subscription.Subscription {
			t.Helper()
			w.Clock.Set(at)
			if _, err := svc.RunSubscriptions(ctx, at); err != nil {
				t.Fatal(err)
			}
			s, err := st.Subscription(ctx, sub.ID)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		if s := run(sub.PeriodEnd.Add(-4 * 24 * time.Hour)); s != sub {
			t.Fatalf("changed four days before the end: %+v", s)
		}
		// Two days before the end: renewed from the balance, once.
		run(sub.PeriodEnd.Add(-48 * time.Hour))
		run(sub.PeriodEnd.Add(-47 * time.Hour))
		renewed, _ := st.Subscription(ctx, sub.ID)
		if !renewed.PeriodEnd.After(sub.PeriodEnd) || renewed.State != subscription.Active {
			t.Fatalf("not renewed: %+v", renewed)
		}
		if b := balance(t, w, buyer); b != money.New(50000-2*19900, money.CNY) {
			t.Fatalf("balance %v after one renewal", b)
		}
		orders, _ := svc.Purchases(ctx, buyer, store.OrderFilter{BuyerOrgID: orgOf(buyer)})
		if len(orders) != 2 || orders[0].Kind != order.Renewal || orders[0].SubscriptionID != sub.ID {
			t.Fatalf("orders %+v", orders)
		}
		// The next renewal finds the balance short: tried, the buyer told, not retried at once.
		end := renewed.PeriodEnd
		tried := run(end.Add(-48 * time.Hour))
		if !tried.RenewedAt.Equal(end.Add(-48*time.Hour)) || tried.PeriodEnd != end {
			t.Fatalf("renewal attempt: %+v", tried)
		}
		if s := run(end.Add(-47 * time.Hour)); s != tried {
			t.Fatalf("retried within %s: %+v", subscription.RetryEvery, s)
		}
		run(end.Add(time.Minute))
		if s, _ := st.Subscription(ctx, sub.ID); s.State != subscription.Frozen {
			t.Fatalf("after expiry: %s", s.State)
		}
		// Renewed by hand in the grace period (after a top-up): restored,
		// the new period from the old end; twice charges once.
		if _, err := svc.RenewNow(ctx, buyer, sub.ID, end); !fault.Is(err, fault.InsufficientFunds) {
			t.Fatalf("renew without the money: %v", err)
		}
		if _, err := svc.TopUp(ctx, w.Actor(t, "ops@demo.test", demo.Password), orgOf(buyer), money.New(19900, money.CNY), "BANK-2", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RenewNow(ctx, w.Actor(t, "direct@demo.test", demo.Password), sub.ID, end); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another buyer renews: %v", err)
		}
		first, err := svc.RenewNow(ctx, buyer, sub.ID, end)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := svc.RenewNow(ctx, buyer, sub.ID, end); err != nil || again.ID != first.ID {
			t.Fatalf("renewing the same end again: %v %v", again.ID, err)
		}
		restored, _ := st.Subscription(ctx, sub.ID)
		if restored.State != subscription.Active || !restored.PeriodStart.Equal(end) {
			t.Fatalf("restored: %+v", restored)
		}
		end = restored.PeriodEnd
		run(end.Add(time.Minute))
		if s, _ := st.Subscription(ctx, sub.ID); s.State != subscription.Frozen {
			t.Fatalf("after the second expiry: %s", s.State)
		}
		run(end.Add(subscription.Grace + time.Minute))
		if s, _ := st.Subscription(ctx, sub.ID); s.State != subscription.Released {
			t.Fatalf("after the grace period: %s", s.State)
		}
		if orders, _ := svc.Purchases(ctx, buyer, store.OrderFilter{BuyerOrgID: orgOf(buyer)}); len(orders) != 3 {
			t.Fatalf("%d orders: want the first, one renewal and one by hand (failed renewals leave none)", len(orders))
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Errorf("ledger %+v %v", check, err)
		}
	})
}

func TestRefunds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w, id, buyer := buying(t, st, 200000)
		svc := w.Svc
		other := w.Actor(t, "direct@demo.test", demo.Password)
		place := func() order.Order {
			t.Helper()
			o, _, err := svc.PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: orgOf(buyer),
				Lines: []order.LineRequest{{ProductID: id, Plan: "monthly", Periods: 3, Region: "cn-north-4"}}})
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		o := place() // CNY 597.00
		part := money.New(10000, money.CNY)
		if _, err := svc.Refund(ctx, other, market.RefundRequest{OrderID: o.ID}); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another buyer refunds: %v", err)
		}
		req := market.RefundRequest{OrderID: o.ID, Amount: &part, Reason: "one seat too many", IdempotencyKey: "r-1"}
		r1, err := svc.Refund(ctx, buyer, req)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := svc.Refund(ctx, buyer, req); err != nil || again.ID != r1.ID {
			t.Fatalf("the same key again: %v %v", again.ID, err)
		}
		changed := req
		changed.Reason = "something else"
		if _, err := svc.Refund(ctx, buyer, changed); !fault.Is(err, fault.IdempotencyConflict) {
			t.Fatalf("the key for another refund: %v", err)
		}
		if got, _ := svc.Order(ctx, buyer, o.ID); got.State != order.PartiallyRefunded || got.Refunded != part {
			t.Fatalf("after a partial refund: %s %v", got.State, got.Refunded)
		}
		// Ten at once for the rest: one gets it, the others find nothing left.
		var ok, nothing atomic.Int64
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				_, err := svc.Refund(ctx, buyer, market.RefundRequest{OrderID: o.ID})
				switch {
				case err == nil:
					ok.Add(1)
				case fault.Is(err, fault.Invalid):
					nothing.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || nothing.Load() != 9 {
			t.Fatalf("%d refunds succeeded, %d found nothing", ok.Load(), nothing.Load())
		}
		got, _ := svc.Order(ctx, buyer, o.ID)
		if got.State != order.Refunded || got.Refunded != got.Payable {
			t.Fatalf("after refunding the rest: %s %v of %v", got.State, got.Refunded, got.Payable)
		}
		if s, _, _ := st.SubscriptionOfLine(ctx, o.ID, 1); s.State != subscription.Released {
			t.Fatalf("the refunded subscription is %s", s.State)
		}
		if b := balance(t, w, buyer); b != money.New(200000, money.CNY) {
			t.Fatalf("balance %v after a full refund", b)
		}
		// After the full-refund window: only the unused whole months.
		o = place()
		w.Clock.Set(t0.Add(40 * 24 * time.Hour)) // the second month has begun
		rq, err := svc.Refundable(ctx, buyer, o.ID)
		if err != nil || rq.Total != money.New(19900, money.CNY) {
			t.Fatalf("refundable after 40 days: %v %v", rq.Total, err)
		}
		if _, err := svc.Refund(ctx, buyer, market.RefundRequest{OrderID: o.ID}); err != nil {
			t.Fatal(err)
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Errorf("ledger %+v %v", check, err)
		}
	})
}

// TestUpgradeOnce: an upgrade with an Idempotency-Key is made once, however
// often it is sent, and the key cannot be used for another upgrade.
func TestUpgradeOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, t0)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		p := backupService()
		p.Plans = append(p.Plans, catalog.Plan{Code: "pro", Name: catalog.Text{EN: "Pro", ZH: "专业版"}, Mode: catalog.Monthly, Price: money.New(39900, money.CNY), Active: true},
			catalog.Plan{Code: "max", Name: catalog.Text{EN: "Max", ZH: "旗舰版"}, Mode: catalog.Monthly, Price: money.New(59900, money.CNY), Active: true})
		id := w.Publish(t, "seller1@demo.test", p)
		buyer := freshBuyer(t, w, "Upgrading Buyer")
		if _, err := w.Svc.TopUp(ctx, ops, orgOf(buyer), money.New(500000, money.CNY), "BANK-U", ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.Svc.PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: orgOf(buyer),
			Lines: []order.LineRequest{{ProductID: id, Plan: "monthly", Region: "cn-north-4"}}}); err != nil {
			t.Fatal(err)
		}
		subs, _ := w.Svc.Subscriptions(ctx, buyer, orgOf(buyer))
		w.Clock.Advance(24 * time.Hour)
		ids := make(chan string, 10)
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				o, err := w.Svc.Upgrade(ctx, buyer, subs[0].ID, "pro", "up-1")
				if err != nil {
					t.Error(err)
					return
				}
				ids <- o.ID
			})
		}
		wg.Wait()
		close(ids)
		first := <-ids
		for id := range ids {
			if id != first {
				t.Fatalf("one key made upgrades %s and %s", first, id)
			}
		}
		if _, err := w.Svc.Upgrade(ctx, buyer, subs[0].ID, "max", "up-1"); !fault.Is(err, fault.IdempotencyConflict) {
			t.Fatalf("the key for another upgrade: %v", err)
		}
		orders, _ := w.Svc.Purchases(ctx, buyer, store.OrderFilter{BuyerOrgID: orgOf(buyer)})
		if len(orders) != 2 || orders[0].Kind != order.Upgrade {
			t.Fatalf("orders %d", len(orders))
		}
	})
}
