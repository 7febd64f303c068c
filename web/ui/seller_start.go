package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
)

// sellerStart starts the application of a new seller company with its legal
// name, and goes on to the company's details. A company that has an
// application already keeps it untouched: saving the start form again (the
// back button) must not empty it.
func (s *server) sellerStart(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("start", r, "legal_name")
	_, err := s.svc.MyApplication(r.Context(), p.Actor)
	if err == nil {
		redirect(w, r, stepURL(reviewStep))
		return
	}
	if !fault.Is(err, fault.NotFound) {
		s.fail(w, r, p, err)
		return
	}
	if _, err := s.svc.SaveApplication(r.Context(), p.Actor, market.ApplicationInput{LegalName: r.PostFormValue("legal_name")}); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showIntro(w, r, p, status) })
		return
	}
	redirect(w, r, stepURL("company")+"?done=started")
}
