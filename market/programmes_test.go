package market_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/programme"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// programmes is the demo world with its people signed in.
type programmes struct {
	w                                     *markettest.World
	ctx                                   context.Context
	ops, seller1, seller3, seller4, buyer account.Actor
}

func newProgrammes(t *testing.T, st *store.Store) *programmes {
	t.Helper()
	w := markettest.Demo(t, st, t0)
	sign := func(email string) account.Actor { return w.Actor(t, email, demo.Password) }
	return &programmes{w: w, ctx: context.Background(), ops: sign("ops@demo.test"), seller1: sign("seller1@demo.test"),
		seller3: sign("seller3@demo.test"), seller4: sign("seller4@demo.test"), buyer: sign("telesales@demo.test")}
}

// why is err's message id, or its code when it has none.
func why(err error) string {
	e := fault.As(err)
	if e == nil {
		return ""
	}
	if e.MsgID != "" {
		return e.MsgID
	}
	return e.Code
}

// eventInput is an online joint promotion as an operator enters it.
func (p *programmes) eventInput(seats int, requires catalog.Type) programme.Event {
	now := p.w.Clock.Now()
	return programme.Event{Kind: programme.OnlineJointPromotion,
		Title: catalog.Text{EN: "Winter cloud week", ZH: "冬季上云周"}, Description: catalog.Text{EN: "A week of offers.", ZH: "一周优惠。"},
		Zone: "Asia/Shanghai", Start: now.Add(40 * 24 * time.Hour), End: now.Add(47 * 24 * time.Hour), ApplyBy: now.Add(30 * 24 * time.Hour),
		Seats: seats, RequiresType: requires}
}

func (p *programmes) publishedEvent(t *testing.T, seats int, requires catalog.Type) programme.Event {
	t.Helper()
	e, err := p.w.Svc.CreateEvent(p.ctx, p.ops, p.eventInput(seats, requires))
	if err != nil {
		t.Fatal(err)
	}
	if e, err = p.w.Svc.MoveEvent(p.ctx, p.ops, e.ID, programme.EventPublished); err != nil {
		t.Fatal(err)
	}
	return e
}

func (p *programmes) suspend(t *testing.T, a account.Actor) {
	t.Helper()
	app, err := p.w.Svc.MyApplication(p.ctx, a)
	if err == nil {
		_, err = p.w.Svc.Review(p.ctx, p.ops, app.ID, seller.Suspend, "audit")
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestEventApplications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p := newProgrammes(t, st)
		svc, ctx := p.w.Svc, p.ctx
		e := p.publishedEvent(t, 1, "")
		if _, err := svc.CreateEvent(ctx, p.seller1, p.eventInput(1, "")); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller drafts an event: %v", err)
		}
		a1, err := svc.ApplyToEvent(ctx, p.seller1, e.ID, "Our data platform, with a customer story")
		if err != nil || a1.State != programme.Pending {
			t.Fatalf("apply: %+v %v", a1, err)
		}
		if _, err := svc.ApplyToEvent(ctx, p.seller1, e.ID, "again"); why(err) != "error.applied_already" {
			t.Fatalf("apply twice: %v", err)
		}
		a3, err := svc.ApplyToEvent(ctx, p.seller3, e.ID, "Migration workshops")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ApplyToEvent(ctx, p.buyer, e.ID, "me too"); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a buyer applies: %v", err)
		}
		// A suspended seller is told why it may not apply.
		p.suspend(t, p.seller4)
		if _, err := svc.ApplyToEvent(ctx, p.seller4, e.ID, "Our CI"); why(err) != "error.programme_seller_not_selling" {
			t.Fatalf("a suspended seller applies: %v", err)
		}
		offers, err := svc.OpenEvents(ctx, p.seller4)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range offers {
			if o.ID == e.ID && why(o.Refusal) != "error.programme_seller_not_selling" {
				t.Fatalf("the suspended seller's offer: %+v", o)
			}
		}
		// Each seller sees its own application only.
		mine, err := svc.SellerEventApplications(ctx, p.seller3)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range mine {
			if a.SellerOrgID != a3.SellerOrgID {
				t.Fatalf("seller3 sees %+v", a)
			}
		}
		if _, err := svc.EventApplications(ctx, p.seller1, e.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller lists an event's applications: %v", err)
		}
		if _, err := svc.DecideEventApplication(ctx, p.seller1, a1.ID, true, ""); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller accepts itself: %v", err)
		}
		// One seat: the first accepted takes it; the second is told it is full.
		if _, err := svc.DecideEventApplication(ctx, p.ops, a1.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.DecideEventApplication(ctx, p.ops, a3.ID, true, ""); why(err) != "error.event_full" {
			t.Fatalf("accept past the seats: %v", err)
		}
		if _, err := svc.DecideEventApplication(ctx, p.ops, a3.ID, false, ""); why(err) != "error.programme_reason" {
			t.Fatalf("decline without a reason: %v", err)
		}
		if d, err := svc.DecideEventApplication(ctx, p.ops, a3.ID, false, "every seat is taken"); err != nil || d.State != programme.Declined {
			t.Fatalf("decline: %+v %v", d, err)
		}
		all, err := svc.EventApplications(ctx, p.ops, e.ID)
		if err != nil || len(all) != 2 || all[0].State != programme.Accepted || all[0].SellerName == "" {
			t.Fatalf("the event's applications: %+v %v", all, err)
		}
		// Closed: no more applications.
		if _, err := svc.MoveEvent(ctx, p.ops, e.ID, programme.EventClosed); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ApplyToEvent(ctx, p.seller3, e.ID, "late"); why(err) != "error.event_not_open" {
			t.Fatalf("apply to a closed event: %v", err)
		}
	})
}

