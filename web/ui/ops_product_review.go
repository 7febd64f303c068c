package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/catalog"
)

// opsProductReview approves the revision in review, which then replaces the
// one on sale, or rejects it with the reason the seller reads.
func (s *server) opsProductReview(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("review", r, "step", "reason")
	step := catalog.Step(p.Form.Values["step"])
	if _, err := s.svc.ReviewProduct(r.Context(), p.Actor, id, step, p.Form.Values["reason"]); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showOpsProduct(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/products/"+id+"?done="+string(step))
}
