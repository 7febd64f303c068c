package ui

import (
	"net/http"
	"net/url"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/support"
)

// supportOpen opens a ticket from the seller's support page (kind, subject,
// first message, product, files) and goes to it; what is refused comes back
// on the form.
func (s *server) supportOpen(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = emptyForm("open")
	files, closeAll, err := serviceUploads(r, p, "kind", "subject", "body", "product_id")
	defer closeAll()
	var v market.TicketView
	if err == nil {
		v, err = s.svc.OpenTicket(r.Context(), p.Actor, market.OpenTicketInput{Kind: support.Kind(p.Form.Values["kind"]),
			Subject: p.Form.Values["subject"], Body: p.Form.Values["body"], ProductID: p.Form.Values["product_id"], Files: files})
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showTickets(w, r, p, "seller", status) })
		return
	}
	redirect(w, r, supportBase["seller"]+"/"+url.PathEscape(v.ID)+"?done=open")
}
