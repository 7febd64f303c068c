package ui

import "net/http"

// profileSave changes the signed-in user's display name.
func (s *server) profileSave(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("profile", r, "display_name")
	if _, err := s.svc.UpdateProfile(r.Context(), p.Actor, r.PostFormValue("display_name")); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showAccount(w, r, p, status, accountView{}) })
		return
	}
	redirect(w, r, "/account?done=profile")
}
