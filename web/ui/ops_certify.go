package ui

import (
	"net/http"
	"time"
)

// opsCertify certifies the tax and bank details the operator saw on the page.
func (s *server) opsCertify(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = emptyForm("certify")
	// The page carries when the details it showed were entered: if the seller
	// changed them meanwhile, the operator must look again.
	seen, _ := time.Parse(time.RFC3339Nano, r.PostFormValue("seen"))
	if _, err := s.svc.CertifyTaxBank(r.Context(), p.Actor, id, seen); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showOpsApplication(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/applications/"+id+"?done=certified")
}
