package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudmart/cloudmart/fault"
)

// InstanceState is where a delivered server is, as the marketplace last
// left it.
type InstanceState string

const (
	InstanceCreating InstanceState = "creating" // asked for; booting, or made again after a failure
	InstanceRunning  InstanceState = "running"
	InstanceStopped  InstanceState = "stopped" // its subscription's term ended: kept for the grace period
	InstanceDeleted  InstanceState = "deleted" // released: the grace period ended, or it was refunded
	InstanceFailed   InstanceState = "failed"  // the provider refused it; nothing runs
)

// InstanceStates lists every state, in life-cycle order.
var InstanceStates = []InstanceState{InstanceCreating, InstanceRunning, InstanceStopped, InstanceDeleted, InstanceFailed}

// Instance is a cloud server delivered for one unit of an image line.
type Instance struct {
	ID          string
	OrderID     string // the order that bought the line
	LineNo      int
	UnitNo      int // 1 … the line's quantity
	BuyerOrgID  string
	SellerOrgID string
	ProductID   string
	Provider    string // the compute service holding ServerID: "sim", "openstack"
	ServerID    string // "" until the provider made one
	Attempt     int    // servers asked for so far (a server in ERROR is replaced): the client token's suffix
	Name        string
	Flavor      string
	Region      string
	ImageRef    string
	State       InstanceState
	Address     string // where to log in; "" until it runs, and once deleted
	LoginUser   string
	// Password is the login password sealed with the server's secret key;
	// "" once the buyer was shown it (PasswordShownAt).
	Password        string
	PasswordShownAt time.Time
	LastError       string // why the last try failed
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

const instanceColumns = `id, order_id, line_no, unit_no, buyer_org_id, seller_org_id, product_id, provider, server_id, attempt, name,
	flavor, region, image_ref, state, address, login_user, password, password_shown_at, last_error, created_at, updated_at`

func scanInstance(r scanner) (in Instance, err error) {
	var shown sql.NullTime
	err = r.Scan(&in.ID, &in.OrderID, &in.LineNo, &in.UnitNo, &in.BuyerOrgID, &in.SellerOrgID, &in.ProductID, &in.Provider, &in.ServerID,
		&in.Attempt, &in.Name, &in.Flavor, &in.Region, &in.ImageRef, &in.State, &in.Address, &in.LoginUser, &in.Password, &shown,
		&in.LastError, &in.CreatedAt, &in.UpdatedAt)
	in.CreatedAt, in.UpdatedAt = in.CreatedAt.UTC(), in.UpdatedAt.UTC()
	if shown.Valid {
		in.PasswordShownAt = shown.Time.UTC()
	}
	return in, err
}

// AddInstance stores the instance of a unit unless the unit has one already,
// and returns the unit's instance as stored: the new one, or the one made
// before (a delivery run again).
func (tx *Tx) AddInstance(ctx context.Context, in Instance) (Instance, error) {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO instances (`+instanceColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
		ON CONFLICT (order_id, line_no, unit_no) DO NOTHING`,
		in.ID, in.OrderID, in.LineNo, in.UnitNo, in.BuyerOrgID, in.SellerOrgID, in.ProductID, in.Provider, in.ServerID, in.Attempt, in.Name,
		in.Flavor, in.Region, in.ImageRef, in.State, in.Address, in.LoginUser, in.Password, nullTime(in.PasswordShownAt), in.LastError,
		in.CreatedAt.UTC(), in.UpdatedAt.UTC())
	if err != nil {
		return Instance{}, domainError(err)
	}
	return oneInstance(list(ctx, tx.q, scanInstance, `SELECT `+instanceColumns+` FROM instances WHERE order_id = $1 AND line_no = $2 AND unit_no = $3`,
		in.OrderID, in.LineNo, in.UnitNo))
}

// SaveInstance writes what happened to an instance (its server, attempt,
// state, address, last error) when it is still as `was` left it (the same
// updated_at), and opens or closes its run at in.UpdatedAt (instance_hours.go).
// Its password is changed only by TakePassword.
//
// Errors: Conflict when it changed meanwhile.
func (tx *Tx) SaveInstance(ctx context.Context, in Instance, was time.Time) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE instances SET server_id = $2, attempt = $3, state = $4, address = $5, last_error = $6, updated_at = $7
		WHERE id = $1 AND updated_at = $8`,
		in.ID, in.ServerID, in.Attempt, in.State, in.Address, in.LastError, in.UpdatedAt.UTC(), was.UTC())
	if err := oneRow(res, err, "the instance changed meanwhile"); err != nil {
		return err
	}
	return tx.noteRun(ctx, in)
}

// TakePassword marks an instance's password shown and forgets it, when it
// is still the sealed one given (nobody took it meanwhile). It reports
// whether this call took it: of two at once, one does.
func (tx *Tx) TakePassword(ctx context.Context, id, sealed string, at time.Time) (bool, error) {
	res, err := tx.q.ExecContext(ctx, `UPDATE instances SET password = '', password_shown_at = $3
		WHERE id = $1 AND password = $2 AND password <> '' AND password_shown_at IS NULL`, id, sealed, at.UTC())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Instance returns an instance.
//
// Errors: NotFound.
func (q *queries) Instance(ctx context.Context, id string) (Instance, error) {
	return oneInstance(list(ctx, q.q, scanInstance, `SELECT `+instanceColumns+` FROM instances WHERE id = $1`, id))
}

func oneInstance(ins []Instance, err error) (Instance, error) {
	if err == nil && len(ins) == 0 {
		err = fault.New(fault.NotFound, "no such instance")
	}
	if err != nil {
		return Instance{}, err
	}
	return ins[0], nil
}

// LineInstances lists the instances of an order line, by unit.
func (q *queries) LineInstances(ctx context.Context, orderID string, lineNo int) ([]Instance, error) {
	return list(ctx, q.q, scanInstance, `SELECT `+instanceColumns+` FROM instances WHERE order_id = $1 AND line_no = $2 ORDER BY unit_no`,
		orderID, lineNo)
}

// InstanceFilter chooses instances: a buyer's, a seller's or an order's (at
// least one is set).
type InstanceFilter struct {
	BuyerOrgID  string
	SellerOrgID string
	OrderID     string
	Limit       int // 500 when 0
}

// Instances lists instances by the filter: the newest order's first (ids
// sort by time), each order's by line and unit.
func (q *queries) Instances(ctx context.Context, f InstanceFilter) ([]Instance, error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	return list(ctx, q.q, scanInstance, `SELECT `+instanceColumns+` FROM instances
		WHERE ($1 = '' OR buyer_org_id = $1) AND ($2 = '' OR seller_org_id = $2) AND ($3 = '' OR order_id = $3)
			AND ($1 <> '' OR $2 <> '' OR $3 <> '')
		ORDER BY order_id DESC, line_no, unit_no LIMIT $4`,
		f.BuyerOrgID, f.SellerOrgID, f.OrderID, f.Limit)
}
