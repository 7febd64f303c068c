package ui

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
)

// maxProductFileBytes bounds a product file upload's whole body: the largest
// file (a licence's terms) and room for the form around it.
const maxProductFileBytes = catalog.MaxFileSize + 64<<10

// sellerProductFile uploads a logo, a screenshot or a licence's terms from the
// editor and puts it into the revision in the works at once: the logo and the
// terms replace the ones there, a screenshot joins the others. The multipart
// body is streamed to the use case, which checks the file's size and type;
// the kind comes before the file in the form.
func (s *server) sellerProductFile(w http.ResponseWriter, r *http.Request, p *page) {
	v, err := s.ownProduct(r, p)
	if err != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		s.fail(w, r, p, err)
		return
	}
	kind, err := s.uploadProductFile(r, p, v)
	// Read what is left (at most the body's limit) so that the browser,
	// still sending, gets the answer rather than a reset connection.
	_, _ = io.Copy(io.Discard, r.Body)
	if err != nil {
		p.Form = emptyForm(filesForm(kind)) // no fields: the message shows by the form it is about
		s.refillEditor(w, r, p, err, func(status int) { s.showOwnEditor(w, r, p, status, "") })
		return
	}
	redirect(w, r, productURL(v.ID, "file_added"))
}

// filesForm names the editor's form for files of the kind.
func filesForm(kind catalog.FileKind) string {
	if kind.Valid() {
		return "files-" + string(kind)
	}
	return "files"
}

// uploadProductFile reads the form's parts, hands the file to the use case
// and saves the content with it. It returns the kind the form asked for.
//
// Errors: those of market.UploadProductFile and market.SaveProduct; Invalid
// on "file" when none was chosen or the body is over the limit;
// InvalidState while the revision is in review; error.screenshots_many when
// the product has ten.
func (s *server) uploadProductFile(r *http.Request, p *page, v market.ProductView) (catalog.FileKind, error) {
	var kind catalog.FileKind
	mr, err := r.MultipartReader()
	if err != nil {
		return kind, fault.Field("file", "error.required", "choose a file")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return kind, fault.Field("file", "error.required", "choose a file")
		}
		if err != nil {
			return kind, fileUploadError(kind, err)
		}
		switch part.FormName() {
		case "kind":
			b, err := io.ReadAll(io.LimitReader(part, 64))
			if err != nil {
				return kind, fileUploadError(kind, err)
			}
			kind = catalog.FileKind(strings.TrimSpace(string(b)))
		case "file":
			if part.FileName() == "" {
				return kind, fault.Field("file", "error.required", "choose a file")
			}
			// Refuse what could not be saved before keeping the file.
			content := v.Content()
			if _, err := v.Listing.Edit(); err != nil {
				return kind, err
			}
			if kind == catalog.FileScreenshot && len(content.Screenshots) >= catalog.MaxScreenshots {
				return kind, fault.Field("screenshots", "error.screenshots_many", "add at most 10 screenshots")
			}
			// The body's limit is above the largest file's, so the use case
			// sees a file over its kind's size whole, and says so.
			f, err := s.svc.UploadProductFile(r.Context(), p.Actor, v.ID, kind, part.FileName(), part)
			if err != nil {
				return kind, err
			}
			_, err = s.svc.SaveProduct(r.Context(), p.Actor, v.ID, withFile(content, f), v.Version)
			return kind, err
		}
	}
}

// withFile puts a file into content: as its logo, among its screenshots, or
// as its licence's terms.
func withFile(content catalog.Product, f catalog.File) catalog.Product {
	switch f.Kind {
	case catalog.FileLogo:
		content.LogoKey = f.Key
	case catalog.FileScreenshot:
		content.Screenshots = append(slices.Clone(content.Screenshots), f.Key)
	case catalog.FileTerms:
		var lic catalog.LicenseSpec
		if content.License != nil {
			lic = *content.License
		}
		lic.TermsKey = f.Key
		content.License = &lic
	}
	return content
}

// withoutFile takes a file out of content wherever it is; ok is false when
// content does not refer to it.
func withoutFile(content catalog.Product, key string) (catalog.Product, bool) {
	found := false
	if content.LogoKey == key {
		content.LogoKey, found = "", true
	}
	if i := slices.Index(content.Screenshots, key); i >= 0 {
		content.Screenshots, found = slices.Delete(slices.Clone(content.Screenshots), i, i+1), true
	}
	if content.License != nil && content.License.TermsKey == key {
		lic := *content.License
		lic.TermsKey, found = "", true
		content.License = &lic
	}
	return content, found
}

// fileUploadError is what a broken or oversized upload body means for the
// visitor.
func fileUploadError(kind catalog.FileKind, err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return kind.SizeError()
	}
	return fault.Field("file", "error.file_read", "the upload was interrupted: try again")
}

// sellerProductFileRemove takes a file out of the revision in the works (the
// file itself stays: the revision on sale may show it).
func (s *server) sellerProductFileRemove(w http.ResponseWriter, r *http.Request, p *page) {
	v, err := s.ownProduct(r, p)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	content, found := withoutFile(v.Content(), r.PostFormValue("key"))
	if !found {
		redirect(w, r, productURL(v.ID, "unchanged"))
		return
	}
	if _, err := s.svc.SaveProduct(r.Context(), p.Actor, v.ID, content, v.Version); err != nil {
		p.Form = emptyForm("files")
		s.refillEditor(w, r, p, err, func(status int) { s.showOwnEditor(w, r, p, status, "") })
		return
	}
	redirect(w, r, productURL(v.ID, "file_removed"))
}
