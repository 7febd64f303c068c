package market

import (
	"context"
	"fmt"
	"strings"

	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/store"
)

// OrderNoticesArgs asks for the sellers to be told of their new orders.
type OrderNoticesArgs struct{}

// Kind names the job on the queue.
func (OrderNoticesArgs) Kind() string { return "order_notices" }

// TellSellers tells each seller company of its new orders since the last
// time, one notification for all of them (the order itself when there is
// one), 500 orders per transaction, until none is left. It returns how many
// orders it told of.
func (s *Service) TellSellers(ctx context.Context) (int, error) {
	const batch = 500
	total := 0
	for {
		n := 0
		err := s.store.Write(ctx, func(tx *store.Tx) error {
			bySeller, err := tx.TakeOrderNotices(ctx, batch)
			if err != nil {
				return err
			}
			seen := map[string]bool{}
			for seller, orders := range bySeller {
				for _, id := range orders {
					seen[id] = true
				}
				note, err := s.newOrdersNotice(ctx, tx, seller, orders)
				if err == nil {
					err = s.notifyCompany(ctx, tx, seller, note)
				}
				if err != nil {
					return err
				}
			}
			n = len(seen)
			return nil
		})
		total += n
		if err != nil || n < batch {
			return total, err
		}
	}
}

// newOrdersNotice is what a seller is told of its new orders.
func (s *Service) newOrdersNotice(ctx context.Context, tx *store.Tx, seller string, orders []string) (notice.Notification, error) {
	if len(orders) == 1 {
		o, err := tx.Order(ctx, orders[0])
		return notice.Notification{Kind: "order.new", Link: "/seller/orders/" + o.ID,
			TitleEN: "New order " + o.ID, TitleZH: "新订单 " + o.ID,
			BodyEN: "A customer bought " + lineNames(o, seller, false) + ".", BodyZH: "客户购买了 " + lineNames(o, seller, true) + "。"}, err
	}
	shown := orders[:min(len(orders), 5)]
	more := ""
	if len(orders) > len(shown) {
		more = fmt.Sprintf(" …(+%d)", len(orders)-len(shown))
	}
	list := strings.Join(shown, ", ") + more
	return notice.Notification{Kind: "order.new", Link: "/seller/orders",
		TitleEN: fmt.Sprintf("%d new orders", len(orders)), TitleZH: fmt.Sprintf("%d 个新订单", len(orders)),
		BodyEN: "Customers placed orders " + list + ".", BodyZH: "客户下了订单 " + list + "。"}, nil
}
