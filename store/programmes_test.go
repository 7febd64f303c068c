package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/programme"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// mustSellerOrg makes a seller company (approved) with one person in it.
func mustSellerOrg(t *testing.T, st *store.Store) (account.User, account.Org) {
	t.Helper()
	ctx := context.Background()
	u, _ := mustUser(t, st, ids.New("s")+"@example.com")
	org := account.Org{ID: ids.New("org"), Kind: account.KindSeller, Name: "Seller " + u.Email, CreatedAt: t0}
	err := st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrg(ctx, org); err != nil {
			return err
		}
		return tx.CreateApplication(ctx, seller.Record{ID: ids.New("app"), OrgID: org.ID, ApplicantID: u.ID, State: seller.Approved,
			LegalName: org.Name, CreatedAt: t0})
	})
	if err != nil {
		t.Fatal(err)
	}
	return u, org
}

func mustWrite(t *testing.T, st *store.Store, fn func(ctx context.Context, tx *store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := st.Write(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

func programmeEvent(seats int) programme.Event {
	return programme.Event{ID: ids.New("evt"), Kind: programme.AnnualConference, Title: catalog.Text{EN: "Conference", ZH: "大会"},
		Description: catalog.Text{EN: "Two days.", ZH: "两天。"}, Zone: "Asia/Shanghai", Start: t0.Add(60 * 24 * time.Hour),
		End: t0.Add(61 * 24 * time.Hour), ApplyBy: t0.Add(30 * 24 * time.Hour), Seats: seats, State: programme.EventPublished,
		RequiresType: catalog.TypeSaaS, CreatedAt: t0, UpdatedAt: t0}
}

func TestEventsAndApplicationsAreStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := programmeEvent(2)
		draft := programmeEvent(5)
		draft.State, draft.Start, draft.Kind = programme.EventDraft, e.Start.Add(time.Hour), programme.TechnologyForum
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error {
			if err := tx.CreateEvent(ctx, e); err != nil {
				return err
			}
			return tx.CreateEvent(ctx, draft)
		})
		got, err := st.Event(ctx, e.ID)
		if err != nil || got.Title != e.Title || !got.Start.Equal(e.Start) || got.RequiresType != catalog.TypeSaaS || got.Seats != 2 ||
			got.Start.Location() != time.UTC {
			t.Fatalf("stored %+v %v", got, err)
		}
		if _, err := st.Event(ctx, "evt_none"); !fault.Is(err, fault.NotFound) {
			t.Fatalf("unknown event: %v", err)
		}
		if list, _ := st.Events(ctx, programme.EventPublished); len(list) != 1 || list[0].ID != e.ID {
			t.Fatalf("published: %+v", list)
		}
		if list, _ := st.Events(ctx); len(list) != 2 {
			t.Fatalf("all: %+v", list)
		}
		// A move from a state the event has left is refused.
		moved, _ := programme.Move(draft, programme.EventPublished, t0)
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.MoveEvent(ctx, programme.EventDraft, moved) })
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.MoveEvent(ctx, programme.EventDraft, moved) })
		if !fault.Is(err, fault.Conflict) {
			t.Fatalf("second move: %v", err)
		}

		u, org := mustSellerOrg(t, st)
		a := programme.Application{ID: ids.New("eap"), EventID: e.ID, SellerOrgID: org.ID, UserID: u.ID, Pitch: "We bring a demo booth",
			State: programme.Pending, CreatedAt: t0}
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.AddEventApplication(ctx, a) })
		again := a
		again.ID = ids.New("eap")
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.AddEventApplication(ctx, again) })
		if e := fault.As(err); e == nil || e.Code != fault.Conflict || e.MsgID != "error.applied_already" {
			t.Fatalf("second application: %v", err)
		}
		decided, _ := programme.Decide(a, false, "a full programme", u.ID, t0.Add(time.Hour))
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.DecideEventApplication(ctx, decided) })
		if got, err := st.EventApplication(ctx, a.ID); err != nil || got.State != programme.Declined || got.Reason != "a full programme" ||
			got.DecidedBy != u.ID || !got.DecidedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("decided: %+v %v", got, err)
		}
		// Decided already: the second decision is refused, no seat is taken.
		accepted := a
		accepted.State = programme.Accepted
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.DecideEventApplication(ctx, accepted) }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("decided twice: %v", err)
		}
		if got, _ := st.Event(ctx, e.ID); got.Accepted != 0 {
			t.Fatalf("accepted %d", got.Accepted)
		}
		if list, _ := st.EventApplications(ctx, store.EventApplicationFilter{SellerOrgID: org.ID}); len(list) != 1 {
			t.Fatalf("the seller's: %+v", list)
		}
		if list, _ := st.EventApplications(ctx, store.EventApplicationFilter{SellerOrgID: "org_other"}); len(list) != 0 {
			t.Fatalf("another seller's: %+v", list)
		}
	})
}

