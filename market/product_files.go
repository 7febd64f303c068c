package market

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"gocloud.dev/blob"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/store"
)

// UploadProductFile keeps a file for one of the actor's company's products: a
// logo, a screenshot or, for a licence, its terms. The file is checked (size
// and type by its content, catalog.CheckFile), kept in the blob store under a
// new key and recorded; a file the database does not record is removed. The
// seller then puts the returned file's Key in the product's content (logo_key,
// screenshots, license.terms_key), which is checked against the product's
// files when it is saved and submitted.
//
// Errors: NotFound (also for another company's product); Invalid on "kind"
// (error.file_kind, error.terms_license_only) or "file" (the errors of
// catalog.CheckFile, error.file_read, error.files_many).
func (s *Service) UploadProductFile(ctx context.Context, actor account.Actor, productID string, kind catalog.FileKind, filename string, body io.Reader) (catalog.File, error) {
	e, err := s.ownProduct(ctx, actor, productID)
	if err != nil {
		return catalog.File{}, err
	}
	if !kind.Valid() {
		return catalog.File{}, fault.Field("kind", "error.file_kind", "choose logo, screenshot or terms")
	}
	if kind == catalog.FileTerms && e.Type != catalog.TypeLicense {
		return catalog.File{}, fault.Field("kind", "error.terms_license_only", "only a licence has a terms document")
	}
	if s.blobs == nil {
		return catalog.File{}, errNoBlobs
	}
	// Read one byte past the limit to tell "exactly at" from "over".
	data, err := io.ReadAll(io.LimitReader(body, kind.MaxSize()+1))
	if err != nil {
		return catalog.File{}, fault.Field("file", "error.file_read", "the upload was interrupted: try again")
	}
	contentType, err := catalog.CheckFile(kind, filename, int64(len(data)), data[:min(len(data), 512)])
	if err != nil {
		return catalog.File{}, err
	}
	sum := sha256.Sum256(data)
	now := s.now()
	f := catalog.File{ID: ids.New("pfl"), ProductID: e.ID, Kind: kind, Filename: filename, ContentType: contentType,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), UploadedBy: actor.UserID, CreatedAt: now}
	f.Key = catalog.FileKey(e.ID, kind, f.ID, contentType)
	if err := s.blobs.WriteAll(ctx, f.Key, data, &blob.WriterOptions{ContentType: contentType}); err != nil {
		return f, fmt.Errorf("market: store product file: %w", err)
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.AddProductFile(ctx, f, catalog.MaxFiles); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: "seller", action: "product.file_upload", objectType: "product",
			objectID: e.ID, orgID: e.SellerOrgID, summary: fmt.Sprintf("%s %q uploaded (%d bytes)", kind, filename, f.Size),
			after: map[string]any{"file": f.ID, "kind": kind, "key": f.Key, "filename": filename, "content_type": contentType,
				"size": f.Size, "sha256": f.SHA256}})
	})
	if err != nil {
		_ = s.blobs.Delete(context.WithoutCancel(ctx), f.Key)
		return catalog.File{}, err
	}
	return f, nil
}

// ProductFile is a file of a product as it is served.
type ProductFile struct {
	catalog.File
	// Public: the published revision shows it and the product is on sale, so
	// anyone may read it and it may be cached by anyone (keys never change).
	Public bool
}

// OpenProductFile returns a file of a product with its bytes. Anyone may read
// a file the product's published revision refers to while the product is on
// the storefront; its seller's people and operators may read any of its
// files (the editor's preview, the review). have is the SHA-256 (hex) of the
// copy the caller holds, if any: when it is the file's, the bytes are not
// read and nil is returned in their place.
//
// Errors: NotFound for anyone else, as for a file that does not exist.
func (s *Service) OpenProductFile(ctx context.Context, actor account.Actor, productID, key, have string) (ProductFile, []byte, error) {
	sf, err := s.store.ProductFile(ctx, productID, key)
	if err != nil {
		return ProductFile{}, nil, err
	}
	own := account.Can(actor, account.ManageProducts, account.Resource{OrgID: sf.SellerOrgID})
	if !sf.Public && !own && !actor.Has(account.RoleOperator) {
		return ProductFile{}, nil, &fault.Error{Code: fault.NotFound, MsgID: "error.no_file", Message: "no such file"}
	}
	f := ProductFile{File: sf.File, Public: sf.Public}
	if have != "" && have == f.SHA256 {
		return f, nil, nil
	}
	if s.blobs == nil {
		return f, nil, errNoBlobs
	}
	data, err := s.blobs.ReadAll(ctx, f.Key)
	if err != nil {
		return f, nil, fmt.Errorf("market: read product file %s: %w", f.ID, err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != f.SHA256 {
		return f, nil, fmt.Errorf("market: product file %s does not match its checksum", f.ID)
	}
	return f, bytes.Clone(data), nil
}

// ProductFiles lists the files uploaded for a product, oldest first, for its
// seller's people and operators.
//
// Errors: NotFound for anyone else.
func (s *Service) ProductFiles(ctx context.Context, actor account.Actor, productID string) ([]catalog.File, error) {
	if _, err := s.SellerProduct(ctx, actor, productID); err != nil {
		return nil, err
	}
	return s.store.ProductFiles(ctx, productID)
}

// Logos returns the published logo's key of each of the products that has
// one, for the storefront's cards.
func (s *Service) Logos(ctx context.Context, productIDs []string) (map[string]string, error) {
	return s.store.LiveLogos(ctx, productIDs)
}

// checkFiles refuses content that refers to a file not uploaded for the
// product as a file of the kind its field needs.
//
// Errors: those of catalog.Product.CheckFileRefs.
func (s *Service) checkFiles(ctx context.Context, productID string, content catalog.Product) error {
	if len(content.FileRefs()) == 0 {
		return nil
	}
	uploaded, err := s.store.ProductFileKinds(ctx, productID)
	if err != nil {
		return err
	}
	return content.CheckFileRefs(uploaded)
}
