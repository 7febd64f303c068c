package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
)

// tokenCreate makes a personal API token and shows its secret on this response
// itself: it is not stored anywhere it could be shown from again, so there is
// no redirect.
func (s *server) tokenCreate(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("token", r, "name", "expires_in_days")
	show := func(status int) { s.showAccount(w, r, p, status, accountView{}) }
	days, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("expires_in_days")))
	if err != nil {
		s.refill(w, r, p, fault.Field("expires_in_days", "error.token_days", "choose between 1 and 366 days"), show)
		return
	}
	secret, tok, err := s.svc.CreateToken(r.Context(), p.Actor, r.PostFormValue("name"), days)
	if err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	p.Form = emptyForm("token")
	s.showAccount(w, r, p, http.StatusOK, accountView{NewSecret: secret, NewToken: tok})
}
