package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/support"
)

// Technical support (docs/benefits.md): a seller's people open consulting
// and enablement tickets and follow them at /seller/support; operators work
// the queue at /ops/support. Each ticket has its page in both scopes.

// supportBase is where a scope's tickets are.
var supportBase = map[string]string{"seller": "/seller/support", "ops": "/ops/support"}

// supportListView is a scope's list: the seller's tickets with the form to
// open one, or the operators' queue with its filters.
type supportListView struct {
	Scope, Base string
	Rows        []supportRow
	States      []option
	Assignees   []option // ops: all, mine, unassigned
	Kinds       []option // seller: the new ticket form's
	Products    []option // seller: the company's products, or none
	CanOpen     bool     // seller: the company may open tickets (approved, not suspended)
}

// supportRow is a ticket in a list.
type supportRow struct {
	market.TicketView
	Href string
}

// supportTickets shows a scope's tickets (?state=, and for operators
// ?assignee=me|none and ?seller=).
func (s *server) supportTickets(scope string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		if key := r.URL.Query().Get("done"); key != "" && p.Has("sup.notice."+key) {
			p.Notice = p.T("sup.notice." + key)
		}
		s.showTickets(w, r, p, scope, http.StatusOK)
	}
}

// showTickets renders a scope's list around p.Form, which may be the new
// ticket form that failed.
func (s *server) showTickets(w http.ResponseWriter, r *http.Request, p *page, scope string, status int) {
	ctx := r.Context()
	q := r.URL.Query()
	f := store.TicketFilter{State: support.State(q.Get("state")), Limit: 200}
	v := supportListView{Scope: scope, Base: supportBase[scope]}
	if scope == "ops" {
		f.SellerOrgID = q.Get("seller")
		switch q.Get("assignee") {
		case "me":
			f.AssigneeID = p.Actor.UserID
		case "none":
			f.Unassigned = true
		}
		for _, a := range []string{"all", "me", "none"} {
			v.Assignees = append(v.Assignees, option{Value: strings.TrimPrefix(a, "all"), Label: p.T("sup.assignee_filter." + a)})
		}
		p.Form.Values["assignee"], p.Form.Values["seller"] = q.Get("assignee"), q.Get("seller")
	}
	p.Form.Values["state"] = q.Get("state")
	list, err := s.svc.Tickets(ctx, p.Actor, f)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v.States = append(v.States, option{Value: "", Label: p.T("sup.all_states")})
	for _, st := range support.States {
		v.States = append(v.States, option{Value: string(st), Label: p.T("sup_state." + string(st))})
	}
	for _, t := range list {
		v.Rows = append(v.Rows, supportRow{TicketView: t, Href: v.Base + "/" + url.PathEscape(t.ID)})
	}
	if scope == "seller" {
		v.CanOpen = s.svc.MaySupport(ctx, p.Actor)
		for _, k := range support.Kinds {
			v.Kinds = append(v.Kinds, option{Value: string(k), Label: p.T("sup_kind." + string(k))})
		}
		v.Products = append(v.Products, option{Value: "", Label: p.T("sup.no_product")})
		if products, err := s.svc.SellerProducts(ctx, p.Actor); err == nil {
			for _, pv := range products {
				name := pv.Content().Name
				v.Products = append(v.Products, option{Value: pv.ID, Label: p.Choose(name.EN, name.ZH)})
			}
		}
	}
	p.Title, p.Data = "sup.list_title."+scope, v
	s.render(w, r, p, status, "support_tickets")
}
