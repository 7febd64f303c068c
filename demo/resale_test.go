package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/resale"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func TestDemoResale(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
		partner := w.Actor(t, "partner@demo.test", demo.Password)
		northwind, err := market.PartnerOrgOf(partner)
		if err != nil {
			t.Fatal(err)
		}
		products, err := w.Svc.PartnerProducts(ctx, partner, northwind)
		if err != nil || len(products) != 1 || products[0].Product.Name.EN != "Lakeside DB Enterprise" || products[0].Authorisation.DiscountBPS != 1500 {
			t.Fatalf("Northwind's products %+v %v", products, err)
		}
		pending, err := w.Svc.PendingResale(ctx, w.Actor(t, "ops@demo.test", demo.Password))
		if err != nil || len(pending) != 1 || pending[0].SellerName != "Harbor DevTools" || pending[0].State != resale.Pending {
			t.Fatalf("pending %+v %v", pending, err)
		}
		sales, err := w.Svc.PartnerSales(ctx, partner, northwind)
		if err != nil || len(sales.Sales) != len(demo.PartnerSales) || len(sales.Totals) != 1 {
			t.Fatalf("sales %+v %v", sales, err)
		}
		// Two licences at ¥38,000.00, 15% each: ¥11,400.00.
		if sales.Totals[0].Margin != money.New(1_140_000, money.CNY) || sales.Totals[0].Sales != money.New(7_600_000, money.CNY) {
			t.Errorf("totals %+v", sales.Totals[0])
		}
	})
}
