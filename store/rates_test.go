package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/benefit"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func TestRates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		set := func(c money.Currency, from string, scaled int64) error {
			return st.Write(ctx, func(tx *store.Tx) error {
				return tx.SetRate(ctx, benefit.Rate{Currency: c, EffectiveFrom: day(from), Scaled: scaled, SetBy: "usr_ops", SetAt: t0})
			})
		}
		if _, err := st.Rate(ctx, money.CNY, day("2026-01-01")); !fault.Is(err, fault.NotFound) {
			t.Fatalf("no rate yet: %v", err)
		}
		for _, r := range []struct {
			c      money.Currency
			from   string
			scaled int64
		}{{money.CNY, "2026-01-01", 14_000_000}, {money.CNY, "2020-01-01", 14_200_000}, {"JPY", "2025-01-01", 670_000},
			{money.CNY, "2026-01-01", 14_085_000}} { // the last replaces the first
			if err := set(r.c, r.from, r.scaled); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.Rate(ctx, money.CNY, day("2026-01-01"))
		if err != nil || got.Scaled != 14_085_000 || got.SetBy != "usr_ops" || !got.SetAt.Equal(t0) || got.EffectiveFrom != day("2026-01-01") {
			t.Fatalf("rate %+v %v", got, err)
		}
		all, err := st.Rates(ctx)
		if err != nil || len(all) != 3 || all[0].EffectiveFrom != day("2020-01-01") || all[1].Scaled != 14_085_000 || all[2].Currency != "JPY" {
			t.Fatalf("rates %+v %v", all, err)
		}
		if err := set(money.USD, "2026-01-01", 1); err == nil {
			t.Fatal("a USD rate was stored")
		}
		if err := set(money.CNY, "2026-02-01", 0); err == nil {
			t.Fatal("a rate of zero was stored")
		}
	})
}

// TestSellerOrderSales: per paid order, the seller's lines net of refunds,
// with the payment time; test orders never count.
func TestSellerOrderSales(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := mustServices(t, st)
		first := time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC)
		second := first.Add(time.Hour)
		s.order(t, 2, first)
		s.order(t, 1, second)
		testOrder := order.Order{ID: ids.New("ord"), BuyerOrgID: s.org.ID, BuyerUserID: s.buyer.ID, Kind: order.New, Channel: "test", State: order.Paid,
			PlacedAt: second, PaidAt: second, Quote: order.Quote{Currency: money.CNY, List: yuan(800), Discount: yuan(0), Payable: yuan(800),
				Lines: []order.Line{{No: 1, ProductID: s.product.ID, Type: catalog.TypeService, SellerOrgID: s.product.SellerOrgID, Plan: "once",
					Mode: catalog.OneTime, Quantity: 1, Paid: yuan(800)}}}}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.CreateOrder(ctx, testOrder, "", "") }); err != nil {
			t.Fatal(err)
		}
		sales, err := st.SellerOrderSales(ctx, s.product.SellerOrgID)
		if err != nil || len(sales) != 2 {
			t.Fatalf("sales %+v %v", sales, err)
		}
		if sales[0].Net != yuan(1_600) || !sales[0].PaidAt.Equal(first) || sales[1].Net != yuan(800) || !sales[1].PaidAt.Equal(second) {
			t.Fatalf("sales %+v", sales)
		}
		if none, err := st.SellerOrderSales(ctx, s.org.ID); err != nil || len(none) != 0 {
			t.Fatalf("a buyer's sales %+v %v", none, err)
		}
	})
}

// TestSellerApprovedAt: the first approval, not the last.
func TestSellerApprovedAt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := mustServices(t, st)
		org := s.product.SellerOrgID
		if at, err := st.SellerApprovedAt(ctx, org); err != nil || !at.IsZero() {
			t.Fatalf("before any approval: %v %v", at, err)
		}
		app, err := st.ApplicationOfOrg(ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		move := func(from, to seller.State, at time.Time) {
			t.Helper()
			if err := st.Write(ctx, func(tx *store.Tx) error { return tx.MoveApplication(ctx, app.ID, from, to, "", "because", at) }); err != nil {
				t.Fatal(err)
			}
		}
		move(seller.Approved, seller.Suspended, t0.Add(time.Hour))
		move(seller.Suspended, seller.Approved, t0.Add(2*time.Hour))
		move(seller.Approved, seller.Suspended, t0.Add(3*time.Hour))
		move(seller.Suspended, seller.Approved, t0.Add(4*time.Hour))
		if at, err := st.SellerApprovedAt(ctx, org); err != nil || !at.Equal(t0.Add(2*time.Hour)) {
			t.Fatalf("first approval %v %v", at, err)
		}
	})
}
