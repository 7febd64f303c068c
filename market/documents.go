package market

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"gocloud.dev/blob"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
)

// errNoBlobs is returned when the service was built without a blob store.
var errNoBlobs = errors.New("market: no blob store configured")

// UploadDocument adds a document to the actor's company's application while
// it can be changed. The file is checked (type by content, size), kept in the
// blob store and recorded; a file the database does not record is removed.
//
// Errors: Invalid on "kind" or "file"; InvalidState when the application is
// under review or decided; Forbidden for a seller member.
func (s *Service) UploadDocument(ctx context.Context, actor account.Actor, kind seller.DocumentKind, filename string, body io.Reader) (seller.Document, error) {
	r, err := s.myApplication(ctx, actor, account.EditApplication)
	if err != nil {
		return seller.Document{}, err
	}
	if !r.State.Editable() {
		return seller.Document{}, &fault.Error{Code: fault.InvalidState, MsgID: "error.application_locked",
			Message: fmt.Sprintf("the application is %s: documents can be added only as a draft or when changes are requested", r.State)}
	}
	if s.blobs == nil {
		return seller.Document{}, errNoBlobs
	}
	// Read one byte past the limit to tell "exactly at" from "over".
	data, err := io.ReadAll(io.LimitReader(body, seller.MaxDocumentSize+1))
	if err != nil {
		return seller.Document{}, fault.Field("file", "error.document_read", "the upload was interrupted: try again")
	}
	contentType, err := seller.CheckDocument(kind, filename, int64(len(data)), data[:min(len(data), 512)])
	if err != nil {
		return seller.Document{}, err
	}
	sum := sha256.Sum256(data)
	now := s.now()
	d := seller.Document{ID: ids.New("doc"), ApplicationID: r.ID, Kind: kind, Filename: filename, ContentType: contentType,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), UploadedBy: actor.UserID, UploadedAt: now}
	d.BlobKey = "applications/" + r.ID + "/" + d.ID
	if err := s.blobs.WriteAll(ctx, d.BlobKey, data, &blob.WriterOptions{ContentType: contentType}); err != nil {
		return d, fmt.Errorf("market: store document: %w", err)
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.AddDocument(ctx, d); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "document.upload", objectType: "document",
			objectID: d.ID, orgID: r.OrgID, summary: fmt.Sprintf("%s %q uploaded (%d bytes)", kind, filename, d.Size),
			after: map[string]any{"kind": kind, "filename": filename, "size": d.Size, "sha256": d.SHA256}})
	})
	if err != nil {
		_ = s.blobs.Delete(context.WithoutCancel(ctx), d.BlobKey)
		return d, err
	}
	return d, nil
}

// OpenDocument returns a document of an application with its bytes, for the
// company's own people and for operators. appID "" means the actor's own
// company's application.
//
// Errors: NotFound (also for another company's document).
func (s *Service) OpenDocument(ctx context.Context, actor account.Actor, appID, docID string) (seller.Document, []byte, error) {
	var r seller.Record
	var err error
	if appID == "" {
		r, err = s.myApplication(ctx, actor, account.ReadApplication)
	} else {
		var v ApplicationView
		v, err = s.Application(ctx, actor, appID)
		r = v.Record
	}
	if err != nil {
		return seller.Document{}, nil, err
	}
	d, err := s.store.Document(ctx, r.ID, docID)
	if err != nil {
		return d, nil, err
	}
	if s.blobs == nil {
		return d, nil, errNoBlobs
	}
	data, err := s.blobs.ReadAll(ctx, d.BlobKey)
	if err != nil {
		return d, nil, fmt.Errorf("market: read document %s: %w", d.ID, err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != d.SHA256 {
		return d, nil, fmt.Errorf("market: document %s does not match its checksum", d.ID)
	}
	return d, bytes.Clone(data), nil
}

// DeleteDocument withdraws a document of the actor's company's application
// while it can be changed.
//
// Errors: NotFound; InvalidState.
func (s *Service) DeleteDocument(ctx context.Context, actor account.Actor, docID string) error {
	r, err := s.myApplication(ctx, actor, account.EditApplication)
	if err != nil {
		return err
	}
	if !r.State.Editable() {
		return &fault.Error{Code: fault.InvalidState, MsgID: "error.application_locked", Message: "documents of an application under review or decided cannot be removed"}
	}
	d, err := s.store.Document(ctx, r.ID, docID)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteDocument(ctx, r.ID, docID, now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "document.delete", objectType: "document",
			objectID: d.ID, orgID: r.OrgID, summary: fmt.Sprintf("%s %q removed", d.Kind, d.Filename)})
	})
	if err == nil && s.blobs != nil {
		_ = s.blobs.Delete(ctx, d.BlobKey)
	}
	return err
}
