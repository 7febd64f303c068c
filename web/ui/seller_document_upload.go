package ui

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/seller"
)

// maxUploadBytes bounds an upload's whole body: the largest document and
// room for the form around it.
const maxUploadBytes = seller.MaxDocumentSize + 64<<10

// documentUpload adds a document to the application. The multipart body is
// streamed to the use case, which checks the file's size and type, rather
// than kept in memory or on disk first; the kind comes before the file in the
// form, as browsers send fields in the order of the page.
func (s *server) documentUpload(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = emptyForm("documents")
	p.Form.fields["kind"], p.Form.fields["file"] = true, true
	err := s.upload(r, p)
	// Read what is left (at most the body's limit) so that the browser,
	// still sending, gets the answer rather than a reset connection.
	_, _ = io.Copy(io.Discard, r.Body)
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showStep(w, r, p, status, "documents") })
		return
	}
	redirect(w, r, stepURL("documents")+"?done=uploaded")
}

// upload reads the form's parts and hands the file to the use case.
//
// Errors: those of UploadDocument; Invalid on "file" when none was chosen or
// the body is over the limit.
func (s *server) upload(r *http.Request, p *page) error {
	f := p.Form
	mr, err := r.MultipartReader()
	if err != nil {
		return fault.Field("file", "error.required", "choose a file")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return fault.Field("file", "error.required", "choose a file")
		}
		if err != nil {
			return uploadError(err)
		}
		switch part.FormName() {
		case "kind":
			b, err := io.ReadAll(io.LimitReader(part, 64))
			if err != nil {
				return uploadError(err)
			}
			f.Values["kind"] = strings.TrimSpace(string(b))
		case "file":
			if part.FileName() == "" {
				return fault.Field("file", "error.required", "choose a file")
			}
			_, err := s.svc.UploadDocument(r.Context(), p.Actor, seller.DocumentKind(f.Values["kind"]), part.FileName(), part)
			return err
		}
	}
}

// uploadError is what a broken or oversized upload body means for the visitor.
func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return fault.Field("file", "error.document_size", "upload a file of at most 10 MB")
	}
	return fault.Field("file", "error.document_read", "the upload was interrupted: try again")
}
