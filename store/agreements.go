package store

import (
	"context"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/seller"
)

// PublishAgreement adds a version of the Seller Agreement; the newest is in force.
//
// Errors: Conflict on "version" when the version exists.
func (tx *Tx) PublishAgreement(ctx context.Context, a seller.Agreement, body, by string) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO agreements (version, title, body, published_at, published_by) VALUES ($1, $2, $3, $4, $5)`,
		a.Version, a.Title, body, a.PublishedAt, nullable(by))
	return domainError(err)
}

// AgreementInForce returns the newest published version and its text.
//
// Errors: NotFound when none was published.
func (q *queries) AgreementInForce(ctx context.Context) (seller.Agreement, string, error) {
	var a seller.Agreement
	var body string
	err := q.q.QueryRowContext(ctx, `
		SELECT version, title, body, published_at FROM agreements ORDER BY published_at DESC, version DESC LIMIT 1`).
		Scan(&a.Version, &a.Title, &body, &a.PublishedAt)
	if errNoRows(err) {
		return a, "", fault.New(fault.NotFound, "no Seller Agreement has been published")
	}
	return a, body, err
}

// AddSignature records that the organisation signed the version; signing twice
// keeps the first signature.
func (tx *Tx) AddSignature(ctx context.Context, orgID string, s seller.Signature) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO agreement_signatures (org_id, version, signed_by, signed_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (org_id, version) DO NOTHING`, orgID, s.Version, s.SignedBy, s.SignedAt)
	return domainError(err)
}

// LatestSignature returns the organisation's signature of the newest version it
// signed, or nil.
func (q *queries) LatestSignature(ctx context.Context, orgID string) (*seller.Signature, error) {
	var s seller.Signature
	err := q.q.QueryRowContext(ctx, `
		SELECT s.version, s.signed_by, s.signed_at
		FROM agreement_signatures s JOIN agreements a ON a.version = s.version
		WHERE s.org_id = $1 ORDER BY a.published_at DESC, a.version DESC LIMIT 1`, orgID).
		Scan(&s.Version, &s.SignedBy, &s.SignedAt)
	if errNoRows(err) {
		return nil, nil
	}
	return &s, err
}
