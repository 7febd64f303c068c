package store

import (
	"context"
	"time"
)

// AddOrderNotice puts a new order in the outbox of sellers' notices.
func (tx *Tx) AddOrderNotice(ctx context.Context, orderID string, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO order_notices (order_id, created_at) VALUES ($1, $2)`, orderID, at)
	return err
}

// TakeOrderNotices removes up to limit orders from the outbox, oldest first,
// and returns their ids by the seller companies of their lines.
func (tx *Tx) TakeOrderNotices(ctx context.Context, limit int) (map[string][]string, error) {
	ids, err := list(ctx, tx.q, func(r scanner) (id string, err error) { return id, r.Scan(&id) },
		`DELETE FROM order_notices WHERE order_id IN (SELECT order_id FROM order_notices ORDER BY created_at, order_id LIMIT $1)
		RETURNING order_id`, limit)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	in, args := inList(ids)
	type sale struct{ seller, order string }
	sales, err := list(ctx, tx.q, func(r scanner) (s sale, err error) { return s, r.Scan(&s.seller, &s.order) },
		`SELECT DISTINCT seller_org_id, order_id FROM order_lines WHERE order_id IN (`+in+`) ORDER BY seller_org_id, order_id`, args...)
	bySeller := map[string][]string{}
	for _, s := range sales {
		bySeller[s.seller] = append(bySeller[s.seller], s.order)
	}
	return bySeller, err
}
