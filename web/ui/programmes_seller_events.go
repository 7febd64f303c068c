package ui

import (
	"net/http"
	"net/url"

	"github.com/cloudmart/cloudmart/market"
)

// A seller's joint marketing events (/seller/events): the published events,
// each with the company's application or the form to apply, or why it may
// not; and the company's applications, past ones too.

type progSellerEventsView struct {
	Offers       []progOffer
	Applications []market.EventApplicationView
}

type progOffer struct {
	market.EventOffer
	Title, Description, When, ApplyBy, Refusal, FormID string
}

func (s *server) progSellerEvents(w http.ResponseWriter, r *http.Request, p *page) {
	s.showProgSellerEvents(w, r, p, http.StatusOK)
}

func (s *server) showProgSellerEvents(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	offers, err := s.svc.OpenEvents(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	apps, err := s.svc.SellerEventApplications(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := progSellerEventsView{Applications: apps}
	for _, o := range offers {
		v.Offers = append(v.Offers, progOffer{EventOffer: o, Title: p.progText(o.Title), Description: p.progText(o.Description),
			When: progSpan(o.Start, o.End, o.Zone), ApplyBy: progWhen(o.ApplyBy, o.Zone), Refusal: p.progRefusal(o.Refusal),
			FormID: "apply-" + o.ID})
	}
	if r.URL.Query().Get("done") == "applied" {
		p.Notice = p.T("prog.notice.applied")
	}
	p.Title, p.Data = "prog.seller_events.title", v
	s.render(w, r, p, status, "programmes_seller_events")
}

// progApply applies to an event with the pitch typed.
func (s *server) progApply(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("apply-"+id, r, "pitch")
	if _, err := s.svc.ApplyToEvent(r.Context(), p.Actor, id, r.FormValue("pitch")); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showProgSellerEvents(w, r, p, status) })
		return
	}
	redirect(w, r, "/seller/events?done=applied#app-"+url.PathEscape(id))
}
