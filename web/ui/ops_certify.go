package ui

import "net/http"

// opsCertify certifies the tax and bank details the operator saw on the page.
func (s *server) opsCertify(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = emptyForm("certify")
	if _, err := s.svc.CertifyTaxBank(r.Context(), p.Actor, id); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showOpsApplication(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/applications/"+id+"?done=certified")
}
