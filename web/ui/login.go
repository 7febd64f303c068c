package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/market"
)

var loginFields = []string{"email", "password", "next"}

// loginForm shows the sign-in form; next is where to go afterwards.
func (s *server) loginForm(w http.ResponseWriter, r *http.Request, p *page) {
	if p.Actor.Signed() {
		redirect(w, r, localPath(r.FormValue("next"), "/account"))
		return
	}
	p.Form = newForm("login", r, loginFields...)
	s.showLogin(w, r, p, http.StatusOK)
}

func (s *server) showLogin(w http.ResponseWriter, r *http.Request, p *page, status int) {
	p.Form.Values["next"] = localPath(p.Form.Values["next"], "")
	p.Title = "login.title"
	s.render(w, r, p, status, "login")
}

// login checks the password, gives the browser a session cookie and goes on.
// A wrong email or password is 401, a throttled one 429 with the wait.
func (s *server) login(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("login", r, loginFields...)
	show := func(status int) { s.showLogin(w, r, p, status) }
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	if err := required("email", email, "password", password); err != nil {
		s.refill(w, r, p, err, show) // an empty form is not a failed attempt
		return
	}
	secret, tok, err := s.svc.LogIn(r.Context(), market.LogIn{
		Email: email, Password: password, Addr: clientAddr(r), Kind: account.TokenSession, Name: r.UserAgent(),
	})
	if err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	setSession(w, r, secret, tok)
	redirect(w, r, localPath(r.PostFormValue("next"), "/"))
}
