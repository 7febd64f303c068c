// Package ui is cloudmart's server-rendered web interface: HTML pages in
// English and 简体中文, built from embedded templates, one stylesheet and the
// message catalogues, working without JavaScript. It calls market's use cases
// and nothing below them.
//
// Cross-site request forgery is stopped by the server's middleware
// (http.CrossOriginProtection wraps every handler), so the forms here carry no
// CSRF token field.
package ui

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
)

// server holds what every page needs.
type server struct {
	svc    *market.Service
	log    *slog.Logger
	views  views
	cat    *catalog
	assets *assets
}

// pageFunc handles one page once the request's page (language, session, parsed
// form) is ready.
type pageFunc func(w http.ResponseWriter, r *http.Request, p *page)

// Routes adds the pages to mux. Paths: "/" and everything that is not /api/,
// /healthz, /readyz, /metrics.
//
// It panics if the embedded templates, catalogues or assets are broken, which
// the package's tests rule out.
func Routes(mux *http.ServeMux, svc *market.Service, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	s := &server{svc: svc, log: log, views: mustParseViews(), cat: mustLoadCatalog(), assets: mustLoadAssets()}

	mux.Handle("GET /static/", s.static())
	mux.HandleFunc("GET /lang", s.lang)

	mux.HandleFunc("GET /{$}", s.handle(s.home))
	mux.HandleFunc("GET /signup", s.handle(s.signupForm))
	mux.HandleFunc("POST /signup", s.handle(s.signup))
	mux.HandleFunc("GET /login", s.handle(s.loginForm))
	mux.HandleFunc("POST /login", s.handle(s.login))
	mux.HandleFunc("POST /logout", s.handle(s.logout))

	mux.HandleFunc("GET /account", s.handle(signedIn(s.account)))
	mux.HandleFunc("POST /account/profile", s.handle(signedIn(s.profileSave)))
	mux.HandleFunc("POST /account/password", s.handle(signedIn(s.passwordSave)))
	mux.HandleFunc("POST /account/tokens", s.handle(signedIn(s.tokenCreate)))
	mux.HandleFunc("POST /account/tokens/{id}/revoke", s.handle(signedIn(s.tokenRevoke)))

	mux.HandleFunc("GET /customers", s.handle(signedIn(s.customers)))
	mux.HandleFunc("GET /ops/audit", s.handle(signedIn(s.audit)))

	mux.HandleFunc("/", s.handle(s.notFound))
}

// handle prepares the page for fn: language, session, and for a POST the form,
// read with a size limit.
func (s *server) handle(fn pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.newPage(r)
		actor, tok, err := s.session(w, r)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		p.signIn(actor, tok)
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if err := r.ParseForm(); err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					err = &fault.Error{Code: fault.TooLarge, Message: "the form is too large"}
				} else {
					err = &fault.Error{Code: fault.Invalid, Message: "the form could not be read"}
				}
				s.fail(w, r, p, err)
				return
			}
		}
		fn(w, r, p)
	}
}

// pageURL is the local address of the page the visitor is on: the request's
// for a GET; for a form post, the page that had the form (the post's own
// address may have no page), or "" when that is unknown.
func pageURL(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.RequestURI()
	}
	if u, err := url.Parse(r.Referer()); err == nil && u.Host == r.Host {
		return localPath(u.RequestURI(), "")
	}
	return ""
}

// maxFormBytes bounds a form: ours are a few fields of text.
const maxFormBytes = 64 << 10

// signedIn sends visitors who are not signed in to the sign-in page, and back
// here afterwards.
func signedIn(fn pageFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		if !p.Actor.Signed() {
			to := "/login"
			if next := pageURL(r); next != "" {
				to += "?" + url.Values{"next": {next}}.Encode()
			}
			redirect(w, r, to)
			return
		}
		fn(w, r, p)
	}
}
