package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/web/download"
)

// fileURL is where the pages read a file of a product: the storefront, the
// seller's editor and the operators' review alike.
func fileURL(productID, key string) string {
	return "/products/" + url.PathEscape(productID) + "/files/" + key
}

// productFile sends a file of a product (GET /products/{id}/files/{key...}),
// by the rules of package download. A file the published revision shows is
// sent to anyone without looking at the session, so the storefront's images
// cost no session lookup; any other file only to its seller's people and
// operators.
func (s *server) productFile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, key, inm := r.PathValue("id"), r.PathValue("key"), r.Header.Get("If-None-Match")
	f, data, err := s.svc.OpenProductFile(ctx, account.Actor{}, id, key, download.Held(inm))
	p := s.newPage(r)
	if fault.Is(err, fault.NotFound) {
		if c, cerr := r.Cookie(SessionCookie); cerr == nil && c.Value != "" {
			actor, tok, serr := s.session(w, r)
			if serr != nil {
				s.fail(w, r, p, serr)
				return
			}
			p.signIn(actor, tok)
			f, data, err = s.svc.OpenProductFile(ctx, actor, id, key, download.Held(inm))
		}
	}
	if err != nil {
		s.fail(w, r, p, err) // pages are never stored: a file may be published later
		return
	}
	h := w.Header()
	etag := download.ETag(f.SHA256)
	h.Set("ETag", etag)
	h.Set("Cache-Control", download.CacheControl(f.Public))
	if inm != "" && download.NotModified(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", download.Disposition(f.ContentType, f.Filename))
	h.Set("X-Content-Type-Options", download.NoSniff)
	h.Set("Content-Security-Policy", download.Sandbox)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}
