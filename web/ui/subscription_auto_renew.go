package ui

import (
	"net/http"
	"time"

	"github.com/cloudmart/cloudmart/fault"
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

// subscriptionRenew renews a subscription by one period now, from the balance
// (restoring a frozen one), and goes back to the list, at the subscription.
// A second click for the same period charges nothing more.
func (s *server) subscriptionRenew(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("sub:"+id, r, "end")
	end, err := time.Parse(time.RFC3339Nano, p.Form.Values["end"])
	if err == nil {
		_, err = s.svc.RenewNow(r.Context(), p.Actor, id, end)
	} else {
		err = fault.Field("end", "error.subscription_changed", "the subscription changed since it was shown: look again")
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showSubscriptions(w, r, p, status) })
		return
	}
	redirect(w, r, "/account/subscriptions?done=renewed#"+subAnchor(id))
}
