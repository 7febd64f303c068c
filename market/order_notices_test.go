package market_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// Sellers hear of new orders from the outbox: one order, told by itself;
// several at once, together; told once only.
func TestSellersToldOfNewOrders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w, id, buyer := buying(t, st, 1_000_000)
		seller := w.Actor(t, "seller1@demo.test", demo.Password)
		if _, err := w.Svc.TellSellers(ctx); err != nil { // the demo's own orders
			t.Fatal(err)
		}
		told := func() []notice.Notification {
			t.Helper()
			ns, _, err := w.Svc.Notifications(ctx, seller)
			if err != nil {
				t.Fatal(err)
			}
			var out []notice.Notification
			for _, n := range ns {
				if n.Kind == "order.new" {
					out = append(out, n)
				}
			}
			return out
		}
		before := len(told())
		place := func() order.Order {
			t.Helper()
			o, _, err := w.Svc.PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: orgOf(buyer),
				Lines: []order.LineRequest{{ProductID: id, Plan: "monthly", Region: "cn-north-4"}}})
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		one := place()
		if n := len(told()); n != before {
			t.Fatalf("told before the job ran: %d", n-before)
		}
		if n, err := w.Svc.TellSellers(ctx); err != nil || n != 1 {
			t.Fatalf("told of %d orders: %v", n, err)
		}
		ns := told()
		if len(ns) != before+1 || ns[0].TitleEN != "New order "+one.ID || ns[0].Link != "/seller/orders/"+one.ID {
			t.Fatalf("notices %+v", ns[0])
		}
		var three []string
		for range 3 {
			three = append(three, place().ID)
		}
		if n, err := w.Svc.TellSellers(ctx); err != nil || n != 3 {
			t.Fatalf("told of %d orders: %v", n, err)
		}
		if n, err := w.Svc.TellSellers(ctx); err != nil || n != 0 {
			t.Fatalf("told again of %d orders: %v", n, err)
		}
		ns = told()
		if len(ns) != before+2 || ns[0].TitleEN != "3 new orders" || !strings.Contains(ns[0].BodyEN, three[0]) || !strings.Contains(ns[0].BodyEN, three[2]) {
			t.Fatalf("notices %+v", ns[0])
		}
	})
}
