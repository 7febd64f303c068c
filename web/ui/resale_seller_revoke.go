package ui

import "net/http"

// sellerResaleRevoke ends one of the seller's authorisations.
func (s *server) sellerResaleRevoke(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("revoke", r, "revoke.reason")
	p.Form.alias("reason", "revoke.reason")
	if _, err := s.svc.RevokeResale(r.Context(), p.Actor, r.PathValue("id"), p.Form.Values["revoke.reason"]); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showSellerResale(w, r, p, status) })
		return
	}
	redirect(w, r, "/seller/resale?done=revoked")
}
