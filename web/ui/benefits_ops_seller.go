package ui

import (
	"net/http"
)

// opsSellerBenefits shows operators a seller's benefits: what the seller sees.
func (s *server) opsSellerBenefits(w http.ResponseWriter, r *http.Request, p *page) {
	org, list, err := s.svc.SellerBenefitsWithOrg(r.Context(), p.Actor, r.PathValue("org"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.showBenefits(w, r, p, benefitsView{Operator: true, Seller: org.Name}, list)
}
