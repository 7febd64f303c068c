package ui

import (
	"net/http"
	"net/url"
)

// supportMessage posts a message with files to a ticket's thread (for
// operators, "internal" makes it a note the seller never sees) and comes
// back to the thread.
func (s *server) supportMessage(scope string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		id := r.PathValue("id")
		p.Form = emptyForm("message")
		files, closeAll, err := serviceUploads(r, p, "body", "internal")
		defer closeAll()
		if err == nil {
			_, err = s.svc.ReplyTicket(r.Context(), p.Actor, id, p.Form.Values["body"], scope == "ops" && p.Form.Values["internal"] == "on", files)
		}
		if err != nil {
			s.refill(w, r, p, err, func(status int) { s.showTicket(w, r, p, scope, id, status) })
			return
		}
		redirect(w, r, supportBase[scope]+"/"+url.PathEscape(id)+"?done=message#thread")
	}
}
