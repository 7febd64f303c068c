package ui

import "net/http"

// tokenRevoke revokes one of the user's sessions or tokens. Revoking this
// browser's own session signs it out.
func (s *server) tokenRevoke(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	if err := s.svc.RevokeToken(r.Context(), p.Actor, id); err != nil {
		s.fail(w, r, p, err)
		return
	}
	if id == p.Token.ID {
		clearSession(w, r)
		redirect(w, r, "/")
		return
	}
	redirect(w, r, "/account?done=revoked")
}
