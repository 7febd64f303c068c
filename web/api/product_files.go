package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/web/download"
)

// ProductFile is a file uploaded for a product. Put its key in the product's
// content: logo_key, screenshots or license.terms_key.
type ProductFile struct {
	Key         string `json:"key" example:"products/prd-01JDX3Z5R6K8M9N0P1Q2R3S4T5/logo/pfl-01JDX3Z5R6K8M9N0P1Q2R3S4T6.png" doc:"Never changes: a new upload is a new key"`
	Kind        string `json:"kind" enum:"logo,screenshot,terms"`
	Filename    string `json:"filename" example:"logo.png"`
	ContentType string `json:"content_type" enum:"image/png,image/jpeg,image/webp,application/pdf" doc:"Judged from the file's bytes"`
	Size        int64  `json:"size" doc:"Bytes"`
	SHA256      string `json:"sha256" doc:"Hex SHA-256 of the bytes; the file's ETag"`
	URL         string `json:"url" doc:"Where the file is read: by the product's seller and operators at once, by everyone once the published revision shows it" example:"/api/v1/products/prd_01JDX3Z5R6K8M9N0P1Q2R3S4T5/files/products/prd-01JDX3Z5R6K8M9N0P1Q2R3S4T5/logo/pfl-01JDX3Z5R6K8M9N0P1Q2R3S4T6.png"`
}

// fileURL is where the API serves a file of a product.
func fileURL(productID, key string) string {
	return "/api/v1/products/" + url.PathEscape(productID) + "/files/" + key
}

// MaxFileUpload is the largest request a product file upload may be: the
// largest file (terms, 10 MiB) and room for the form around it.
const MaxFileUpload = catalog.MaxFileSize + 1<<20

type productFileForm struct {
	// Kind is checked by the use case, which names the field "kind".
	Kind string        `form:"kind" required:"false" doc:"What the file is for: logo, screenshot or terms (licences only)" example:"logo"`
	File huma.FormFile `form:"file" required:"true" doc:"A logo: PNG, JPEG or WebP of at most 1 MiB; a screenshot: the same of at most 5 MiB; terms: a PDF of at most 10 MiB. The content must match the name's extension"`
}

type productFileUploadInput struct {
	ID      string `path:"id" maxLength:"64"`
	RawBody huma.MultipartFormFiles[productFileForm]
}

type productFileOutput struct{ Body ProductFile }

type productFileInput struct {
	ID          string `path:"id" maxLength:"64"`
	Key         string `path:"key" maxLength:"200" doc:"The file's key as uploading answered it, slashes and all (not escaped)"`
	IfNoneMatch string `header:"If-None-Match" maxLength:"1024" doc:"The ETag of the copy held: 304 when it is current"`
}

// productFileBytes is a file's bytes with the headers that keep it inert and
// cache it by its checksum (see package download).
type productFileBytes struct {
	Status             int
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	ETag               string `header:"ETag"`
	CacheControl       string `header:"Cache-Control"`
	NoSniff            string `header:"X-Content-Type-Options"`
	CSP                string `header:"Content-Security-Policy"`
	Body               []byte
}

