package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
)

// Orders are listed in three places: a buyer's own (/orders), a seller's for
// its products with only its lines (/seller/orders), and every order for
// operators (/ops/orders). One list, one filter form and one CSV export serve
// the three, each asking the use case that decides what its viewer may see.

// ordersPage is how many orders one page of a list shows.
const ordersPage = 50

// orderStates lists the states an order can be in, in their order.
var orderStates = []order.State{order.Pending, order.Paid, order.Delivering, order.Delivered,
	order.DeliveryFailed, order.PartiallyRefunded, order.Refunded}

// orderScope is where a list of orders is and whose orders it holds.
type orderScope struct {
	Name string // "buyer", "seller", "ops"
	Base string // the list's address
	// list asks the use case for a page of the scope's orders.
	list func(ctx context.Context, f store.OrderFilter) ([]order.Order, error)
}

// scope returns the actor's scope of the name, or an error when it has none.
func (s *server) scope(p *page, name string) (orderScope, error) {
	a := p.Actor
	switch name {
	case "buyer":
		org := buyerOrg(a).OrgID
		if org == "" || !account.Can(a, account.ReadPurchases, account.Resource{OrgID: org}) {
			return orderScope{}, forbidden
		}
		return orderScope{Name: name, Base: "/orders", list: func(ctx context.Context, f store.OrderFilter) ([]order.Order, error) {
			f.BuyerOrgID = org
			return s.svc.Purchases(ctx, a, f)
		}}, nil
	case "seller":
		org := sellerOrgOf(a)
		if org == "" || !account.Can(a, account.ReadSales, account.Resource{OrgID: org}) {
			return orderScope{}, forbidden
		}
		return orderScope{Name: name, Base: "/seller/orders", list: func(ctx context.Context, f store.OrderFilter) ([]order.Order, error) {
			f.SellerOrgID = org
			return s.svc.Sales(ctx, a, f)
		}}, nil
	default:
		if !account.Can(a, account.ReadAllOrders, account.Resource{}) {
			return orderScope{}, forbidden
		}
		return orderScope{Name: "ops", Base: "/ops/orders", list: func(ctx context.Context, f store.OrderFilter) ([]order.Order, error) {
			return s.svc.AllOrders(ctx, a, f)
		}}, nil
	}
}

// ordersView is one page of a list of orders.
type ordersView struct {
	Scope     string
	Base      string
	Rows      []orderRow
	States    []option
	Customers []option // operators filter by customer
	Sellers   []option // and by seller
	Older     string   // the address of the next older page; "" on the last
	Newest    string   // the address of the first page, when this is a later one
	CSV       string   // the address of the list as CSV
	Filtered  bool     // the list is filtered
}

// orderRow is an order in a list.
type orderRow struct {
	order.Order
	Href    string
	Summary string // its products and quantities
	Buyer   string // the customer's name, for operators
}

// orderFields are the inputs of the filter form.
var orderFields = []string{"state", "since", "until", "buyer", "seller"}

// buyerOrders lists the buyer's orders.
func (s *server) buyerOrders(w http.ResponseWriter, r *http.Request, p *page) {
	s.orders(w, r, p, "buyer", "orders.title")
}

// sellerOrders lists the orders for the seller's products.
func (s *server) sellerOrders(w http.ResponseWriter, r *http.Request, p *page) {
	s.orders(w, r, p, "seller", "sorders.title")
}

// opsOrders is the operators' order search.
func (s *server) opsOrders(w http.ResponseWriter, r *http.Request, p *page) {
	s.orders(w, r, p, "ops", "opsorders.title")
}

