package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/market"
)

var signupFields = []string{"email", "display_name", "org_name", "password", "password_confirm"}

// signupForm shows the form that opens an account.
func (s *server) signupForm(w http.ResponseWriter, r *http.Request, p *page) {
	if p.Actor.Signed() {
		redirect(w, r, "/account")
		return
	}
	p.Form = newForm("signup", r, signupFields...)
	s.showSignup(w, r, p, http.StatusOK)
}

func (s *server) showSignup(w http.ResponseWriter, r *http.Request, p *page, status int) {
	p.Title = "signup.title"
	s.render(w, r, p, status, "signup")
}

// signup opens the account, signs the new user in, and shows its account.
func (s *server) signup(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("signup", r, signupFields...)
	show := func(status int) { s.showSignup(w, r, p, status) }
	in := market.SignUp{
		Email: r.PostFormValue("email"), Password: r.PostFormValue("password"),
		DisplayName: r.PostFormValue("display_name"), OrgName: r.PostFormValue("org_name"),
	}
	if err := confirmed(in.Password, r.PostFormValue("password_confirm")); err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	if _, err := s.svc.SignUp(r.Context(), in); err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	secret, tok, err := s.svc.LogIn(r.Context(), market.LogIn{
		Email: in.Email, Password: in.Password, Addr: clientAddr(r), Kind: account.TokenSession, Name: r.UserAgent(),
	})
	if err != nil {
		// The account exists; only the automatic sign-in failed.
		s.log.WarnContext(r.Context(), "ui: sign-in after sign-up", "err", err)
		redirect(w, r, "/login")
		return
	}
	setSession(w, r, secret, tok)
	redirect(w, r, "/account?done=welcome")
}
