package ui

import (
	"net/http"
	"net/url"
)

// supportAssign gives a ticket to the operator chosen on its page.
func (s *server) supportAssign(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("assign", r, "assignee_id")
	if _, err := s.svc.AssignTicket(r.Context(), p.Actor, id, p.Form.Values["assignee_id"]); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showTicket(w, r, p, "ops", id, status) })
		return
	}
	redirect(w, r, supportBase["ops"]+"/"+url.PathEscape(id)+"?done=assign")
}
