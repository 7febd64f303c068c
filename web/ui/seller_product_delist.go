package ui

import "net/http"

// sellerProductDelist takes the company's product off sale. A revision in
// the works stays.
func (s *server) sellerProductDelist(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = emptyForm("delist")
	if _, err := s.svc.DelistProduct(r.Context(), p.Actor, id, ""); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showOwnEditor(w, r, p, status, "") })
		return
	}
	redirect(w, r, productURL(id, "delisted"))
}
