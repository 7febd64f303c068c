package ui

import "net/http"

// opsBannerDelete removes a homepage banner slot.
func (s *server) opsBannerDelete(w http.ResponseWriter, r *http.Request, p *page) {
	if err := s.svc.DeleteBanner(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		s.fail(w, r, p, err)
		return
	}
	redirect(w, r, "/ops/storefront?done=banner_deleted")
}
