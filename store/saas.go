package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudmart/cloudmart/fault"
)

// SaaSInstance is an instance a seller's production endpoint opened for a
// SaaS line (docs/saas-protocol.md).
type SaaSInstance struct {
	OrderID         string
	LineNo          int
	ProductID       string
	BuyerOrgID      string
	SellerOrgID     string
	InstanceID      string // the seller's id
	Plan            string // the plan it runs now
	Trial           bool   // opened as a trial and not converted yet
	FrontEndURL     string
	AdminURL        string
	UserName        string
	Password        string    // sealed with the server's secret key; "" when none was given
	PasswordShownAt time.Time // zero: not shown yet
	State           SaaSState
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// SaaSState is where an instance is.
type SaaSState string

// The instance states.
const (
	SaaSOpening  SaaSState = "opening" // the seller answered 000004: being opened
	SaaSNormal   SaaSState = "normal"
	SaaSFrozen   SaaSState = "frozen"
	SaaSReleased SaaSState = "released"
	SaaSFailed   SaaSState = "failed" // it could not be opened
)

const saasInstanceColumns = `order_id, line_no, product_id, buyer_org_id, seller_org_id, instance_id, plan, trial, front_end_url, admin_url,
	user_name, password, password_shown_at, state, created_at, updated_at`

func scanSaaSInstance(r scanner) (in SaaSInstance, err error) {
	var shown sql.NullTime
	err = r.Scan(&in.OrderID, &in.LineNo, &in.ProductID, &in.BuyerOrgID, &in.SellerOrgID, &in.InstanceID, &in.Plan, &in.Trial, &in.FrontEndURL,
		&in.AdminURL, &in.UserName, &in.Password, &shown, &in.State, &in.CreatedAt, &in.UpdatedAt)
	in.PasswordShownAt, in.CreatedAt, in.UpdatedAt = shown.Time.UTC(), in.CreatedAt.UTC(), in.UpdatedAt.UTC()
	if !shown.Valid {
		in.PasswordShownAt = time.Time{}
	}
	return in, err
}

// SaveSaaSInstance inserts the instance of a line, or writes what changed
// of it (its id, access, plan, trial and state; once shown, the password is
// kept as it is).
//
// Errors: Conflict (error.saas_instance_taken) when another line of the
// seller has the instance id.
func (tx *Tx) SaveSaaSInstance(ctx context.Context, in SaaSInstance) error {
	// Checked first for a clear answer; the unique key still decides.
	switch other, err := tx.SellerInstance(ctx, in.SellerOrgID, in.InstanceID); {
	case err == nil && (other.OrderID != in.OrderID || other.LineNo != in.LineNo):
		return &fault.Error{Code: fault.Conflict, MsgID: "error.saas_instance_taken",
			Message: "the seller answered with instance id " + in.InstanceID + ", which another order line has already"}
	case err != nil && !fault.Is(err, fault.NotFound):
		return err
	}
	_, err := tx.q.ExecContext(ctx, `INSERT INTO saas_instances (`+saasInstanceColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14, $14)
		ON CONFLICT (order_id, line_no) DO UPDATE SET instance_id = excluded.instance_id, plan = excluded.plan, trial = excluded.trial,
			front_end_url = excluded.front_end_url, admin_url = excluded.admin_url, user_name = excluded.user_name,
			password = CASE WHEN saas_instances.password_shown_at IS NULL THEN excluded.password ELSE saas_instances.password END,
			state = excluded.state, updated_at = excluded.updated_at`,
		in.OrderID, in.LineNo, in.ProductID, in.BuyerOrgID, in.SellerOrgID, in.InstanceID, in.Plan, in.Trial, in.FrontEndURL, in.AdminURL,
		in.UserName, in.Password, in.State, in.UpdatedAt)
	return domainError(err)
}

// SaaSInstanceOfLine returns the instance of an order line, if there is one.
func (q *queries) SaaSInstanceOfLine(ctx context.Context, orderID string, lineNo int) (SaaSInstance, bool, error) {
	list, err := list(ctx, q.q, scanSaaSInstance, `SELECT `+saasInstanceColumns+` FROM saas_instances WHERE order_id = $1 AND line_no = $2`, orderID, lineNo)
	if err != nil || len(list) == 0 {
		return SaaSInstance{}, false, err
	}
	return list[0], true, nil
}

// SellerInstance returns a seller's instance by the seller's id of it.
//
// Errors: NotFound.
func (q *queries) SellerInstance(ctx context.Context, sellerOrgID, instanceID string) (SaaSInstance, error) {
	list, err := list(ctx, q.q, scanSaaSInstance, `SELECT `+saasInstanceColumns+` FROM saas_instances
		WHERE seller_org_id = $1 AND instance_id = $2`, sellerOrgID, instanceID)
	if err == nil && len(list) == 0 {
		err = fault.New(fault.NotFound, "no such instance")
	}
	if err != nil {
		return SaaSInstance{}, err
	}
	return list[0], nil
}

// SaaSInstances lists a customer's instances, newest first (at most 500).
func (q *queries) SaaSInstances(ctx context.Context, buyerOrgID string) ([]SaaSInstance, error) {
	return list(ctx, q.q, scanSaaSInstance, `SELECT `+saasInstanceColumns+` FROM saas_instances
		WHERE buyer_org_id = $1 ORDER BY created_at DESC, order_id DESC, line_no LIMIT 500`, buyerOrgID)
}

// TakeSaaSPassword marks an instance's initial password shown and returns it
// sealed, the first time only (ok false afterwards, or when there is none).
func (tx *Tx) TakeSaaSPassword(ctx context.Context, orderID string, lineNo int, at time.Time) (sealed string, ok bool, err error) {
	got, err := list(ctx, tx.q, func(r scanner) (s string, err error) { return s, r.Scan(&s) },
		`UPDATE saas_instances SET password_shown_at = $3
		WHERE order_id = $1 AND line_no = $2 AND password_shown_at IS NULL AND password <> ''
		RETURNING password`, orderID, lineNo, at)
	if err != nil || len(got) == 0 {
		return "", false, err
	}
	return got[0], true, nil
}

// SaaSExchange is one call to a production endpoint and its answer, as the
// seller sees it.
type SaaSExchange struct {
	ID                string
	DeliveryID        string // "" for a test order
	OrderID           string // "" for a test order
	LineNo            int
	ProductID         string
	SellerOrgID       string
	Activity          string
	URL               string
	RequestBody       string
	HTTPStatus        int // 0 when no answer came
	ResponseBody      string
	ResponseTruncated bool
	ResultCode        string // "" when no signed, readable answer came
	Error             string
	Test              bool
	StartedAt         time.Time
	Duration          time.Duration
}

const saasExchangeColumns = `id, delivery_id, order_id, line_no, product_id, seller_org_id, activity, url, request_body, http_status,
	response_body, response_truncated, result_code, error, test, started_at, duration_us`

func scanSaaSExchange(r scanner) (e SaaSExchange, err error) {
	var us int64
	err = r.Scan(&e.ID, &e.DeliveryID, &e.OrderID, &e.LineNo, &e.ProductID, &e.SellerOrgID, &e.Activity, &e.URL, &e.RequestBody, &e.HTTPStatus,
		&e.ResponseBody, &e.ResponseTruncated, &e.ResultCode, &e.Error, &e.Test, &e.StartedAt, &us)
	e.StartedAt, e.Duration = e.StartedAt.UTC(), time.Duration(us)*time.Microsecond
	return e, err
}

// AddSaaSExchange records a call.
func (tx *Tx) AddSaaSExchange(ctx context.Context, e SaaSExchange) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO saas_exchanges (`+saasExchangeColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		e.ID, e.DeliveryID, e.OrderID, e.LineNo, e.ProductID, e.SellerOrgID, e.Activity, e.URL, e.RequestBody, e.HTTPStatus,
		e.ResponseBody, e.ResponseTruncated, e.ResultCode, e.Error, e.Test, e.StartedAt.UTC(), e.Duration.Microseconds())
	return err
}

