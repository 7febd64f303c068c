package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// Refund is money given back on an order.
type Refund struct {
	ID        string
	OrderID   string
	Amount    money.Amount
	Lines     []RefundLine
	Reason    string
	PostingID string
	CreatedAt time.Time
	CreatedBy string
	// IdempotencyKey and RequestHash: the client's key for retries ("" for
	// none) and a hash of what it asked.
	IdempotencyKey string
	RequestHash    string
}

// RefundLine is a refund's part on one order line.
type RefundLine struct {
	No     int   `json:"no"`
	Amount int64 `json:"amount"` // minor units
}

// LockOrder takes the order's row for the transaction (PostgreSQL makes a
// concurrent writer wait; SQLite has one writer), so two refunds of one order
// never both count what was refundable before either.
//
// Errors: NotFound.
func (tx *Tx) LockOrder(ctx context.Context, id string) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE orders SET refunded_minor = refunded_minor WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return fault.New(fault.NotFound, "no such order")
}

// AddRefund records a refund, adds it to the order's and lines' refunded
// amounts and sets the order's state.
func (tx *Tx) AddRefund(ctx context.Context, r Refund, state order.State) error {
	lines, err := json.Marshal(r.Lines)
	if err != nil {
		return err
	}
	if _, err := tx.q.ExecContext(ctx, `INSERT INTO refunds (id, order_id, currency, amount_minor, lines, reason, posting_id, created_at, created_by,
			idempotency_key, request_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		r.ID, r.OrderID, r.Amount.Currency, r.Amount.Minor, string(lines), r.Reason, r.PostingID, r.CreatedAt, nullable(r.CreatedBy),
		nullable(r.IdempotencyKey), nullable(r.RequestHash)); err != nil {
		return err
	}
	for _, l := range r.Lines {
		if _, err := tx.q.ExecContext(ctx, `UPDATE order_lines SET refunded_minor = refunded_minor + $3 WHERE order_id = $1 AND line_no = $2`,
			r.OrderID, l.No, l.Amount); err != nil {
			return err
		}
	}
	_, err = tx.q.ExecContext(ctx, `UPDATE orders SET refunded_minor = refunded_minor + $2, state = $3 WHERE id = $1`, r.OrderID, r.Amount.Minor, state)
	return err
}

// Refunds lists an order's refunds, oldest first.
func (q *queries) Refunds(ctx context.Context, orderID string) ([]Refund, error) {
	return list(ctx, q.q, scanRefund, `SELECT `+refundColumns+` FROM refunds WHERE order_id = $1 ORDER BY created_at, id`, orderID)
}

// RefundByKey returns the order's refund made with the Idempotency-Key.
func (q *queries) RefundByKey(ctx context.Context, orderID, key string) (Refund, bool, error) {
	rs, err := list(ctx, q.q, scanRefund, `SELECT `+refundColumns+` FROM refunds WHERE order_id = $1 AND idempotency_key = $2`, orderID, key)
	if err != nil || len(rs) == 0 {
		return Refund{}, false, err
	}
	return rs[0], true, nil
}

const refundColumns = `id, order_id, currency, amount_minor, lines, reason, posting_id, created_at, created_by,
	COALESCE(idempotency_key, ''), COALESCE(request_hash, '')`

func scanRefund(s scanner) (r Refund, err error) {
	var lines string
	var by sql.NullString
	err = s.Scan(&r.ID, &r.OrderID, &r.Amount.Currency, &r.Amount.Minor, &lines, &r.Reason, &r.PostingID, &r.CreatedAt, &by,
		&r.IdempotencyKey, &r.RequestHash)
	if err == nil {
		err = json.Unmarshal([]byte(lines), &r.Lines)
	}
	r.CreatedBy = by.String
	return r, err
}
