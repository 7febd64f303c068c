package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/support"
)

// The demo's support tickets: Bluepeak's in progress with ops@demo.test and
// a thread with a note, Lakeside's resolved, Harbor's open and unassigned.
func TestDemoSupport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		want := map[string]struct {
			state    support.State
			assigned bool
			seller   int // messages the seller sees
			operator int // and operators
		}{
			"seller2@demo.test": {support.InProgress, true, 3, 4},
			"seller1@demo.test": {support.Resolved, true, 3, 3},
			"seller4@demo.test": {support.Open, false, 1, 1},
		}
		for email, wt := range want {
			seller := w.Actor(t, email, demo.Password)
			list, err := w.Svc.Tickets(ctx, seller, store.TicketFilter{})
			if err != nil || len(list) != 1 {
				t.Fatalf("%s: %d tickets, %v", email, len(list), err)
			}
			mine, err := w.Svc.Ticket(ctx, seller, list[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := w.Svc.Ticket(ctx, ops, list[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if mine.State != wt.state || (mine.AssigneeID == ops.UserID) != wt.assigned || len(mine.Thread) != wt.seller || len(theirs.Thread) != wt.operator {
				t.Errorf("%s: %s assigned %q, %d/%d messages", email, mine.State, mine.AssigneeName, len(mine.Thread), len(theirs.Thread))
			}
		}
	})
}