func TestEventEligibilityByProductType(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p := newProgrammes(t, st)
		// Yunfan (seller3) sells professional services, not images.
		e := p.publishedEvent(t, 5, catalog.TypeImage)
		_, err := p.w.Svc.ApplyToEvent(p.ctx, p.seller3, e.ID, "workshops")
		if why(err) != "error.event_requirements" || !fault.Is(err, fault.RequirementsNotMet) {
			t.Fatalf("without an image: %v", err)
		}
		draft, err := p.w.Svc.CreateEvent(p.ctx, p.ops, p.eventInput(5, ""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.w.Svc.ApplyToEvent(p.ctx, p.seller3, draft.ID, "x"); !fault.Is(err, fault.NotFound) {
			t.Fatalf("a draft: %v", err)
		}
	})
}

func TestSalesTrainingNeedsVerifiedMigration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p := newProgrammes(t, st)
		svc, ctx := p.w.Svc, p.ctx
		now := p.w.Clock.Now()
		c, err := svc.CreateCourse(ctx, p.ops, programme.Course{Kind: programme.Onsite, Audience: programme.Sales,
			Title: catalog.Text{EN: "Selling on cloudmart", ZH: "在云市场销售"}, Description: catalog.Text{EN: "A day in Shanghai.", ZH: "上海一天。"}})
		if err != nil {
			t.Fatal(err)
		}
		sess, err := svc.AddSession(ctx, p.ops, programme.Session{CourseID: c.ID, Zone: "Asia/Shanghai", Start: now.Add(72 * time.Hour),
			End: now.Add(78 * time.Hour), Place: "100 Century Avenue, Shanghai", Seats: 2})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Enrol(ctx, p.seller3, sess.ID, "Xu Ting", "xu.ting@yunfan.example"); why(err) != "error.training_needs_migration" {
			t.Fatalf("no verified migration: %v", err)
		}
		m, err := svc.DeclareMigration(ctx, p.seller3, programme.Migration{Kind: programme.Independent, Region: "cn-east-3",
			Workload: "Our ERP connector, deployed on ECS", Evidence: "https://yunfan.example/case/erp"})
		if err != nil || m.State != programme.MigrationPending {
			t.Fatalf("declare: %+v %v", m, err)
		}
		if _, err := svc.DeclareMigration(ctx, p.seller3, programme.Migration{Kind: programme.SaaS, Region: "us-east-1", Workload: "x",
			Evidence: "y"}); why(err) != "error.migration_region" {
			t.Fatalf("an unknown region: %v", err)
		}
		// Pending is not enough.
		if _, err := svc.Enrol(ctx, p.seller3, sess.ID, "Xu Ting", "xu.ting@yunfan.example"); why(err) != "error.training_needs_migration" {
			t.Fatalf("a pending migration: %v", err)
		}
		if _, err := svc.DecideMigration(ctx, p.seller3, m.ID, true, ""); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller verifies itself: %v", err)
		}
		if _, err := svc.DecideMigration(ctx, p.ops, m.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if n, err := st.VerifiedMigrations(ctx, m.SellerOrgID); n != 1 || err != nil {
			t.Fatalf("verified: %d %v", n, err)
		}
		e1, err := svc.Enrol(ctx, p.seller3, sess.ID, "Xu Ting", "Xu.Ting@yunfan.example")
		if err != nil || e1.Email != "xu.ting@yunfan.example" {
			t.Fatalf("enrol: %+v %v", e1, err)
		}
		if _, err := svc.Enrol(ctx, p.seller3, sess.ID, "Xu Ting", "xu.ting@yunfan.example"); why(err) != "error.enrolled_already" {
			t.Fatalf("twice: %v", err)
		}
		if _, err := svc.Enrol(ctx, p.seller3, sess.ID, "Chen Bo", "chen.bo@yunfan.example"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Enrol(ctx, p.seller3, sess.ID, "Wu Yi", "wu.yi@yunfan.example"); why(err) != "error.session_full" {
			t.Fatalf("a third in two seats: %v", err)
		}
		// Only its company (or an operator) sees or cancels an enrolment.
		if _, err := svc.CancelEnrolment(ctx, p.seller1, e1.ID); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another seller cancels: %v", err)
		}
		others, err := svc.SellerEnrolments(ctx, p.seller1)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range others {
			if x.SellerOrgID == e1.SellerOrgID {
				t.Fatalf("seller1 sees %+v", x)
			}
		}
		if list, _ := svc.SellerEnrolments(ctx, p.seller3); len(list) != 2 || list[0].Course.ID != c.ID {
			t.Fatalf("seller3 sees %+v", list)
		}
		if _, err := svc.SessionEnrolments(ctx, p.seller3, sess.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller lists a session: %v", err)
		}
		if _, err := svc.CancelEnrolment(ctx, p.seller3, e1.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Enrol(ctx, p.seller3, sess.ID, "Wu Yi", "wu.yi@yunfan.example"); err != nil {
			t.Fatalf("the freed seat: %v", err)
		}
		list, err := svc.SessionEnrolments(ctx, p.ops, sess.ID)
		if err != nil || len(list) != 3 {
			t.Fatalf("the session's: %+v %v", list, err)
		}
		last := list[2]
		if _, err := svc.MarkAttendance(ctx, p.ops, last.ID, programme.Attended); why(err) != "error.session_not_ended" {
			t.Fatalf("marked before the end: %v", err)
		}
		p.w.Clock.Set(sess.End)
		if got, err := svc.MarkAttendance(ctx, p.ops, last.ID, programme.Attended); err != nil || got.Attendance != programme.Attended {
			t.Fatalf("mark: %+v %v", got, err)
		}
		if _, err := svc.MarkAttendance(ctx, p.seller3, last.ID, programme.Absent); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller marks: %v", err)
		}
		// A suspended seller, migration verified or not, enrols no one.
		p.w.Clock.Set(now)
		p.suspend(t, p.seller3)
		if _, err := svc.Enrol(ctx, p.seller3, sess.ID, "Zhou Li", "zhou.li@yunfan.example"); why(err) != "error.programme_seller_not_selling" {
			t.Fatalf("a suspended seller enrols: %v", err)
		}
		views, err := svc.Courses(ctx, p.seller3)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range views {
			if why(v.Refusal) != "error.programme_seller_not_selling" {
				t.Fatalf("the suspended seller's course %s: %v", v.ID, v.Refusal)
			}
		}
	})
}

