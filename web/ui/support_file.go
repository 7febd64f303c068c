package ui

import "net/http"

// supportFile sends a file of a ticket's thread as a download.
func (s *server) supportFile(w http.ResponseWriter, r *http.Request, p *page) {
	a, data, err := s.svc.TicketFile(r.Context(), p.Actor, r.PathValue("id"), r.PathValue("file"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	sendDownload(w, a.ContentType, a.Name, data)
}
