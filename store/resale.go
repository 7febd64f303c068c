package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/resale"
	"github.com/cloudmart/cloudmart/seller"
)

// errResaleLive is the answer to a second pending or active authorisation of
// a product for the same partner.
var errResaleLive = &fault.Error{Code: fault.Conflict, Field: "partner_org_id", MsgID: "error.resale_exists",
	Message: "the product is authorised (or waiting for approval) for this partner already: revoke that one first"}

func init() {
	constraintErrors = append(constraintErrors, struct {
		postgres, sqlite string
		err              *fault.Error
	}{"resale_authorisations_live", "resale_authorisations.product_id, resale_authorisations.partner_org_id", errResaleLive})
}

// ResaleRequirements returns the operators' resale requirements, and false
// with resale.Defaults when none were set.
func (q *queries) ResaleRequirements(ctx context.Context) (resale.Requirements, bool, error) {
	var r resale.Requirements
	var by sql.NullString
	err := q.q.QueryRowContext(ctx, `SELECT min_approved_days, refund_policy, max_failed_deliveries, standard_discount_bps, updated_at, updated_by
		FROM resale_requirements WHERE id = 1`).Scan(&r.MinApprovedDays, &r.RefundPolicy, &r.MaxFailedDeliveries, &r.StandardDiscountBPS, &r.UpdatedAt, &by)
	if errNoRows(err) {
		return resale.Defaults, false, nil
	}
	r.UpdatedBy = by.String
	return r, err == nil, err
}

// SetResaleRequirements stores the requirements (the one row).
func (tx *Tx) SetResaleRequirements(ctx context.Context, r resale.Requirements) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO resale_requirements (id, min_approved_days, refund_policy, max_failed_deliveries, standard_discount_bps, updated_at, updated_by)
		VALUES (1, $1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET min_approved_days = excluded.min_approved_days, refund_policy = excluded.refund_policy,
			max_failed_deliveries = excluded.max_failed_deliveries, standard_discount_bps = excluded.standard_discount_bps,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		r.MinApprovedDays, r.RefundPolicy, r.MaxFailedDeliveries, r.StandardDiscountBPS, r.UpdatedAt, nullable(r.UpdatedBy))
	return err
}

const resaleColumns = `id, product_id, seller_org_id, partner_org_id, discount_bps, state, note, reason, created_at, created_by,
	decided_at, COALESCE(decided_by, ''), updated_at`

func scanResale(r scanner) (a resale.Authorisation, err error) {
	var decided sql.NullTime
	err = r.Scan(&a.ID, &a.ProductID, &a.SellerOrgID, &a.PartnerOrgID, &a.DiscountBPS, &a.State, &a.Note, &a.Reason, &a.CreatedAt, &a.CreatedBy,
		&decided, &a.DecidedBy, &a.UpdatedAt)
	a.DecidedAt = decided.Time
	return a, err
}

// AddResaleAuthorisation records a seller's authorisation.
//
// Errors: Conflict (error.resale_exists) when the product has a pending or
// active one for the partner.
func (tx *Tx) AddResaleAuthorisation(ctx context.Context, a resale.Authorisation) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO resale_authorisations (id, product_id, seller_org_id, partner_org_id, discount_bps, state,
		note, reason, created_at, created_by, decided_at, decided_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		a.ID, a.ProductID, a.SellerOrgID, a.PartnerOrgID, a.DiscountBPS, a.State, a.Note, a.Reason, a.CreatedAt, a.CreatedBy,
		nullTime(a.DecidedAt), nullable(a.DecidedBy), a.UpdatedAt)
	return domainError(err)
}

