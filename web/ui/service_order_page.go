package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/market"
)

// serviceOrderView is a service order's page.
type serviceOrderView struct {
	market.EngagementView
	Scope, Base, Href string // the scope, its list's address, this page's address
	Name              string
	OrderHref         string
	Explain           string // what the state means to the viewer, and what comes next
	Zone              string
	AcceptBy, Due     template.HTML
	AcceptByText      string // AcceptBy for a sentence
	Open              bool   // the thread takes messages
	Messages          []messageRow
	Deliverables      []fileRow
	// Refund is what a resolution may give back, for the operator's form.
	MaxRefund string
}

// messageRow is a message of the thread as the page shows it.
type messageRow struct {
	engagement.Message
	Who   string // "Buyer", "Seller", "Operator", translated
	Step  string // the step it records, translated; "" for a message
	Mine  bool   // written by the viewer's side
	Files []fileRow
}

// fileRow is a file of the thread with its address.
type fileRow struct {
	Name, Href, Size string
	Deliverable      bool
}

// Can reports whether the viewer may take the step now.
func (v serviceOrderView) Can(step string) bool {
	return slices.Contains(v.Actions, engagement.Kind(step))
}

// serviceOrderPage shows a service order in a scope.
func (s *server) serviceOrderPage(scope string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		if key := r.URL.Query().Get("done"); key != "" && p.Has("svc.notice."+key) {
			p.Notice = p.T("svc.notice." + key)
		}
		s.showServiceOrder(w, r, p, scope, r.PathValue("id"), http.StatusOK)
	}
}

// showServiceOrder renders a service order's page around p.Form, which may
// be one of its forms that failed.
func (s *server) showServiceOrder(w http.ResponseWriter, r *http.Request, p *page, scope, id string, status int) {
	e, err := s.svc.Engagement(r.Context(), p.Actor, id)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	base := serviceBase[scope]
	v := serviceOrderView{EngagementView: e, Scope: scope, Base: base, Href: base + "/" + url.PathEscape(e.ID),
		Name: p.Choose(e.ProductName.EN, e.ProductName.ZH), Open: !e.State.Final(), MaxRefund: e.Paid.Decimal()}
	v.OrderHref = map[string]string{"buyer": "/orders/", "seller": "/seller/orders/", "ops": "/ops/orders/"}[scope] + url.PathEscape(e.OrderID)
	loc := engagementZone(e.Engagement)
	v.Zone, v.AcceptBy, v.Due = zoneLabel(e.AcceptBy, loc), zoned(e.AcceptBy, loc), dueIn(e.Engagement)
	v.AcceptByText = zonedText(e.AcceptBy, loc)
	v.Explain = explainService(p, e)
	for _, m := range e.Thread {
		row := messageRow{Message: m, Who: p.T("svc.author." + string(m.Author)), Mine: m.Author == e.Role}
		if m.Action != "" {
			row.Step = p.T("svc.step." + string(m.Action))
		}
		for _, a := range m.Attachments {
			f := fileRow{Name: a.Name, Href: v.Href + "/files/" + url.PathEscape(market.FileID(a)), Size: kib(a.Size), Deliverable: a.Deliverable}
			row.Files = append(row.Files, f)
			if a.Deliverable {
				v.Deliverables = append(v.Deliverables, f)
			}
		}
		v.Messages = append(v.Messages, row)
	}
	p.Title, p.TitleText, p.Data = "svc.title", p.T("svc.heading", "Name", v.Name), v
	s.render(w, r, p, status, "service_order")
}

// explainService says what a service order's state means to the viewer.
func explainService(p *page, e market.EngagementView) string {
	due := ""
	if d := e.DueAt(); !d.IsZero() {
		due = zonedText(d, engagementZone(e.Engagement))
	}
	key := "svc.explain." + string(e.State)
	if role := "svc.explain." + string(e.State) + "." + string(e.Role); p.Has(role) {
		key = role
	}
	if e.State == engagement.Refunded && e.Cause != "" {
		key = "svc.explain.refunded." + string(e.Cause)
	}
	return p.T(key, "Due", due, "Refunded", p.Money(e.Refunded))
}
