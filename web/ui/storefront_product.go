package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
)

// productPageView is a product's page on the storefront.
type productPageView struct {
	Product productPage
	ShowID  bool // operators see the id, to place the product in a zone
}

// storefrontProduct is a product's page, for everyone: what buyers see of a
// product on sale. Any other product is not found.
func (s *server) storefrontProduct(w http.ResponseWriter, r *http.Request, p *page) {
	ctx := r.Context()
	prod, sellerName, err := s.svc.PublicProduct(ctx, r.PathValue("id"))
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
		ShowID: account.Can(p.Actor, account.ManageStorefront, account.Resource{})}
	p.Title, p.TitleText, p.Data = "product.title", v.Product.Name, v
	s.render(w, r, p, http.StatusOK, "product")
}
