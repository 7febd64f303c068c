package ui

import "net/http"

// opsProductDelist takes a product off sale with the reason its seller reads.
func (s *server) opsProductDelist(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("delist", r, "delist.reason")
	p.Form.alias("reason", "delist.reason")
	if _, err := s.svc.DelistProduct(r.Context(), p.Actor, id, p.Form.Values["delist.reason"]); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showOpsProduct(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/products/"+id+"?done=delist")
}
