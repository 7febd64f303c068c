package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestProgrammesThroughTheUI: Yunfan (seller3) applies to an event after a
// refused empty pitch, is told a sales training needs a verified migration,
// declares one, an operator verifies it, and Yunfan enrols a person and
// cancels; an operator drafts an event after a refused one and sees the
// trainings. Every page renders in both languages without a message id.
func TestProgrammesThroughTheUI(t *testing.T) {
	s := demoSite(t)
	yunfan, ops, buyer := s.demoLogIn(t, "seller3@demo.test"), s.demoLogIn(t, "ops@demo.test"), s.demoLogIn(t, "telesales@demo.test")

	r := yunfan.get("/seller/events")
	want(t, r, http.StatusOK, "Cloud-native security forum", "Spring cloud shopping week",
		"This event is for sellers with a published product of the type it names.") // the co-branding campaign asks for SaaS
	apply := regexpFind(t, r.Body, `action="(/seller/events/evt_[0-9A-Z]+/apply)"`)
	want(t, yunfan.post(apply, url.Values{"pitch": {"  "}}), http.StatusBadRequest, "Enter between 1 and the allowed number of characters.")
	id := strings.TrimSuffix(strings.TrimPrefix(apply, "/seller/events/"), "/apply")
	wantRedirect(t, yunfan.post(apply, url.Values{"pitch": {"A workshop on moving ERP data"}}), "/seller/events?done=applied#app-"+id)
	want(t, yunfan.get("/seller/events?done=applied"), http.StatusOK, "Your application is sent", "Application pending")
	want(t, yunfan.post(apply, url.Values{"pitch": {"again"}}), http.StatusConflict, "Your company has applied to this event already.")

	want(t, yunfan.get("/seller/trainings"), http.StatusOK, "Sales training: selling migrated workloads",
		"Sales trainings are for sellers with a migration to the cloud that an operator verified.")
	want(t, yunfan.post("/seller/migrations", url.Values{"kind": {"saas"}, "region": {"xx-none-1"}, "workload": {"x"}, "evidence": {"y"}}),
		http.StatusBadRequest, "Choose one of the marketplace&#39;s regions.")
	wantRedirect(t, yunfan.post("/seller/migrations", url.Values{"kind": {"independently_deployed_application"}, "region": {"cn-east-3"},
		"workload": {"Yunfan ERP connector"}, "evidence": {"https://yunfan.example/erp"}}), "/seller/migrations?done=declared")
	want(t, yunfan.get("/seller/migrations"), http.StatusOK, "Yunfan ERP connector", "Waiting for an operator", `href="https://yunfan.example/erp"`)

	r = ops.get("/ops/migrations")
	want(t, r, http.StatusOK, "Yunfan Consulting", "Harbor DevTools", "Bluepeak Security")
	decide := regexpFind(t, r.Body, `id="verify-(mig_[0-9A-Z]+)"[^<]*<h3>Yunfan`)
	want(t, ops.post("/ops/migrations/"+decide+"/decide", url.Values{"decision": {"reject"}}), http.StatusBadRequest, "Say why.")
	wantRedirect(t, ops.post("/ops/migrations/"+decide+"/decide", url.Values{"decision": {"verify"}}), "/ops/migrations?done=decided")

	r = yunfan.get("/seller/trainings")
	forms := regexp.MustCompile(`action="(/seller/trainings/sessions/ses_[0-9A-Z]+/enrol)"`).FindAllStringSubmatch(r.Body, -1)
	if len(forms) != 3 {
		t.Fatalf("%d enrol forms, want 3 (two online sessions, the sales training)", len(forms))
	}
	sales := forms[2][1]
	want(t, yunfan.post(sales, url.Values{"name": {"Xu Ting"}, "email": {"not an address"}}), http.StatusBadRequest, "Enter an email address")
	wantRedirect(t, yunfan.post(sales, url.Values{"name": {"Xu Ting"}, "email": {"xu.ting@yunfan.example"}}), "/seller/trainings?done=enrolled")
	r = yunfan.get("/seller/trainings")
	want(t, r, http.StatusOK, "xu.ting@yunfan.example", "10 of 12 seats left")
	cancel := regexpFind(t, r.Body, `action="(/seller/trainings/enrolments/enr_[0-9A-Z]+/cancel)"`)
	wantRedirect(t, yunfan.post(cancel, nil), "/seller/trainings?done=cancelled")
	want(t, yunfan.get("/seller/trainings"), http.StatusOK, "Cancelled", "11 of 12 seats left")

	// An operator drafts an event: the dates are wall-clock times in its zone.
	day := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	event := url.Values{"kind": {"technology_forum"}, "title_en": {"Data forum"}, "title_zh": {"数据论坛"}, "description_en": {"Talks."},
		"description_zh": {"演讲。"}, "zone": {"Asia/Shanghai"}, "start": {day + "T09:00"}, "end": {day + "T08:00"}, "apply_by": {day + "T00:00"},
		"seats": {"10"}}
	want(t, ops.post("/ops/events", event), http.StatusBadRequest, "The end must come after the start.")
	event.Set("end", day+"T17:00")
	wantRedirect(t, ops.post("/ops/events", event), "/ops/events?done=created")
	want(t, ops.get("/ops/events"), http.StatusOK, "Data forum", day+" 09:00 – 17:00 (Asia/Shanghai)", "Publish", "Yunfan Consulting")
	want(t, buyer.get("/seller/events"), http.StatusForbidden)
	want(t, yunfan.get("/ops/trainings"), http.StatusForbidden)

	// The operator changes the event on a form filled with what it says now:
	// a refused change comes back with its message; a good one is saved.
	body := ops.get("/ops/events").Body
	edit := regexpFind(t, body[strings.Index(body, "Data forum"):], `href="(/ops/events/evt_[0-9A-Z]+/edit)"`)
	want(t, ops.get(edit), http.StatusOK, `value="Data forum"`, `value="`+day+`T09:00"`, `value="10"`)
	event.Del("kind")
	event.Set("seats", "0")
	want(t, ops.post(edit, event), http.StatusBadRequest, "Enter a number of seats")
	event.Set("seats", "25")
	event.Set("title_en", "Data forum 2")
	wantRedirect(t, ops.post(edit, event), "/ops/events?done=edited")
	want(t, ops.get("/ops/events?done=edited"), http.StatusOK, "The event was changed.", "Data forum 2", "25 of 25 seats left")

	// A course is renamed; a session that has not started is cancelled, and
	// the seller's page says so.
	r = ops.get("/ops/trainings")
	course := regexpFind(t, r.Body, `href="(/ops/trainings/crs_[0-9A-Z]+/edit)"`)
	want(t, ops.get(course), http.StatusOK, "Edit the course", `name="title_zh"`)
	wantRedirect(t, ops.post(course, url.Values{"title_en": {"Renamed course"}, "title_zh": {"改名的课程"}, "description_en": {"New words."},
		"description_zh": {"新的说明。"}}), "/ops/trainings?done=course_edited")
	r = ops.get("/ops/trainings?done=course_edited")
	want(t, r, http.StatusOK, "The course was changed.", "Renamed course")
	cancelSession := regexpFind(t, r.Body, `action="(/ops/trainings/sessions/ses_[0-9A-Z]+/cancel)"`)
	wantRedirect(t, ops.post(cancelSession, nil), "/ops/trainings?done=cancelled")
	want(t, ops.get("/ops/trainings?done=cancelled"), http.StatusOK, "The session was cancelled")
	want(t, yunfan.get("/seller/trainings"), http.StatusOK, "An operator cancelled this session")
	want(t, yunfan.get(course), http.StatusForbidden)
	want(t, yunfan.get(edit), http.StatusForbidden)
	want(t, yunfan.post(cancelSession, nil), http.StatusForbidden)

	for _, lang := range []string{"en", "zh-CN"} {
		for _, c := range []struct {
			b    *browser
			path string
		}{{yunfan, "/seller/events"}, {yunfan, "/seller/migrations"}, {yunfan, "/seller/trainings"}, {ops, "/ops/events"},
			{ops, "/ops/migrations"}, {ops, "/ops/trainings"}} {
			c.b.lang = lang
			r := c.b.get(c.path)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: %d", lang, c.path, r.Status)
			}
			for _, prefix := range []string{"prog.", "error."} {
				for _, at := range []string{">" + prefix, "\"" + prefix, " " + prefix} {
					if i := strings.Index(r.Body, at); i >= 0 {
						t.Errorf("%s %s: a message id shows: %s", lang, c.path, r.Body[i:min(len(r.Body), i+60)])
					}
				}
			}
		}
	}
	if t.Failed() {
		t.Log(s.log.String())
	}
}
