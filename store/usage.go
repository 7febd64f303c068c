package store

import (
	"context"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/usage"
)

// UsageRecord is a usage record as kept: the seller's record and the
// instance (order line) it was matched to.
type UsageRecord struct {
	usage.Record
	SellerOrgID string
	OrderID     string
	LineNo      int
	ProductID   string
	BuyerOrgID  string
	Period      string
	Rated       bool
	ReceivedAt  time.Time
}

const usageRecordColumns = `seller_org_id, record_id, order_id, line_no, product_id, buyer_org_id, instance_id, unit, begin_at, end_at,
	quantity, adjusts, period, rated, received_at`

func scanUsageRecord(r scanner) (u UsageRecord, err error) {
	err = r.Scan(&u.SellerOrgID, &u.ID, &u.OrderID, &u.LineNo, &u.ProductID, &u.BuyerOrgID, &u.InstanceID, &u.Unit, &u.Begin, &u.End,
		&u.Quantity, &u.Adjusts, &u.Period, &u.Rated, &u.ReceivedAt)
	u.Begin, u.End, u.ReceivedAt = u.Begin.UTC(), u.End.UTC(), u.ReceivedAt.UTC()
	return u, err
}

// AddUsageRecord keeps a record, once: a record id the seller used before
// is not added again (added false), and the record kept is returned.
func (tx *Tx) AddUsageRecord(ctx context.Context, u UsageRecord) (kept UsageRecord, added bool, err error) {
	res, err := tx.q.ExecContext(ctx, `INSERT INTO usage_records (`+usageRecordColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, FALSE, $14)
		ON CONFLICT (seller_org_id, record_id) DO NOTHING`,
		u.SellerOrgID, u.ID, u.OrderID, u.LineNo, u.ProductID, u.BuyerOrgID, u.InstanceID, u.Unit, u.Begin.UTC(), u.End.UTC(),
		u.Quantity, u.Adjusts, u.Period, u.ReceivedAt.UTC())
	if err != nil {
		return u, false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return u, n == 1, err
	}
	kept, err = tx.UsageRecord(ctx, u.SellerOrgID, u.ID)
	return kept, false, err
}

// UsageRecord returns a seller's record.
//
// Errors: NotFound.
func (q *queries) UsageRecord(ctx context.Context, sellerOrgID, recordID string) (UsageRecord, error) {
	list, err := list(ctx, q.q, scanUsageRecord, `SELECT `+usageRecordColumns+` FROM usage_records WHERE seller_org_id = $1 AND record_id = $2`,
		sellerOrgID, recordID)
	if err == nil && len(list) == 0 {
		err = fault.New(fault.NotFound, "no such usage record")
	}
	if err != nil {
		return UsageRecord{}, err
	}
	return list[0], nil
}

// PeriodUsage is the usage of a line in a billing month, rated or not.
func (q *queries) PeriodUsage(ctx context.Context, orderID string, lineNo int, period string) (int64, error) {
	var n int64
	err := q.q.QueryRowContext(ctx, `SELECT COALESCE(SUM(quantity), 0) FROM usage_records WHERE order_id = $1 AND line_no = $2 AND period = $3`,
		orderID, lineNo, period).Scan(&n)
	return n, err
}

// UsageGroup is a line's billing month.
type UsageGroup struct {
	OrderID string
	LineNo  int
	Period  string
}

// UnratedUsage lists up to limit line-months with records not rated yet.
func (q *queries) UnratedUsage(ctx context.Context, limit int) ([]UsageGroup, error) {
	return list(ctx, q.q, func(r scanner) (g UsageGroup, err error) { return g, r.Scan(&g.OrderID, &g.LineNo, &g.Period) },
		`SELECT DISTINCT order_id, line_no, period FROM usage_records WHERE rated = FALSE ORDER BY period, order_id, line_no LIMIT $1`, limit)
}

// TakeUnrated marks a line-month's unrated records rated and returns the
// sum of their quantities. Marked first, so records added meanwhile are left
// for the next rating, never rated without being counted.
func (tx *Tx) TakeUnrated(ctx context.Context, g UsageGroup) (int64, error) {
	qs, err := list(ctx, tx.q, func(r scanner) (n int64, err error) { return n, r.Scan(&n) },
		`UPDATE usage_records SET rated = TRUE WHERE order_id = $1 AND line_no = $2 AND period = $3 AND rated = FALSE RETURNING quantity`,
		g.OrderID, g.LineNo, g.Period)
	var sum int64
	for _, n := range qs {
		sum += n
	}
	return sum, err
}

// UsageCharge is one rating of a line's billing month.
type UsageCharge struct {
	ID          string
	OrderID     string
	LineNo      int
	ProductID   string
	BuyerOrgID  string
	SellerOrgID string
	Period      string
	Quantity    int64        // the month's rated usage after this rating
	Cost        money.Amount // what that usage costs
	Amount      money.Amount // charged by this rating: Cost less the charges before
	PostingID   string       // "" when Amount is zero
	RatedAt     time.Time
}

const usageChargeColumns = `id, order_id, line_no, product_id, buyer_org_id, seller_org_id, period, quantity, cost_minor, amount_minor, currency,
	posting_id, rated_at`

func scanUsageCharge(r scanner) (c UsageCharge, err error) {
	var cur money.Currency
	err = r.Scan(&c.ID, &c.OrderID, &c.LineNo, &c.ProductID, &c.BuyerOrgID, &c.SellerOrgID, &c.Period, &c.Quantity, &c.Cost.Minor, &c.Amount.Minor,
		&cur, &c.PostingID, &c.RatedAt)
	c.Cost.Currency, c.Amount.Currency, c.RatedAt = cur, cur, c.RatedAt.UTC()
	return c, err
}

// AddUsageCharge records a rating.
func (tx *Tx) AddUsageCharge(ctx context.Context, c UsageCharge) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO usage_charges (`+usageChargeColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		c.ID, c.OrderID, c.LineNo, c.ProductID, c.BuyerOrgID, c.SellerOrgID, c.Period, c.Quantity, c.Cost.Minor, c.Amount.Minor, c.Cost.Currency,
		c.PostingID, c.RatedAt.UTC())
	return err
}

