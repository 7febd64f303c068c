package ui

import (
	"mime"
	"net/http"
	"strconv"
)

// documentDownload sends a document of the actor's company's application.
func (s *server) documentDownload(w http.ResponseWriter, r *http.Request, p *page) {
	s.sendDocument(w, r, p, "", r.PathValue("id"))
}

// opsDocument sends a document of any application, to an operator.
func (s *server) opsDocument(w http.ResponseWriter, r *http.Request, p *page) {
	if !canListApplications(p) {
		s.fail(w, r, p, forbidden)
		return
	}
	s.sendDocument(w, r, p, r.PathValue("id"), r.PathValue("doc"))
}

// sendDocument sends a document as a download: never shown in the page's
// origin, never sniffed into another type, never cached.
func (s *server) sendDocument(w http.ResponseWriter, r *http.Request, p *page, appID, docID string) {
	d, data, err := s.svc.OpenDocument(r.Context(), p.Actor, appID, docID)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	sendDownload(w, d.ContentType, d.Filename, data)
}

// sendDownload sends an uploaded file as a download: never shown in the
// page's origin, never sniffed into another type, never cached.
func sendDownload(w http.ResponseWriter, contentType, filename string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(data)
}