func TestMigrationDeclarationsAreTheSellers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p := newProgrammes(t, st)
		svc, ctx := p.w.Svc, p.ctx
		m, err := svc.DeclareMigration(ctx, p.seller3, programme.Migration{Kind: programme.SaaS, Region: "cn-north-4",
			Workload: "Consulting portal", Evidence: "running since May"})
		if err != nil {
			t.Fatal(err)
		}
		mine, _ := svc.SellerMigrations(ctx, p.seller1)
		for _, x := range mine {
			if x.ID == m.ID {
				t.Fatal("seller1 sees seller3's declaration")
			}
		}
		if _, err := svc.SellerMigrations(ctx, p.buyer); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a buyer lists declarations: %v", err)
		}
		if _, err := svc.Migrations(ctx, p.seller1, ""); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller lists every declaration: %v", err)
		}
		pending, err := svc.Migrations(ctx, p.ops, programme.MigrationPending)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range pending {
			found = found || (x.ID == m.ID && x.SellerName != "")
		}
		if !found {
			t.Fatalf("the queue: %+v", pending)
		}
		if got, err := svc.DecideMigration(ctx, p.ops, m.ID, false, "no evidence we can check"); err != nil || got.State != programme.MigrationRejected {
			t.Fatalf("reject: %+v %v", got, err)
		}
		p.suspend(t, p.seller4)
		if _, err := svc.DeclareMigration(ctx, p.seller4, programme.Migration{Kind: programme.SaaS, Region: "cn-north-4", Workload: "CI",
			Evidence: "x"}); why(err) != "error.programme_seller_not_selling" {
			t.Fatalf("a suspended seller declares: %v", err)
		}
	})
}

