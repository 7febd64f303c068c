package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
)

// productPageView is a product's page on the storefront.
type productPageView struct {
	Product productPage
	ShowID  bool // operators see the id, to place the product in a zone
	Buy     buyBox
}

// storefrontProduct is a product's page, for everyone: what buyers see of a
// product on sale. Any other product is not found.
func (s *server) storefrontProduct(w http.ResponseWriter, r *http.Request, p *page) {
	s.showProduct(w, r, p, http.StatusOK, r.PathValue("id"))
}

// showProduct renders a product's page around p.Form, which may be a plan's
// failed form ("buy-<plan>").
func (s *server) showProduct(w http.ResponseWriter, r *http.Request, p *page, status int, id string) {
	ctx := r.Context()
	prod, sellerName, err := s.svc.PublicProduct(ctx, id)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	_, regions, err := s.regionIndex(ctx)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := productPageView{Product: describeProduct(p, prod, sellerName, regions, false),
		ShowID: account.Can(p.Actor, account.ManageStorefront, account.Resource{}),
		Buy:    describeBuyBox(p, prod, regions)}
	p.Title, p.TitleText, p.Data = "product.title", v.Product.Name, v
	s.render(w, r, p, status, "product")
}