// TestEventSeatsUnderRace: ten sellers accepted at once to an event of four
// seats: four are, the others are told it is full and stay pending.
func TestEventSeatsUnderRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := programmeEvent(4)
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.CreateEvent(ctx, e) })
		var apps []programme.Application
		for range 10 {
			u, org := mustSellerOrg(t, st)
			a := programme.Application{ID: ids.New("eap"), EventID: e.ID, SellerOrgID: org.ID, UserID: u.ID, Pitch: "p", State: programme.Pending,
				CreatedAt: t0}
			mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.AddEventApplication(ctx, a) })
			apps = append(apps, a)
		}
		var ok, full atomic.Int64
		var wg sync.WaitGroup
		for _, a := range apps {
			wg.Go(func() {
				err := st.Write(ctx, func(tx *store.Tx) error {
					stored, err := tx.EventApplication(ctx, a.ID)
					if err != nil {
						return err
					}
					next, err := programme.Decide(stored, true, "", "", t0)
					if err != nil {
						return err
					}
					return tx.DecideEventApplication(ctx, next)
				})
				switch e := fault.As(err); {
				case err == nil:
					ok.Add(1)
				case e != nil && e.MsgID == "error.event_full":
					full.Add(1)
				default:
					t.Errorf("accept: %v", err)
				}
			})
		}
		wg.Wait()
		got, _ := st.Event(ctx, e.ID)
		list, _ := st.EventApplications(ctx, store.EventApplicationFilter{EventID: e.ID})
		n := 0
		for _, a := range list {
			if a.State == programme.Accepted {
				n++
			}
		}
		if ok.Load() != 4 || full.Load() != 6 || got.Accepted != 4 || n != 4 {
			t.Fatalf("accepted %d, full %d; the event counts %d, the applications %d", ok.Load(), full.Load(), got.Accepted, n)
		}
	})
}

