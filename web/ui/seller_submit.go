package ui

import "net/http"

// sellerSubmit sends the application for review. When requirements fail, the
// review page shows each failed one with what to do, from the application's
// own checks in the page's language (the error's details are English only).
func (s *server) sellerSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = emptyForm("submit")
	if _, err := s.svc.Submit(r.Context(), p.Actor); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showStep(w, r, p, status, reviewStep) })
		return
	}
	redirect(w, r, stepURL(reviewStep)+"?done=submitted")
}
