package ui

import (
	"net/http"
	"net/url"
)

// customerTopUp records money a customer paid into its balance.
func (s *server) customerTopUp(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("top_up", r, "top_up.amount", "top_up.currency", "top_up.reference", "top_up.note")
	p.Form.alias("amount", "top_up.amount")
	p.Form.alias("reference", "top_up.reference")
	p.Form.alias("note", "top_up.note")
	v := p.Form.Values
	id := r.PathValue("id")
	amount, err := readAmount(v["top_up.amount"], v["top_up.currency"], "top_up.amount")
	if err == nil {
		_, err = s.svc.TopUp(r.Context(), p.Actor, id, amount, v["top_up.reference"], v["top_up.note"])
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showCustomer(w, r, p, status) })
		return
	}
	redirect(w, r, "/customers/"+url.PathEscape(id)+"?"+url.Values{"done": {"top_up"}, "currency": {string(amount.Currency)}}.Encode())
}
