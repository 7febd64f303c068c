package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
)

const productColumns = `id, seller_org_id, type, live_revision, COALESCE(live_state, ''), live_reason,
	pending_revision, COALESCE(pending_state, ''), pending_reason, version, created_at, updated_at`

func scanProduct(row scanner) (catalog.Entry, error) {
	var (
		e               catalog.Entry
		liveN, pendingN sql.NullInt64
		liveS, pendingS string
		liveR, pendingR string
	)
	err := row.Scan(&e.ID, &e.SellerOrgID, &e.Type, &liveN, &liveS, &liveR, &pendingN, &pendingS, &pendingR, &e.Version, &e.CreatedAt, &e.UpdatedAt)
	if liveN.Valid {
		e.Listing.Live = &catalog.Revision{Number: int(liveN.Int64), State: catalog.State(liveS), Reason: liveR}
	}
	if pendingN.Valid {
		e.Listing.Pending = &catalog.Revision{Number: int(pendingN.Int64), State: catalog.State(pendingS), Reason: pendingR}
	}
	return e, err
}

// listingColumns are the stored form of a listing.
func listingColumns(l catalog.Listing) (liveN sql.NullInt64, liveS sql.NullString, liveR string, pendingN sql.NullInt64, pendingS sql.NullString, pendingR string) {
	if l.Live != nil {
		liveN, liveS, liveR = sql.NullInt64{Int64: int64(l.Live.Number), Valid: true}, sql.NullString{String: string(l.Live.State), Valid: true}, l.Live.Reason
	}
	if l.Pending != nil {
		pendingN, pendingS, pendingR = sql.NullInt64{Int64: int64(l.Pending.Number), Valid: true}, sql.NullString{String: string(l.Pending.State), Valid: true}, l.Pending.Reason
	}
	return
}

// CreateProduct inserts a product entry (its first revision is put with PutRevision).
func (tx *Tx) CreateProduct(ctx context.Context, e catalog.Entry, sealedKey string) error {
	ln, ls, lr, pn, ps, pr := listingColumns(e.Listing)
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO products (id, seller_org_id, type, live_revision, live_state, live_reason, signing_key,
			pending_revision, pending_state, pending_reason, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)`,
		e.ID, e.SellerOrgID, e.Type, ln, ls, lr, nullable(sealedKey), pn, ps, pr, e.CreatedAt)
	return domainError(err)
}

// SaveListing stores where the product's revisions stand, if the entry is
// still at the version read.
//
// Errors: Conflict when it changed meanwhile.
func (tx *Tx) SaveListing(ctx context.Context, e catalog.Entry, at time.Time) error {
	ln, ls, lr, pn, ps, pr := listingColumns(e.Listing)
	res, err := tx.q.ExecContext(ctx, `
		UPDATE products SET live_revision = $3, live_state = $4, live_reason = $5,
			pending_revision = $6, pending_state = $7, pending_reason = $8, version = version + 1, updated_at = $9
		WHERE id = $1 AND version = $2`, e.ID, e.Version, ln, ls, lr, pn, ps, pr, at)
	return oneRow(res, err, "the product was changed meanwhile: reload it")
}

// SetSigningKey replaces the sealed signing key of a SaaS product.
func (tx *Tx) SetSigningKey(ctx context.Context, productID, sealed string, at time.Time) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE products SET signing_key = $2, updated_at = $3 WHERE id = $1`, productID, sealed, at)
	return oneRow(res, err, "no such product")
}

// SigningKey returns the sealed signing key of a product ("" if none).
func (q *queries) SigningKey(ctx context.Context, productID string) (string, error) {
	var s sql.NullString
	err := q.q.QueryRowContext(ctx, `SELECT signing_key FROM products WHERE id = $1`, productID).Scan(&s)
	if errNoRows(err) {
		return "", fault.New(fault.NotFound, "no such product")
	}
	return s.String, err
}

// Product returns a product entry.
//
// Errors: NotFound.
func (q *queries) Product(ctx context.Context, id string) (catalog.Entry, error) {
	e, err := scanProduct(q.q.QueryRowContext(ctx, `SELECT `+productColumns+` FROM products WHERE id = $1`, id))
	if errNoRows(err) {
		return e, &fault.Error{Code: fault.NotFound, MsgID: "error.no_product", Message: "no such product"}
	}
	return e, err
}

// SellerProducts lists a seller's products, most recently changed first.
func (q *queries) SellerProducts(ctx context.Context, orgID string) ([]catalog.Entry, error) {
	return list(ctx, q.q, scanProduct, `SELECT `+productColumns+` FROM products WHERE seller_org_id = $1 ORDER BY updated_at DESC, id`, orgID)
}

// ProductsInReview lists products with a revision in review, oldest first.
func (q *queries) ProductsInReview(ctx context.Context) ([]catalog.Entry, error) {
	return list(ctx, q.q, scanProduct, `SELECT `+productColumns+` FROM products WHERE pending_state = 'in_review' ORDER BY updated_at, id`)
}

// PutRevision creates or replaces a revision's state and content.
func (tx *Tx) PutRevision(ctx context.Context, productID string, r catalog.RevisionRecord) error {
	content, err := json.Marshal(r.Content)
	if err != nil {
		return fmt.Errorf("store: product content: %w", err)
	}
	_, err = tx.q.ExecContext(ctx, `
		INSERT INTO product_revisions (product_id, number, state, content, reason, created_at, updated_at, submitted_at, decided_at, decided_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (product_id, number) DO UPDATE SET state = $3, content = $4, reason = $5, updated_at = $7,
			submitted_at = $8, decided_at = $9, decided_by = $10`,
		productID, r.Number, r.State, string(content), r.Reason, r.CreatedAt, r.UpdatedAt,
		nullTime(r.SubmittedAt), nullTime(r.DecidedAt), nullable(r.DecidedBy))
	return err
}

func scanRevision(row scanner) (catalog.RevisionRecord, error) {
	var (
		r        catalog.RevisionRecord
		content  string
		sub, dec sql.Null[time.Time]
	)
	if err := row.Scan(&r.Number, &r.State, &content, &r.Reason, &r.CreatedAt, &r.UpdatedAt, &sub, &dec, &r.DecidedBy); err != nil {
		return r, err
	}
	r.SubmittedAt, r.DecidedAt = sub.V, dec.V
	if err := json.Unmarshal([]byte(content), &r.Content); err != nil {
		return r, fmt.Errorf("store: revision %d: %w", r.Number, err)
	}
	return r, nil
}

const revisionColumns = `number, state, content, reason, created_at, updated_at, submitted_at, decided_at, COALESCE(decided_by, '')`

// Revision returns one revision of a product.
//
// Errors: NotFound.
func (q *queries) Revision(ctx context.Context, productID string, number int) (catalog.RevisionRecord, error) {
	r, err := scanRevision(q.q.QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM product_revisions
		WHERE product_id = $1 AND number = $2`, productID, number))
	if errNoRows(err) {
		return r, fault.New(fault.NotFound, "no such revision")
	}
	return r, err
}

// Revisions lists a product's revisions, newest first.
func (q *queries) Revisions(ctx context.Context, productID string) ([]catalog.RevisionRecord, error) {
	return list(ctx, q.q, scanRevision, `SELECT `+revisionColumns+` FROM product_revisions
		WHERE product_id = $1 ORDER BY number DESC`, productID)
}