func TestMigrationsAreCounted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error {
			return tx.SaveRegion(ctx, seller.Region{Code: "cn-east-3", NameEN: "Shanghai", NameZH: "上海", Zone: "Asia/Shanghai"}, t0)
		})
		u, org := mustSellerOrg(t, st)
		_, other := mustSellerOrg(t, st)
		declare := func(orgID string) programme.Migration {
			m := programme.Migration{ID: ids.New("mig"), SellerOrgID: orgID, UserID: u.ID, Kind: programme.SaaS, Region: "cn-east-3",
				Workload: "ticketing", Evidence: "https://status.example.com", State: programme.MigrationPending, CreatedAt: t0}
			mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.AddMigration(ctx, m) })
			return m
		}
		first, second, theirs := declare(org.ID), declare(org.ID), declare(other.ID)
		if n, err := st.VerifiedMigrations(ctx, org.ID); n != 0 || err != nil {
			t.Fatalf("none verified: %d %v", n, err)
		}
		for _, d := range []struct {
			m      programme.Migration
			verify bool
		}{{first, true}, {second, false}, {theirs, true}} {
			next, err := programme.Verify(d.m, d.verify, "no such service", u.ID, t0)
			if err != nil {
				t.Fatal(err)
			}
			mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.DecideMigration(ctx, next) })
		}
		if n, err := st.VerifiedMigrations(ctx, org.ID); n != 1 || err != nil {
			t.Fatalf("one verified: %d %v", n, err)
		}
		if got, _ := st.Migration(ctx, second.ID); got.State != programme.MigrationRejected || got.Reason != "no such service" {
			t.Fatalf("rejected: %+v", got)
		}
		if list, _ := st.Migrations(ctx, store.MigrationFilter{SellerOrgID: org.ID}); len(list) != 2 {
			t.Fatalf("the seller's: %d", len(list))
		}
		if list, _ := st.Migrations(ctx, store.MigrationFilter{State: programme.MigrationVerified}); len(list) != 2 {
			t.Fatalf("verified: %d", len(list))
		}
		again, _ := programme.Verify(first, false, "changed my mind", u.ID, t0)
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.DecideMigration(ctx, again) }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("decided twice: %v", err)
		}
		// A region outside the catalogue is refused by the database too.
		stray := programme.Migration{ID: ids.New("mig"), SellerOrgID: org.ID, UserID: u.ID, Kind: programme.SaaS, Region: "mars-north-1",
			Workload: "x", Evidence: "y", State: programme.MigrationPending, CreatedAt: t0}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.AddMigration(ctx, stray) }); err == nil {
			t.Fatal("a declaration in an unknown region was stored")
		}
	})
}

func TestPublishedProductTypes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		id := ids.New("prd")
		shop(t, st, seller.Approved, product(id, catalog.TypeSaaS, "Desk", "服务台", "A desk", "服务台", "storage", []string{"cn-north-4"},
			plan("monthly", catalog.Monthly, 5900, money.CNY)))
		p, err := st.Product(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := st.PublishedProductTypes(ctx, p.SellerOrgID); err != nil || !slices.Equal(got, []catalog.Type{catalog.TypeSaaS}) {
			t.Fatalf("types %v %v", got, err)
		}
	})
}

// training makes a course and a session of the seats.
func training(t *testing.T, st *store.Store, seats int) (programme.Course, programme.Session) {
	t.Helper()
	c := programme.Course{ID: ids.New("crs"), Title: catalog.Text{EN: "Selling", ZH: "销售"}, Description: catalog.Text{EN: "d", ZH: "d"},
		Kind: programme.Onsite, Audience: programme.Sales, CreatedAt: t0}
	s := programme.Session{ID: ids.New("ses"), CourseID: c.ID, Start: t0.Add(48 * time.Hour), End: t0.Add(54 * time.Hour), Zone: "Asia/Shanghai",
		Place: "Shanghai", Seats: seats, CreatedAt: t0}
	mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.CreateCourse(ctx, c); err != nil {
			return err
		}
		return tx.AddSession(ctx, s)
	})
	return c, s
}

func enrolment(s programme.Session, u account.User, org account.Org, n int) programme.Enrolment {
	return programme.Enrolment{ID: ids.New("enr"), SessionID: s.ID, SellerOrgID: org.ID, UserID: u.ID, Name: fmt.Sprintf("Person %d", n),
		Email: fmt.Sprintf("person%d@example.com", n), State: programme.Enrolled, CreatedAt: t0}
}

// TestSessionSeatsUnderRace: 50 people enrolled at once in a session of 30
// seats: 30 are, 20 are told it is full.
func TestSessionSeatsUnderRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, s := training(t, st, 30)
		u, org := mustSellerOrg(t, st)
		var ok, full atomic.Int64
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				err := st.Write(ctx, func(tx *store.Tx) error { return tx.Enrol(ctx, enrolment(s, u, org, i)) })
				switch e := fault.As(err); {
				case err == nil:
					ok.Add(1)
				case e != nil && e.MsgID == "error.session_full":
					full.Add(1)
				default:
					t.Errorf("enrol: %v", err)
				}
			})
		}
		wg.Wait()
		got, _ := st.Session(ctx, s.ID)
		list, _ := st.Enrolments(ctx, store.EnrolmentFilter{SessionID: s.ID})
		if ok.Load() != 30 || full.Load() != 20 || got.Taken != 30 || len(list) != 30 {
			t.Fatalf("enrolled %d, full %d; the session counts %d, enrolments %d", ok.Load(), full.Load(), got.Taken, len(list))
		}
	})
}

