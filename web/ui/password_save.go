package ui

import "net/http"

// passwordSave changes the password. Every other session and token of the user
// is revoked; this browser's session stays.
func (s *server) passwordSave(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("password", r, "current_password", "password", "password_confirm")
	show := func(status int) { s.showAccount(w, r, p, status, accountView{}) }
	next := r.PostFormValue("password")
	if err := required("current_password", r.PostFormValue("current_password"), "password", next); err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	if err := confirmed(next, r.PostFormValue("password_confirm")); err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	if err := s.svc.ChangePassword(r.Context(), p.Actor, r.PostFormValue("current_password"), next, p.Token.ID); err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	redirect(w, r, "/account?done=password")
}
