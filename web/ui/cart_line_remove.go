package ui

import (
	"net/http"
	"slices"
)

// cartLineRemove takes a line out of the cart.
func (s *server) cartLineRemove(w http.ResponseWriter, r *http.Request, p *page) {
	lines := cart(r)
	if i, ok := cartLineIndex(r, lines); ok {
		lines = slices.Delete(lines, i, i+1)
		setCart(w, r, lines)
	}
	redirect(w, r, "/cart?done=removed")
}