func TestEnrolmentLife(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c, s := training(t, st, 1)
		u, org := mustSellerOrg(t, st)
		first := enrolment(s, u, org, 1)
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.Enrol(ctx, first) })
		// Full: another person is refused, and nothing is stored.
		err := st.Write(ctx, func(tx *store.Tx) error { return tx.Enrol(ctx, enrolment(s, u, org, 2)) })
		if e := fault.As(err); e == nil || e.MsgID != "error.session_full" {
			t.Fatalf("full: %v", err)
		}
		// Cancelling frees the seat; the same person may enrol again.
		cancelled, err := programme.Cancel(first, s, t0)
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.CancelEnrolment(ctx, cancelled) })
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.CancelEnrolment(ctx, cancelled) }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("cancelled twice: %v", err)
		}
		if got, _ := st.Session(ctx, s.ID); got.Taken != 0 {
			t.Fatalf("taken after cancelling: %d", got.Taken)
		}
		back := enrolment(s, u, org, 1)
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.Enrol(ctx, back) })
		// The same address twice in a session is refused, even with a seat left.
		_, wide := training(t, st, 5)
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.Enrol(ctx, enrolment(wide, u, org, 7)) })
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.Enrol(ctx, enrolment(wide, u, org, 7)) })
		if e := fault.As(err); e == nil || e.MsgID != "error.enrolled_already" {
			t.Fatalf("twice: %v", err)
		}
		if got, _ := st.Session(ctx, wide.ID); got.Taken != 1 {
			t.Fatalf("a refused enrolment took a seat: %d", got.Taken)
		}
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error {
			return tx.MarkAttendance(ctx, back.ID, programme.Attended)
		})
		if got, _ := st.Enrolment(ctx, back.ID); got.Attendance != programme.Attended || got.State != programme.Enrolled {
			t.Fatalf("marked: %+v", got)
		}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.MarkAttendance(ctx, first.ID, programme.Attended) }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("marked a cancelled enrolment: %v", err)
		}
		if list, _ := st.Enrolments(ctx, store.EnrolmentFilter{SellerOrgID: org.ID}); len(list) != 3 {
			t.Fatalf("the seller's: %d", len(list))
		}
		if cs, _ := st.Courses(ctx); len(cs) != 2 || cs[0].ID != c.ID {
			t.Fatalf("courses: %+v", cs)
		}
		if ss, _ := st.Sessions(ctx, c.ID); len(ss) != 1 || ss[0].ID != s.ID {
			t.Fatalf("sessions: %+v", ss)
		}
	})
}

// acceptAll applies n sellers to the event and accepts them.
func acceptAll(t *testing.T, st *store.Store, e programme.Event, n int) []programme.Application {
	t.Helper()
	var apps []programme.Application
	for range n {
		u, org := mustSellerOrg(t, st)
		a := programme.Application{ID: ids.New("eap"), EventID: e.ID, SellerOrgID: org.ID, UserID: u.ID, Pitch: "p", State: programme.Pending,
			CreatedAt: t0}
		accepted, _ := programme.Decide(a, true, "", u.ID, t0)
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error {
			if err := tx.AddEventApplication(ctx, a); err != nil {
				return err
			}
			return tx.DecideEventApplication(ctx, accepted)
		})
		apps = append(apps, a)
	}
	return apps
}

func eventDetails(e programme.Event, seats int) programme.EventDetails {
	return programme.EventDetails{Title: catalog.Text{EN: "Conference 2027", ZH: "2027 大会"}, Description: e.Description, Zone: "Europe/Dublin",
		Start: e.Start.Add(time.Hour), End: e.End.Add(time.Hour), ApplyBy: e.ApplyBy.Add(time.Hour), Seats: seats}
}