func (h handlers) productFiles(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "upload-product-file", Method: http.MethodPost, Path: "/api/v1/seller/products/{id}/files", DefaultStatus: http.StatusCreated,
		Summary: "Upload a logo, a screenshot or a licence's terms for a product of the caller's company", Tags: []string{"Seller products"},
		Security: bearer, MaxBodyBytes: MaxFileUpload, BodyReadTimeout: time.Minute, Errors: []int{400, 401, 404, 413},
		Description: "multipart/form-data with the fields kind (logo, screenshot, terms) and file. The type is judged by the file's bytes " +
			"and must match its name's extension: PNG, JPEG or WebP for a logo (≤ 1 MiB) or a screenshot (≤ 5 MiB), PDF for the terms " +
			"of a licence (≤ 10 MiB). The answer's key goes into the product's content (logo_key, screenshots, license.terms_key) with " +
			"PUT /api/v1/seller/products/{id}; content referring to a key that is not a file of the product, of the right kind, is refused " +
			"(400 on that field). Another company's product is 404; a request over 11 MiB is 413 too_large.",
		Middlewares: huma.Middlewares{limitMultipart(a)},
	}, func(ctx context.Context, in *productFileUploadInput) (*productFileOutput, error) {
		form := in.RawBody.Data()
		defer form.File.Close()
		f, err := h.svc.UploadProductFile(ctx, actorOf(ctx), in.ID, catalog.FileKind(form.Kind), form.File.Filename, form.File)
		if err != nil {
			return nil, err
		}
		return &productFileOutput{Body: ProductFile{Key: f.Key, Kind: string(f.Kind), Filename: f.Filename, ContentType: f.ContentType,
			Size: f.Size, SHA256: f.SHA256, URL: fileURL(f.ProductID, f.Key)}}, nil
	})

	binary := &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
	huma.Register(a, huma.Operation{
		OperationID: "get-product-file", Method: http.MethodGet, Path: filePath + "{key...}",
		Summary: "A product's logo, screenshot or licence terms", Tags: []string{"Catalogue"}, Errors: []int{404},
		Description: "Public for the files the product's published revision shows while it is on sale, answered with " +
			"Cache-Control: " + download.Public + ". Its seller's people and operators read any of its files (the editor's preview, " +
			"the review), answered with Cache-Control: " + download.Private + ". Anyone else gets 404. The ETag is the file's " +
			"SHA-256 (304 for If-None-Match); a PDF comes as an attachment.",
		Responses: map[string]*huma.Response{
			"200": {Description: "The file's bytes", Content: map[string]*huma.MediaType{
				"image/png": binary, "image/jpeg": binary, "image/webp": binary, "application/pdf": binary}},
			"304": {Description: "The copy held is current"},
		},
		Middlewares: huma.Middlewares{noStoreUnlessFound},
	}, func(ctx context.Context, in *productFileInput) (*productFileBytes, error) {
		f, data, err := h.svc.OpenProductFile(ctx, actorOf(ctx), in.ID, in.Key, download.Held(in.IfNoneMatch))
		if err != nil {
			return nil, err
		}
		out := &productFileBytes{Status: http.StatusOK, ETag: download.ETag(f.SHA256), CacheControl: download.CacheControl(f.Public)}
		if in.IfNoneMatch != "" && download.NotModified(in.IfNoneMatch, out.ETag) {
			out.Status = http.StatusNotModified
			return out, nil
		}
		out.ContentType, out.ContentDisposition, out.NoSniff, out.CSP, out.Body = f.ContentType,
			download.Disposition(f.ContentType, f.Filename), download.NoSniff, download.Sandbox, data
		return out, nil
	})
	documentFilePath(a)
}

// filePath is where a product's files are read, up to the key. The key has
// slashes: the mux matches it as {key...}, which OpenAPI, having no parameter
// that spans segments, documents as {key}.
const filePath = "/api/v1/products/{id}/files/"

// documentFilePath names the file path's key {key} in the OpenAPI document.
func documentFilePath(a huma.API) {
	paths := a.OpenAPI().Paths
	if item, ok := paths[filePath+"{key...}"]; ok {
		paths[filePath+"{key}"] = item
		delete(paths, filePath+"{key...}")
	}
}

// noStoreUnlessFound keeps caches from holding an answer that a file is not
// found (it may be published later); a file's own Cache-Control replaces it.
func noStoreUnlessFound(ctx huma.Context, next func(huma.Context)) {
	ctx.SetHeader("Cache-Control", download.NotFoundCache)
	next(ctx)
}

// publicFileURLs are the addresses of the published files a product shows.
func publicFileURLs(p catalog.Product) (logo string, screenshots []string, terms string) {
	if p.LogoKey != "" {
		logo = fileURL(p.ID, p.LogoKey)
	}
	screenshots = make([]string, 0, len(p.Screenshots))
	for _, k := range p.Screenshots {
		screenshots = append(screenshots, fileURL(p.ID, k))
	}
	if p.License != nil && p.License.TermsKey != "" {
		terms = fileURL(p.ID, p.License.TermsKey)
	}
	return logo, screenshots, terms
}
