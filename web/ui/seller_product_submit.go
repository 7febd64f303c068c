package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/fault"
)

// nothingToSubmit is the error for submitting a product on sale unchanged.
var nothingToSubmit = &fault.Error{Code: fault.InvalidState, MsgID: "error.nothing_to_submit", Message: "change the product first: it is on sale as it is"}

// sellerProductSubmit saves the editor's form, as saving does, and sends the
// revision to review; for a delisted product with nothing changed, it
// relists it through review. Whatever the review will refuse (a missing
// Chinese description, a zero price) shows by its field.
func (s *server) sellerProductSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	v, err := s.ownProduct(r, p)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	saved, err := s.saveEdits(r, p, v)
	if err == nil && !saved && v.Pending == nil && v.Listing.OnSale() {
		err = nothingToSubmit
	}
	if err == nil {
		_, err = s.svc.SubmitProduct(r.Context(), p.Actor, v.ID)
	}
	if err != nil {
		s.refillEditor(w, r, p, err, func(status int) { s.showOwnEditor(w, r, p, status, "") })
		return
	}
	redirect(w, r, productURL(v.ID, "submitted"))
}
