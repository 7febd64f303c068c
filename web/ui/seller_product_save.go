package ui

import "net/http"

// sellerProductSave saves the editor's form as the product's revision in the
// works: the draft, the rejected revision being answered, or a new revision
// of a published product, which stays on sale meanwhile.
func (s *server) sellerProductSave(w http.ResponseWriter, r *http.Request, p *page) {
	v, err := s.ownProduct(r, p)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	saved, err := s.saveEdits(r, p, v)
	if err != nil {
		s.refillEditor(w, r, p, err, func(status int) { s.showOwnEditor(w, r, p, status, "") })
		return
	}
	done := "saved"
	if !saved {
		done = "unchanged"
	}
	redirect(w, r, productURL(v.ID, done))
}
