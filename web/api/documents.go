package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/cloudmart/cloudmart/seller"
)

// Document is an uploaded file of an application (its bytes are downloaded
// separately).
type Document struct {
	ID          string    `json:"id" example:"doc_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	Kind        string    `json:"kind" enum:"business_license,tax_registration,bank_proof,other"`
	Filename    string    `json:"filename" example:"business-licence.pdf"`
	ContentType string    `json:"content_type" enum:"application/pdf,image/png,image/jpeg"`
	Size        int64     `json:"size" doc:"Bytes"`
	SHA256      string    `json:"sha256" doc:"Hex SHA-256 of the bytes"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

func documentOf(d seller.Document) Document {
	return Document{ID: d.ID, Kind: string(d.Kind), Filename: d.Filename, ContentType: d.ContentType, Size: d.Size,
		SHA256: d.SHA256, UploadedAt: d.UploadedAt}
}

// MaxUpload is the largest request an upload may be: the largest document
// (seller.MaxDocumentSize) and room for the form around it.
const MaxUpload = seller.MaxDocumentSize + 1<<20

type uploadForm struct {
	// Kind is checked by the use case, which names the field "kind".
	Kind string        `form:"kind" required:"false" doc:"What the document proves: business_license, tax_registration, bank_proof or other" example:"business_license"`
	File huma.FormFile `form:"file" required:"true" doc:"A PDF, PNG or JPEG of at most 10 MB whose content matches its name"`
}

type uploadInput struct {
	RawBody huma.MultipartFormFiles[uploadForm]
}

type documentOutput struct{ Body Document }

type myDocumentInput struct {
	ID string `path:"id" maxLength:"64"`
}

type applicationDocumentInput struct {
	ID    string `path:"id" maxLength:"64"`
	DocID string `path:"doc" maxLength:"64"`
}

// fileOutput is a document's bytes, for download only: browsers must never
// render an applicant's upload in the marketplace's origin.
type fileOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	NoSniff            string `header:"X-Content-Type-Options"`
	CacheControl       string `header:"Cache-Control"`
	Body               []byte
}

func (h handlers) documents(a huma.API) {
	tags := []string{"Sellers"}
	huma.Register(a, huma.Operation{
		OperationID: "upload-document", Method: http.MethodPost, Path: "/api/v1/seller/application/documents", DefaultStatus: http.StatusCreated,
		Summary: "Upload a document to the caller's company's application", Tags: tags, Security: bearer,
		MaxBodyBytes: MaxUpload, BodyReadTimeout: time.Minute, Errors: []int{400, 401, 403, 404, 409, 413},
		Description: "multipart/form-data with the fields kind and file. The file's type is judged by its content, which must " +
			"match its name's extension (.pdf, .png, .jpg, .jpeg). A request over 11 MiB is refused with 413 too_large. " +
			"Documents can be added while the application is a draft or changes were requested.",
		Middlewares: huma.Middlewares{limitMultipart(a)},
	}, func(ctx context.Context, in *uploadInput) (*documentOutput, error) {
		form := in.RawBody.Data()
		defer form.File.Close()
		d, err := h.svc.UploadDocument(ctx, actorOf(ctx), seller.DocumentKind(form.Kind), form.File.Filename, form.File)
		if err != nil {
			return nil, err
		}
		return &documentOutput{Body: documentOf(d)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-my-document", Method: http.MethodGet, Path: "/api/v1/seller/application/documents/{id}",
		Summary: "Download a document of the caller's company's application", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Responses: fileResponses(),
	}, func(ctx context.Context, in *myDocumentInput) (*fileOutput, error) {
		d, data, err := h.svc.OpenDocument(ctx, actorOf(ctx), "", in.ID)
		if err != nil {
			return nil, err
		}
		return fileOf(d, data), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "delete-document", Method: http.MethodDelete, Path: "/api/v1/seller/application/documents/{id}", DefaultStatus: http.StatusNoContent,
		Summary: "Remove a document from the caller's company's application", Tags: tags, Security: bearer, Errors: []int{401, 403, 404, 409},
		Description: "Only while the application is a draft or changes were requested (409 invalid_state otherwise).",
	}, func(ctx context.Context, in *myDocumentInput) (*noContent, error) {
		return nil, h.svc.DeleteDocument(ctx, actorOf(ctx), in.ID)
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-application-document", Method: http.MethodGet, Path: "/api/v1/applications/{id}/documents/{doc}",
		Summary: "Download a document of an application (operators, or the applying company)", Tags: []string{"Review"},
		Security: bearer, Errors: []int{401, 404}, Responses: fileResponses(),
	}, func(ctx context.Context, in *applicationDocumentInput) (*fileOutput, error) {
		d, data, err := h.svc.OpenDocument(ctx, actorOf(ctx), in.ID, in.DocID)
		if err != nil {
			return nil, err
		}
		return fileOf(d, data), nil
	})
}

func fileOf(d seller.Document, data []byte) *fileOutput {
	return &fileOutput{ContentType: d.ContentType, ContentDisposition: attachment(d.Filename), NoSniff: "nosniff",
		CacheControl: "private, no-store", Body: data}
}

// fileResponses documents a download's answer.
func fileResponses() map[string]*huma.Response {
	binary := &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
	return map[string]*huma.Response{"200": {
		Description: "The document's bytes, as an attachment",
		Content:     map[string]*huma.MediaType{"application/pdf": binary, "image/png": binary, "image/jpeg": binary},
	}}
}

// attachment is a Content-Disposition that makes browsers save the file under
// its name (RFC 6266): an ASCII fallback, and the exact name percent-encoded in
// UTF-8 (RFC 8187).
func attachment(filename string) string {
	var ascii, exact strings.Builder
	for _, r := range filename {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			ascii.WriteByte('_')
		} else {
			ascii.WriteRune(r)
		}
	}
	for _, b := range []byte(filename) {
		if isAttrChar(b) {
			exact.WriteByte(b)
		} else {
			fmt.Fprintf(&exact, "%%%02X", b)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + exact.String()
}

// isAttrChar reports whether b may stand unencoded in an RFC 8187 value.
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}

// limitMultipart enforces the operation's MaxBodyBytes on a multipart body,
// which huma reads without a limit: a request over it is refused with 413
// too_large before the rest is read, and nothing of it is kept. Huma then finds
// the form parsed. An anonymous caller is refused before its body is read.
func limitMultipart(a huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		if !actorOf(ctx.Context()).Signed() {
			_ = huma.WriteErr(a, ctx, http.StatusUnauthorized, "sign in first")
			return
		}
		op := ctx.Operation()
		tooLarge := fmt.Sprintf("the upload is over %d MiB", op.MaxBodyBytes>>20)
		r, w := humago.Unwrap(ctx)
		if r.ContentLength > op.MaxBodyBytes {
			_ = huma.WriteErr(a, ctx, http.StatusRequestEntityTooLarge, tooLarge)
			return
		}
		if op.BodyReadTimeout > 0 {
			_ = ctx.SetReadDeadline(time.Now().Add(op.BodyReadTimeout))
		}
		r.Body = http.MaxBytesReader(w, r.Body, op.MaxBodyBytes)
		var over *http.MaxBytesError
		if err := r.ParseMultipartForm(humago.MultipartMaxMemory); errors.As(err, &over) {
			_ = huma.WriteErr(a, ctx, http.StatusRequestEntityTooLarge, tooLarge)
			return
		}
		next(ctx)
	}
}
