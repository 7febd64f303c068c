package ui

import (
	"net/http"
	"net/url"
)

// customerCreditLimit sets how far below zero a customer's balance may go.
func (s *server) customerCreditLimit(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("credit_limit", r, "credit_limit.amount", "credit_limit.currency")
	p.Form.alias("credit_limit", "credit_limit.amount")
	v := p.Form.Values
	id := r.PathValue("id")
	limit, err := readAmount(v["credit_limit.amount"], v["credit_limit.currency"], "credit_limit.amount")
	if err == nil {
		err = s.svc.SetCreditLimit(r.Context(), p.Actor, id, limit)
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showCustomer(w, r, p, status) })
		return
	}
	redirect(w, r, "/customers/"+url.PathEscape(id)+"?"+url.Values{"done": {"credit_limit"}, "currency": {string(limit.Currency)}}.Encode())
}