// ExchangeFilter chooses a seller's exchanges, newest first.
type ExchangeFilter struct {
	SellerOrgID string // required
	ProductID   string // "" for all the seller's products
	DeliveryID  string // "" for all
	Before      time.Time
	Limit       int // 100 when 0, at most 500
}

// SaaSExchanges lists exchanges by the filter.
func (q *queries) SaaSExchanges(ctx context.Context, f ExchangeFilter) ([]SaaSExchange, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	before := f.Before
	if before.IsZero() {
		before = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return list(ctx, q.q, scanSaaSExchange, `SELECT `+saasExchangeColumns+` FROM saas_exchanges
		WHERE seller_org_id = $1 AND ($2 = '' OR product_id = $2) AND ($3 = '' OR delivery_id = $3) AND started_at < $4
		ORDER BY started_at DESC, id DESC LIMIT $5`, f.SellerOrgID, f.ProductID, f.DeliveryID, before.UTC(), f.Limit)
}

// RetryDelivery puts a waiting or failed delivery back to waiting with a new
// deadline, to be queued again, when it is still as `was` left it.
//
// Errors: Conflict when it changed meanwhile or is done.
func (tx *Tx) RetryDelivery(ctx context.Context, id string, giveUpAt, at, was time.Time) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE deliveries SET state = 'waiting', queued = FALSE, give_up_at = $2, updated_at = $3
		WHERE id = $1 AND state IN ('waiting', 'failed') AND updated_at = $4`, id, giveUpAt, at, was)
	return oneRow(res, err, "the delivery changed meanwhile")
}
