package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/subscription"
)

const subscriptionColumns = `id, order_id, line_no, buyer_org_id, product_id, seller_org_id, plan, mode, quantity, region, zone,
	state, auto_renew, anchor_day, periods, period_start, period_end, renewed_at, created_at, updated_at`

func scanSubscription(r scanner) (s subscription.Subscription, err error) {
	var renewed sql.NullTime
	err = r.Scan(&s.ID, &s.OrderID, &s.LineNo, &s.BuyerOrgID, &s.ProductID, &s.SellerOrgID, &s.Plan, &s.Mode, &s.Quantity, &s.Region, &s.Zone,
		&s.State, &s.AutoRenew, &s.AnchorDay, &s.Periods, &s.PeriodStart, &s.PeriodEnd, &renewed, &s.CreatedAt, &s.UpdatedAt)
	s.RenewedAt = renewed.Time
	return s, err
}

// CreateSubscription inserts a subscription.
func (tx *Tx) CreateSubscription(ctx context.Context, s subscription.Subscription) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO subscriptions (`+subscriptionColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
		s.ID, s.OrderID, s.LineNo, s.BuyerOrgID, s.ProductID, s.SellerOrgID, s.Plan, s.Mode, s.Quantity, s.Region, s.Zone,
		s.State, s.AutoRenew, s.AnchorDay, s.Periods, s.PeriodStart, s.PeriodEnd, nullTime(s.RenewedAt), s.CreatedAt, s.UpdatedAt)
	return err
}

// SaveSubscription writes a subscription's changing fields, when it is still
// as `was` left it (the same updated_at): a concurrent change makes it fail
// with Conflict.
func (tx *Tx) SaveSubscription(ctx context.Context, s subscription.Subscription, was time.Time) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE subscriptions SET plan = $2, quantity = $3, state = $4, auto_renew = $5, anchor_day = $6,
		periods = $7, period_start = $8, period_end = $9, renewed_at = $10, updated_at = $11
		WHERE id = $1 AND updated_at = $12`,
		s.ID, s.Plan, s.Quantity, s.State, s.AutoRenew, s.AnchorDay, s.Periods, s.PeriodStart, s.PeriodEnd, nullTime(s.RenewedAt), s.UpdatedAt, was)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fault.New(fault.Conflict, "the subscription changed meanwhile: try again")
	}
	return nil
}

// Subscription returns a subscription.
//
// Errors: NotFound.
func (q *queries) Subscription(ctx context.Context, id string) (subscription.Subscription, error) {
	subs, err := list(ctx, q.q, scanSubscription, `SELECT `+subscriptionColumns+` FROM subscriptions WHERE id = $1`, id)
	if err == nil && len(subs) == 0 {
		err = fault.New(fault.NotFound, "no such subscription")
	}
	if err != nil {
		return subscription.Subscription{}, err
	}
	return subs[0], nil
}

// SubscriptionOfLine returns the subscription an order line started, if any.
func (q *queries) SubscriptionOfLine(ctx context.Context, orderID string, lineNo int) (subscription.Subscription, bool, error) {
	subs, err := list(ctx, q.q, scanSubscription, `SELECT `+subscriptionColumns+` FROM subscriptions WHERE order_id = $1 AND line_no = $2`, orderID, lineNo)
	if err != nil || len(subs) == 0 {
		return subscription.Subscription{}, false, err
	}
	return subs[0], true, nil
}

// Subscriptions lists an organisation's subscriptions, newest first.
func (q *queries) Subscriptions(ctx context.Context, buyerOrgID string) ([]subscription.Subscription, error) {
	return list(ctx, q.q, scanSubscription, `SELECT `+subscriptionColumns+` FROM subscriptions WHERE buyer_org_id = $1 ORDER BY created_at DESC, id DESC`, buyerOrgID)
}

// DueSubscriptions lists up to limit subscriptions not released whose term
// ends before `by`: those the scheduler may have something to do with.
func (q *queries) DueSubscriptions(ctx context.Context, by time.Time, limit int) ([]subscription.Subscription, error) {
	return list(ctx, q.q, scanSubscription, `SELECT `+subscriptionColumns+` FROM subscriptions
		WHERE state <> 'released' AND period_end <= $1 ORDER BY period_end, id LIMIT $2`, by, limit)
}

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
	if n, err2 := rowsOf(res, err); err2 != nil || n == 1 {
		return err2
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

func rowsOf(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
