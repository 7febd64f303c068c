package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/resale"
)

// The seller's resale page (/seller/resale): the requirements, each product's
// standing (what it lacks, or that it may be resold), its authorisations with
// a revoke button, the form that authorises a product for a partner, and the
// partners' sales of the company's products.

type sellerResaleView struct {
	Requirements resale.Requirements
	Products     []market.ResaleStanding
	Eligible     []option // the products that may be authorised
	Partners     []option
	Sales        []order.Order
}

// resaleNotices are the confirmations the resale pages show after a redirect.
var resaleNotices = map[string]string{
	"authorised":   "resale.notice.authorised",
	"revoked":      "resale.notice.revoked",
	"requirements": "resale.notice.requirements",
	"approve":      "resale.notice.approved",
	"decline":      "resale.notice.declined",
	"ordered":      "resale.notice.ordered",
}

func (s *server) sellerResale(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := resaleNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showSellerResale(w, r, p, http.StatusOK)
}

// showSellerResale renders the page around p.Form, which may be a failed
// authorisation.
func (s *server) showSellerResale(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	org, err := market.SellerOrgOf(p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	var v sellerResaleView
	if v.Products, v.Requirements, err = s.svc.SellerResale(ctx, p.Actor, org); err != nil {
		s.fail(w, r, p, err)
		return
	}
	for _, st := range v.Products {
		if st.Eligible() {
			v.Eligible = append(v.Eligible, option{Value: st.ProductID, Label: p.Choose(st.Name.EN, st.Name.ZH)})
		}
	}
	partners, err := s.svc.ResalePartners(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	for _, o := range partners {
		v.Partners = append(v.Partners, option{Value: o.ID, Label: o.Name})
	}
	if v.Sales, err = s.svc.SellerPartnerSales(ctx, p.Actor, org); err != nil {
		s.fail(w, r, p, err)
		return
	}
	if p.Form.ID != "authorise" {
		p.Form.Values["authorise.discount"] = percentText(v.Requirements.StandardDiscountBPS)
	}
	p.Title, p.Data = "resale.seller.title", v
	s.render(w, r, p, status, "resale_seller")
}
