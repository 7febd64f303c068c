package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/market"
)

// opsProductsView is the operators' queue of products to review.
type opsProductsView struct {
	Rows []opsProductRow
}

type opsProductRow struct {
	market.ProductView
	Name string
}

// canReviewProducts reports whether the visitor may see the products' review
// queue and review pages.
func canReviewProducts(p *page) bool {
	return account.Can(p.Actor, account.ReviewProducts, account.Resource{})
}

// opsProducts lists the products with a revision waiting for review, the
// oldest submission first.
func (s *server) opsProducts(w http.ResponseWriter, r *http.Request, p *page) {
	if !canReviewProducts(p) {
		s.fail(w, r, p, forbidden)
		return
	}
	products, err := s.svc.ProductsInReview(r.Context(), p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := opsProductsView{}
	for _, pv := range products {
		c := pv.Content()
		v.Rows = append(v.Rows, opsProductRow{ProductView: pv, Name: p.Choose(c.Name.EN, c.Name.ZH)})
	}
	p.Title, p.Data = "opsproducts.title", v
	s.render(w, r, p, http.StatusOK, "ops_products")
}
