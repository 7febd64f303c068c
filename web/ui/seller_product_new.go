package ui

import "net/http"

// sellerProductNew shows the editor of a new product of the type asked for
// (?type=saas).
func (s *server) sellerProductNew(w http.ResponseWriter, r *http.Request, p *page) {
	if !canManageProducts(p) {
		s.fail(w, r, p, forbidden)
		return
	}
	typ, ok := typeOf(r.URL.Query().Get("type"))
	if !ok {
		s.notFound(w, r, p)
		return
	}
	s.showNewEditor(w, r, p, http.StatusOK, typ)
}
