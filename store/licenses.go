package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudmart/cloudmart/delivery/license"
	"github.com/cloudmart/cloudmart/fault"
)

// LicenseKey is one of the marketplace's licence signing keys.
type LicenseKey struct {
	ID         string
	PublicKey  string // base64url
	PrivateKey string // sealed with the server's secret key
	CreatedAt  time.Time
	RetiredAt  time.Time // zero: it signs
}

// AddLicenseKey stores a new signing key and retires the others: from now on
// it alone signs.
func (tx *Tx) AddLicenseKey(ctx context.Context, k LicenseKey) error {
	if _, err := tx.q.ExecContext(ctx, `UPDATE license_keys SET retired_at = $1 WHERE retired_at IS NULL`, k.CreatedAt); err != nil {
		return err
	}
	_, err := tx.q.ExecContext(ctx, `INSERT INTO license_keys (id, public_key, private_key, created_at) VALUES ($1, $2, $3, $4)`,
		k.ID, k.PublicKey, k.PrivateKey, k.CreatedAt)
	return err
}

// LicenseKeys lists every signing key, the signing one first, then newest first.
func (q *queries) LicenseKeys(ctx context.Context) ([]LicenseKey, error) {
	return list(ctx, q.q, func(r scanner) (k LicenseKey, err error) {
		var retired sql.NullTime
		err = r.Scan(&k.ID, &k.PublicKey, &k.PrivateKey, &k.CreatedAt, &retired)
		k.RetiredAt = retired.Time
		return k, err
	}, `SELECT id, public_key, private_key, created_at, retired_at FROM license_keys
		ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id`)
}

// License is an issued licence as the marketplace keeps it.
type License struct {
	license.Document           // what its latest signed document says
	OrderID          string    //
	LineNo           int       //
	SellerOrgID      string    //
	Released         bool      // refunded or ended for good
	Token            string    // the latest signed document
	KeyID            string    // the key that signed it
	MachineID        string    // where it is activated ("" not yet)
	ActivatedAt      time.Time //
	LastSeenAt       time.Time // its last heartbeat
	UpdatedAt        time.Time //
}

const licenseColumns = `id, order_id, line_no, product_id, seller_org_id, buyer_org_id, plan, unit, quantity, valid_from, valid_until,
	state, version, document, key_id, machine_id, activated_at, last_seen_at, issued_at, updated_at`

func scanLicense(r scanner) (l License, err error) {
	var until, activated, seen sql.NullTime
	var machine sql.NullString
	var state string
	err = r.Scan(&l.ID, &l.OrderID, &l.LineNo, &l.ProductID, &l.SellerOrgID, &l.Buyer, &l.Plan, &l.Unit, &l.Quantity, &l.ValidFrom, &until,
		&state, &l.Version, &l.Token, &l.KeyID, &machine, &activated, &seen, &l.IssuedAt, &l.UpdatedAt)
	l.ValidFrom, l.IssuedAt, l.UpdatedAt = l.ValidFrom.UTC(), l.IssuedAt.UTC(), l.UpdatedAt.UTC()
	if until.Valid {
		l.ValidUntil = until.Time.UTC()
	}
	l.Released, l.MachineID, l.ActivatedAt, l.LastSeenAt = state == "released", machine.String, activated.Time, seen.Time
	if err == nil { // the columns are for queries; the document says all, the buyer's name too
		l.Document, err = license.Decode(l.Token)
	}
	return l, err
}

