package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/catalog"
)

// storefrontCategory is a category's page: the search page on its shelf.
func (s *server) storefrontCategory(w http.ResponseWriter, r *http.Request, p *page) {
	cat, ok := catalog.CategoryBySlug(r.PathValue("slug"))
	if !ok {
		s.notFound(w, r, p)
		return
	}
	s.showSearch(w, r, p, &cat)
}
