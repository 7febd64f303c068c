package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/money"
)

// testCreditRequest asks for test credit.
func (s *server) testCreditRequest(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("request", r, "request.amount", "request.purpose", "request.key")
	p.Form.alias("amount", "request.amount")
	p.Form.alias("purpose", "request.purpose")
	v := p.Form.Values
	amount, err := readAmount(v["request.amount"], string(money.USD), "request.amount")
	if err == nil {
		// The form's key makes a resent form (a double click, a reload) ask once.
		_, _, err = s.svc.RequestTestCredit(r.Context(), p.Actor, amount, v["request.purpose"], v["request.key"])
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showSellerTestCredit(w, r, p, status) })
		return
	}
	redirect(w, r, "/seller/test-credit?done=requested")
}
