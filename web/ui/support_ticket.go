package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/support"
)

// supportTicketView is a ticket's page.
type supportTicketView struct {
	market.TicketView
	Scope, Base, Href string
	Product           string // the product's name in the page's language
	Messages          []supportMessageRow
	Buttons           []option      // the states the viewer may move it to, as buttons
	Assignees         []option      // ops: the operators, and no one
	Open              bool          // the thread takes messages
	ReopenUntil       template.HTML // seller: until when a resolved ticket may be reopened
}

// supportMessageRow is a message as the page shows it.
type supportMessageRow struct {
	support.Message
	Who   string // the author's name and part
	Mine  bool   // written by the viewer's side
	Files []fileRow
}

// CanMove reports whether the viewer may move the ticket to the state.
func (v supportTicketView) CanMove(state string) bool {
	return slices.Contains(v.TicketView.Moves, support.State(state))
}

// supportTicket shows a ticket in a scope.
func (s *server) supportTicket(scope string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		if key := r.URL.Query().Get("done"); key != "" && p.Has("sup.notice."+key) {
			p.Notice = p.T("sup.notice." + key)
		}
		s.showTicket(w, r, p, scope, r.PathValue("id"), http.StatusOK)
	}
}

// showTicket renders a ticket's page around p.Form, which may be one of its
// forms that failed.
func (s *server) showTicket(w http.ResponseWriter, r *http.Request, p *page, scope, id string, status int) {
	ctx := r.Context()
	t, err := s.svc.Ticket(ctx, p.Actor, id)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	if (scope == "ops") != (t.Role == support.Operator) {
		s.notFound(w, r, p) // sellers read their tickets at /seller/support, operators at /ops/support
		return
	}
	base := supportBase[scope]
	v := supportTicketView{TicketView: t, Scope: scope, Base: base, Href: base + "/" + url.PathEscape(t.ID),
		Product: p.Choose(t.ProductName.EN, t.ProductName.ZH), Open: t.State != support.Closed}
	if t.State == support.Resolved && scope == "seller" {
		v.ReopenUntil = utc(t.ResolvedAt.Add(support.ReopenWithin))
	}
	for _, m := range t.Thread {
		row := supportMessageRow{Message: m, Who: m.AuthorName + " · " + p.T("sup.author."+string(m.Author)), Mine: m.Author == t.Role}
		for _, a := range m.Attachments {
			row.Files = append(row.Files, fileRow{Name: a.Name, Href: v.Href + "/files/" + url.PathEscape(market.TicketFileID(a)), Size: kib(a.Size)})
		}
		v.Messages = append(v.Messages, row)
	}
	for _, st := range t.Moves {
		key := "sup.move." + string(st)
		if p.Has(key + "." + string(t.State)) { // reopening reads differently from starting
			key += "." + string(t.State)
		}
		v.Buttons = append(v.Buttons, option{Value: string(st), Label: p.T(key)})
	}
	if scope == "ops" {
		ops, err := s.svc.SupportOperators(ctx, p.Actor)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		v.Assignees = append(v.Assignees, option{Value: "", Label: p.T("sup.no_one")})
		for _, u := range ops {
			v.Assignees = append(v.Assignees, option{Value: u.ID, Label: u.DisplayName, Hint: u.Email})
		}
		if _, ok := p.Form.Values["assignee_id"]; !ok {
			p.Form.Values["assignee_id"] = t.AssigneeID
		}
	}
	p.Title, p.TitleText, p.Data = "sup.title", t.Subject, v
	s.render(w, r, p, status, "support_ticket")
}