// TestEventEditKeepsAcceptedSeats: an edit is stored whole; the UPDATE
// itself refuses fewer seats than the sellers accepted, even when the edit
// was made from a read older than the acceptances, and a closed event.
func TestEventEditKeepsAcceptedSeats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := programmeEvent(4)
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.CreateEvent(ctx, e) })
		stale, err := programme.Edit(e, eventDetails(e, 2), t0.Add(time.Hour)) // read with none accepted
		if err != nil {
			t.Fatal(err)
		}
		acceptAll(t, st, e, 3)
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.UpdateEvent(ctx, stale) })
		if f := fault.As(err); f == nil || f.Field != "seats" || f.MsgID != "error.event_seats_accepted" {
			t.Fatalf("seats below the accepted: %v", err)
		}
		if got, _ := st.Event(ctx, e.ID); got.Seats != 4 || got.Title != e.Title {
			t.Fatalf("a refused edit changed %+v", got)
		}
		cur, _ := st.Event(ctx, e.ID)
		edited, err := programme.Edit(cur, eventDetails(cur, 3), t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.UpdateEvent(ctx, edited) })
		got, err := st.Event(ctx, e.ID)
		if err != nil || got.Seats != 3 || got.Accepted != 3 || got.Zone != "Europe/Dublin" || got.Title.ZH != "2027 大会" ||
			!got.Start.Equal(e.Start.Add(time.Hour)) || !got.ApplyBy.Equal(e.ApplyBy.Add(time.Hour)) || !got.UpdatedAt.Equal(t0.Add(time.Hour)) ||
			got.Kind != e.Kind || got.RequiresType != e.RequiresType || got.State != programme.EventPublished {
			t.Fatalf("edited %+v %v", got, err)
		}
		// Closed meanwhile: an edit from before is refused.
		closed, _ := programme.Move(got, programme.EventClosed, t0.Add(2*time.Hour))
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error {
			return tx.MoveEvent(ctx, programme.EventPublished, closed)
		})
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.UpdateEvent(ctx, edited) }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("editing a closed event: %v", err)
		}
		unknown := edited
		unknown.ID = "evt_none"
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.UpdateEvent(ctx, unknown) }); !fault.Is(err, fault.NotFound) {
			t.Fatalf("an unknown event: %v", err)
		}
	})
}

// TestEventEditUnderRace: while six sellers are accepted to an event of six
// seats, an operator cuts it to three seats from a read with none accepted:
// whichever comes first, the event never holds more sellers than seats, and
// the cut applies only while at most three are accepted.
func TestEventEditUnderRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := programmeEvent(6)
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.CreateEvent(ctx, e) })
		var apps []programme.Application
		for range 6 {
			u, org := mustSellerOrg(t, st)
			a := programme.Application{ID: ids.New("eap"), EventID: e.ID, SellerOrgID: org.ID, UserID: u.ID, Pitch: "p", State: programme.Pending,
				CreatedAt: t0}
			mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.AddEventApplication(ctx, a) })
			apps = append(apps, a)
		}
		cut, err := programme.Edit(e, eventDetails(e, 3), t0)
		if err != nil {
			t.Fatal(err)
		}
		var accepted atomic.Int64
		var cutErr error
		var wg sync.WaitGroup
		wg.Go(func() { cutErr = st.Write(ctx, func(tx *store.Tx) error { return tx.UpdateEvent(ctx, cut) }) })
		for _, a := range apps {
			wg.Go(func() {
				next, _ := programme.Decide(a, true, "", "", t0)
				err := st.Write(ctx, func(tx *store.Tx) error { return tx.DecideEventApplication(ctx, next) })
				switch f := fault.As(err); {
				case err == nil:
					accepted.Add(1)
				case f == nil || f.MsgID != "error.event_full":
					t.Errorf("accept: %v", err)
				}
			})
		}
		wg.Wait()
		got, _ := st.Event(ctx, e.ID)
		if got.Accepted != int(accepted.Load()) || got.Accepted > got.Seats {
			t.Fatalf("accepted %d (counted %d) of %d seats", accepted.Load(), got.Accepted, got.Seats)
		}
		switch f := fault.As(cutErr); {
		case cutErr == nil:
			if got.Seats != 3 || got.Accepted > 3 {
				t.Fatalf("cut applied: %d of %d seats", got.Accepted, got.Seats)
			}
		case f != nil && f.MsgID == "error.event_seats_accepted":
			if got.Seats != 6 || got.Accepted != 6 {
				t.Fatalf("cut refused with %d of %d seats", got.Accepted, got.Seats)
			}
		default:
			t.Fatalf("cut: %v", cutErr)
		}
	})
}

