package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudmart/cloudmart/fault"
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
