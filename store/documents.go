package store

import (
	"context"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/seller"
)

const documentColumns = `id, application_id, kind, filename, content_type, size, sha256, blob_key, uploaded_by, uploaded_at`

func scanDocument(row scanner) (d seller.Document, err error) {
	return d, row.Scan(&d.ID, &d.ApplicationID, &d.Kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.BlobKey, &d.UploadedBy, &d.UploadedAt)
}

// AddDocument records an uploaded document (its bytes are in the blob store).
func (tx *Tx) AddDocument(ctx context.Context, d seller.Document) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO application_documents (`+documentColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		d.ID, d.ApplicationID, d.Kind, d.Filename, d.ContentType, d.Size, d.SHA256, d.BlobKey, d.UploadedBy, d.UploadedAt)
	return err
}

// Documents lists an application's documents, oldest first.
func (q *queries) Documents(ctx context.Context, appID string) ([]seller.Document, error) {
	return list(ctx, q.q, scanDocument, `SELECT `+documentColumns+` FROM application_documents
		WHERE application_id = $1 AND deleted_at IS NULL ORDER BY uploaded_at, id`, appID)
}

// Document returns one document of the application.
//
// Errors: NotFound, also for a document of another application.
func (q *queries) Document(ctx context.Context, appID, id string) (seller.Document, error) {
	d, err := scanDocument(q.q.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM application_documents
		WHERE id = $1 AND application_id = $2 AND deleted_at IS NULL`, id, appID))
	if errNoRows(err) {
		return d, fault.New(fault.NotFound, "no such document")
	}
	return d, err
}

// DeleteDocument withdraws a document. The record stays (the audit log points
// at it); the blob is removed by the caller after commit.
func (tx *Tx) DeleteDocument(ctx context.Context, appID, id string, at time.Time) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE application_documents SET deleted_at = $3
		WHERE id = $1 AND application_id = $2 AND deleted_at IS NULL`, id, appID, at)
	if err := oneRow(res, err, ""); err != nil {
		return fault.New(fault.NotFound, "no such document")
	}
	return nil
}
