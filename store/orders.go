package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// errIdempotencyTaken is CreateOrder's error when the buyer used the key for
// another order meanwhile.
var errIdempotencyTaken = &fault.Error{Code: fault.Conflict, Message: "an order with this Idempotency-Key exists"}

func init() {
	constraintErrors = append(constraintErrors, struct {
		postgres, sqlite string
		err              *fault.Error
	}{"orders_idempotency", "orders.buyer_org_id, orders.idempotency_key", errIdempotencyTaken})
}

// IsIdempotencyTaken reports whether err is CreateOrder's for a key used
// meanwhile by a concurrent request.
func IsIdempotencyTaken(err error) bool {
	fe, ok := err.(*fault.Error)
	return ok && fe.Code == errIdempotencyTaken.Code && fe.Message == errIdempotencyTaken.Message
}

// CreateOrder inserts an order with its lines; key and hash are the buyer's
// Idempotency-Key ("" for none) and its request's hash.
//
// An order paid with a coupon names it (o.CouponID), and so uses it: once,
// the database's unique key decides.
//
// Errors: a Conflict for which IsIdempotencyTaken holds; Conflict
// (error.coupon_used).
func (tx *Tx) CreateOrder(ctx context.Context, o order.Order, key, hash string) error {
	var paidAt any
	if !o.PaidAt.IsZero() {
		paidAt = o.PaidAt
	}
	if _, err := tx.q.ExecContext(ctx, `
		INSERT INTO orders (id, buyer_org_id, buyer_user_id, kind, channel, state, currency, list_minor, discount_minor, paid_minor,
			placed_at, paid_at, idempotency_key, request_hash, subscription_id, coupon_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		o.ID, o.BuyerOrgID, o.BuyerUserID, o.Kind, o.Channel, o.State, o.Currency, o.List.Minor, o.Discount.Minor, o.Payable.Minor,
		o.PlacedAt, paidAt, nullable(key), nullable(hash), nullable(o.SubscriptionID), nullable(o.CouponID)); err != nil {
		return domainError(err)
	}
	rows := make([][]any, len(o.Lines))
	for i, l := range o.Lines {
		content, err := json.Marshal(l)
		if err != nil {
			return err
		}
		rows[i] = []any{o.ID, l.No, l.ProductID, l.SellerOrgID, string(content), l.Paid.Minor}
	}
	if len(rows) == 0 {
		return nil
	}
	_, err := insertRows(ctx, tx.q, "order_lines", "order_id, line_no, product_id, seller_org_id, content, paid_minor", rows, "")
	return err
}

const orderColumns = `o.id, o.buyer_org_id, o.buyer_user_id, o.kind, o.channel, o.state, o.currency, o.list_minor, o.discount_minor, o.paid_minor,
	o.refunded_minor, COALESCE(o.subscription_id, ''), o.placed_at, o.paid_at`

func scanOrder(r scanner) (o order.Order, err error) {
	var paidAt sql.NullTime
	err = r.Scan(&o.ID, &o.BuyerOrgID, &o.BuyerUserID, &o.Kind, &o.Channel, &o.State, &o.Currency,
		&o.List.Minor, &o.Discount.Minor, &o.Payable.Minor, &o.Refunded.Minor, &o.SubscriptionID, &o.PlacedAt, &paidAt)
	o.List.Currency, o.Discount.Currency, o.Payable.Currency, o.Refunded.Currency = o.Currency, o.Currency, o.Currency, o.Currency
	o.PaidAt = paidAt.Time
	return o, err
}

// withLines loads the lines of the orders.
func (q *queries) withLines(ctx context.Context, orders []order.Order) ([]order.Order, error) {
	if len(orders) == 0 {
		return orders, nil
	}
	at := map[string]int{}
	ids := make([]string, len(orders))
	for i, o := range orders {
		at[o.ID], ids[i] = i, o.ID
	}
	in, args := inList(ids)
	type row struct {
		orderID string
		line    order.Line
	}
	rows, err := list(ctx, q.q, func(r scanner) (x row, err error) {
		var content string
		var refunded int64
		if err = r.Scan(&x.orderID, &content, &refunded); err == nil {
			err = json.Unmarshal([]byte(content), &x.line)
			x.line.Refunded = money.New(refunded, x.line.Paid.Currency)
		}
		return x, err
	}, `SELECT order_id, content, refunded_minor FROM order_lines WHERE order_id IN (`+in+`) ORDER BY order_id, line_no`, args...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		o := &orders[at[r.orderID]]
		o.Lines = append(o.Lines, r.line)
	}
	return orders, nil
}

// Order returns an order with its lines.
//
// Errors: NotFound.
func (q *queries) Order(ctx context.Context, id string) (order.Order, error) {
	orders, err := list(ctx, q.q, scanOrder, `SELECT `+orderColumns+` FROM orders o WHERE o.id = $1`, id)
	if err == nil && len(orders) == 0 {
		err = fault.New(fault.NotFound, "no such order")
	}
	if err != nil {
		return order.Order{}, err
	}
	orders, err = q.withLines(ctx, orders)
	if err != nil {
		return order.Order{}, err
	}
	return orders[0], nil
}

// OrderByKey returns the buyer's order placed with the Idempotency-Key, and
// its request's hash.
//
// Errors: NotFound.
func (q *queries) OrderByKey(ctx context.Context, buyerOrgID, key string) (order.Order, string, error) {
	var id, hash string
	err := q.q.QueryRowContext(ctx, `SELECT id, COALESCE(request_hash, '') FROM orders WHERE buyer_org_id = $1 AND idempotency_key = $2`,
		buyerOrgID, key).Scan(&id, &hash)
	if errNoRows(err) {
		return order.Order{}, "", fault.New(fault.NotFound, "no order with this key")
	}
	if err != nil {
		return order.Order{}, "", err
	}
	o, err := q.Order(ctx, id)
	return o, hash, err
}

// OrderFilter selects orders; zero fields select all.
type OrderFilter struct {
	BuyerOrgID  string
	SellerOrgID string // orders with a line of the seller's products
	State       order.State
	Since       time.Time // placed at or after
	Until       time.Time // placed before
	Before      string    // the id of the last order of the previous page
	Limit       int       // 1–500, default 50
}

// Orders lists orders, newest first.
func (q *queries) Orders(ctx context.Context, f OrderFilter) ([]order.Order, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	st := &statement{}
	var where []string
	if f.BuyerOrgID != "" {
		where = append(where, `o.buyer_org_id = `+st.arg(f.BuyerOrgID))
	}
	if f.SellerOrgID != "" {
		where = append(where, `EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.seller_org_id = `+st.arg(f.SellerOrgID)+`)`)
	}
	if f.State != "" {
		where = append(where, `o.state = `+st.arg(f.State))
	}
	if !f.Since.IsZero() {
		where = append(where, `o.placed_at >= `+st.arg(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, `o.placed_at < `+st.arg(f.Until))
	}
	if f.Before != "" {
		where = append(where, `o.id < `+st.arg(f.Before))
	}
	query := `SELECT ` + orderColumns + ` FROM orders o`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	// Order ids are ULIDs: by id is by time placed.
	orders, err := list(ctx, q.q, scanOrder, query+` ORDER BY o.id DESC LIMIT `+st.arg(f.Limit), st.args...)
	if err != nil {
		return nil, err
	}
	return q.withLines(ctx, orders)
}

// StatementLine is one entry on a customer's balance account.
type StatementLine struct {
	PostingID string
	Kind      string
	Ref       string
	Memo      string
	Amount    money.Amount
	At        time.Time
}

// Statement lists the entries of an organisation's balance in a currency,
// newest first.
func (q *queries) Statement(ctx context.Context, orgID string, c money.Currency, limit int) ([]StatementLine, error) {
	return q.statement(ctx, ledger.Customer(orgID), c, limit)
}

// statement lists the entries of a ledger account in a currency, newest
// first.
func (q *queries) statement(ctx context.Context, account ledger.Account, c money.Currency, limit int) ([]StatementLine, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	return list(ctx, q.q, func(r scanner) (s StatementLine, err error) {
		err = r.Scan(&s.PostingID, &s.Kind, &s.Ref, &s.Memo, &s.Amount.Minor, &s.At)
		s.Amount.Currency = c
		return s, err
	}, `SELECT p.id, p.kind, p.ref, p.memo, e.amount_minor, p.created_at FROM ledger_entries e JOIN postings p ON p.id = e.posting_id
		WHERE e.account = $1 AND e.currency = $2 ORDER BY p.created_at DESC, p.id DESC LIMIT $3`, account, c, limit)
}

// SetCreditLimit sets how far below zero an organisation's balance in the
// currency may go.
//
// Errors: Invalid (error.credit_limit) when the balance is below minus the
// new limit already.
func (tx *Tx) SetCreditLimit(ctx context.Context, orgID string, limit money.Amount, at time.Time) error {
	if _, err := tx.q.ExecContext(ctx, `INSERT INTO balances (org_id, currency, balance_minor, credit_limit_minor, updated_at)
		VALUES ($1, $2, 0, 0, $3) ON CONFLICT (org_id, currency) DO NOTHING`, orgID, limit.Currency, at); err != nil {
		return err
	}
	res, err := tx.q.ExecContext(ctx, `UPDATE balances SET credit_limit_minor = $3, updated_at = $4
		WHERE org_id = $1 AND currency = $2 AND balance_minor + $3 >= 0`, orgID, limit.Currency, limit.Minor, at)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fault.Field("credit_limit", "error.credit_limit", "the balance is below minus this limit already: top up first or set a higher limit")
	}
	return nil
}

// SellerSales sums what buyers paid for a seller's products, net of refunds,
// per currency, over all paid orders but test purchases (channel test: a
// seller buying its own products with test credit is no transaction).
func (q *queries) SellerSales(ctx context.Context, sellerOrgID string) ([]money.Amount, error) {
	return list(ctx, q.q, func(r scanner) (a money.Amount, err error) { return a, r.Scan(&a.Currency, &a.Minor) },
		`SELECT o.currency, SUM(l.paid_minor - l.refunded_minor) FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE l.seller_org_id = $1 AND o.paid_at IS NOT NULL AND o.channel <> 'test' GROUP BY o.currency ORDER BY o.currency`, sellerOrgID)
}
