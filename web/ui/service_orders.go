package ui

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/subscription"
)

// Service orders (docs/services.md): the professional services a buyer
// bought, each a line of an order with its own life. The buyer's list
// (/service-orders), the seller's (/seller/service-orders) and the
// operators' dispute queue (/ops/service-orders) share one page; each
// service order has its page in the three scopes.

// serviceBase is where a scope's service orders are.
var serviceBase = map[string]string{"buyer": "/service-orders", "seller": "/seller/service-orders", "ops": "/ops/service-orders"}

// serviceOrdersView is a scope's list.
type serviceOrdersView struct {
	Scope  string
	Base   string
	State  string // the state listed ("" for all)
	States []option
	Rows   []serviceOrderRow
}

// serviceOrderRow is a service order in a list.
type serviceOrderRow struct {
	market.EngagementView
	Name string        // the product's, in the page's language
	Href string        // its page
	Due  template.HTML // the deadline of its state, in its zone; "" when none
}

// serviceOrders lists a scope's service orders: the buyer organisation's,
// the seller company's, or (operators) the disputes — ?state= chooses
// another state, "all" every one.
func (s *server) serviceOrders(scope string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		ctx := r.Context()
		v := serviceOrdersView{Scope: scope, Base: serviceBase[scope], State: r.URL.Query().Get("state")}
		if scope == "ops" && v.State == "" {
			v.State = string(engagement.Disputed)
		}
		state := engagement.State(v.State)
		if v.State == "all" {
			state = ""
		}
		var list []market.EngagementView
		var err error
		switch scope {
		case "buyer":
			org := buyerOrg(p.Actor)
			if org.OrgID == "" {
				err = forbidden
				break
			}
			list, err = s.svc.Engagements(ctx, p.Actor, store.EngagementFilter{BuyerOrgID: org.OrgID, State: state})
		case "seller":
			list, err = s.svc.SellerEngagements(ctx, p.Actor, state, "")
		default:
			list, err = s.svc.Engagements(ctx, p.Actor, store.EngagementFilter{State: state})
		}
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		v.States = append(v.States, option{Value: "all", Label: p.T("svc.all_states")})
		for _, st := range engagement.States {
			v.States = append(v.States, option{Value: string(st), Label: p.T("svc_state." + string(st))})
		}
		p.Form.Values["state"] = v.State
		for _, e := range list {
			v.Rows = append(v.Rows, serviceOrderRow{EngagementView: e, Name: p.Choose(e.ProductName.EN, e.ProductName.ZH),
				Href: v.Base + "/" + url.PathEscape(e.ID), Due: dueIn(e.Engagement)})
		}
		p.Title, p.Data = "svc.list_title."+scope, v
		s.render(w, r, p, http.StatusOK, "service_orders")
	}
}

// dueIn shows the deadline of an engagement's state in its zone.
func dueIn(e engagement.Engagement) template.HTML {
	due := e.DueAt()
	if due.IsZero() {
		return ""
	}
	return zoned(due, engagementZone(e))
}

// engagementZone is the zone an engagement counts its days in.
func engagementZone(e engagement.Engagement) *time.Location { return subscription.LoadZone(e.Zone) }

// serviceLink leads from an order's page to the service order of a line.
type serviceLink struct {
	LineNo int
	Name   string
	Href   string
	State  engagement.State
}

// serviceLinks are the service orders of an order's lines that the viewer
// may see, in the scope of the order's page.
func (s *server) serviceLinks(ctx context.Context, p *page, scope string, o order.Order) ([]serviceLink, error) {
	var out []serviceLink
	for _, l := range o.Lines {
		if l.Type != catalog.TypeService {
			continue
		}
		e, ok, err := s.svc.EngagementOfLine(ctx, p.Actor, o.ID, l.No)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, serviceLink{LineNo: l.No, Name: p.Choose(l.ProductName.EN, l.ProductName.ZH),
				Href: serviceBase[scope] + "/" + url.PathEscape(e.ID), State: e.State})
		}
	}
	return out, nil
}
