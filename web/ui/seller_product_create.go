package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
)

// sellerProductCreate makes a product of the company's from the new
// product's form: its first revision, a draft. A SaaS product's signing key
// is shown on this response itself, once; the others go to their editor.
func (s *server) sellerProductCreate(w http.ResponseWriter, r *http.Request, p *page) {
	typ, ok := typeOf(r.PostFormValue("type"))
	if !ok {
		s.notFound(w, r, p)
		return
	}
	p.Form = emptyForm("product")
	content, err := readProduct(r, p.Form, catalog.Product{Type: typ})
	var v market.ProductView
	var key string
	if err == nil {
		v, key, err = s.svc.CreateProduct(r.Context(), p.Actor, content)
	}
	if err != nil {
		s.refillEditor(w, r, p, err, func(status int) { s.showNewEditor(w, r, p, status, typ) })
		return
	}
	if key == "" {
		redirect(w, r, productURL(v.ID, "created"))
		return
	}
	p.Form, p.Notice = emptyForm(""), p.T("editor.notice.created")
	s.showEditor(w, r, p, http.StatusOK, v, v.Type, key)
}

// showNewEditor shows the editor of a new product of the type.
func (s *server) showNewEditor(w http.ResponseWriter, r *http.Request, p *page, status int, typ catalog.Type) {
	s.showEditor(w, r, p, status, market.ProductView{}, typ, "")
}
