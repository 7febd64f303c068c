package market_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
// telesales@demo.test's organisation topped up with `balance` minor units.
func buying(t *testing.T, st *store.Store, balance int64) (*markettest.World, string, func(email string) market.OrderRequest) {
	t.Helper()
	ctx := context.Background()
	w := markettest.New(t, st, t0)
	if err := demo.Load(ctx, w.Svc); err != nil {
		t.Fatal(err)
	}
	id := onSale(t, w)
	buyer := w.Actor(t, "telesales@demo.test", demo.Password)
	if _, err := w.Svc.TopUp(ctx, w.Actor(t, "ops@demo.test", demo.Password), orgOf(buyer), money.New(balance, money.CNY), "BANK-1", ""); err != nil {
		t.Fatal(err)
	}
	return w, id, func(string) market.OrderRequest { return market.OrderRequest{OrgID: orgOf(buyer)} }
}

func TestSubscriptionRenewsFreezesAndReleases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w, id, _ := buying(t, st, 50000)
		svc := w.Svc
		buyer := w.Actor(t, "telesales@demo.test", demo.Password)
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
		run := func(at time.Time) int {
			t.Helper()
			w.Clock.Set(at)
			n, err := svc.RunSubscriptions(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := run(sub.PeriodEnd.Add(-4 * 24 * time.Hour)); n != 0 {
			t.Fatalf("%d changed four days before the end", n)
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
		if n := run(end.Add(-48 * time.Hour)); n != 1 {
			t.Fatalf("renewal attempt changed %d", n)
		}
		if n := run(end.Add(-47 * time.Hour)); n != 0 {
			t.Fatalf("retried within %s: %d", subscription.RetryEvery, n)
		}
		run(end.Add(time.Minute))
		if s, _ := st.Subscription(ctx, sub.ID); s.State != subscription.Frozen {
			t.Fatalf("after expiry: %s", s.State)
		}
		run(end.Add(subscription.Grace + time.Minute))
		if s, _ := st.Subscription(ctx, sub.ID); s.State != subscription.Released {
			t.Fatalf("after the grace period: %s", s.State)
		}
		if orders, _ := svc.Purchases(ctx, buyer, store.OrderFilter{BuyerOrgID: orgOf(buyer)}); len(orders) != 2 {
			t.Fatalf("%d orders: a failed renewal left one", len(orders))
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Errorf("ledger %+v %v", check, err)
		}
	})
}

func TestRefunds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w, id, _ := buying(t, st, 200000)
		svc := w.Svc
		buyer := w.Actor(t, "telesales@demo.test", demo.Password)
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
		if _, err := svc.Refund(ctx, buyer, market.RefundRequest{OrderID: o.ID, Amount: &part, Reason: "one seat too many"}); err != nil {
			t.Fatal(err)
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
