package store

import (
	"context"
	"time"

	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/order"
)

const deliveryColumns = `id, order_id, line_no, action, cause, product_type, buyer_org_id, seller_org_id, state, attempts, last_error,
	give_up_at, created_at, updated_at`

func scanDelivery(r scanner) (d delivery.Delivery, err error) {
	err = r.Scan(&d.ID, &d.OrderID, &d.LineNo, &d.Action, &d.Cause, &d.ProductType, &d.BuyerOrgID, &d.SellerOrgID, &d.State, &d.Attempts, &d.LastError,
		&d.GiveUpAt, &d.CreatedAt, &d.UpdatedAt)
	return d, err
}

// AddDelivery writes a delivery to the outbox. One cause asks for an action
// on a line once: asked again, nothing is added (added false).
func (tx *Tx) AddDelivery(ctx context.Context, d delivery.Delivery) (added bool, err error) {
	res, err := tx.q.ExecContext(ctx, `INSERT INTO deliveries (`+deliveryColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (order_id, line_no, action, cause) DO NOTHING`,
		d.ID, d.OrderID, d.LineNo, d.Action, d.Cause, d.ProductType, d.BuyerOrgID, d.SellerOrgID, d.State, d.Attempts, d.LastError,
		d.GiveUpAt, d.CreatedAt, d.UpdatedAt)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AddDeliveries writes deliveries to the outbox in one statement; any a
// cause asked for already is left out.
func (tx *Tx) AddDeliveries(ctx context.Context, ds []delivery.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	rows := make([][]any, len(ds))
	for i, d := range ds {
		rows[i] = []any{d.ID, d.OrderID, d.LineNo, d.Action, d.Cause, d.ProductType, d.BuyerOrgID, d.SellerOrgID, d.State, d.Attempts, d.LastError,
			d.GiveUpAt, d.CreatedAt, d.UpdatedAt}
	}
	_, err := insertRows(ctx, tx.q, "deliveries", deliveryColumns, rows, " ON CONFLICT (order_id, line_no, action, cause) DO NOTHING")
	return err
}

// TakeDeliveries marks up to limit deliveries of a product type not yet
// queued as queued, oldest first, and returns their ids. As TakeUnmailed, the
// condition is checked again on each row as it is updated, so two dispatchers
// at once never take one delivery twice.
func (tx *Tx) TakeDeliveries(ctx context.Context, t string, limit int) ([]string, error) {
	return list(ctx, tx.q, func(r scanner) (id string, err error) { return id, r.Scan(&id) },
		`UPDATE deliveries SET queued = TRUE
		WHERE queued = FALSE AND id IN (SELECT id FROM deliveries WHERE queued = FALSE AND product_type = $1 ORDER BY created_at LIMIT $2)
		RETURNING id`, t, limit)
}

// Delivery returns a delivery.
//
// Errors: NotFound.
func (q *queries) Delivery(ctx context.Context, id string) (delivery.Delivery, error) {
	ds, err := list(ctx, q.q, scanDelivery, `SELECT `+deliveryColumns+` FROM deliveries WHERE id = $1`, id)
	if err == nil && len(ds) == 0 {
		err = fault.New(fault.NotFound, "no such delivery")
	}
	if err != nil {
		return delivery.Delivery{}, err
	}
	return ds[0], nil
}

// LineDeliveries lists a bought line's deliveries in the order they were written.
func (q *queries) LineDeliveries(ctx context.Context, orderID string, lineNo int) ([]delivery.Delivery, error) {
	return list(ctx, q.q, scanDelivery, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE order_id = $1 AND line_no = $2 ORDER BY created_at, id`, orderID, lineNo)
}

// OrderDeliveries lists an order's deliveries (those of its lines), in the
// order they were written.
func (q *queries) OrderDeliveries(ctx context.Context, orderID string) ([]delivery.Delivery, error) {
	return list(ctx, q.q, scanDelivery, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE order_id = $1 ORDER BY line_no, created_at, id`, orderID)
}

// SaveDelivery writes a delivery's outcome or attempt: its state, attempts,
// last error and deadline, when it is still as `was` left it (the same
// updated_at).
//
// Errors: Conflict when it changed meanwhile.
func (tx *Tx) SaveDelivery(ctx context.Context, d delivery.Delivery, was time.Time) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE deliveries SET state = $2, attempts = $3, last_error = $4, give_up_at = $5, updated_at = $6
		WHERE id = $1 AND updated_at = $7`, d.ID, d.State, d.Attempts, d.LastError, d.GiveUpAt, d.UpdatedAt, was)
	return oneRow(res, err, "the delivery changed meanwhile")
}

// SetDeliveryState moves a paid order along its delivery states (delivering,
// delivered, delivery_failed); a refunded or partly refunded order keeps its
// state, which says more.
func (tx *Tx) SetDeliveryState(ctx context.Context, orderID string, s order.State) error {
	_, err := tx.q.ExecContext(ctx, `UPDATE orders SET state = $2
		WHERE id = $1 AND state IN ('paid', 'delivering', 'delivered', 'delivery_failed')`, orderID, s)
	return err
}
