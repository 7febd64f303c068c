package store

import (
	"context"
	"strings"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
)

const productFileColumns = `f.id, f.product_id, f.kind, f.key, f.filename, f.content_type, f.size, f.sha256, f.uploaded_by, f.created_at`

func scanProductFile(row scanner) (f catalog.File, err error) {
	return f, row.Scan(&f.ID, &f.ProductID, &f.Kind, &f.Key, &f.Filename, &f.ContentType, &f.Size, &f.SHA256, &f.UploadedBy, &f.CreatedAt)
}

// errTooManyFiles is the answer when a product has all the files it may keep.
var errTooManyFiles = fault.Field("file", "error.files_many", "this product has as many uploaded files as it may keep")

// AddProductFile records a file uploaded for a product (its bytes are in the
// blob store), counting it against the product's limit of max files.
//
// Errors: Invalid on "file" (error.files_many) when the product has max files
// already; NotFound for an unknown product.
func (tx *Tx) AddProductFile(ctx context.Context, f catalog.File, max int) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE products SET file_count = file_count + 1 WHERE id = $1 AND file_count < $2`, f.ProductID, max)
	if err := oneRow(res, err, ""); err != nil {
		if _, err := tx.Product(ctx, f.ProductID); err != nil {
			return err
		}
		return errTooManyFiles
	}
	_, err = tx.q.ExecContext(ctx, `
		INSERT INTO product_files (id, product_id, kind, key, filename, content_type, size, sha256, uploaded_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		f.ID, f.ProductID, f.Kind, f.Key, f.Filename, f.ContentType, f.Size, f.SHA256, f.UploadedBy, f.CreatedAt)
	return domainError(err)
}

// ProductFiles lists the files uploaded for a product, oldest first.
func (q *queries) ProductFiles(ctx context.Context, productID string) ([]catalog.File, error) {
	return list(ctx, q.q, scanProductFile, `SELECT `+productFileColumns+` FROM product_files f
		WHERE f.product_id = $1 ORDER BY f.created_at, f.id`, productID)
}

// ProductFileKinds maps the keys of a product's files to their kinds.
func (q *queries) ProductFileKinds(ctx context.Context, productID string) (map[string]catalog.FileKind, error) {
	type row struct {
		key  string
		kind catalog.FileKind
	}
	rows, err := list(ctx, q.q, func(s scanner) (r row, err error) { return r, s.Scan(&r.key, &r.kind) },
		`SELECT key, kind FROM product_files WHERE product_id = $1`, productID)
	out := make(map[string]catalog.FileKind, len(rows))
	for _, r := range rows {
		out[r.key] = r.kind
	}
	return out, err
}

// StoredFile is a product's file with what deciding who may read it needs.
type StoredFile struct {
	catalog.File
	SellerOrgID string
	// Public: the product's published revision refers to the file, the
	// product is on the storefront and its seller may sell.
	Public bool
}

// ProductFile returns one file of a product by its key.
//
// Errors: NotFound, also for a file of another product.
func (q *queries) ProductFile(ctx context.Context, productID, key string) (StoredFile, error) {
	var sf StoredFile
	row := q.q.QueryRowContext(ctx, `SELECT `+productFileColumns+`, p.seller_org_id,
			f.live AND EXISTS (SELECT 1 FROM storefront s WHERE s.product_id = f.product_id AND `+sellerMaySell+`)
		FROM product_files f JOIN products p ON p.id = f.product_id
		WHERE f.product_id = $1 AND f.key = $2`, productID, key)
	err := row.Scan(&sf.ID, &sf.ProductID, &sf.Kind, &sf.Key, &sf.Filename, &sf.ContentType, &sf.Size, &sf.SHA256,
		&sf.UploadedBy, &sf.CreatedAt, &sf.SellerOrgID, &sf.Public)
	if errNoRows(err) {
		return sf, &fault.Error{Code: fault.NotFound, MsgID: "error.no_file", Message: "no such file"}
	}
	return sf, err
}

// MarkLiveFiles records which of a product's files its published revision
// refers to (keys), when a revision is approved.
func (tx *Tx) MarkLiveFiles(ctx context.Context, productID string, keys []string) error {
	if _, err := tx.q.ExecContext(ctx, `UPDATE product_files SET live = $2 WHERE product_id = $1 AND live`, productID, false); err != nil {
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	args := []any{productID, true}
	marks := make([]string, 0, len(keys))
	for _, k := range keys {
		args = append(args, k)
		marks = append(marks, placeholder(len(args)))
	}
	_, err := tx.q.ExecContext(ctx, `UPDATE product_files SET live = $2 WHERE product_id = $1 AND key IN (`+strings.Join(marks, ", ")+`)`, args...)
	return err
}

// LiveLogos returns the key of the published logo of each of the products that
// has one, for the storefront's cards.
func (q *queries) LiveLogos(ctx context.Context, productIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(productIDs) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(productIDs))
	marks := make([]string, 0, len(productIDs))
	for _, id := range productIDs {
		args = append(args, id)
		marks = append(marks, placeholder(len(args)))
	}
	type row struct{ product, key string }
	rows, err := list(ctx, q.q, func(s scanner) (r row, err error) { return r, s.Scan(&r.product, &r.key) },
		`SELECT product_id, key FROM product_files
		WHERE kind = 'logo' AND live AND product_id IN (`+strings.Join(marks, ", ")+`)`, args...)
	for _, r := range rows {
		out[r.product] = r.key
	}
	return out, err
}
