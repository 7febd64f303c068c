package ui

import (
	"net/http"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/programme"
)

// Operators' joint marketing events (/ops/events): the form to draft one,
// every event with the step it may take (publish, close) and its
// applications, each pending one with accept and decline (with a reason).

type progOpsEventsView struct {
	Events  []progOpsEvent
	Kinds   []option
	Zones   []option
	Types   []option
	Default string // the zone the form starts with
}

type progOpsEvent struct {
	programme.Event
	Title, When, ApplyBy string
	Next                 programme.EventState // the step an operator may take, "" for none
	Applications         []market.EventApplicationView
}

// progEventFields are the fields of the event form.
var progEventFields = []string{"kind", "title_en", "title_zh", "description_en", "description_zh", "zone", "start", "end", "apply_by",
	"seats", "requires_type"}

func (s *server) progOpsEvents(w http.ResponseWriter, r *http.Request, p *page) {
	s.showProgOpsEvents(w, r, p, http.StatusOK)
}

func (s *server) showProgOpsEvents(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	events, err := s.svc.Events(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := progOpsEventsView{Kinds: p.progKindOptions(), Zones: p.progZoneOptions(), Types: p.progTypeOptions()}
	for _, e := range events {
		apps, err := s.svc.EventApplications(ctx, p.Actor, e.ID)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		row := progOpsEvent{Event: e, Title: p.progText(e.Title), When: progSpan(e.Start, e.End, e.Zone), ApplyBy: progWhen(e.ApplyBy, e.Zone),
			Applications: apps}
		switch e.State {
		case programme.EventDraft:
			row.Next = programme.EventPublished
		case programme.EventPublished:
			row.Next = programme.EventClosed
		}
		v.Events = append(v.Events, row)
	}
	if p.Form.ID != "event" {
		p.Form.Values["zone"] = "Asia/Shanghai"
	}
	if key, ok := map[string]string{"created": "prog.notice.event_created", "moved": "prog.notice.event_moved",
		"decided": "prog.notice.decided", "edited": "prog.notice.event_edited"}[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	p.Title, p.Data = "prog.ops_events.title", v
	s.render(w, r, p, status, "programmes_ops_events")
}

// progEventCreate drafts an event from the form.
func (s *server) progEventCreate(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("event", r, progEventFields...)
	f := p.Form.Values
	e := programme.Event{Kind: programme.EventKind(f["kind"]), Title: catalog.Text{EN: f["title_en"], ZH: f["title_zh"]},
		Description: catalog.Text{EN: f["description_en"], ZH: f["description_zh"]}, Zone: f["zone"], RequiresType: catalog.Type(f["requires_type"])}
	var err error
	e.Seats, err = progSeats(f["seats"])
	if err == nil {
		e.Start, e.End, e.ApplyBy, err = progTimes(e.Zone, f)
	}
	if err == nil {
		_, err = s.svc.CreateEvent(r.Context(), p.Actor, e)
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showProgOpsEvents(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/events?done=created")
}

// progTimes reads an event form's start, end and application deadline, wall
// times in the zone.
func progTimes(zone string, f map[string]string) (start, end, applyBy time.Time, err error) {
	if start, err = programme.At("start", zone, f["start"]); err != nil {
		return
	}
	if end, err = programme.At("end", zone, f["end"]); err != nil {
		return
	}
	applyBy, err = programme.At("apply_by", zone, f["apply_by"])
	return
}

// progEventMove publishes or closes an event.
func (s *server) progEventMove(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	if _, err := s.svc.MoveEvent(r.Context(), p.Actor, id, programme.EventState(r.FormValue("to"))); err != nil {
		p.Form = emptyForm("move-" + id)
		s.refill(w, r, p, err, func(status int) { s.showProgOpsEvents(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/events?done=moved")
}

// progApplicationDecide accepts or declines an application.
func (s *server) progApplicationDecide(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("decide-"+id, r, "reason")
	accept := r.FormValue("decision") == "accept"
	if _, err := s.svc.DecideEventApplication(r.Context(), p.Actor, id, accept, r.FormValue("reason")); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showProgOpsEvents(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/events?done=decided")
}
