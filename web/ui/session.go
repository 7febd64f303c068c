package ui

import (
	"net"
	"net/http"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
)

// SessionCookie names the cookie that holds a browser's session secret: the
// secret of a token of kind account.TokenSession, made by market.LogIn.
const SessionCookie = "cloudmart_session"

// session returns who holds the request's session cookie. A cookie that no
// longer works (revoked, expired, or not a session's) makes the visitor
// anonymous and is cleared; only a failure to look it up is an error.
func (s *server) session(w http.ResponseWriter, r *http.Request) (account.Actor, account.Token, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return account.Actor{}, account.Token{}, nil
	}
	actor, tok, err := s.svc.Authenticate(r.Context(), c.Value)
	if err == nil && tok.Kind != account.TokenSession {
		// An API token pasted into a cookie is not a browser session.
		err = fault.New(fault.Unauthorized, "not a session token")
	}
	if fault.Is(err, fault.Unauthorized) {
		clearSession(w, r)
		return account.Actor{}, account.Token{}, nil
	}
	if err != nil {
		return account.Actor{}, account.Token{}, err
	}
	return actor, tok, nil
}

// setSession gives the browser the session's secret until the session ends.
func setSession(w http.ResponseWriter, r *http.Request, secret string, tok account.Token) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: secret, Path: "/",
		Expires: tok.ExpiresAt, MaxAge: max(1, int(time.Until(tok.ExpiresAt).Seconds())),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
}

// clearSession makes the browser forget its session cookie.
func clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
}

// clientAddr is the address sign-in attempts are counted under. The server's
// middleware decides whether to trust a proxy's header and sets RemoteAddr.
func clientAddr(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
