package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// programmeEventBody is an event an operator drafts, days from now in Shanghai.
func programmeEventBody(w *world, title string, seats int) map[string]any {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := func(days int) string { return w.clock.Now().In(sh).AddDate(0, 0, days).Format("2006-01-02T15:04") }
	return map[string]any{"kind": "technology_forum", "title": map[string]string{"en": title, "zh": "论坛"},
		"description": map[string]string{"en": "Talks and demos.", "zh": "演讲与演示。"}, "zone": "Asia/Shanghai",
		"start": at(40), "end": at(41), "apply_by": at(30), "seats": seats}
}

// programmeSetup makes, through the API, a published event, a marketplace
// course with a session, and an enrolment of Bluepeak (seller2) in it.
func programmeSetup(t *testing.T, w *world, ops string) (eventID, sessionID, theirEnrolment string) {
	t.Helper()
	var ev, course, sess, enr struct{ ID string }
	w.do("POST", "/api/v1/ops/events", ops, programmeEventBody(w, "Matrix forum", 3)).must(t, http.StatusCreated, "event").decode(t, &ev)
	w.do("POST", "/api/v1/ops/events/"+ev.ID+"/publish", ops, nil).must(t, http.StatusOK, "publish")
	w.do("POST", "/api/v1/ops/courses", ops, map[string]any{"title": map[string]string{"en": "Listing well", "zh": "上架技巧"},
		"description": map[string]string{"en": "An hour online.", "zh": "线上一小时。"}, "kind": "online", "audience": "marketplace"}).
		must(t, http.StatusCreated, "course").decode(t, &course)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	day := w.clock.Now().In(sh).AddDate(0, 0, 10).Format("2006-01-02")
	w.do("POST", "/api/v1/ops/courses/"+course.ID+"/sessions", ops, map[string]any{"start": day + "T10:00", "end": day + "T11:00",
		"zone": "Asia/Shanghai", "place": "https://meet.example.com/listing", "seats": 5}).must(t, http.StatusCreated, "session").decode(t, &sess)
	w.do("POST", "/api/v1/seller/sessions/"+sess.ID+"/enrolments", w.login("seller2@demo.test"),
		map[string]string{"name": "Lin Feng", "email": "lin.feng@bluepeak.example"}).must(t, http.StatusCreated, "enrol").decode(t, &enr)
	return ev.ID, sess.ID, enr.ID
}

