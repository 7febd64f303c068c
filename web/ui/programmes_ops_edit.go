package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/programme"
	"github.com/cloudmart/cloudmart/subscription"
)

// Operators change an event (/ops/events/{id}/edit) or a course
// (/ops/trainings/{id}/edit) after creating it, on a form filled with what
// it says now, and cancel a session before it starts (its people are told).

type progEditView struct {
	Heading string // the message id of the page's heading
	Action  string // where the form posts
	Back    string // the list it came from
	Event   bool   // an event's form (dates, zone, seats); else a course's
	Zones   []option
}

// progEventEditFields are what an operator may change of an event.
var progEventEditFields = []string{"title_en", "title_zh", "description_en", "description_zh", "zone", "start", "end", "apply_by", "seats"}

// progLocal writes t as a datetime-local input's value in the zone.
func progLocal(t time.Time, zone string) string {
	return t.In(subscription.LoadZone(zone)).Format("2006-01-02T15:04")
}

func (s *server) progEventEdit(w http.ResponseWriter, r *http.Request, p *page) {
	if !account.Can(p.Actor, account.ManageProgrammes, account.Resource{}) {
		s.fail(w, r, p, forbidden)
		return
	}
	events, err := s.svc.Events(r.Context(), p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	for _, e := range events {
		if e.ID == r.PathValue("id") {
			p.Form = emptyForm("edit")
			v := p.Form.Values
			v["title_en"], v["title_zh"], v["description_en"], v["description_zh"] = e.Title.EN, e.Title.ZH, e.Description.EN, e.Description.ZH
			v["zone"], v["seats"] = e.Zone, strconv.Itoa(e.Seats)
			v["start"], v["end"], v["apply_by"] = progLocal(e.Start, e.Zone), progLocal(e.End, e.Zone), progLocal(e.ApplyBy, e.Zone)
			s.showProgEdit(w, r, p, http.StatusOK, true)
			return
		}
	}
	s.fail(w, r, p, &fault.Error{Code: fault.NotFound, Message: "no such event"})
}

func (s *server) showProgEdit(w http.ResponseWriter, r *http.Request, p *page, status int, event bool) {
	id := r.PathValue("id")
	v := progEditView{Heading: "prog.edit_course", Action: "/ops/trainings/" + id + "/edit", Back: "/ops/trainings"}
	if event {
		v = progEditView{Heading: "prog.edit_event", Action: "/ops/events/" + id + "/edit", Back: "/ops/events", Event: true, Zones: p.progZoneOptions()}
	}
	p.Title, p.Data = v.Heading, v
	s.render(w, r, p, status, "programmes_ops_edit")
}

// progEventSave changes the event from the form.
func (s *server) progEventSave(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("edit", r, progEventEditFields...)
	f := p.Form.Values
	d := programme.EventDetails{Title: catalog.Text{EN: f["title_en"], ZH: f["title_zh"]},
		Description: catalog.Text{EN: f["description_en"], ZH: f["description_zh"]}, Zone: f["zone"]}
	var err error
	d.Seats, err = progSeats(f["seats"])
	if err == nil {
		d.Start, d.End, d.ApplyBy, err = progTimes(d.Zone, f)
	}
	if err == nil {
		_, err = s.svc.EditEvent(r.Context(), p.Actor, r.PathValue("id"), d)
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showProgEdit(w, r, p, status, true) })
		return
	}
	redirect(w, r, "/ops/events?done=edited")
}

func (s *server) progCourseEdit(w http.ResponseWriter, r *http.Request, p *page) {
	// Sellers list courses too; changing one is the operators'.
	if !account.Can(p.Actor, account.ManageProgrammes, account.Resource{}) {
		s.fail(w, r, p, forbidden)
		return
	}
	courses, err := s.svc.Courses(r.Context(), p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	for _, c := range courses {
		if c.ID == r.PathValue("id") {
			p.Form = emptyForm("edit")
			v := p.Form.Values
			v["title_en"], v["title_zh"], v["description_en"], v["description_zh"] = c.Title.EN, c.Title.ZH, c.Description.EN, c.Description.ZH
			s.showProgEdit(w, r, p, http.StatusOK, false)
			return
		}
	}
	s.fail(w, r, p, &fault.Error{Code: fault.NotFound, Message: "no such course"})
}

// progCourseSave changes the course's title and description from the form.
func (s *server) progCourseSave(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("edit", r, "title_en", "title_zh", "description_en", "description_zh")
	f := p.Form.Values
	if _, err := s.svc.EditCourse(r.Context(), p.Actor, r.PathValue("id"), catalog.Text{EN: f["title_en"], ZH: f["title_zh"]},
		catalog.Text{EN: f["description_en"], ZH: f["description_zh"]}); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showProgEdit(w, r, p, status, false) })
		return
	}
	redirect(w, r, "/ops/trainings?done=course_edited")
}

// progSessionCancel cancels a session; its people's companies are told.
func (s *server) progSessionCancel(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	if _, err := s.svc.CancelSession(r.Context(), p.Actor, id); err != nil {
		p.Form = emptyForm("cancel-" + id)
		s.refill(w, r, p, err, func(status int) { s.showProgOpsTrainings(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/trainings?done=cancelled")
}
