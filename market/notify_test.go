package market_test

import (
	"context"
	"testing"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// TestMailOutbox: every notification is queued for mailing once, in
// batches, however many wait.
func TestMailOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, t0)
		first, err := w.Svc.DispatchMail(ctx) // the demo's
		if err != nil || first == 0 {
			t.Fatalf("the demo's notifications: %d queued, %v", first, err)
		}
		if n, err := w.Svc.DispatchMail(ctx); err != nil || n != 0 {
			t.Fatalf("queued again: %d, %v", n, err)
		}
		buyer := freshBuyer(t, w, "Mailed Buyer")
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		for i := range 3 {
			if _, err := w.Svc.TopUp(ctx, ops, orgOf(buyer), money.New(100, money.CNY), "MAIL-"+string(rune('a'+i)), ""); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := w.Svc.DispatchMail(ctx); err != nil || n != 3 {
			t.Fatalf("three top-up notices: %d queued, %v", n, err)
		}
	})
}
