package market_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// onSale puts backupService (CNY 199.00 a month) on sale for seller1; it
// returns its id.
func onSale(t *testing.T, w *markettest.World) string {
	t.Helper()
	return w.Publish(t, "seller1@demo.test", backupService())
}

func orgOf(a account.Actor) string { return a.Memberships[0].OrgID }

// freshBuyer creates a customer organisation with no balance and a buyer in
// it (the demo's customers have balances and orders).
func freshBuyer(t *testing.T, w *markettest.World, name string) account.Actor {
	t.Helper()
	ctx := context.Background()
	org, err := w.Svc.EnsureOrg(ctx, account.Org{Kind: account.KindCustomer, Segment: account.SegmentDirect, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	email := strings.ToLower(strings.ReplaceAll(name, " ", "")) + "@example.test"
	if _, err := w.Svc.EnsureUser(ctx, market.NewUser{Email: email, Password: demo.Password, DisplayName: name,
		Roles: []market.OrgRole{{OrgID: org.ID, Role: account.RoleBuyer}}}, "system"); err != nil {
		t.Fatal(err)
	}
	return w.Actor(t, email, demo.Password)
}

func balance(t *testing.T, w *markettest.World, a account.Actor) money.Amount {
	t.Helper()
	bs, err := w.Svc.Balances(context.Background(), a, orgOf(a))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Amount.Currency == money.CNY {
			return b.Amount
		}
	}
	return money.New(0, money.CNY)
}

func TestPlaceOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, t0)
		svc := w.Svc
		id := onSale(t, w)
		buyer := freshBuyer(t, w, "Fresh Buyer")
		other := w.Actor(t, "direct@demo.test", demo.Password)
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		seller2 := w.Actor(t, "seller2@demo.test", demo.Password)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		lines := []order.LineRequest{{ProductID: id, Plan: "monthly", Quantity: 2, Periods: 3, Region: "cn-north-4"}}

		q, err := svc.Quote(ctx, lines)
		if err != nil || q.Payable != money.New(119400, money.CNY) {
			t.Fatalf("quote %+v %v", q, err)
		}
		req := market.OrderRequest{OrgID: orgOf(buyer), Lines: lines, IdempotencyKey: "k-1"}
		if _, _, err := svc.PlaceOrder(ctx, buyer, req); !fault.Is(err, fault.InsufficientFunds) {
			t.Fatalf("without a balance: %v", err)
		}
		if orders, _ := svc.Purchases(ctx, buyer, store.OrderFilter{BuyerOrgID: orgOf(buyer)}); len(orders) != 0 {
			t.Fatalf("a refused order was kept: %+v", orders)
		}
		// Top-ups: operators only, each reference once.
		if _, err := svc.TopUp(ctx, buyer, orgOf(buyer), money.New(100000000, money.CNY), "self", ""); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a buyer topped itself up: %v", err)
		}
		if b, err := svc.TopUp(ctx, ops, orgOf(buyer), money.New(200000, money.CNY), "BANK-001", "wire"); err != nil || b.Amount != money.New(200000, money.CNY) {
			t.Fatalf("top-up: %+v %v", b, err)
		}
		if _, err := svc.TopUp(ctx, ops, orgOf(buyer), money.New(200000, money.CNY), "BANK-001", ""); !fault.Is(err, fault.Conflict) {
			t.Fatalf("the same top-up twice: %v", err)
		}
		if _, err := svc.TopUp(ctx, ops, orgOf(seller1), money.New(1, money.CNY), "x", ""); !fault.Is(err, fault.Invalid) {
			t.Fatalf("a seller's balance: %v", err)
		}
		// The same key after the top-up places the order once.
		o, replayed, err := svc.PlaceOrder(ctx, buyer, req)
		if err != nil || replayed || o.State != order.Paid || o.Payable != money.New(119400, money.CNY) {
			t.Fatalf("place: %+v %v %v", o, replayed, err)
		}
		again, replayed, err := svc.PlaceOrder(ctx, buyer, req)
		if err != nil || !replayed || again.ID != o.ID {
			t.Fatalf("replay: %v %v %v", again.ID, replayed, err)
		}
		changed := req
		changed.Lines = []order.LineRequest{{ProductID: id, Plan: "monthly", Region: "cn-north-4"}}
		if _, _, err := svc.PlaceOrder(ctx, buyer, changed); !fault.Is(err, fault.IdempotencyConflict) {
			t.Fatalf("same key, other order: %v", err)
		}
		if b := balance(t, w, buyer); b != money.New(80600, money.CNY) {
			t.Fatalf("balance %v", b)
		}
		// Who sees the order.
		for _, c := range []struct {
			name string
			who  account.Actor
			ok   bool
		}{{"buyer", buyer, true}, {"seller of the line", seller1, true}, {"operator", ops, true}, {"another buyer", other, false}, {"another seller", seller2, false}} {
			got, err := svc.Order(ctx, c.who, o.ID)
			if c.ok != (err == nil) || (!c.ok && !fault.Is(err, fault.NotFound)) {
				t.Errorf("%s reads the order: %v", c.name, err)
			}
			if c.who.UserID == seller1.UserID && (got.BuyerUserID != "" || len(got.Lines) != 1) {
				t.Errorf("the seller sees %+v", got)
			}
		}
		if _, err := svc.Purchases(ctx, other, store.OrderFilter{BuyerOrgID: orgOf(buyer)}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("another buyer lists the orders: %v", err)
		}
		if _, err := svc.Balances(ctx, other, orgOf(buyer)); !fault.Is(err, fault.Forbidden) {
			t.Errorf("another buyer reads the balance: %v", err)
		}
		has := func(orders []order.Order, id string) bool {
			return slices.ContainsFunc(orders, func(o order.Order) bool { return o.ID == id })
		}
		if sales, err := svc.Sales(ctx, seller1, store.OrderFilter{SellerOrgID: orgOf(seller1)}); err != nil || !has(sales, o.ID) {
			t.Errorf("seller's sales: %d %v", len(sales), err)
		}
		if sales, err := svc.Sales(ctx, seller2, store.OrderFilter{SellerOrgID: orgOf(seller2)}); err != nil || has(sales, o.ID) {
			t.Errorf("another seller's sales hold the order: %v", err)
		}
		if _, err := svc.Sales(ctx, seller2, store.OrderFilter{SellerOrgID: orgOf(seller1)}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a seller lists another's sales: %v", err)
		}
		if lines, err := svc.Statement(ctx, buyer, orgOf(buyer), money.CNY); err != nil || len(lines) != 2 || lines[0].Amount != money.New(-119400, money.CNY) {
			t.Errorf("statement %+v %v", lines, err)
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Errorf("ledger %+v %v", check, err)
		}
	})
}