// TestOperatorsEditEventsAndCourses: an operator edits a published event
// (never below its accepted seats, never once closed) and a course; sellers
// and buyers may not; each edit is audited.
func TestOperatorsEditEventsAndCourses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p := newProgrammes(t, st)
		svc, ctx := p.w.Svc, p.ctx
		e := p.publishedEvent(t, 3, "")
		for _, who := range []account.Actor{p.seller1, p.seller4} {
			a, err := svc.ApplyToEvent(ctx, who, e.ID, "We bring a booth")
			if err == nil {
				_, err = svc.DecideEventApplication(ctx, p.ops, a.ID, true, "")
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		in := p.eventInput(2, "")
		d := programme.EventDetails{Title: catalog.Text{EN: "Winter cloud week 2027", ZH: "2027 冬季上云周"}, Description: in.Description,
			Zone: "Europe/Dublin", Start: in.Start.Add(time.Hour), End: in.End, ApplyBy: in.ApplyBy, Seats: 1}
		for _, who := range []account.Actor{p.seller1, p.buyer, {}} {
			if _, err := svc.EditEvent(ctx, who, e.ID, d); err == nil || fault.Is(err, fault.Invalid) {
				t.Fatalf("%v edits an event: %v", who.UserID, err)
			}
		}
		if _, err := svc.EditEvent(ctx, p.ops, e.ID, d); why(err) != "error.event_seats_accepted" {
			t.Fatalf("one seat for two accepted: %v", err)
		}
		if _, err := svc.EditEvent(ctx, p.ops, "evt_none", d); !fault.Is(err, fault.NotFound) {
			t.Fatalf("an unknown event: %v", err)
		}
		d.Seats = 2
		got, err := svc.EditEvent(ctx, p.ops, e.ID, d)
		if err != nil || got.Seats != 2 || got.Accepted != 2 || got.Zone != "Europe/Dublin" || got.Title.EN != "Winter cloud week 2027" ||
			got.State != programme.EventPublished {
			t.Fatalf("edited %+v %v", got, err)
		}
		if list, _ := svc.Events(ctx, p.ops); !hasEvent(list, e.ID, "Winter cloud week 2027") {
			t.Fatalf("events %+v", list)
		}
		// The accepted companies hear of the new dates, once each.
		for _, who := range []account.Actor{p.seller1, p.seller4} {
			notes, _, err := svc.Notifications(ctx, who)
			if err != nil {
				t.Fatal(err)
			}
			told := 0
			for _, n := range notes {
				if n.Kind == "event.changed" && strings.Contains(n.TitleEN, "Winter cloud week 2027") && strings.Contains(n.BodyEN, "applications close") {
					told++
				}
			}
			if told != 1 {
				t.Errorf("%s told %d times of the change: %+v", who.Email, told, notes)
			}
		}
		if entries, err := svc.Audit(ctx, p.ops, audit.Filter{Action: "event.edit", ObjectID: e.ID}); err != nil || len(entries) != 1 {
			t.Fatalf("audit %+v %v", entries, err)
		}
		if _, err := svc.MoveEvent(ctx, p.ops, e.ID, programme.EventClosed); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.EditEvent(ctx, p.ops, e.ID, d); why(err) != "error.event_edit_state" {
			t.Fatalf("editing a closed event: %v", err)
		}

		c, err := svc.CreateCourse(ctx, p.ops, programme.Course{Kind: programme.Online, Audience: programme.Marketplace,
			Title: catalog.Text{EN: "Listings", ZH: "商品页"}, Description: catalog.Text{EN: "An hour.", ZH: "一小时。"}})
		if err != nil {
			t.Fatal(err)
		}
		title, desc := catalog.Text{EN: "Listings that convert", ZH: "高转化商品页"}, catalog.Text{EN: "Ninety minutes.", ZH: "九十分钟。"}
		if _, err := svc.EditCourse(ctx, p.seller1, c.ID, title, desc); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller edits a course: %v", err)
		}
		if _, err := svc.EditCourse(ctx, p.ops, c.ID, catalog.Text{EN: "x"}, desc); why(err) != "error.programme_text_length" {
			t.Fatalf("no Chinese title: %v", err)
		}
		if got, err := svc.EditCourse(ctx, p.ops, c.ID, title, desc); err != nil || got.Title != title || got.Kind != programme.Online {
			t.Fatalf("course %+v %v", got, err)
		}
		if entries, err := svc.Audit(ctx, p.ops, audit.Filter{Action: "course.edit", ObjectID: c.ID}); err != nil || len(entries) != 1 {
			t.Fatalf("audit %+v %v", entries, err)
		}
	})
}

