package ui

import (
	"net/http"
	"slices"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
)

// sellerProductsView is the seller's product list.
type sellerProductsView struct {
	Rows  []sellerProductRow
	Types []catalog.Type // the types the company may list now
	// Why it may list nothing now, translated; "" when it may.
	Why string
	// The company has not signed the Seller Agreement in force, which
	// submitting needs.
	SignAgreement bool
}

// sellerProductRow is one product of the list.
type sellerProductRow struct {
	market.ProductView
	Name string
}

// sellerProducts lists the company's products with where each stands, and
// offers a new product of each type the company declared.
func (s *server) sellerProducts(w http.ResponseWriter, r *http.Request, p *page) {
	if !canManageProducts(p) {
		s.fail(w, r, p, forbidden)
		return
	}
	ctx := r.Context()
	products, err := s.svc.SellerProducts(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := sellerProductsView{}
	for _, pv := range products {
		c := pv.Content()
		v.Rows = append(v.Rows, sellerProductRow{ProductView: pv, Name: p.Choose(c.Name.EN, c.Name.ZH)})
	}
	app, err := s.svc.MyApplication(ctx, p.Actor)
	switch {
	case fault.Is(err, fault.NotFound):
		v.Why = p.T("sproducts.why.no_application")
	case err != nil:
		s.fail(w, r, p, err)
		return
	default:
		v.Types, v.Why = listableTypes(p, app)
		v.SignAgreement = app.State.Selling() && app.Agreement.Version != "" && (app.Signature == nil || app.Signature.Version != app.Agreement.Version)
	}
	p.Title, p.Data = "sproducts.title", v
	s.render(w, r, p, http.StatusOK, "seller_products")
}

// listableTypes are the product types a company may list now, the ones it
// declared, or why it may list none.
func listableTypes(p *page, app market.ApplicationView) ([]catalog.Type, string) {
	switch {
	case app.State == seller.Suspended:
		return nil, p.T("sproducts.why.suspended")
	case !app.State.Selling():
		return nil, p.T("sproducts.why.not_approved", "State", p.T("state."+string(app.State)))
	}
	var types []catalog.Type
	for _, t := range catalog.Types {
		if slices.Contains(app.Offerings, t.Offering()) {
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		return nil, p.T("sproducts.why.no_types")
	}
	return types, ""
}