// programmesMatrix is the access matrix of seller programmes: operators run
// events, verify declarations and give trainings; a seller company's people
// apply, declare and enrol for it, and see only its own; a company not
// approved (the applicant) is refused; everyone else is forbidden. Rows
// that change something come after the rows that read.
func programmesMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	ops := tokens["operator"]
	ev, sess, theirs := programmeSetup(t, w, ops)
	sellers := func(status int) map[string]int {
		want := everyone(http.StatusForbidden)
		want["seller"], want["applicant"] = status, status
		return want
	}
	sellersAndOps := sellers(http.StatusOK)
	sellersAndOps["operator"] = http.StatusOK
	// By the time these rows run, the seller matrix has approved the
	// applicant's company (TestProgrammesAPI refuses a company in draft).
	joins := sellers(http.StatusCreated)
	// The same person once per session, whichever company enrols them.
	enrolOnce := sellers(http.StatusCreated)
	enrolOnce["applicant"] = http.StatusConflict
	enrol := map[string]string{"name": "Hu Jun", "email": "hu.jun@lakeside.example"}
	migration := map[string]string{"kind": "saas", "region": "cn-east-3", "workload": "Lakeside Data Lens", "evidence": "https://lakeside.example/status"}
	var course struct{ ID string }
	w.do("POST", "/api/v1/ops/courses", ops, courseBody("Matrix course")).must(t, http.StatusCreated, "course").decode(t, &course)
	return []access{
		{"GET", "/api/v1/ops/events", nil, onlyOperators(http.StatusOK)},
		{"GET", "/api/v1/ops/events/" + ev + "/applications", nil, onlyOperators(http.StatusOK)},
		{"GET", "/api/v1/ops/events/evt_none/applications", nil, onlyOperators(http.StatusNotFound)},
		{"GET", "/api/v1/seller/events", nil, sellers(http.StatusOK)},
		{"GET", "/api/v1/seller/event-applications", nil, sellers(http.StatusOK)},
		{"GET", "/api/v1/seller/migrations", nil, sellers(http.StatusOK)},
		{"GET", "/api/v1/ops/migrations", nil, onlyOperators(http.StatusOK)},
		{"GET", "/api/v1/courses", nil, sellersAndOps},
		{"GET", "/api/v1/seller/enrolments", nil, sellers(http.StatusOK)},
		{"GET", "/api/v1/ops/sessions/" + sess + "/enrolments", nil, onlyOperators(http.StatusOK)},
		{"POST", "/api/v1/ops/events", programmeEventBody(w, "Matrix forum 2", 3), onlyOperators(http.StatusCreated)},
		{"POST", "/api/v1/ops/courses", map[string]any{"title": map[string]string{"en": "Matrix", "zh": "矩阵"},
			"description": map[string]string{"en": "d", "zh": "d"}, "kind": "onsite", "audience": "sales"}, onlyOperators(http.StatusCreated)},
		{"POST", "/api/v1/seller/events/" + ev + "/applications", map[string]string{"pitch": "Our data platform"}, joins},
		{"POST", "/api/v1/seller/migrations", migration, joins},
		{"POST", "/api/v1/seller/sessions/" + sess + "/enrolments", enrol, enrolOnce},
		{"POST", "/api/v1/ops/event-applications/eap_none/accept", nil, onlyOperators(http.StatusNotFound)},
		{"POST", "/api/v1/ops/migrations/mig_none/verify", nil, onlyOperators(http.StatusNotFound)},
		{"POST", "/api/v1/enrolments/enr_none/cancel", nil, everyone(http.StatusNotFound)},
		// Bluepeak's enrolment: another company gets 404, as for none; an
		// operator cancels it; then marking it is refused.
		{"POST", "/api/v1/enrolments/" + theirs + "/cancel", nil,
			map[string]int{"anon": 401, "buyer": 404, "seller": 404, "operator": 200, "partner": 404, "applicant": 404}},
		{"POST", "/api/v1/ops/enrolments/" + theirs + "/attendance", map[string]string{"attendance": "attended"}, onlyOperators(http.StatusConflict)},
		{"PUT", "/api/v1/ops/events/" + ev, eventEdit(w, "Matrix forum, edited", 4), onlyOperators(http.StatusOK)},
		{"PUT", "/api/v1/ops/events/evt_none", eventEdit(w, "None", 4), onlyOperators(http.StatusNotFound)},
		{"PUT", "/api/v1/ops/courses/" + course.ID, courseEdit("Matrix course, edited"), onlyOperators(http.StatusOK)},
		{"PUT", "/api/v1/ops/courses/crs_none", courseEdit("None"), onlyOperators(http.StatusNotFound)},
		{"POST", "/api/v1/ops/sessions/ses_none/cancel", nil, onlyOperators(http.StatusNotFound)},
		// Last: no one enrols in the session once it is cancelled.
		{"POST", "/api/v1/ops/sessions/" + sess + "/cancel", nil, onlyOperators(http.StatusOK)},
	}
}

// courseBody is an onsite sales course as an operator enters it.
func courseBody(title string) map[string]any {
	return map[string]any{"title": map[string]string{"en": title, "zh": "课程"}, "description": map[string]string{"en": "d", "zh": "d"},
		"kind": "onsite", "audience": "sales"}
}

// courseEdit is what an operator may change of a course.
func courseEdit(title string) map[string]any {
	b := courseBody(title)
	delete(b, "kind")
	delete(b, "audience")
	return b
}

// eventEdit is what an operator may change of an event: all but its kind
// and requirement.
func eventEdit(w *world, title string, seats int) map[string]any {
	b := programmeEventBody(w, title, seats)
	delete(b, "kind")
	return b
}

func TestProgrammesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ops, lakeside, bluepeak := w.login("ops@demo.test"), w.login("seller1@demo.test"), w.login("seller2@demo.test")
		ev, sess, theirs := programmeSetup(t, w, ops)

		// Wall-clock times in the event's zone are stored in UTC.
		var e struct {
			Start     time.Time `json:"start"`
			SeatsLeft int       `json:"seats_left"`
			State     string
		}
		var list struct{ Events []map[string]any }
		w.do("GET", "/api/v1/ops/events", ops, nil).must(t, 200, "events").decode(t, &list)
		body := programmeEventBody(w, "x", 1)
		sh, _ := time.LoadLocation("Asia/Shanghai")
		wantStart, _ := time.ParseInLocation("2006-01-02T15:04", body["start"].(string), sh)
		for _, x := range list.Events {
			if x["id"] == ev {
				e.Start, _ = time.Parse(time.RFC3339, x["start"].(string))
				e.State = x["state"].(string)
			}
		}
		if !e.Start.Equal(wantStart) || e.State != "published" {
			t.Fatalf("the event: %+v, want start %v", e, wantStart)
		}

		// Apply, accept; the seller sees its application, another seller does not.
		var app struct{ ID, State string }
		w.do("POST", "/api/v1/seller/events/"+ev+"/applications", lakeside, map[string]string{"pitch": "Our data platform"}).
			must(t, http.StatusCreated, "apply").decode(t, &app)
		code, _ := w.do("POST", "/api/v1/seller/events/"+ev+"/applications", lakeside, map[string]string{"pitch": "again"}).errCode(t)
		if code != "conflict" {
			t.Fatalf("apply twice: %s", code)
		}
		w.do("POST", "/api/v1/ops/event-applications/"+app.ID+"/accept", ops, nil).must(t, 200, "accept")
		r := w.do("POST", "/api/v1/ops/event-applications/"+app.ID+"/decline", ops, map[string]string{"reason": "changed"})
		if code, _ := r.errCode(t); r.status != http.StatusConflict || code != "invalid_state" {
			t.Fatalf("decide twice: %d %s", r.status, r.raw)
		}
		var mine struct{ Applications []struct{ ID, State string } }
		w.do("GET", "/api/v1/seller/event-applications", bluepeak, nil).must(t, 200, "theirs").decode(t, &mine)
		for _, a := range mine.Applications {
			if a.ID == app.ID {
				t.Fatal("Bluepeak sees Lakeside's application")
			}
		}
		var offers struct {
			Events []struct {
				ID          string
				SeatsLeft   int  `json:"seats_left"`
				MayApply    bool `json:"may_apply"`
				Application *struct{ State string }
			}
		}
		w.do("GET", "/api/v1/seller/events", lakeside, nil).must(t, 200, "offers").decode(t, &offers)
		found := false
		for _, o := range offers.Events {
			if o.ID == ev {
				found = true
				if o.SeatsLeft != 2 || o.MayApply || o.Application == nil || o.Application.State != "accepted" {
					t.Fatalf("the offer: %+v", o)
				}
			}
		}
		if !found {
			t.Fatal("the published event is not offered")
		}

		// A company not approved (applicant2's, a draft) is told why it may not apply.
		draft := w.login("applicant2@demo.test")
		r = w.do("POST", "/api/v1/seller/events/"+ev+"/applications", draft, map[string]string{"pitch": "We are new"})
		if code, _ := r.errCode(t); r.status != http.StatusForbidden || code != "forbidden" || !strings.Contains(r.raw, "approved seller") {
			t.Fatalf("a draft company applies: %d %s", r.status, r.raw)
		}
		var drafts struct {
			Events []struct {
				ID      string
				Refusal *struct{ Code string }
			}
		}
		w.do("GET", "/api/v1/seller/events", draft, nil).must(t, 200, "a draft company's offers").decode(t, &drafts)
		for _, o := range drafts.Events {
			if o.Refusal == nil || o.Refusal.Code != "forbidden" {
				t.Fatalf("a draft company's offer: %+v", o)
			}
		}

		// Sales trainings wait for a verified migration (Yunfan has none).
		yunfan := w.login("seller3@demo.test")
		var course struct{ ID string }
		w.do("POST", "/api/v1/ops/courses", ops, map[string]any{"title": map[string]string{"en": "Sales", "zh": "销售"},
			"description": map[string]string{"en": "d", "zh": "d"}, "kind": "onsite", "audience": "sales"}).must(t, 201, "course").decode(t, &course)
		day := w.clock.Now().In(sh).AddDate(0, 0, 12).Format("2006-01-02")
		var sales struct{ ID string }
		w.do("POST", "/api/v1/ops/courses/"+course.ID+"/sessions", ops, map[string]any{"start": day + "T09:00", "end": day + "T17:00",
			"zone": "Asia/Shanghai", "place": "Shanghai", "seats": 10}).must(t, 201, "session").decode(t, &sales)
		r = w.do("POST", "/api/v1/seller/sessions/"+sales.ID+"/enrolments", yunfan, map[string]string{"name": "Xu Ting", "email": "xu@yunfan.example"})
		if code, _ := r.errCode(t); r.status != http.StatusUnprocessableEntity || code != "requirements_not_met" {
			t.Fatalf("without a migration: %d %s", r.status, r.raw)
		}
		var m struct{ ID string }
		w.do("POST", "/api/v1/seller/migrations", yunfan, map[string]string{"kind": "independently_deployed_application", "region": "cn-east-3",
			"workload": "ERP connector", "evidence": "https://yunfan.example/erp"}).must(t, 201, "declare").decode(t, &m)
		w.do("POST", "/api/v1/ops/migrations/"+m.ID+"/verify", ops, nil).must(t, 200, "verify")
		w.do("POST", "/api/v1/seller/sessions/"+sales.ID+"/enrolments", yunfan, map[string]string{"name": "Xu Ting", "email": "xu@yunfan.example"}).
			must(t, 201, "enrol with a verified migration")

		// Seats left show; cancelling gives one back; another company's enrolment is not there.
		var mineE struct{ Enrolments []struct{ ID string } }
		w.do("GET", "/api/v1/seller/enrolments", lakeside, nil).must(t, 200, "enrolments").decode(t, &mineE)
		for _, x := range mineE.Enrolments {
			if x.ID == theirs {
				t.Fatal("Lakeside sees Bluepeak's enrolment")
			}
		}
		w.do("POST", "/api/v1/enrolments/"+theirs+"/cancel", bluepeak, nil).must(t, 200, "cancel")
		var courses struct {
			Courses []struct {
				Sessions []struct {
					ID        string
					SeatsLeft int `json:"seats_left"`
				}
			}
		}
		w.do("GET", "/api/v1/courses", lakeside, nil).must(t, 200, "courses").decode(t, &courses)
		for _, c := range courses.Courses {
			for _, s := range c.Sessions {
				if s.ID == sess && s.SeatsLeft != 5 {
					t.Fatalf("seats left after cancelling: %d", s.SeatsLeft)
				}
			}
		}

		// An operator edits the event: times in the new zone, never below
		// the one seller accepted; a closed event no more.
		edit := eventEdit(w, "Matrix forum 2027", 0)
		edit["zone"] = "Europe/Dublin"
		r = w.do("PUT", "/api/v1/ops/events/"+ev, ops, edit)
		if r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest {
			t.Fatalf("no seats: %d %s", r.status, r.raw)
		}
		edit["seats"] = 1
		var edited struct {
			Title     struct{ EN string }
			Zone      string
			Start     time.Time
			Seats     int
			SeatsLeft int `json:"seats_left"`
			State     string
		}
		w.do("PUT", "/api/v1/ops/events/"+ev, ops, edit).must(t, 200, "edit").decode(t, &edited)
		dublin, _ := time.LoadLocation("Europe/Dublin")
		wantStart, _ = time.ParseInLocation("2006-01-02T15:04", edit["start"].(string), dublin)
		if edited.Title.EN != "Matrix forum 2027" || edited.Zone != "Europe/Dublin" || !edited.Start.Equal(wantStart) || edited.Seats != 1 ||
			edited.SeatsLeft != 0 || edited.State != "published" {
			t.Fatalf("edited %+v", edited)
		}
		w.do("POST", "/api/v1/ops/events/"+ev+"/close", ops, nil).must(t, 200, "close")
		r = w.do("PUT", "/api/v1/ops/events/"+ev, ops, edit)
		if code, _ := r.errCode(t); r.status != http.StatusConflict || code != "invalid_state" || !strings.Contains(r.raw, "is closed") {
			t.Fatalf("editing a closed event: %d %s", r.status, r.raw)
		}

		// A course's title changes; a session cancelled takes no one.
		var renamed struct{ Title struct{ EN, ZH string } }
		w.do("PUT", "/api/v1/ops/courses/"+course.ID, ops, courseEdit("Sales, renamed")).must(t, 200, "edit course").decode(t, &renamed)
		if renamed.Title.EN != "Sales, renamed" {
			t.Fatalf("renamed %+v", renamed)
		}
		var cancelled struct {
			SeatsLeft   int        `json:"seats_left"`
			CancelledAt *time.Time `json:"cancelled_at"`
		}
		w.do("POST", "/api/v1/ops/sessions/"+sales.ID+"/cancel", ops, nil).must(t, 200, "cancel session").decode(t, &cancelled)
		if cancelled.SeatsLeft != 0 || cancelled.CancelledAt == nil {
			t.Fatalf("cancelled %+v", cancelled)
		}
		r = w.do("POST", "/api/v1/seller/sessions/"+sales.ID+"/enrolments", yunfan, map[string]string{"name": "Wu Yi", "email": "wu@yunfan.example"})
		if code, _ := r.errCode(t); r.status != http.StatusConflict || code != "invalid_state" {
			t.Fatalf("enrolling in a cancelled session: %d %s", r.status, r.raw)
		}
	})
}