// orders shows a page of the scope's orders, newest first, filtered by the
// GET form above it and paged back with "before".
func (s *server) orders(w http.ResponseWriter, r *http.Request, p *page, scopeName, title string) {
	ctx := r.Context()
	sc, err := s.scope(p, scopeName)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Title = title
	p.Form = newForm("orders", r, orderFields...)
	q := r.URL.Query()
	v := ordersView{Scope: sc.Name, Base: sc.Base, States: stateOptions(p)}
	names := map[string]string{}
	if sc.Name == "ops" {
		if v.Customers, v.Sellers, names, err = s.orgOptions(ctx, p); err != nil {
			s.fail(w, r, p, err)
			return
		}
	}
	f, err := orderFilter(q, sc.Name == "ops")
	if err != nil {
		s.refill(w, r, p, err, func(status int) {
			p.Data = v
			s.render(w, r, p, status, "orders")
		})
		return
	}
	v.Filtered = f.State != "" || !f.Since.IsZero() || !f.Until.IsZero() || f.BuyerOrgID != "" || f.SellerOrgID != ""
	f.Limit = ordersPage + 1 // one more tells whether there is an older page
	list, err := sc.list(ctx, f)
	if err != nil {
		s.refill(w, r, p, err, func(status int) {
			p.Data = v
			s.render(w, r, p, status, "orders")
		})
		return
	}
	if len(list) > ordersPage {
		list = list[:ordersPage]
		q.Set("before", list[ordersPage-1].ID)
		v.Older = sc.Base + "?" + q.Encode()
	}
	if f.Before != "" {
		q.Del("before")
		v.Newest = sc.Base + "?" + q.Encode()
	}
	q.Del("before")
	v.CSV = sc.Base + "/export?" + q.Encode()
	for _, o := range list {
		v.Rows = append(v.Rows, orderRow{Order: o, Href: sc.Base + "/" + url.PathEscape(o.ID), Summary: summary(p, o.Lines), Buyer: names[o.BuyerOrgID]})
	}
	p.Data = v
	s.render(w, r, p, http.StatusOK, "orders")
}

// orderFilter reads the filter form. Dates are days in UTC, both included;
// the customer and seller are read only for operators.
//
// Errors: Invalid on "state", "since" or "until".
func orderFilter(q url.Values, ops bool) (store.OrderFilter, error) {
	f := store.OrderFilter{State: order.State(q.Get("state")), Before: q.Get("before")}
	if f.State != "" && !isState(f.State) {
		return f, fault.Field("state", "error.order_state", "choose one of the order states")
	}
	if ops {
		f.BuyerOrgID, f.SellerOrgID = strings.TrimSpace(q.Get("buyer")), strings.TrimSpace(q.Get("seller"))
	}
	var err error
	f.Since, f.Until, err = dayRange(q)
	return f, err
}

func isState(st order.State) bool {
	for _, s := range orderStates {
		if s == st {
			return true
		}
	}
	return false
}

// stateOptions are the choices of the state filter: any, then each state.
func stateOptions(p *page) []option {
	out := []option{{Value: "", Label: p.T("orders.any_state")}}
	for _, st := range orderStates {
		out = append(out, option{Value: string(st), Label: p.T("order_state." + string(st))})
	}
	return out
}

// orgOptions lists the customers and the sellers an operator may filter
// orders by, and names the customers by id.
func (s *server) orgOptions(ctx context.Context, p *page) (customers, sellers []option, names map[string]string, err error) {
	orgs, err := s.svc.Customers(ctx, p.Actor)
	if err != nil {
		return nil, nil, nil, err
	}
	names = map[string]string{}
	customers = []option{{Value: "", Label: p.T("orders.any_customer")}}
	for _, o := range orgs {
		names[o.ID] = o.Name
		customers = append(customers, option{Value: o.ID, Label: o.Name})
	}
	sellers = []option{{Value: "", Label: p.T("orders.any_seller")}}
	if account.Can(p.Actor, account.ListApplications, account.Resource{}) {
		apps, err := s.svc.Applications(ctx, p.Actor, market.ApplicationFilter{})
		if err != nil {
			return nil, nil, nil, err
		}
		for _, a := range apps {
			if a.State.Selling() {
				sellers = append(sellers, option{Value: a.OrgID, Label: a.LegalName})
			}
		}
	}
	return customers, sellers, names, nil
}

// summary names the products of lines with their quantities, in the page's
// language: "Lakeside Cloud Backup × 2, Harbor CI × 1".
func summary(p *page, lines []order.Line) string {
	parts := make([]string, 0, len(lines))
	for _, l := range lines {
		name := p.Choose(l.ProductName.EN, l.ProductName.ZH)
		parts = append(parts, p.T("orders.line", "Name", name, "Quantity", l.Quantity))
	}
	return strings.Join(parts, p.T("list.sep"))
}
