package ui

import (
	"net/http"
	"net/url"

	"github.com/cloudmart/cloudmart/support"
)

// supportState moves a ticket to the state its page's button asks for
// (resolve, reopen, close; operators also start it and ask the seller).
func (s *server) supportState(scope string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		id := r.PathValue("id")
		p.Form = newForm("state", r, "state")
		if _, err := s.svc.MoveTicket(r.Context(), p.Actor, id, support.State(p.Form.Values["state"])); err != nil {
			s.refill(w, r, p, err, func(status int) { s.showTicket(w, r, p, scope, id, status) })
			return
		}
		redirect(w, r, supportBase[scope]+"/"+url.PathEscape(id)+"?done="+url.QueryEscape(p.Form.Values["state"]))
	}
}
