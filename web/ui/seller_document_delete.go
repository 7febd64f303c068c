package ui

import "net/http"

// documentDelete withdraws a document of the application.
func (s *server) documentDelete(w http.ResponseWriter, r *http.Request, p *page) {
	if err := s.svc.DeleteDocument(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		s.fail(w, r, p, err)
		return
	}
	redirect(w, r, stepURL("documents")+"?done=removed")
}