// TestSessionCancel: cancelling a session cancels its enrolments, frees its
// seats and takes no more; a course's title and description are stored.
func TestSessionCancel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c, s := training(t, st, 5)
		_, other := training(t, st, 5)
		u1, org1 := mustSellerOrg(t, st)
		u2, org2 := mustSellerOrg(t, st)
		gone := enrolment(s, u1, org1, 3)
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error {
			for _, e := range []programme.Enrolment{enrolment(s, u1, org1, 1), enrolment(s, u2, org2, 2), gone, enrolment(other, u1, org1, 1)} {
				if err := tx.Enrol(ctx, e); err != nil {
					return err
				}
			}
			cancelled, _ := programme.Cancel(gone, s, t0)
			return tx.CancelEnrolment(ctx, cancelled)
		})
		at := t0.Add(time.Hour)
		next, err := programme.CancelSession(s, at)
		if err != nil {
			t.Fatal(err)
		}
		var cancelled []programme.Enrolment
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) (err error) {
			cancelled, err = tx.CancelSession(ctx, next)
			return err
		})
		if len(cancelled) != 2 || cancelled[0].SellerOrgID != org1.ID || cancelled[1].SellerOrgID != org2.ID ||
			cancelled[0].State != programme.Cancelled || !cancelled[1].CancelledAt.Equal(at) {
			t.Fatalf("cancelled %+v", cancelled)
		}
		got, err := st.Session(ctx, s.ID)
		if err != nil || !got.Cancelled() || !got.CancelledAt.Equal(at) || got.Taken != 0 || got.SeatsLeft() != 0 {
			t.Fatalf("session %+v %v", got, err)
		}
		list, _ := st.Enrolments(ctx, store.EnrolmentFilter{SessionID: s.ID})
		for _, e := range list {
			if e.State != programme.Cancelled {
				t.Fatalf("still enrolled: %+v", e)
			}
		}
		if o, _ := st.Session(ctx, other.ID); o.Cancelled() || o.Taken != 1 {
			t.Fatalf("the other session %+v", o)
		}
		// No enrolment into a cancelled session, even from an old read.
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.Enrol(ctx, enrolment(s, u1, org1, 9)) })
		if f := fault.As(err); f == nil || f.MsgID != "error.session_cancelled" {
			t.Fatalf("enrolling in a cancelled session: %v", err)
		}
		if err := st.Write(ctx, func(tx *store.Tx) error { _, err := tx.CancelSession(ctx, next); return err }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("cancelled twice: %v", err)
		}
		unknown := next
		unknown.ID = "ses_none"
		if err := st.Write(ctx, func(tx *store.Tx) error { _, err := tx.CancelSession(ctx, unknown); return err }); !fault.Is(err, fault.NotFound) {
			t.Fatalf("an unknown session: %v", err)
		}

		edited, err := programme.EditCourse(c, catalog.Text{EN: "Selling migrated workloads", ZH: "销售迁移上云的工作负载"}, catalog.Text{EN: "Two days.", ZH: "两天。"})
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.UpdateCourse(ctx, edited) })
		if got, err := st.Course(ctx, c.ID); err != nil || got != edited {
			t.Fatalf("course %+v %v", got, err)
		}
		edited.ID = "crs_none"
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.UpdateCourse(ctx, edited) }); !fault.Is(err, fault.NotFound) {
			t.Fatalf("an unknown course: %v", err)
		}
	})
}