// SaveLicense inserts a licence, or writes a new document of it (a renewal,
// an upgrade) or its release, when it is still as `was` left it (the same
// updated_at; zero for a new one).
//
// Errors: Conflict when it changed meanwhile or was issued already.
func (tx *Tx) SaveLicense(ctx context.Context, l License, was time.Time) error {
	state := "issued"
	if l.Released {
		state = "released"
	}
	if was.IsZero() {
		res, err := tx.q.ExecContext(ctx, `INSERT INTO licenses (`+licenseColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL, NULL, NULL, $16, $17)
			ON CONFLICT (order_id, line_no) DO NOTHING`,
			l.ID, l.OrderID, l.LineNo, l.ProductID, l.SellerOrgID, l.Buyer, l.Plan, l.Unit, l.Quantity, l.ValidFrom, nullTime(l.ValidUntil),
			state, l.Version, l.Token, l.KeyID, l.IssuedAt, l.UpdatedAt)
		return oneRow(res, err, "the licence was issued already")
	}
	res, err := tx.q.ExecContext(ctx, `UPDATE licenses SET plan = $2, unit = $3, quantity = $4, valid_from = $5, valid_until = $6, state = $7,
		version = $8, document = $9, key_id = $10, issued_at = $11, updated_at = $12
		WHERE id = $1 AND updated_at = $13`,
		l.ID, l.Plan, l.Unit, l.Quantity, l.ValidFrom, nullTime(l.ValidUntil), state, l.Version, l.Token, l.KeyID, l.IssuedAt, l.UpdatedAt, was)
	return oneRow(res, err, "the licence changed meanwhile")
}

// ActivateLicense binds a licence to a machine, unless it is bound to
// another: activating again on its machine only notes the time (ok true);
// another machine is refused (ok false).
func (tx *Tx) ActivateLicense(ctx context.Context, id, machineID string, at time.Time) (ok bool, err error) {
	res, err := tx.q.ExecContext(ctx, `UPDATE licenses SET machine_id = $2, activated_at = COALESCE(activated_at, $3), last_seen_at = $3
		WHERE id = $1 AND (machine_id IS NULL OR machine_id = $2)`, id, machineID, at)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SeeLicense notes a heartbeat from the licence's machine.
func (tx *Tx) SeeLicense(ctx context.Context, id string, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `UPDATE licenses SET last_seen_at = $2 WHERE id = $1`, id, at)
	return err
}

// ResetLicenseMachine unbinds a licence from its machine, so it may be
// activated on another.
func (tx *Tx) ResetLicenseMachine(ctx context.Context, id string, at time.Time) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE licenses SET machine_id = NULL, activated_at = NULL, updated_at = $2 WHERE id = $1`, id, at)
	return oneRow(res, err, "no such licence")
}

// License returns a licence.
//
// Errors: NotFound.
func (q *queries) License(ctx context.Context, id string) (License, error) {
	return oneLicense(list(ctx, q.q, scanLicense, `SELECT `+licenseColumns+` FROM licenses WHERE id = $1`, id))
}

// LicenseOfLine returns the licence issued for an order line, if any.
func (q *queries) LicenseOfLine(ctx context.Context, orderID string, lineNo int) (License, bool, error) {
	l, err := oneLicense(list(ctx, q.q, scanLicense, `SELECT `+licenseColumns+` FROM licenses WHERE order_id = $1 AND line_no = $2`, orderID, lineNo))
	if fault.Is(err, fault.NotFound) {
		return l, false, nil
	}
	return l, err == nil, err
}

func oneLicense(ls []License, err error) (License, error) {
	if err == nil && len(ls) == 0 {
		err = fault.New(fault.NotFound, "no such licence")
	}
	if err != nil {
		return License{}, err
	}
	return ls[0], nil
}

// LicenseFilter chooses licences: a buyer's or a seller's (one of them is
// set), newest first.
type LicenseFilter struct {
	BuyerOrgID  string
	SellerOrgID string
	Limit       int // 200 when 0
}

// Licenses lists licences by the filter.
func (q *queries) Licenses(ctx context.Context, f LicenseFilter) ([]License, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	return list(ctx, q.q, scanLicense, `SELECT `+licenseColumns+` FROM licenses
		WHERE ($1 = '' OR buyer_org_id = $1) AND ($2 = '' OR seller_org_id = $2) AND ($1 <> '' OR $2 <> '')
		ORDER BY issued_at DESC, id DESC LIMIT $3`, f.BuyerOrgID, f.SellerOrgID, f.Limit)
}
