package store

import (
	"context"
	"time"

	"github.com/cloudmart/cloudmart/benefit"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
)

// Exchange rates (package benefit): dated, exact, kept by operators.

const rateColumns = `currency, effective_from, rate_scaled, set_by, set_at`

func scanRate(r scanner) (rt benefit.Rate, err error) {
	var from string
	if err = r.Scan(&rt.Currency, &from, &rt.Scaled, &rt.SetBy, &rt.SetAt); err != nil {
		return rt, err
	}
	rt.EffectiveFrom, err = seller.ParseDate(from)
	return rt, err
}

// SetRate stores the rate of its currency from its day, replacing the one of
// that day if there is one.
func (tx *Tx) SetRate(ctx context.Context, r benefit.Rate) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO exchange_rates (`+rateColumns+`) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (currency, effective_from) DO UPDATE SET rate_scaled = excluded.rate_scaled, set_by = excluded.set_by, set_at = excluded.set_at`,
		r.Currency, r.EffectiveFrom.String(), r.Scaled, r.SetBy, r.SetAt.UTC())
	return domainError(err)
}

// Rate returns the rate of the currency set for exactly the day.
//
// Errors: NotFound.
func (q *queries) Rate(ctx context.Context, c money.Currency, from seller.Date) (benefit.Rate, error) {
	r, err := scanRate(q.q.QueryRowContext(ctx, `SELECT `+rateColumns+` FROM exchange_rates WHERE currency = $1 AND effective_from = $2`,
		c, from.String()))
	if errNoRows(err) {
		return r, &fault.Error{Code: fault.NotFound, MsgID: "error.no_rate", Message: "no rate of this currency from this day"}
	}
	return r, err
}

// Rates lists every rate, by currency and day.
func (q *queries) Rates(ctx context.Context) (benefit.Rates, error) {
	return list(ctx, q.q, scanRate, `SELECT `+rateColumns+` FROM exchange_rates ORDER BY currency, effective_from`)
}

// SellerOrderSales lists, per paid order with lines of the seller's products,
// what those lines paid net of their refunds, and when the order was paid:
// the seller's transactions before conversion. Test orders never count.
func (q *queries) SellerOrderSales(ctx context.Context, sellerOrgID string) ([]benefit.Sale, error) {
	return list(ctx, q.q, func(r scanner) (s benefit.Sale, err error) {
		return s, r.Scan(&s.Net.Currency, &s.PaidAt, &s.Net.Minor)
	}, `SELECT o.currency, o.paid_at, SUM(l.paid_minor - l.refunded_minor) FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE l.seller_org_id = $1 AND o.paid_at IS NOT NULL AND o.channel <> 'test'
		GROUP BY o.id, o.currency, o.paid_at ORDER BY o.paid_at, o.id`, sellerOrgID)
}

// SellerApprovedAt returns when the organisation's seller application was
// first approved; zero if never.
func (q *queries) SellerApprovedAt(ctx context.Context, orgID string) (time.Time, error) {
	var at time.Time
	err := q.q.QueryRowContext(ctx, `SELECT e.at FROM application_events e JOIN seller_applications a ON a.id = e.application_id
		WHERE a.org_id = $1 AND e.to_state = $2 ORDER BY e.at LIMIT 1`, orgID, seller.Approved).Scan(&at)
	if errNoRows(err) {
		return time.Time{}, nil
	}
	return at, err
}
