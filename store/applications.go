package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/seller"
)

const applicationColumns = `id, org_id, applicant_id, state, legal_name, registration_number, country, established,
	offerings, presales, postsales, support, COALESCE(tax_bank_masked, ''), tax_bank_updated_at,
	tax_bank_certified_at, COALESCE(tax_bank_certified_by, ''), submitted_at, decided_at, COALESCE(decided_by, ''),
	reason, revision, created_at, updated_at`

// jsonText encodes a value stored as JSON text.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("store: %T does not encode: %v", v, err)) // only our own plain types are stored
	}
	return string(b)
}

func scanApplication(row scanner) (seller.Record, error) {
	var (
		r                                     seller.Record
		established, offerings, pre, post, sc string
		masked                                string
		tbUpdated, tbCertified, sub, dec      sql.Null[time.Time]
	)
	err := row.Scan(&r.ID, &r.OrgID, &r.ApplicantID, &r.State, &r.LegalName, &r.RegistrationNumber, &r.Country, &established,
		&offerings, &pre, &post, &sc, &masked, &tbUpdated, &tbCertified, &r.TaxBankCertifiedBy, &sub, &dec, &r.DecidedBy,
		&r.Reason, &r.Revision, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	if established != "" {
		if r.Established, err = seller.ParseDate(established); err != nil {
			return r, fmt.Errorf("store: application %s: established %q: %w", r.ID, established, err)
		}
	}
	for _, f := range []struct {
		text string
		into any
	}{{offerings, &r.Offerings}, {pre, &r.PreSales}, {post, &r.PostSales}, {sc, &r.Support}} {
		if err := json.Unmarshal([]byte(f.text), f.into); err != nil {
			return r, fmt.Errorf("store: application %s: %w", r.ID, err)
		}
	}
	if masked != "" {
		r.TaxBank = &seller.TaxBank{}
		if err := json.Unmarshal([]byte(masked), r.TaxBank); err != nil {
			return r, fmt.Errorf("store: application %s: tax and bank: %w", r.ID, err)
		}
	}
	r.TaxBankUpdatedAt, r.TaxBankCertifiedAt, r.SubmittedAt, r.DecidedAt = tbUpdated.V, tbCertified.V, sub.V, dec.V
	return r, nil
}

func dateText(d seller.Date) string {
	if d == (seller.Date{}) {
		return ""
	}
	return d.String()
}

func nullTime(t time.Time) sql.Null[time.Time] { return sql.Null[time.Time]{V: t, Valid: !t.IsZero()} }

// CreateApplication inserts an application with its regions.
//
// Errors: Conflict when the organisation has one already.
func (tx *Tx) CreateApplication(ctx context.Context, r seller.Record) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO seller_applications (id, org_id, applicant_id, state, legal_name, registration_number, country,
			established, offerings, presales, postsales, support, reason, revision, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', 1, $13, $13)`,
		r.ID, r.OrgID, r.ApplicantID, r.State, r.LegalName, r.RegistrationNumber, r.Country, dateText(r.Established),
		jsonText(r.Offerings), jsonText(r.PreSales), jsonText(r.PostSales), jsonText(r.Support), r.CreatedAt)
	if err != nil {
		return domainError(err)
	}
	return tx.setRegions(ctx, r.ID, r.RegionCodes)
}

// UpdateApplication saves what the company stated, if the application is
// still at the revision read (else someone changed it meanwhile).
//
// Errors: Conflict when the revision moved on.
func (tx *Tx) UpdateApplication(ctx context.Context, r seller.Record, at time.Time) error {
	res, err := tx.q.ExecContext(ctx, `
		UPDATE seller_applications SET legal_name = $3, registration_number = $4, country = $5, established = $6,
			offerings = $7, presales = $8, postsales = $9, support = $10, revision = revision + 1, updated_at = $11
		WHERE id = $1 AND revision = $2`,
		r.ID, r.Revision, r.LegalName, r.RegistrationNumber, r.Country, dateText(r.Established),
		jsonText(r.Offerings), jsonText(r.PreSales), jsonText(r.PostSales), jsonText(r.Support), at)
	if err := oneRow(res, err, "the application was changed meanwhile: reload it"); err != nil {
		return err
	}
	return tx.setRegions(ctx, r.ID, r.RegionCodes)
}

