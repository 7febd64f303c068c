package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
)

// maxServiceUpload bounds a message's or a delivery's body: five files of
// the largest size and room for the form around them.
const maxServiceUpload = engagement.MaxAttachments*engagement.MaxFileSize + 64<<10

// serviceOrderStep takes a step without files on a service order (accept,
// decline, cancel, confirm, dispute, resolve) as its page's form asks, and
// comes back to the page; what is refused comes back on the form.
func (s *server) serviceOrderStep(scope string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		ctx := r.Context()
		id, step := r.PathValue("id"), r.PathValue("step")
		p.Form = newForm("step:"+step, r, "reason", "note", "refund")
		if step != "resolve" {
			p.Form.alias("note", "reason") // the rules call a step's text its note
		}
		var err error
		switch step {
		case "accept":
			_, err = s.svc.AcceptEngagement(ctx, p.Actor, id)
		case "decline":
			_, err = s.svc.DeclineEngagement(ctx, p.Actor, id, p.Form.Values["reason"])
		case "cancel":
			_, err = s.svc.CancelEngagement(ctx, p.Actor, id, p.Form.Values["reason"])
		case "confirm":
			_, err = s.svc.ConfirmEngagement(ctx, p.Actor, id)
		case "dispute":
			_, err = s.svc.DisputeEngagement(ctx, p.Actor, id, p.Form.Values["reason"])
		case "resolve":
			err = s.resolve(r, p, id)
		default:
			s.notFound(w, r, p)
			return
		}
		if err != nil {
			s.refillService(w, r, p, scope, id, err)
			return
		}
		redirect(w, r, serviceBase[scope]+"/"+url.PathEscape(id)+"?done="+step)
	}
}

// resolve settles a dispute with the amount typed, in the service order's
// currency.
func (s *server) resolve(r *http.Request, p *page, id string) error {
	e, err := s.svc.Engagement(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	refund, err := money.Parse(strings.TrimSpace(p.Form.Values["refund"]), e.Paid.Currency)
	if err != nil {
		return fault.Field("refund", "error.amount_format", "enter an amount such as 199.00, with at most two decimals and no separators")
	}
	_, err = s.svc.ResolveEngagement(r.Context(), p.Actor, id, p.Form.Values["note"], refund)
	return err
}

// refillService shows the page again with the form's messages, or the error
// page when the error is not about the form (not found).
func (s *server) refillService(w http.ResponseWriter, r *http.Request, p *page, scope, id string, err error) {
	s.refill(w, r, p, err, func(status int) { s.showServiceOrder(w, r, p, scope, id, status) })
}

// serviceUploads reads a multipart form of text fields and files (the input
// "files"), keeping the fields in p.Form; close releases the files.
func serviceUploads(r *http.Request, p *page, fields ...string) (files []market.Upload, closeAll func(), err error) {
	closeAll = func() {}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return nil, closeAll, serviceUploadError(err)
	}
	p.Form.read(r, fields...)
	p.Form.fields["files"] = true
	var opened []interface{ Close() error }
	closeAll = func() {
		for _, f := range opened {
			_ = f.Close()
		}
		_ = r.MultipartForm.RemoveAll()
	}
	for _, h := range r.MultipartForm.File["files"] {
		if h.Filename == "" && h.Size == 0 {
			continue // the file input left empty
		}
		f, err := h.Open()
		if err != nil {
			return nil, closeAll, serviceUploadError(err)
		}
		opened = append(opened, f)
		files = append(files, market.Upload{Name: h.Filename, Body: f})
	}
	return files, closeAll, nil
}

// serviceUploadError is what a broken or oversized upload means for the
// visitor.
func serviceUploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return fault.Field("files", "error.attachment_size", "attach files of at most 50 MB")
	}
	return fault.Field("files", "error.file_read", "the upload was interrupted: try again")
}

// serviceOrderMessage posts a message with files to a service order's
// thread, and comes back to the thread.
func (s *server) serviceOrderMessage(scope string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		id := r.PathValue("id")
		p.Form = emptyForm("message")
		files, closeAll, err := serviceUploads(r, p, "body")
		defer closeAll()
		if err == nil {
			_, err = s.svc.PostEngagementMessage(r.Context(), p.Actor, id, p.Form.Values["body"], files)
		}
		if err != nil {
			s.refillService(w, r, p, scope, id, err)
			return
		}
		redirect(w, r, serviceBase[scope]+"/"+url.PathEscape(id)+"?done=message#thread")
	}
}

// serviceOrderDeliver delivers a service order: a note and its deliverables.
func (s *server) serviceOrderDeliver(scope string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		id := r.PathValue("id")
		p.Form = emptyForm("step:deliver")
		files, closeAll, err := serviceUploads(r, p, "note")
		defer closeAll()
		if err == nil {
			_, err = s.svc.DeliverEngagement(r.Context(), p.Actor, id, p.Form.Values["note"], files)
		}
		if err != nil {
			s.refillService(w, r, p, scope, id, err)
			return
		}
		redirect(w, r, serviceBase[scope]+"/"+url.PathEscape(id)+"?done=deliver")
	}
}

// serviceOrderFile sends a file of a service order's thread as a download.
func (s *server) serviceOrderFile(w http.ResponseWriter, r *http.Request, p *page) {
	a, data, err := s.svc.EngagementFile(r.Context(), p.Actor, r.PathValue("id"), r.PathValue("file"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	sendDownload(w, a.ContentType, a.Name, data)
}
