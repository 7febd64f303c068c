package ui

import (
	"context"
	"net/http"
	"net/url"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// orderView is an order's page, or its receipt.
type orderView struct {
	order.Order
	Rows      []lineRow
	Scope     string // "buyer", "seller", "ops": the list it belongs to
	Back      string // that list's address
	Whole     bool   // the whole order (its buyer, operators), not a seller's lines of it
	BuyerName string // "" when the viewer may not know it
	Receipt   string // the receipt's address; "" when the viewer has none
	// What the seller is owed for its lines once the marketplace's
	// commission is taken (a seller's view only).
	Commission, Net money.Amount
	Refund          refundView    // what may be refunded, and the refunds made
	Delivery        []deliveryRow // how its lines were delivered
	Instances       []instanceRow // the servers of its image lines
	Services        []serviceLink // the service orders of its professional-service lines
}

// orderPage shows an order in a scope's list: the whole order to its buyer
// and to operators, only its own lines to a seller. An order the viewer may
// not see is not found.
func (s *server) orderPage(scope string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		s.showOrder(w, r, p, scope, r.PathValue("id"), http.StatusOK)
	}
}

// showOrder renders an order's page in a scope around p.Form, which may be
// its failed refund form.
func (s *server) showOrder(w http.ResponseWriter, r *http.Request, p *page, scope, id string, status int) {
	ctx := r.Context()
	v, err := s.orderView(ctx, p, scope, id)
	if err == nil {
		v.Refund, err = s.refundView(ctx, p, v)
	}
	if err == nil {
		v.Delivery, err = s.deliveryRows(ctx, p, v)
	}
	if err == nil {
		v.Instances, err = s.orderInstances(ctx, p, v)
	}
	if err == nil {
		v.Services, err = s.serviceLinks(ctx, p, scope, v.Order)
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	switch q := r.URL.Query(); q.Get("done") {
	case "placed":
		p.Notice = p.T("order.notice.placed")
	case "upgraded":
		p.Notice = p.T("order.notice.upgraded")
	case "refunded":
		p.Notice = refundNotice(p, v, q.Get("refund"))
		v.Refund.Just = q.Get("refund")
	}
	p.Title, p.TitleText, p.Data = "order.title", p.T("order.heading", "ID", v.ID), v
	s.render(w, r, p, status, "order")
}

// orderReceipt is the printable receipt of an order, for its buyer and
// operators.
func (s *server) orderReceipt(w http.ResponseWriter, r *http.Request, p *page) {
	v, err := s.orderView(r.Context(), p, "buyer", r.PathValue("id"))
	switch {
	case err != nil:
	case !v.Whole:
		err = fault.New(fault.NotFound, "no such receipt")
	case v.PaidAt.IsZero():
		err = &fault.Error{Code: fault.InvalidState, MsgID: "error.order_unpaid", Message: "the order is not paid yet, so it has no receipt"}
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Title, p.TitleText, p.Data = "receipt.title", p.T("receipt.heading", "ID", v.ID), v
	s.render(w, r, p, http.StatusOK, "receipt")
}

func (s *server) orderView(ctx context.Context, p *page, scope, id string) (orderView, error) {
	o, err := s.svc.Order(ctx, p.Actor, id)
	if err != nil {
		return orderView{}, err
	}
	v := orderView{Order: o, Scope: scope, Whole: account.Can(p.Actor, account.ReadPurchases, account.Resource{OrgID: o.BuyerOrgID})}
	v.Back = map[string]string{"buyer": "/orders", "seller": "/seller/orders", "ops": "/ops/orders"}[scope]
	n, err := s.namer(ctx, p)
	if err != nil {
		return v, err
	}
	if v.Rows, err = n.rows(o.Lines); err != nil {
		return v, err
	}
	if v.Whole {
		if !o.PaidAt.IsZero() {
			v.Receipt = "/orders/" + url.PathEscape(o.ID) + "/receipt"
		}
		v.BuyerName = s.orgName(ctx, p, o.BuyerOrgID)
		return v, nil
	}
	// A seller's view: its lines, and what it is owed for them.
	if v.BuyerName, err = s.svc.OrderBuyerName(ctx, p.Actor, o.ID); err != nil {
		return v, err
	}
	entries, err := o.PaymentEntries()
	if err != nil {
		return v, err
	}
	v.Commission, v.Net = money.New(0, o.Currency), money.New(0, o.Currency)
	for _, e := range entries {
		switch e.Account {
		case ledger.Commission:
			v.Commission = e.Amount
		case ledger.SellerPayable(sellerOrgOf(p.Actor)):
			v.Net = e.Amount
		}
	}
	return v, nil
}

// orgName names a customer organisation to a viewer who may know it: its
// own members, and those who look after it; else "".
func (s *server) orgName(ctx context.Context, p *page, orgID string) string {
	for _, m := range p.Actor.Memberships {
		if m.OrgID == orgID {
			return m.OrgName
		}
	}
	if o, err := s.svc.Customer(ctx, p.Actor, orgID); err == nil {
		return o.Name
	}
	return ""
}