// oneRow turns an update that touched no row into a Conflict.
func oneRow(res sql.Result, err error, msg string) error {
	if err != nil {
		return domainError(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return &fault.Error{Code: fault.Conflict, MsgID: "error.changed_meanwhile", Message: msg}
	}
	return nil
}

func (tx *Tx) setRegions(ctx context.Context, appID string, codes []string) error {
	if _, err := tx.q.ExecContext(ctx, `DELETE FROM application_regions WHERE application_id = $1`, appID); err != nil {
		return err
	}
	for _, c := range codes {
		if _, err := tx.q.ExecContext(ctx, `
			INSERT INTO application_regions (application_id, region_code) VALUES ($1, $2)`, appID, c); err != nil {
			return err
		}
	}
	return nil
}

// MoveApplication records a step of the review: the state moves from one to the
// other only if the application is still in from.
//
// Errors: Conflict when its state changed meanwhile.
func (tx *Tx) MoveApplication(ctx context.Context, id string, from, to seller.State, actorID, reason string, at time.Time) error {
	submitted := sql.Null[time.Time]{}
	if to == seller.Submitted {
		submitted = nullTime(at)
	}
	decided := to != seller.Submitted
	res, err := tx.q.ExecContext(ctx, `
		UPDATE seller_applications SET state = $3, revision = revision + 1, updated_at = $4,
			submitted_at = COALESCE($5, submitted_at),
			decided_at = CASE WHEN $6 THEN $4 ELSE decided_at END,
			decided_by = CASE WHEN $6 THEN $7 ELSE decided_by END,
			reason = $8
		WHERE id = $1 AND state = $2`,
		id, from, to, at, submitted, decided, nullable(actorID), reason)
	if err := oneRow(res, err, "the application's state changed meanwhile: reload it"); err != nil {
		return err
	}
	_, err = tx.q.ExecContext(ctx, `
		INSERT INTO application_events (id, application_id, at, actor_id, from_state, to_state, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ids.New("aev"), id, at, nullable(actorID), from, to, reason)
	return err
}

// SetTaxBank stores sealed tax and bank details with their masked form, and
// withdraws any certification: it was of the old details.
func (tx *Tx) SetTaxBank(ctx context.Context, appID, sealed string, masked seller.TaxBank, at time.Time) error {
	res, err := tx.q.ExecContext(ctx, `
		UPDATE seller_applications SET tax_bank_sealed = $2, tax_bank_masked = $3, tax_bank_updated_at = $4,
			tax_bank_certified_at = NULL, tax_bank_certified_by = NULL, revision = revision + 1, updated_at = $4
		WHERE id = $1`, appID, sealed, jsonText(masked), at)
	return oneRow(res, err, "no such application")
}

// CertifyTaxBank marks the details on file certified, if they are still the
// ones updated at detailsAt.
//
// Errors: Conflict when they changed meanwhile or were never entered.
func (tx *Tx) CertifyTaxBank(ctx context.Context, appID string, detailsAt time.Time, by string, at time.Time) error {
	res, err := tx.q.ExecContext(ctx, `
		UPDATE seller_applications SET tax_bank_certified_at = $3, tax_bank_certified_by = $4, revision = revision + 1, updated_at = $3
		WHERE id = $1 AND tax_bank_sealed IS NOT NULL AND tax_bank_updated_at = $2`, appID, detailsAt, at, by)
	return oneRow(res, err, "the tax and bank details changed meanwhile: review them again")
}

// SealedTaxBank returns the sealed tax and bank details ("" if none).
func (q *queries) SealedTaxBank(ctx context.Context, appID string) (string, error) {
	var s sql.NullString
	err := q.q.QueryRowContext(ctx, `SELECT tax_bank_sealed FROM seller_applications WHERE id = $1`, appID).Scan(&s)
	return s.String, err
}

// Application returns the application with the id.
//
// Errors: NotFound.
func (q *queries) Application(ctx context.Context, id string) (seller.Record, error) {
	return q.oneApplication(ctx, `id = $1`, id)
}

// ApplicationOfOrg returns the organisation's application.
//
// Errors: NotFound.
func (q *queries) ApplicationOfOrg(ctx context.Context, orgID string) (seller.Record, error) {
	return q.oneApplication(ctx, `org_id = $1`, orgID)
}

func (q *queries) oneApplication(ctx context.Context, where string, arg string) (seller.Record, error) {
	r, err := scanApplication(q.q.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM seller_applications WHERE `+where, arg))
	if errNoRows(err) {
		return r, &fault.Error{Code: fault.NotFound, MsgID: "error.no_application", Message: "no such application"}
	}
	if err != nil {
		return r, err
	}
	r.RegionCodes, err = q.ApplicationRegions(ctx, r.ID)
	return r, err
}

