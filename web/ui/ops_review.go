package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/seller"
)

// opsReview takes a step of the review workflow: approve, ask for changes,
// reject, suspend or reinstate, with the reason the applicant will read.
func (s *server) opsReview(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("review", r, "step", "reason")
	step := seller.Step(p.Form.Values["step"])
	if _, err := s.svc.Review(r.Context(), p.Actor, id, step, p.Form.Values["reason"]); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showOpsApplication(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/applications/"+id+"?done="+string(step))
}
