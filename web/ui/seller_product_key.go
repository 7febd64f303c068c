package ui

import "net/http"

// sellerProductKey replaces a SaaS product's signing key and shows the new
// one on this response, once.
func (s *server) sellerProductKey(w http.ResponseWriter, r *http.Request, p *page) {
	key, err := s.svc.RotateSigningKey(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Notice = p.T("editor.notice.rotated")
	s.showOwnEditor(w, r, p, http.StatusOK, key)
}
