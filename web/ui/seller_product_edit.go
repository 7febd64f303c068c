package ui

import "net/http"

// sellerProductEdit shows the editor of one of the company's products.
func (s *server) sellerProductEdit(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := editorNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showOwnEditor(w, r, p, http.StatusOK, "")
}

// showOwnEditor loads the product of the address and shows its editor
// around p.Form, with a signing key to show once.
func (s *server) showOwnEditor(w http.ResponseWriter, r *http.Request, p *page, status int, key string) {
	v, err := s.ownProduct(r, p)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.showEditor(w, r, p, status, v, v.Type, key)
}
