package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/fault"
)

// logout ends the browser's session: the token is revoked, not just forgotten,
// so a copied cookie stops working too.
func (s *server) logout(w http.ResponseWriter, r *http.Request, p *page) {
	if p.Actor.Signed() {
		if err := s.svc.LogOut(r.Context(), p.Actor, p.Token.ID); err != nil && !fault.Is(err, fault.NotFound) {
			s.fail(w, r, p, err)
			return
		}
	}
	clearSession(w, r)
	redirect(w, r, "/")
}
