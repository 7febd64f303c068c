package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/order"
)

// The demo's orders are delivered at their past dates, as the deliver jobs
// would have then, so their licences carry those dates and their service
// orders have a history: one confirmed, one disputed, one cancelled by its
// refund. Deliveries that take time in the outside world (servers booting, a
// seller's endpoint) are left to the running server's jobs.

// deliveredAtOnce are the product types the demo delivers while loading.
var deliveredAtOnce = []catalog.Type{catalog.TypeLicense, catalog.TypeService}

// deliverAt carries out the order's waiting deliveries of those types with
// the clock at t.
func deliverAt(ctx context.Context, svc *market.Service, ops account.Actor, t time.Time, orderID string) error {
	ds, err := svc.Deliveries(ctx, ops, orderID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.State != delivery.Waiting || !slices.Contains(deliveredAtOnce, d.ProductType) {
			continue
		}
		if err := svc.At(t).Deliver(ctx, d.ID); err != nil && !errors.Is(err, market.ErrPending) {
			return fmt.Errorf("demo: delivery %s of %s: %w", d.Action, orderID, err)
		}
	}
	return nil
}

// boughtOrder is a demo order and the buyer who placed it.
type boughtOrder struct {
	order order.Order
	buyer account.Actor
}

// serviceStory is what happens to a demo service order after it is paid:
// the seller accepts it, and delivers; the buyer confirms or disputes.
type serviceStory struct {
	product               string
	acceptAfter           int    // days after payment; 0: never accepted
	deliverAfter          int    // days after payment; 0: not delivered yet
	confirmAfter, dispute int    // days after payment (0: no answer yet), and whether to dispute
	note                  string // the seller's delivery note
}

var serviceStories = []serviceStory{
	{product: "Cloud onboarding training", acceptAfter: 1, deliverAfter: 8, confirmAfter: 9,
		note: "Two half-day sessions held for 12 people; slides and recordings attached."},
	{product: "Database migration to the cloud", acceptAfter: 2, deliverAfter: 25, confirmAfter: 27, dispute: 1,
		note: "Migration of the orders database finished; cut-over report attached."},
}

// walkServices takes each demo service order through its story at its
// dates.
func walkServices(ctx context.Context, svc *market.Service, bought map[string]boughtOrder) error {
	sellers := map[string]string{}
	for _, l := range catalogue() {
		sellers[l.content.Name.EN] = l.seller
	}
	for _, st := range serviceStories {
		b, ok := bought[st.product]
		if !ok {
			continue
		}
		o, buyer := b.order, b.buyer
		seller, err := svc.ActorByEmail(ctx, sellers[st.product])
		if err != nil {
			return err
		}
		e, found, err := svc.EngagementOfLine(ctx, buyer, o.ID, 1)
		if err != nil || !found {
			return fmt.Errorf("demo: no service order for %s: %v", st.product, err)
		}
		day := func(n int) *market.Service { return svc.At(o.PaidAt.AddDate(0, 0, n)) }
		if st.acceptAfter > 0 {
			if _, err := day(st.acceptAfter).AcceptEngagement(ctx, seller, e.ID); err != nil {
				return fmt.Errorf("demo: accept %s: %w", st.product, err)
			}
		}
		if st.deliverAfter > 0 {
			report := market.Upload{Name: "report.txt", Body: strings.NewReader(st.note + "\n")}
			if _, err := day(st.deliverAfter).DeliverEngagement(ctx, seller, e.ID, st.note, []market.Upload{report}); err != nil {
				return fmt.Errorf("demo: deliver %s: %w", st.product, err)
			}
		}
		switch {
		case st.confirmAfter == 0:
		case st.dispute == 1:
			if _, err := day(st.confirmAfter).DisputeEngagement(ctx, buyer, e.ID, "The report leaves out the reporting database, which was in scope."); err != nil {
				return fmt.Errorf("demo: dispute %s: %w", st.product, err)
			}
		default:
			if _, err := day(st.confirmAfter).ConfirmEngagement(ctx, buyer, e.ID); err != nil {
				return fmt.Errorf("demo: confirm %s: %w", st.product, err)
			}
		}
	}
	return nil
}