// MoveResaleAuthorisation stores a, an authorisation after a step from the
// state from, only if it is still in that state.
//
// Errors: Conflict (error.changed_meanwhile) when it changed meanwhile.
func (tx *Tx) MoveResaleAuthorisation(ctx context.Context, from resale.State, a resale.Authorisation) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE resale_authorisations SET state = $3, reason = $4, decided_at = $5, decided_by = $6, updated_at = $7
		WHERE id = $1 AND state = $2`, a.ID, from, a.State, a.Reason, nullTime(a.DecidedAt), nullable(a.DecidedBy), a.UpdatedAt)
	if changed, err := changedOne(res, err); changed || err != nil {
		return err
	}
	return &fault.Error{Code: fault.Conflict, MsgID: "error.changed_meanwhile", Message: "the authorisation changed meanwhile: reload it"}
}

// ResaleAuthorisation returns one authorisation.
//
// Errors: NotFound.
func (q *queries) ResaleAuthorisation(ctx context.Context, id string) (resale.Authorisation, error) {
	as, err := list(ctx, q.q, scanResale, `SELECT `+resaleColumns+` FROM resale_authorisations WHERE id = $1`, id)
	if err == nil && len(as) == 0 {
		err = &fault.Error{Code: fault.NotFound, MsgID: "error.resale_unknown", Message: "no such resale authorisation"}
	}
	if err != nil {
		return resale.Authorisation{}, err
	}
	return as[0], nil
}

// ResaleFilter selects authorisations; zero fields select all.
type ResaleFilter struct {
	SellerOrgID  string
	PartnerOrgID string
	ProductID    string
	States       []resale.State // any of these
}

// ResaleAuthorisations lists authorisations, newest first (at most 500).
func (q *queries) ResaleAuthorisations(ctx context.Context, f ResaleFilter) ([]resale.Authorisation, error) {
	st := &statement{}
	where := []string{"1 = 1"}
	if f.SellerOrgID != "" {
		where = append(where, `seller_org_id = `+st.arg(f.SellerOrgID))
	}
	if f.PartnerOrgID != "" {
		where = append(where, `partner_org_id = `+st.arg(f.PartnerOrgID))
	}
	if f.ProductID != "" {
		where = append(where, `product_id = `+st.arg(f.ProductID))
	}
	if len(f.States) > 0 {
		marks := make([]string, len(f.States))
		for i, s := range f.States {
			marks[i] = st.arg(s)
		}
		where = append(where, `state IN (`+strings.Join(marks, ", ")+`)`)
	}
	return list(ctx, q.q, scanResale, `SELECT `+resaleColumns+` FROM resale_authorisations WHERE `+strings.Join(where, " AND ")+`
		ORDER BY created_at DESC, id DESC LIMIT 500`, st.args...)
}

// SellerApprovedSince is when the organisation's seller application was last
// approved (after a reinstatement, the reinstatement); zero when it is not
// approved now (none, suspended …). SellerApprovedAt is the first approval.
func (q *queries) SellerApprovedSince(ctx context.Context, orgID string) (time.Time, error) {
	var decided sql.NullTime
	var updated time.Time
	err := q.q.QueryRowContext(ctx, `SELECT decided_at, updated_at FROM seller_applications WHERE org_id = $1 AND state = $2`,
		orgID, seller.Approved).Scan(&decided, &updated)
	if errNoRows(err) {
		return time.Time{}, nil
	}
	if !decided.Valid { // approved without a decision recorded (loaded so)
		return updated, err
	}
	return decided.Time, err
}

// FailedDeliveries counts the deliveries of the seller's products that
// failed (their last change) at or after since.
func (q *queries) FailedDeliveries(ctx context.Context, sellerOrgID string, since time.Time) (int, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries WHERE seller_org_id = $1 AND state = 'failed' AND updated_at >= $2`,
		sellerOrgID, since).Scan(&n)
	return n, err
}

// PartnerSale is an order a channel partner placed for its customer, with
// its margin.
type PartnerSale struct {
	Order          order.Order
	PartnerOrgID   string
	CustomerOrgID  string
	Margin         money.Amount // the partner's, when placed
	MarginRefunded money.Amount // taken back by refunds
}

// AddPartnerSale records that the partner placed the order o (in the
// transaction that places it), with its margin.
func (tx *Tx) AddPartnerSale(ctx context.Context, o order.Order) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO partner_sales (order_id, partner_org_id, customer_org_id, currency, margin_minor, placed_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, o.ID, o.PartnerOrgID(), o.BuyerOrgID, o.Currency, o.PartnerMargin().Minor, o.PlacedAt)
	return err
}

// RefundPartnerMargin adds what a refund of a partner's order took back of
// its margin.
func (tx *Tx) RefundPartnerMargin(ctx context.Context, orderID string, back money.Amount) error {
	_, err := tx.q.ExecContext(ctx, `UPDATE partner_sales SET margin_refunded_minor = margin_refunded_minor + $2 WHERE order_id = $1`, orderID, back.Minor)
	return err
}