// LastUsageCharge is the latest rating of a line's billing month (false when
// it was never rated).
func (q *queries) LastUsageCharge(ctx context.Context, g UsageGroup) (UsageCharge, bool, error) {
	list, err := list(ctx, q.q, scanUsageCharge, `SELECT `+usageChargeColumns+` FROM usage_charges
		WHERE order_id = $1 AND line_no = $2 AND period = $3 ORDER BY rated_at DESC, id DESC LIMIT 1`, g.OrderID, g.LineNo, g.Period)
	if err != nil || len(list) == 0 {
		return UsageCharge{}, false, err
	}
	return list[0], true, nil
}

// LineUsage lists a line's records that began in [from, to), oldest first.
func (q *queries) LineUsage(ctx context.Context, orderID string, lineNo int, from, to time.Time) ([]UsageRecord, error) {
	return list(ctx, q.q, scanUsageRecord, `SELECT `+usageRecordColumns+` FROM usage_records
		WHERE order_id = $1 AND line_no = $2 AND begin_at >= $3 AND begin_at < $4 ORDER BY begin_at, record_id`, orderID, lineNo, from.UTC(), to.UTC())
}

// LineCharges lists a line's ratings made in [from, to), oldest first.
func (q *queries) LineCharges(ctx context.Context, orderID string, lineNo int, from, to time.Time) ([]UsageCharge, error) {
	return list(ctx, q.q, scanUsageCharge, `SELECT `+usageChargeColumns+` FROM usage_charges
		WHERE order_id = $1 AND line_no = $2 AND rated_at >= $3 AND rated_at < $4 ORDER BY rated_at, id`, orderID, lineNo, from.UTC(), to.UTC())
}

// Reconciliation is one instance's billing month as the seller reconciles
// it: what it reported, what was rated, and what was charged.
type Reconciliation struct {
	OrderID    string
	LineNo     int
	InstanceID string
	ProductID  string
	Period     string
	Records    int   // records kept (adjustments included)
	Reported   int64 // their quantities summed
	Unrated    int64 // of which not rated yet
	Charged    money.Amount
}

// SellerReconciliation lists a seller's instance-months of a billing month.
func (q *queries) SellerReconciliation(ctx context.Context, sellerOrgID, period string) ([]Reconciliation, error) {
	rows, err := list(ctx, q.q, func(r scanner) (c Reconciliation, err error) {
		return c, r.Scan(&c.OrderID, &c.LineNo, &c.InstanceID, &c.ProductID, &c.Records, &c.Reported, &c.Unrated)
	}, `SELECT order_id, line_no, instance_id, product_id, COUNT(*), COALESCE(SUM(quantity), 0),
			COALESCE(SUM(CASE WHEN rated THEN 0 ELSE quantity END), 0)
		FROM usage_records WHERE seller_org_id = $1 AND period = $2
		GROUP BY order_id, line_no, instance_id, product_id ORDER BY order_id, line_no`, sellerOrgID, period)
	if err != nil {
		return nil, err
	}
	type key struct {
		order string
		line  int
	}
	charged := map[key]money.Amount{}
	cs, err := list(ctx, q.q, func(r scanner) (c UsageCharge, err error) {
		return c, r.Scan(&c.OrderID, &c.LineNo, &c.Amount.Minor, &c.Amount.Currency)
	}, `SELECT order_id, line_no, COALESCE(SUM(amount_minor), 0), currency FROM usage_charges WHERE seller_org_id = $1 AND period = $2
		GROUP BY order_id, line_no, currency`, sellerOrgID, period)
	for _, c := range cs {
		charged[key{c.OrderID, c.LineNo}] = c.Amount
	}
	for i, r := range rows {
		rows[i].Period, rows[i].Charged = period, charged[key{r.OrderID, r.LineNo}]
	}
	return rows, err
}
