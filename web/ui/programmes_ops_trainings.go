package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/programme"
)

// Operators' trainings (/ops/trainings): the form to add a course; every
// course with a form to add a session; every session with the people
// enrolled and, once it has ended, their attendance to mark.

type progOpsTrainingsView struct {
	Courses   []progOpsCourse
	Kinds     []option
	Audiences []option
	Zones     []option
}

type progOpsCourse struct {
	programme.Course
	Title    string
	FormID   string // the session form's
	Sessions []progOpsSession
}

type progOpsSession struct {
	programme.Session
	When       string
	Started    bool // no longer cancellable
	Ended      bool
	Enrolments []market.EnrolmentView
}

var progCourseFields = []string{"kind", "audience", "title_en", "title_zh", "description_en", "description_zh"}

func (s *server) progOpsTrainings(w http.ResponseWriter, r *http.Request, p *page) {
	s.showProgOpsTrainings(w, r, p, http.StatusOK)
}

func (s *server) showProgOpsTrainings(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	// Sellers list courses too; this page is the operators'.
	if !account.Can(p.Actor, account.ManageProgrammes, account.Resource{}) {
		s.fail(w, r, p, forbidden)
		return
	}
	courses, err := s.svc.Courses(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	now := s.svc.Now()
	v := progOpsTrainingsView{Zones: p.progZoneOptions()}
	for _, k := range programme.CourseKinds {
		v.Kinds = append(v.Kinds, option{Value: string(k), Label: p.T("prog.course_kind." + string(k))})
	}
	for _, a := range programme.Audiences {
		v.Audiences = append(v.Audiences, option{Value: string(a), Label: p.T("prog.audience." + string(a))})
	}
	for _, c := range courses {
		row := progOpsCourse{Course: c.Course, Title: p.progText(c.Title), FormID: "session-" + c.ID}
		for _, ss := range c.Sessions {
			es, err := s.svc.SessionEnrolments(ctx, p.Actor, ss.ID)
			if err != nil {
				s.fail(w, r, p, err)
				return
			}
			row.Sessions = append(row.Sessions, progOpsSession{Session: ss, When: progSpan(ss.Start, ss.End, ss.Zone), Started: !now.Before(ss.Start), Ended: !now.Before(ss.End),
				Enrolments: es})
		}
		v.Courses = append(v.Courses, row)
	}
	if key, ok := map[string]string{"course": "prog.notice.course_created", "session": "prog.notice.session_added",
		"marked": "prog.notice.marked", "course_edited": "prog.notice.course_edited", "cancelled": "prog.notice.session_cancelled"}[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	p.Title, p.Data = "prog.ops_trainings.title", v
	s.render(w, r, p, status, "programmes_ops_trainings")
}

// progCourseCreate adds a course from the form.
func (s *server) progCourseCreate(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("course", r, progCourseFields...)
	f := p.Form.Values
	_, err := s.svc.CreateCourse(r.Context(), p.Actor, programme.Course{Kind: programme.CourseKind(f["kind"]), Audience: programme.Audience(f["audience"]),
		Title: catalog.Text{EN: f["title_en"], ZH: f["title_zh"]}, Description: catalog.Text{EN: f["description_en"], ZH: f["description_zh"]}})
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showProgOpsTrainings(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/trainings?done=course")
}

// progSessionAdd adds a session to a course from the form.
func (s *server) progSessionAdd(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("session-"+id, r, "zone", "start", "end", "place", "seats")
	f := p.Form.Values
	sess := programme.Session{CourseID: id, Zone: f["zone"], Place: f["place"]}
	var err error
	sess.Seats, err = progSeats(f["seats"])
	if err == nil {
		sess.Start, err = programme.At("start", sess.Zone, f["start"])
	}
	if err == nil {
		sess.End, err = programme.At("end", sess.Zone, f["end"])
	}
	if err == nil {
		_, err = s.svc.AddSession(r.Context(), p.Actor, sess)
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showProgOpsTrainings(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/trainings?done=session")
}

// progAttendance marks whether an enrolled person attended.
func (s *server) progAttendance(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	if _, err := s.svc.MarkAttendance(r.Context(), p.Actor, id, programme.Attendance(r.FormValue("attendance"))); err != nil {
		p.Form = emptyForm("attendance-" + id)
		s.refill(w, r, p, err, func(status int) { s.showProgOpsTrainings(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/trainings?done=marked")
}