// PartnerSales lists the orders the partner placed, newest first (at most
// limit, 1–500, default 100).
func (q *queries) PartnerSales(ctx context.Context, partnerOrgID string, limit int) ([]PartnerSale, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	type row struct {
		orderID, customer string
		margin, refunded  int64
	}
	rows, err := list(ctx, q.q, func(r scanner) (x row, err error) {
		return x, r.Scan(&x.orderID, &x.customer, &x.margin, &x.refunded)
	}, `SELECT order_id, customer_org_id, margin_minor, margin_refunded_minor FROM partner_sales
		WHERE partner_org_id = $1 ORDER BY order_id DESC LIMIT $2`, partnerOrgID, limit)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.orderID
	}
	in, args := inList(ids)
	orders, err := list(ctx, q.q, scanOrder, `SELECT `+orderColumns+` FROM orders o WHERE o.id IN (`+in+`) ORDER BY o.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	if orders, err = q.withLines(ctx, orders); err != nil {
		return nil, err
	}
	byID := map[string]row{}
	for _, r := range rows {
		byID[r.orderID] = r
	}
	out := make([]PartnerSale, len(orders))
	for i, o := range orders {
		r := byID[o.ID]
		out[i] = PartnerSale{Order: o, PartnerOrgID: partnerOrgID, CustomerOrgID: r.customer,
			Margin: money.New(r.margin, o.Currency), MarginRefunded: money.New(r.refunded, o.Currency)}
	}
	return out, nil
}

// PartnerTotal is a partner's sales and margin in one currency, net of
// refunds.
type PartnerTotal struct {
	Currency money.Currency
	Orders   int
	Sales    money.Amount // what its customers paid, less refunds
	Margin   money.Amount // its margin, less what refunds took back
}

// PartnerTotals sums the partner's sales by currency.
func (q *queries) PartnerTotals(ctx context.Context, partnerOrgID string) ([]PartnerTotal, error) {
	return list(ctx, q.q, func(r scanner) (t PartnerTotal, err error) {
		err = r.Scan(&t.Currency, &t.Orders, &t.Sales.Minor, &t.Margin.Minor)
		t.Sales.Currency, t.Margin.Currency = t.Currency, t.Currency
		return t, err
	}, `SELECT ps.currency, COUNT(*), COALESCE(SUM(o.paid_minor - o.refunded_minor), 0), COALESCE(SUM(ps.margin_minor - ps.margin_refunded_minor), 0)
		FROM partner_sales ps JOIN orders o ON o.id = ps.order_id
		WHERE ps.partner_org_id = $1 GROUP BY ps.currency ORDER BY ps.currency`, partnerOrgID)
}

// PartnerCustomerOrders lists the orders of the partner's customers (placed
// by the partner or by themselves), newest first (at most limit, 1–500,
// default 100).
func (q *queries) PartnerCustomerOrders(ctx context.Context, partnerOrgID string, limit int) ([]order.Order, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	orders, err := list(ctx, q.q, scanOrder, `SELECT `+orderColumns+` FROM orders o JOIN orgs c ON c.id = o.buyer_org_id
		WHERE c.kind = 'customer' AND c.partner_org_id = $1 ORDER BY o.id DESC LIMIT $2`, partnerOrgID, limit)
	if err != nil {
		return nil, err
	}
	return q.withLines(ctx, orders)
}

// SellerPartnerOrders lists the orders partners placed with a line of the
// seller's products, newest first (at most limit, 1–500, default 100), whole:
// the caller keeps the seller's lines.
func (q *queries) SellerPartnerOrders(ctx context.Context, sellerOrgID string, limit int) ([]order.Order, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	orders, err := list(ctx, q.q, scanOrder, `SELECT `+orderColumns+` FROM orders o JOIN partner_sales ps ON ps.order_id = o.id
		WHERE EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.seller_org_id = $1)
		ORDER BY o.id DESC LIMIT $2`, sellerOrgID, limit)
	if err != nil {
		return nil, err
	}
	return q.withLines(ctx, orders)
}

// ActiveResaleDiscounts returns the partner discount of each of the products
// that has an active authorisation for the partner, by product id.
func (q *queries) ActiveResaleDiscounts(ctx context.Context, partnerOrgID string, productIDs []string) (map[string]int, error) {
	out := map[string]int{}
	if len(productIDs) == 0 {
		return out, nil
	}
	st := &statement{}
	where := `partner_org_id = ` + st.arg(partnerOrgID) + ` AND state = ` + st.arg(resale.Active)
	marks := make([]string, len(productIDs))
	for i, id := range productIDs {
		marks[i] = st.arg(id)
	}
	type row struct {
		product string
		bps     int
	}
	rows, err := list(ctx, q.q, func(r scanner) (x row, err error) { return x, r.Scan(&x.product, &x.bps) },
		`SELECT product_id, discount_bps FROM resale_authorisations WHERE `+where+` AND product_id IN (`+strings.Join(marks, ", ")+`)`, st.args...)
	for _, r := range rows {
		out[r.product] = r.bps
	}
	return out, err
}

// PartnerOrgs lists the channel partner organisations, by name.
func (q *queries) PartnerOrgs(ctx context.Context) ([]account.Org, error) {
	return list(ctx, q.q, scanOrg, `SELECT `+orgColumns+` FROM orgs WHERE kind = 'partner' ORDER BY name, id`)
}

// AccountBalance sums a ledger account's entries in the currency: what the
// marketplace owes a partner (ledger.PartnerPayable) or a seller, say.
func (q *queries) AccountBalance(ctx context.Context, account ledger.Account, c money.Currency) (money.Amount, error) {
	sum := money.New(0, c)
	err := q.q.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_entries WHERE account = $1 AND currency = $2`,
		account, c).Scan(&sum.Minor)
	return sum, err
}