// ApplicationRegions lists the codes of the regions an application serves.
func (q *queries) ApplicationRegions(ctx context.Context, appID string) ([]string, error) {
	return list(ctx, q.q, func(row scanner) (c string, err error) { return c, row.Scan(&c) },
		`SELECT region_code FROM application_regions WHERE application_id = $1 ORDER BY region_code`, appID)
}

// ApplicationFilter selects applications for the review queue.
type ApplicationFilter struct {
	State           seller.State // "" for all
	Region          string       // serving this region code
	SubmittedBefore time.Time    // submitted before this time (for "older than N days")
	Limit           int
}

// Applications lists applications oldest submission first (never-submitted
// ones last), without their regions.
func (q *queries) Applications(ctx context.Context, f ApplicationFilter) ([]seller.Record, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	query := `SELECT ` + applicationColumns + ` FROM seller_applications a WHERE 1 = 1`
	var args []any
	if f.State != "" {
		args = append(args, f.State)
		query += ` AND state = ` + placeholder(len(args))
	}
	if f.Region != "" {
		args = append(args, f.Region)
		query += ` AND EXISTS (SELECT 1 FROM application_regions r WHERE r.application_id = a.id AND r.region_code = ` + placeholder(len(args)) + `)`
	}
	if !f.SubmittedBefore.IsZero() {
		args = append(args, f.SubmittedBefore)
		query += ` AND submitted_at < ` + placeholder(len(args))
	}
	args = append(args, f.Limit)
	query += ` ORDER BY CASE WHEN submitted_at IS NULL THEN 1 ELSE 0 END, submitted_at, created_at LIMIT ` + placeholder(len(args))
	return list(ctx, q.q, scanApplication, query, args...)
}

// ApplicationEvents lists the steps of an application's review, oldest first.
func (q *queries) ApplicationEvents(ctx context.Context, appID string) ([]seller.Event, error) {
	return list(ctx, q.q, func(row scanner) (e seller.Event, err error) {
		return e, row.Scan(&e.At, &e.ActorID, &e.From, &e.To, &e.Reason)
	}, `SELECT at, COALESCE(actor_id, ''), from_state, to_state, reason FROM application_events
		WHERE application_id = $1 ORDER BY at, id`, appID)
}

// SellerState returns the state of the organisation's application ("" if it
// has none): the catalogue asks it whether a company may sell.
func (q *queries) SellerState(ctx context.Context, orgID string) (seller.State, error) {
	var s seller.State
	err := q.q.QueryRowContext(ctx, `SELECT state FROM seller_applications WHERE org_id = $1`, orgID).Scan(&s)
	if errNoRows(err) {
		return "", nil
	}
	return s, err
}
