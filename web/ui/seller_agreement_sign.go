package ui

import "net/http"

// agreementSign signs the Seller Agreement for the company: the version the
// page showed, which must still be the one in force.
func (s *server) agreementSign(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("agreement", r, "version")
	if _, err := s.svc.SignAgreement(r.Context(), p.Actor, r.PostFormValue("version")); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showStep(w, r, p, status, "agreement") })
		return
	}
	redirect(w, r, stepURL(nextStep("agreement"))+"?done=signed")
}
