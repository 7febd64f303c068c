package ui

import (
	"net/http"
)

// subscriptionAutoRenew turns a subscription's automatic renewal on or off
// ("on" is "on" or "off") and goes back to the list, at the subscription.
func (s *server) subscriptionAutoRenew(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("sub:"+id, r, "on")
	on := p.Form.Values["on"] == "on"
	if _, err := s.svc.SetAutoRenew(r.Context(), p.Actor, id, on); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showSubscriptions(w, r, p, status) })
		return
	}
	done := "renew_off"
	if on {
		done = "renew_on"
	}
	redirect(w, r, "/account/subscriptions?done="+done+"#"+subAnchor(id))
}

// subAnchor is the id of a subscription's card on the page.
func subAnchor(id string) string { return "sub-" + fieldID(id)[2:] }
