package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/programme"
)

// A seller's trainings (/seller/trainings): every course with its sessions
// and seats left, a form to enrol a person in each session open to the
// company, or why it is not; and the people the company enrolled, each
// cancellable before its session.

type progSellerTrainingsView struct {
	Courses    []progCourse
	Enrolments []progEnrolment
}

type progCourse struct {
	market.CourseView
	Title, Description, Refusal string
	Sessions                    []progSession
}

type progSession struct {
	programme.Session
	When    string
	Started bool
	FormID  string
}

type progEnrolment struct {
	market.EnrolmentView
	CourseTitle, When string
	Cancellable       bool
}

func (s *server) progSellerTrainings(w http.ResponseWriter, r *http.Request, p *page) {
	s.showProgSellerTrainings(w, r, p, http.StatusOK)
}

func (s *server) showProgSellerTrainings(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	courses, err := s.svc.Courses(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	mine, err := s.svc.SellerEnrolments(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	now := s.svc.Now()
	v := progSellerTrainingsView{}
	for _, c := range courses {
		pc := progCourse{CourseView: c, Title: p.progText(c.Title), Description: p.progText(c.Description), Refusal: p.progRefusal(c.Refusal)}
		for _, ss := range c.Sessions {
			pc.Sessions = append(pc.Sessions, progSession{Session: ss, When: progSpan(ss.Start, ss.End, ss.Zone), Started: !now.Before(ss.Start),
				FormID: "enrol-" + ss.ID})
		}
		v.Courses = append(v.Courses, pc)
	}
	for _, e := range mine {
		v.Enrolments = append(v.Enrolments, progEnrolment{EnrolmentView: e, CourseTitle: p.progText(e.Course.Title),
			When: progSpan(e.Session.Start, e.Session.End, e.Session.Zone), Cancellable: e.State == programme.Enrolled && now.Before(e.Session.Start)})
	}
	switch r.URL.Query().Get("done") {
	case "enrolled":
		p.Notice = p.T("prog.notice.enrolled")
	case "cancelled":
		p.Notice = p.T("prog.notice.cancelled")
	}
	p.Title, p.Data = "prog.seller_trainings.title", v
	s.render(w, r, p, status, "programmes_seller_trainings")
}

// progEnrol enrols the person typed in a session.
func (s *server) progEnrol(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("enrol-"+id, r, "name", "email")
	if _, err := s.svc.Enrol(r.Context(), p.Actor, id, r.FormValue("name"), r.FormValue("email")); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showProgSellerTrainings(w, r, p, status) })
		return
	}
	redirect(w, r, "/seller/trainings?done=enrolled")
}

// progCancel cancels one of the company's enrolments.
func (s *server) progCancel(w http.ResponseWriter, r *http.Request, p *page) {
	if _, err := s.svc.CancelEnrolment(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		p.Form = emptyForm("enrolments")
		s.refill(w, r, p, err, func(status int) { s.showProgSellerTrainings(w, r, p, status) })
		return
	}
	redirect(w, r, "/seller/trainings?done=cancelled")
}