func hasEvent(list []programme.Event, id, title string) bool {
	for _, e := range list {
		if e.ID == id {
			return e.Title.EN == title
		}
	}
	return false
}

// TestCancelSession: an operator cancels a session; its people are no longer
// enrolled, its seats are gone, the companies that had people in it are
// told, and no one enrols in it any more.
func TestCancelSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p := newProgrammes(t, st)
		svc, ctx := p.w.Svc, p.ctx
		now := p.w.Clock.Now()
		c, err := svc.CreateCourse(ctx, p.ops, programme.Course{Kind: programme.Onsite, Audience: programme.Marketplace,
			Title: catalog.Text{EN: "Pricing workshop", ZH: "定价工作坊"}, Description: catalog.Text{EN: "A day.", ZH: "一天。"}})
		if err != nil {
			t.Fatal(err)
		}
		sess, err := svc.AddSession(ctx, p.ops, programme.Session{CourseID: c.ID, Zone: "Asia/Shanghai", Start: now.Add(72 * time.Hour),
			End: now.Add(78 * time.Hour), Place: "100 Century Avenue, Shanghai", Seats: 5})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range []struct {
			who         account.Actor
			name, email string
		}{{p.seller1, "Ana", "ana@lakeside.example"}, {p.seller1, "Bo", "bo@lakeside.example"}, {p.seller4, "Maya", "maya@harbor.example"}} {
			if _, err := svc.Enrol(ctx, x.who, sess.ID, x.name, x.email); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.CancelSession(ctx, p.seller1, sess.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller cancels a session: %v", err)
		}
		if _, err := svc.CancelSession(ctx, p.ops, "ses_none"); !fault.Is(err, fault.NotFound) {
			t.Fatalf("an unknown session: %v", err)
		}
		got, err := svc.CancelSession(ctx, p.ops, sess.ID)
		if err != nil || !got.Cancelled() || got.SeatsLeft() != 0 {
			t.Fatalf("cancelled %+v %v", got, err)
		}
		if _, err := svc.CancelSession(ctx, p.ops, sess.ID); why(err) != "error.session_cancelled" {
			t.Fatalf("cancelled twice: %v", err)
		}
		list, err := svc.SessionEnrolments(ctx, p.ops, sess.ID)
		if err != nil || len(list) != 3 {
			t.Fatalf("enrolments %+v %v", list, err)
		}
		for _, e := range list {
			if e.State != programme.Cancelled {
				t.Fatalf("still enrolled %+v", e)
			}
		}
		if _, err := svc.Enrol(ctx, p.seller3, sess.ID, "Xu", "xu@yunfan.example"); why(err) != "error.session_cancelled" {
			t.Fatalf("enrolling in a cancelled session: %v", err)
		}
		// Each company's administrators are told once; a company with no one
		// in the session is not.
		for _, x := range []struct {
			who  account.Actor
			want int
			text string
		}{{p.seller1, 1, "ana@lakeside.example, bo@lakeside.example"}, {p.seller4, 1, "maya@harbor.example"}, {p.seller3, 0, ""}} {
			ns, _, err := svc.Notifications(ctx, x.who)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, note := range ns {
				if note.Kind != "training.session_cancelled" {
					continue
				}
				n++
				if note.Link != "/seller/trainings" || !strings.Contains(note.BodyEN, x.text) || !strings.Contains(note.BodyZH, x.text) ||
					!strings.Contains(note.TitleZH, "定价工作坊") {
					t.Errorf("told %+v", note)
				}
			}
			if n != x.want {
				t.Errorf("%s told %d times, want %d", x.who.UserID, n, x.want)
			}
		}
		entries, err := svc.Audit(ctx, p.ops, audit.Filter{Action: "training.cancel_session", ObjectID: sess.ID})
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Summary, "3 enrolments") {
			t.Fatalf("audit %+v %v", entries, err)
		}
		// A session that has started is not cancelled.
		started, err := svc.AddSession(ctx, p.ops, programme.Session{CourseID: c.ID, Zone: "Asia/Shanghai", Start: now.Add(time.Hour),
			End: now.Add(2 * time.Hour), Place: "Shanghai", Seats: 5})
		if err != nil {
			t.Fatal(err)
		}
		p.w.Clock.Advance(time.Hour)
		if _, err := svc.CancelSession(ctx, p.ops, started.ID); why(err) != "error.session_started" {
			t.Fatalf("cancelling a started session: %v", err)
		}
	})
}
