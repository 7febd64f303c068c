package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
)

// accountView is what the account page shows.
type accountView struct {
	User        account.User
	Memberships []account.Membership
	Tokens      []account.Token
	// NewSecret is the secret of the token just made: shown on this one
	// response and never again.
	NewSecret string
	NewToken  account.Token
}

// notices are the confirmations the account page shows after a redirect
// (?done=…); anything else in the address is ignored.
var notices = map[string]string{
	"welcome":  "notice.welcome",
	"profile":  "notice.profile",
	"password": "notice.password",
	"revoked":  "notice.revoked",
}

// account shows the signed-in user's profile, organisations, password form,
// and sessions and tokens.
func (s *server) account(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := notices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showAccount(w, r, p, http.StatusOK, accountView{})
}

// showAccount loads and renders the account page around p.Form, which may
// hold a failed form of the page.
func (s *server) showAccount(w http.ResponseWriter, r *http.Request, p *page, status int, v accountView) {
	var err error
	if v.User, v.Memberships, err = s.svc.Me(r.Context(), p.Actor); err != nil {
		s.fail(w, r, p, err)
		return
	}
	if v.Tokens, err = s.svc.Tokens(r.Context(), p.Actor); err != nil {
		s.fail(w, r, p, err)
		return
	}
	if _, typed := p.Form.Values["display_name"]; !typed {
		p.Form.Values["display_name"] = v.User.DisplayName
	}
	if p.Form.Values["expires_in_days"] == "" {
		p.Form.Values["expires_in_days"] = "30"
	}
	p.Title, p.Data = "account.title", v
	s.render(w, r, p, status, "account")
}