// TestOrdersRace: 200 concurrent orders against a balance that covers 120,
// and one Idempotency-Key sent 50 times at once.
func TestOrdersRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, t0)
		svc := w.Svc
		id := onSale(t, w)
		buyer := freshBuyer(t, w, "Racing Buyer")
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		if _, err := svc.TopUp(ctx, ops, orgOf(buyer), money.New(120*19900, money.CNY), "BANK-120", ""); err != nil {
			t.Fatal(err)
		}
		lines := []order.LineRequest{{ProductID: id, Plan: "monthly", Region: "cn-north-4"}}
		var paid, refused atomic.Int64
		var wg sync.WaitGroup
		for i := range 200 {
			wg.Go(func() {
				_, _, err := svc.PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: orgOf(buyer), Lines: lines, IdempotencyKey: fmt.Sprint("race-", i)})
				switch {
				case err == nil:
					paid.Add(1)
				case fault.Is(err, fault.InsufficientFunds):
					refused.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if paid.Load() != 120 || refused.Load() != 80 {
			t.Fatalf("paid %d, refused %d; want 120 and 80", paid.Load(), refused.Load())
		}
		if b := balance(t, w, buyer); !b.IsZero() {
			t.Fatalf("balance %v, want 0", b)
		}
		// One key, 50 times at once, after a top-up for one more.
		if _, err := svc.TopUp(ctx, ops, orgOf(buyer), money.New(10*19900, money.CNY), "BANK-10", ""); err != nil {
			t.Fatal(err)
		}
		ids := make(chan string, 50)
		for range 50 {
			wg.Go(func() {
				o, _, err := svc.PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: orgOf(buyer), Lines: lines, IdempotencyKey: "same"})
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
				t.Fatalf("one key made orders %s and %s", first, id)
			}
		}
		if b := balance(t, w, buyer); b != money.New(9*19900, money.CNY) {
			t.Fatalf("balance %v after one more order", b)
		}
		orders, err := svc.Purchases(ctx, buyer, store.OrderFilter{BuyerOrgID: orgOf(buyer), Limit: 500})
		if err != nil || len(orders) != 121 {
			t.Fatalf("%d orders, %v", len(orders), err)
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Errorf("ledger %+v %v", check, err)
		}
	})
}

// TestBannerEligibilityCountsSales: what buyers paid for a seller's products,
// net of refunds, counts toward the banner (USD; other currencies are named).
func TestBannerEligibilityCountsSales(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, t0)
		seller4 := w.Actor(t, "seller4@demo.test", demo.Password)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		page, err := w.Svc.Search(ctx, store.Query{Text: "Harbor CI"})
		if err != nil || len(page.Hits) == 0 {
			t.Fatalf("Harbor CI: %v", err)
		}
		buyer := freshBuyer(t, w, "Dollar Buyer")
		if _, err := w.Svc.TopUp(ctx, ops, orgOf(buyer), money.New(100000, money.USD), "USD-1", ""); err != nil {
			t.Fatal(err)
		}
		before, why, err := w.Svc.BannerEligibility(ctx, orgOf(seller4))
		if err != nil || before {
			t.Fatalf("before: %v %v", before, err)
		}
		o, _, err := w.Svc.PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: orgOf(buyer),
			Lines: []order.LineRequest{{ProductID: page.Hits[0].ProductID, Plan: "team-monthly", Periods: 2}}})
		if err != nil {
			t.Fatal(err)
		}
		_, after, _ := w.Svc.BannerEligibility(ctx, orgOf(seller4))
		if !strings.Contains(after.EN, "USD 99,902.00 more") || after.EN == why.EN {
			t.Fatalf("after USD 98.00 of sales: %q (before %q)", after.EN, why.EN)
		}
		if _, err := w.Svc.Refund(ctx, buyer, market.RefundRequest{OrderID: o.ID}); err != nil {
			t.Fatal(err)
		}
		if _, refunded, _ := w.Svc.BannerEligibility(ctx, orgOf(seller4)); refunded.EN != why.EN {
			t.Fatalf("after the refund: %q, want %q", refunded.EN, why.EN)
		}
	})
}
