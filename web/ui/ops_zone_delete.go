package ui

import "net/http"

// opsZoneDelete removes a featured zone and its placements.
func (s *server) opsZoneDelete(w http.ResponseWriter, r *http.Request, p *page) {
	if err := s.svc.DeleteZone(r.Context(), p.Actor, r.PathValue("slug")); err != nil {
		s.fail(w, r, p, err)
		return
	}
	redirect(w, r, "/ops/storefront?done=zone_deleted")
}
