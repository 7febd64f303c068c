package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/web/status"
)

// The partner's pages: the products authorised to it, each with a form that
// orders it for one of its customers (/partner/products), and its sales with
// their margin and its customers' orders (/partner/sales).

type partnerProductsView struct {
	Products  []partnerProductRow
	Customers []option
	Lines     []option // "product|plan", for the order form
	Regions   []option
}

// partnerProductRow is a product authorised to the partner, with its plans'
// prices and the partner's margin on each.
type partnerProductRow struct {
	market.PartnerProduct
	Discount string // percent
	Plans    []partnerPlan
}

type partnerPlan struct {
	Name, Price, Margin string
}

func (s *server) partnerProducts(w http.ResponseWriter, r *http.Request, p *page) {
	s.showPartnerProducts(w, r, p, http.StatusOK)
}

func (s *server) showPartnerProducts(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	org, err := market.PartnerOrgOf(p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	products, err := s.svc.PartnerProducts(ctx, p.Actor, org)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	customers, err := s.svc.PartnerCustomers(ctx, p.Actor, org)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	var v partnerProductsView
	for _, c := range customers {
		v.Customers = append(v.Customers, option{Value: c.ID, Label: c.Name})
	}
	v.Regions = []option{{Value: "", Label: p.T("resale.partner.region_only")}}
	seen := map[string]bool{}
	for _, pp := range products {
		row := partnerProductRow{PartnerProduct: pp, Discount: percentText(pp.Authorisation.DiscountBPS)}
		name := p.Choose(pp.Product.Name.EN, pp.Product.Name.ZH)
		for _, pl := range pp.Product.Plans {
			price, _ := pl.ListPrice()
			margin, _ := price.Ratio(int64(pp.Authorisation.DiscountBPS), 10_000)
			plan := p.Choose(pl.Name.EN, pl.Name.ZH)
			row.Plans = append(row.Plans, partnerPlan{Name: plan, Price: p.Money(price), Margin: p.Money(margin)})
			v.Lines = append(v.Lines, option{Value: pp.Product.ID + "|" + pl.Code, Label: name + " — " + plan, Hint: p.Money(price)})
		}
		for _, rg := range pp.Product.Regions {
			if !seen[rg] {
				seen[rg] = true
				v.Regions = append(v.Regions, option{Value: rg, Label: rg})
			}
		}
		v.Products = append(v.Products, row)
	}
	if p.Form.Values["porder.quantity"] == "" {
		p.Form.Values["porder.quantity"] = "1"
	}
	if p.Form.Values["porder.key"] == "" { // one order however often the form is sent
		p.Form.Values["porder.key"] = ids.New("pko")
	}
	p.Title, p.Data = "resale.partner.products_title", v
	s.render(w, r, p, status, "resale_partner_products")
}

// partnerOrder places an order for one of the partner's customers.
func (s *server) partnerOrder(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("porder", r, "porder.line", "porder.customer", "porder.region", "porder.quantity", "porder.key")
	p.Form.alias("customer_org_id", "porder.customer")
	p.Form.alias("lines", "porder.line")
	p.Form.alias("lines[0]", "porder.line")
	p.Form.alias("lines[0].plan", "porder.line")
	p.Form.alias("lines[0].region", "porder.region")
	p.Form.alias("lines[0].quantity", "porder.quantity")
	v := p.Form.Values
	org, err := market.PartnerOrgOf(p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	product, plan, _ := strings.Cut(v["porder.line"], "|")
	qty, err := strconv.Atoi(v["porder.quantity"])
	if err != nil {
		qty = -1 // refused by the cart's rules, next to the field
	}
	_, _, err = s.svc.PlacePartnerOrder(r.Context(), p.Actor, market.PartnerOrderRequest{PartnerOrgID: org, CustomerOrgID: v["porder.customer"],
		IdempotencyKey: v["porder.key"],
		Lines:          []order.LineRequest{{ProductID: product, Plan: plan, Region: v["porder.region"], Quantity: qty}}})
	if e := fault.As(err); e != nil && (e.Code == fault.Forbidden || e.Code == fault.InsufficientFunds) && e.MsgID != "error.forbidden" {
		p.Form.fail(e.Field, p.faultText(e)) // about what was chosen: shown by the form
		s.showPartnerProducts(w, r, p, status.Of(e.Code))
		return
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showPartnerProducts(w, r, p, status) })
		return
	}
	redirect(w, r, "/partner/sales?done=ordered")
}

func (s *server) partnerSales(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := resaleNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	org, err := market.PartnerOrgOf(p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	sales, err := s.svc.PartnerSales(r.Context(), p.Actor, org)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Title, p.Data = "resale.partner.sales_title", sales
	s.render(w, r, p, http.StatusOK, "resale_partner_sales")
}
