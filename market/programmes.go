package market

import (
	"context"
	"fmt"
	"strings"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/programme"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/subscription"
)

// Seller programmes (docs/benefits.md): operators publish joint marketing
// events and approved sellers apply; sellers declare workloads migrated to the
// cloud and operators verify them; operators give trainings whose sessions
// sellers enrol people in (sales trainings only for sellers with a verified
// migration). The rules are package programme's; seats are the store's.

// programmeSeller loads what programme's rules know of a seller company.
func programmeSeller(ctx context.Context, q interface {
	SellerState(context.Context, string) (seller.State, error)
	PublishedProductTypes(context.Context, string) ([]catalog.Type, error)
	VerifiedMigrations(context.Context, string) (int, error)
}, orgID string) (programme.Seller, error) {
	s := programme.Seller{OrgID: orgID}
	var err error
	if s.State, err = q.SellerState(ctx, orgID); err != nil {
		return s, err
	}
	if s.PublishedTypes, err = q.PublishedProductTypes(ctx, orgID); err != nil {
		return s, err
	}
	s.VerifiedMigrations, err = q.VerifiedMigrations(ctx, orgID)
	return s, err
}

// joiningSeller is the caller's seller company, which it may act for in the
// programmes.
//
// Errors: Unauthorized; Forbidden when the caller works for no seller.
func joiningSeller(actor account.Actor) (string, error) {
	org, err := ownSellerOrg(actor)
	if err != nil {
		return "", err
	}
	return org, allow(actor, account.JoinProgrammes, account.Resource{OrgID: org})
}

// ---- Events -----------------------------------------------------------------

// CreateEvent: an operator drafts a joint marketing event.
//
// Errors: Unauthorized; Forbidden; those of programme.Event.Validate.
func (s *Service) CreateEvent(ctx context.Context, actor account.Actor, e programme.Event) (programme.Event, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return e, err
	}
	now := s.now()
	e.ID, e.State, e.Accepted, e.CreatedAt, e.UpdatedAt = ids.New("evt"), programme.EventDraft, 0, now, now
	e.Start, e.End, e.ApplyBy = e.Start.UTC(), e.End.UTC(), e.ApplyBy.UTC()
	e.Title.EN, e.Title.ZH = strings.TrimSpace(e.Title.EN), strings.TrimSpace(e.Title.ZH)
	if err := e.Validate(); err != nil {
		return e, err
	}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateEvent(ctx, e); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "event.create", objectType: "event",
			objectID: e.ID, summary: fmt.Sprintf("event %s (%s) drafted with %d seats", e.Title.EN, e.Kind, e.Seats), after: e})
	})
	return e, err
}

// MoveEvent: an operator publishes a draft event or closes a published one.
//
// Errors: Unauthorized; Forbidden; NotFound; those of programme.Move;
// Conflict (error.changed_meanwhile).
func (s *Service) MoveEvent(ctx context.Context, actor account.Actor, id string, to programme.EventState) (programme.Event, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return programme.Event{}, err
	}
	now := s.now()
	var next programme.Event
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		e, err := tx.Event(ctx, id)
		if err != nil {
			return err
		}
		if next, err = programme.Move(e, to, now); err != nil {
			return err
		}
		if err := tx.MoveEvent(ctx, e.State, next); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "event.move", objectType: "event",
			objectID: id, summary: fmt.Sprintf("event %s: %s → %s", e.Title.EN, e.State, to), before: e.State, after: to})
	})
	return next, err
}

// EditEvent: an operator changes a draft or published event's title,
// description, dates, zone, deadline and seats; never below the sellers
// accepted, which the store checks in the same UPDATE. When its dates, zone
// or deadline change, the companies that applied (and were not declined)
// are told.
//
// Errors: Unauthorized; Forbidden; NotFound; those of programme.Edit;
// Invalid on "seats" (error.event_seats_accepted); Conflict
// (error.changed_meanwhile).
func (s *Service) EditEvent(ctx context.Context, actor account.Actor, id string, d programme.EventDetails) (programme.Event, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return programme.Event{}, err
	}
	now := s.now()
	var next programme.Event
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		e, err := tx.Event(ctx, id)
		if err != nil {
			return err
		}
		if next, err = programme.Edit(e, d, now); err != nil {
			return err
		}
		if err := tx.UpdateEvent(ctx, next); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "event.edit", objectType: "event",
			objectID: id, summary: fmt.Sprintf("event %s edited: %d seats", next.Title.EN, next.Seats), before: e, after: next}); err != nil {
			return err
		}
		if next.Start.Equal(e.Start) && next.End.Equal(e.End) && next.ApplyBy.Equal(e.ApplyBy) && next.Zone == e.Zone {
			return nil
		}
		return s.tellApplicants(ctx, tx, next)
	})
	return next, err
}

// tellApplicants tells each company with a pending or accepted application
// to the event of its new dates.
func (s *Service) tellApplicants(ctx context.Context, tx *store.Tx, e programme.Event) error {
	apps, err := tx.EventApplications(ctx, store.EventApplicationFilter{EventID: e.ID})
	if err != nil {
		return err
	}
	loc := subscription.LoadZone(e.Zone)
	when := e.Start.In(loc).Format("2006-01-02 15:04") + " – " + e.End.In(loc).Format("2006-01-02 15:04 MST")
	applyBy := e.ApplyBy.In(loc).Format("2006-01-02 15:04 MST")
	for _, a := range apps {
		if a.State == programme.Declined {
			continue
		}
		if err := s.notifyCompany(ctx, tx, a.SellerOrgID, notice.Notification{Kind: "event.changed", Link: "/seller/events",
			TitleEN: "Event changed: " + e.Title.EN, TitleZH: "活动有变：" + e.Title.ZH,
			BodyEN: "It now runs " + when + "; applications close " + applyBy + ".",
			BodyZH: "活动时间改为 " + when + "；报名截止 " + applyBy + "。"}); err != nil {
			return err
		}
	}
	return nil
}

// Events lists every event, soonest first (operators).
//
// Errors: Unauthorized; Forbidden.
func (s *Service) Events(ctx context.Context, actor account.Actor) ([]programme.Event, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return nil, err
	}
	return s.store.Events(ctx)
}

// EventOffer is a published event as a seller sees it.
type EventOffer struct {
	programme.Event
	Application *programme.Application // the seller's, if it applied
	// Refusal says why the seller may not apply now (nil when it may, or
	// when it applied already).
	Refusal error
}

// OpenEvents lists the published events, soonest first, each with the
// caller's company's application and whether it may apply.
//
// Errors: Unauthorized; Forbidden when the caller works for no seller.
func (s *Service) OpenEvents(ctx context.Context, actor account.Actor) ([]EventOffer, error) {
	org, err := joiningSeller(actor)
	if err != nil {
		return nil, err
	}
	events, err := s.store.Events(ctx, programme.EventPublished)
	if err != nil {
		return nil, err
	}
	mine, err := s.store.EventApplications(ctx, store.EventApplicationFilter{SellerOrgID: org})
	if err != nil {
		return nil, err
	}
	sel, err := programmeSeller(ctx, s.store, org)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]EventOffer, 0, len(events))
	for _, e := range events {
		o := EventOffer{Event: e}
		for i := range mine {
			if mine[i].EventID == e.ID {
				o.Application = &mine[i]
			}
		}
		if o.Application == nil {
			o.Refusal = programme.MayApply(e, sel, now)
		}
		out = append(out, o)
	}
	return out, nil
}

// ApplyToEvent: a seller applies to a published event before its deadline,
// saying what it brings.
//
// Errors: Unauthorized; Forbidden (also error.programme_seller_not_selling);
// NotFound; those of programme.ValidatePitch and programme.MayApply;
// Conflict (error.applied_already).
func (s *Service) ApplyToEvent(ctx context.Context, actor account.Actor, eventID, pitch string) (programme.Application, error) {
	org, err := joiningSeller(actor)
	if err != nil {
		return programme.Application{}, err
	}
	pitch = strings.TrimSpace(pitch)
	if err := programme.ValidatePitch(pitch); err != nil {
		return programme.Application{}, err
	}
	now := s.now()
	a := programme.Application{ID: ids.New("eap"), EventID: eventID, SellerOrgID: org, UserID: actor.UserID, Pitch: pitch,
		State: programme.Pending, CreatedAt: now}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		e, err := tx.Event(ctx, eventID)
		if err != nil || e.State == programme.EventDraft {
			return eventNotFound(err)
		}
		sel, err := programmeSeller(ctx, tx, org)
		if err != nil {
			return err
		}
		if err := programme.MayApply(e, sel, now); err != nil {
			return err
		}
		if err := tx.AddEventApplication(ctx, a); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "event.apply", objectType: "event_application",
			objectID: a.ID, orgID: org, summary: "applied to event " + e.Title.EN, after: a})
	})
	return a, err
}

// eventNotFound is the answer for an event a seller may not see (a draft)
// or that does not exist.
func eventNotFound(err error) error {
	if err != nil && !fault.Is(err, fault.NotFound) {
		return err
	}
	return &fault.Error{Code: fault.NotFound, MsgID: "error.no_event", Message: "no such event"}
}

// EventApplicationView is an application with its event and the seller's name.
type EventApplicationView struct {
	programme.Application
	Event      programme.Event
	SellerName string
}

// EventApplications lists an event's applications, oldest first (operators).
//
// Errors: Unauthorized; Forbidden; NotFound.
func (s *Service) EventApplications(ctx context.Context, actor account.Actor, eventID string) ([]EventApplicationView, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return nil, err
	}
	e, err := s.store.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	list, err := s.store.EventApplications(ctx, store.EventApplicationFilter{EventID: eventID})
	if err != nil {
		return nil, err
	}
	return s.applicationViews(ctx, list, map[string]programme.Event{e.ID: e})
}

// SellerEventApplications lists the caller's company's applications.
//
// Errors: Unauthorized; Forbidden when the caller works for no seller.
func (s *Service) SellerEventApplications(ctx context.Context, actor account.Actor) ([]EventApplicationView, error) {
	org, err := ownSellerOrg(actor)
	if err != nil {
		return nil, err
	}
	if err := allow(actor, account.ReadProgrammes, account.Resource{OrgID: org}); err != nil {
		return nil, err
	}
	list, err := s.store.EventApplications(ctx, store.EventApplicationFilter{SellerOrgID: org})
	if err != nil {
		return nil, err
	}
	return s.applicationViews(ctx, list, map[string]programme.Event{})
}

func (s *Service) applicationViews(ctx context.Context, list []programme.Application, events map[string]programme.Event) ([]EventApplicationView, error) {
	names := s.orgNames()
	out := make([]EventApplicationView, 0, len(list))
	for _, a := range list {
		v := EventApplicationView{Application: a}
		var err error
		if v.SellerName, err = names.of(ctx, a.SellerOrgID); err != nil {
			return nil, err
		}
		e, ok := events[a.EventID]
		if !ok {
			if e, err = s.store.Event(ctx, a.EventID); err != nil {
				return nil, err
			}
			events[a.EventID] = e
		}
		v.Event = e
		out = append(out, v)
	}
	return out, nil
}

// DecideEventApplication: an operator accepts an application (while the
// event has a seat left) or declines it with a reason.
//
// Errors: Unauthorized; Forbidden; NotFound; those of programme.Decide;
// Conflict (error.event_full, error.changed_meanwhile).
func (s *Service) DecideEventApplication(ctx context.Context, actor account.Actor, id string, accept bool, reason string) (programme.Application, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return programme.Application{}, err
	}
	now := s.now()
	var next programme.Application
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		a, err := tx.EventApplication(ctx, id)
		if err != nil {
			return err
		}
		if next, err = programme.Decide(a, accept, reason, actor.UserID, now); err != nil {
			return err
		}
		if err := tx.DecideEventApplication(ctx, next); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "event.decide", objectType: "event_application",
			objectID: id, orgID: a.SellerOrgID, summary: "application " + string(next.State), before: a.State, after: next})
	})
	return next, err
}

// ---- Migration declarations -------------------------------------------------

// DeclareMigration: a seller declares a workload it migrated to the cloud
// (kind, region, what runs, evidence), for an operator to verify.
//
// Errors: Unauthorized; Forbidden (also error.programme_seller_not_selling);
// those of programme.ValidateMigration.
func (s *Service) DeclareMigration(ctx context.Context, actor account.Actor, m programme.Migration) (programme.Migration, error) {
	org, err := joiningSeller(actor)
	if err != nil {
		return m, err
	}
	regions, err := s.store.Regions(ctx)
	if err != nil {
		return m, err
	}
	codes := make([]string, len(regions))
	for i, r := range regions {
		codes[i] = r.Code
	}
	m.Workload, m.Evidence = strings.TrimSpace(m.Workload), strings.TrimSpace(m.Evidence)
	if err := programme.ValidateMigration(m, codes); err != nil {
		return m, err
	}
	now := s.now()
	m = programme.Migration{ID: ids.New("mig"), SellerOrgID: org, UserID: actor.UserID, Kind: m.Kind, Region: m.Region, Workload: m.Workload,
		Evidence: m.Evidence, State: programme.MigrationPending, CreatedAt: now}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		state, err := tx.SellerState(ctx, org)
		if err != nil {
			return err
		}
		if err := programme.MayDeclare(programme.Seller{OrgID: org, State: state}); err != nil {
			return err
		}
		if err := tx.AddMigration(ctx, m); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "migration.declare", objectType: "migration",
			objectID: m.ID, orgID: org, summary: fmt.Sprintf("%s migration declared in %s", m.Kind, m.Region), after: m})
	})
	return m, err
}

// SellerMigrations lists the caller's company's declarations, newest first.
//
// Errors: Unauthorized; Forbidden when the caller works for no seller.
func (s *Service) SellerMigrations(ctx context.Context, actor account.Actor) ([]programme.Migration, error) {
	org, err := ownSellerOrg(actor)
	if err != nil {
		return nil, err
	}
	if err := allow(actor, account.ReadProgrammes, account.Resource{OrgID: org}); err != nil {
		return nil, err
	}
	return s.store.Migrations(ctx, store.MigrationFilter{SellerOrgID: org})
}

// MigrationView is a declaration with its seller's name.
type MigrationView struct {
	programme.Migration
	SellerName string
}

// Migrations lists the declarations in a state (all for ""), newest first
// (operators: the pending ones are the queue to verify).
//
// Errors: Unauthorized; Forbidden.
func (s *Service) Migrations(ctx context.Context, actor account.Actor, state programme.MigrationState) ([]MigrationView, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return nil, err
	}
	list, err := s.store.Migrations(ctx, store.MigrationFilter{State: state})
	if err != nil {
		return nil, err
	}
	names := s.orgNames()
	out := make([]MigrationView, 0, len(list))
	for _, m := range list {
		name, err := names.of(ctx, m.SellerOrgID)
		if err != nil {
			return nil, err
		}
		out = append(out, MigrationView{Migration: m, SellerName: name})
	}
	return out, nil
}

// DecideMigration: an operator verifies a declaration, or rejects it with a
// reason.
//
// Errors: Unauthorized; Forbidden; NotFound; those of programme.Verify;
// Conflict (error.changed_meanwhile).
func (s *Service) DecideMigration(ctx context.Context, actor account.Actor, id string, verify bool, reason string) (programme.Migration, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return programme.Migration{}, err
	}
	now := s.now()
	var next programme.Migration
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		m, err := tx.Migration(ctx, id)
		if err != nil {
			return err
		}
		if next, err = programme.Verify(m, verify, reason, actor.UserID, now); err != nil {
			return err
		}
		if err := tx.DecideMigration(ctx, next); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "migration.decide", objectType: "migration",
			objectID: id, orgID: m.SellerOrgID, summary: "migration declaration " + string(next.State), before: m.State, after: next})
	})
	return next, err
}

// ---- Trainings --------------------------------------------------------------

// CreateCourse: an operator adds a course.
//
// Errors: Unauthorized; Forbidden; those of programme.Course.Validate.
func (s *Service) CreateCourse(ctx context.Context, actor account.Actor, c programme.Course) (programme.Course, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return c, err
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	now := s.now()
	c.ID, c.CreatedAt = ids.New("crs"), now
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCourse(ctx, c); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "course.create", objectType: "course",
			objectID: c.ID, summary: fmt.Sprintf("%s course %s (%s) created", c.Kind, c.Title.EN, c.Audience), after: c})
	})
	return c, err
}

// EditCourse: an operator changes a course's title and description.
//
// Errors: Unauthorized; Forbidden; NotFound; those of programme.EditCourse.
func (s *Service) EditCourse(ctx context.Context, actor account.Actor, id string, title, description catalog.Text) (programme.Course, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return programme.Course{}, err
	}
	now := s.now()
	var next programme.Course
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.Course(ctx, id)
		if err != nil {
			return err
		}
		if next, err = programme.EditCourse(c, title, description); err != nil {
			return err
		}
		if err := tx.UpdateCourse(ctx, next); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "course.edit", objectType: "course",
			objectID: id, summary: fmt.Sprintf("course %s edited", next.Title.EN), before: c, after: next})
	})
	return next, err
}

// CancelSession: an operator cancels a session before it starts; its
// enrolments are cancelled with it, and each company that had people in it
// is told (its administrators).
//
// Errors: Unauthorized; Forbidden; NotFound; those of
// programme.CancelSession; Conflict (error.changed_meanwhile).
func (s *Service) CancelSession(ctx context.Context, actor account.Actor, id string) (programme.Session, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return programme.Session{}, err
	}
	now := s.now()
	var next programme.Session
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		sess, err := tx.Session(ctx, id)
		if err != nil {
			return err
		}
		c, err := tx.Course(ctx, sess.CourseID)
		if err != nil {
			return err
		}
		if next, err = programme.CancelSession(sess, now); err != nil {
			return err
		}
		cancelled, err := tx.CancelSession(ctx, next)
		if err != nil {
			return err
		}
		next.Taken = 0
		people := map[string][]string{} // company → the addresses no longer enrolled
		var orgs []string
		for _, e := range cancelled {
			if _, ok := people[e.SellerOrgID]; !ok {
				orgs = append(orgs, e.SellerOrgID)
			}
			people[e.SellerOrgID] = append(people[e.SellerOrgID], e.Email)
		}
		if err := record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "training.cancel_session", objectType: "session",
			objectID: id, summary: fmt.Sprintf("session of %s on %s cancelled with %d enrolments", c.Title.EN, sess.Start.Format("2006-01-02 15:04 MST"), len(cancelled)),
			before: sess, after: map[string]any{"session": next, "enrolments_cancelled": len(cancelled)}}); err != nil {
			return err
		}
		day := sess.Start.In(subscription.LoadZone(sess.Zone)).Format("2006-01-02 15:04 MST")
		for _, org := range orgs {
			who := strings.Join(people[org], ", ")
			if err := s.notifyCompany(ctx, tx, org, notice.Notification{Kind: "training.session_cancelled", Link: "/seller/trainings",
				TitleEN: "Training session cancelled: " + c.Title.EN, TitleZH: "培训场次已取消：" + c.Title.ZH,
				BodyEN: "The session of " + day + " is cancelled, and with it the enrolment of " + who + ". Enrol them in another session if you wish.",
				BodyZH: day + " 的场次已取消，" + who + " 的报名随之取消。如需参加，请报名其他场次。"}); err != nil {
				return err
			}
		}
		return nil
	})
	return next, err
}

// AddSession: an operator adds a session to a course.
//
// Errors: Unauthorized; Forbidden; NotFound for an unknown course; those of
// programme.ValidateSession.
func (s *Service) AddSession(ctx context.Context, actor account.Actor, sess programme.Session) (programme.Session, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return sess, err
	}
	now := s.now()
	sess.ID, sess.Taken, sess.CreatedAt = ids.New("ses"), 0, now
	sess.Start, sess.End, sess.Place = sess.Start.UTC(), sess.End.UTC(), strings.TrimSpace(sess.Place)
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.Course(ctx, sess.CourseID)
		if err != nil {
			return err
		}
		if err := programme.ValidateSession(sess, c.Kind); err != nil {
			return err
		}
		if err := tx.AddSession(ctx, sess); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "course.add_session", objectType: "course",
			objectID: c.ID, summary: fmt.Sprintf("session of %s on %s with %d seats", c.Title.EN, sess.Start.Format("2006-01-02 15:04 MST"), sess.Seats),
			after: sess})
	})
	return sess, err
}

// CourseView is a course with its sessions and, for a seller, whether it may
// enrol people in it.
type CourseView struct {
	programme.Course
	Sessions []programme.Session // earliest first, with their seats left
	// Refusal says why the caller's company may not enrol people now, for
	// the course as a whole (nil for operators, or when it may).
	Refusal error
}

// Courses lists every course with its sessions, to operators and the people
// of seller companies (with what stands between their company and
// enrolling).
//
// Errors: Unauthorized; Forbidden for anyone else.
func (s *Service) Courses(ctx context.Context, actor account.Actor) ([]CourseView, error) {
	var sel *programme.Seller
	if !account.Can(actor, account.ManageProgrammes, account.Resource{}) {
		org, err := joiningSeller(actor)
		if err != nil {
			return nil, err
		}
		x, err := programmeSeller(ctx, s.store, org)
		if err != nil {
			return nil, err
		}
		sel = &x
	}
	courses, err := s.store.Courses(ctx)
	if err != nil {
		return nil, err
	}
	sessions, err := s.store.Sessions(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]CourseView, 0, len(courses))
	for _, c := range courses {
		v := CourseView{Course: c}
		for _, ss := range sessions {
			if ss.CourseID == c.ID {
				v.Sessions = append(v.Sessions, ss)
			}
		}
		if sel != nil {
			v.Refusal = programme.MayEnrolIn(c, *sel)
		}
		out = append(out, v)
	}
	return out, nil
}

// Enrol: a seller enrols a person (name, email) in a session before it
// starts, while a seat is left.
//
// Errors: Unauthorized; Forbidden (also error.programme_seller_not_selling);
// NotFound; those of programme.ValidateAttendee and programme.MayEnrol;
// Conflict (error.session_full, error.enrolled_already).
func (s *Service) Enrol(ctx context.Context, actor account.Actor, sessionID, name, email string) (programme.Enrolment, error) {
	org, err := joiningSeller(actor)
	if err != nil {
		return programme.Enrolment{}, err
	}
	name, email = strings.TrimSpace(name), strings.ToLower(strings.TrimSpace(email))
	if err := programme.ValidateAttendee(name, email); err != nil {
		return programme.Enrolment{}, err
	}
	now := s.now()
	e := programme.Enrolment{ID: ids.New("enr"), SessionID: sessionID, SellerOrgID: org, UserID: actor.UserID, Name: name, Email: email,
		State: programme.Enrolled, CreatedAt: now}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		sess, err := tx.Session(ctx, sessionID)
		if err != nil {
			return err
		}
		c, err := tx.Course(ctx, sess.CourseID)
		if err != nil {
			return err
		}
		sel, err := programmeSeller(ctx, tx, org)
		if err != nil {
			return err
		}
		if err := programme.MayEnrol(c, sess, sel, now); err != nil {
			return err
		}
		if err := tx.Enrol(ctx, e); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "training.enrol", objectType: "enrolment",
			objectID: e.ID, orgID: org, summary: fmt.Sprintf("%s enrolled in %s", email, c.Title.EN), after: e})
	})
	return e, err
}

// EnrolmentView is an enrolment with its session, course and seller's name.
type EnrolmentView struct {
	programme.Enrolment
	Session    programme.Session
	Course     programme.Course
	SellerName string
}

// enrolmentFor loads an enrolment the actor may see: its company's people
// and operators.
//
// Errors: NotFound (also for an enrolment the actor may not see).
func (s *Service) enrolmentFor(ctx context.Context, actor account.Actor, id string) (programme.Enrolment, error) {
	e, err := s.store.Enrolment(ctx, id)
	if err == nil && !account.Can(actor, account.ReadProgrammes, account.Resource{OrgID: e.SellerOrgID}) {
		err = &fault.Error{Code: fault.NotFound, MsgID: "error.no_enrolment", Message: "no such enrolment"}
	}
	return e, err
}

// CancelEnrolment: the seller (or an operator for it) cancels an enrolment
// before its session starts; its seat is free again.
//
// Errors: Unauthorized; NotFound (also for another company's enrolment);
// Forbidden; those of programme.Cancel; Conflict (error.changed_meanwhile).
func (s *Service) CancelEnrolment(ctx context.Context, actor account.Actor, id string) (programme.Enrolment, error) {
	if !actor.Signed() {
		// Anyone signed in may ask; allow answers the anonymous "sign in first".
		return programme.Enrolment{}, allow(actor, account.ReadSelf, account.Resource{})
	}
	e, err := s.enrolmentFor(ctx, actor, id)
	if err != nil {
		return e, err
	}
	operator := account.Can(actor, account.ManageProgrammes, account.Resource{})
	if !operator {
		if err := allow(actor, account.JoinProgrammes, account.Resource{OrgID: e.SellerOrgID}); err != nil {
			return e, err
		}
	}
	now := s.now()
	var next programme.Enrolment
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		e, err := tx.Enrolment(ctx, id)
		if err != nil {
			return err
		}
		sess, err := tx.Session(ctx, e.SessionID)
		if err != nil {
			return err
		}
		if next, err = programme.Cancel(e, sess, now); err != nil {
			return err
		}
		if err := tx.CancelEnrolment(ctx, next); err != nil {
			return err
		}
		role := string(account.RoleSellerAdmin)
		if operator {
			role = string(account.RoleOperator)
		}
		return record(ctx, tx, actor, now, change{role: role, action: "training.cancel", objectType: "enrolment", objectID: id,
			orgID: e.SellerOrgID, summary: e.Email + " no longer enrolled", before: e.State, after: next.State})
	})
	return next, err
}

// SellerEnrolments lists the caller's company's enrolments, oldest first.
//
// Errors: Unauthorized; Forbidden when the caller works for no seller.
func (s *Service) SellerEnrolments(ctx context.Context, actor account.Actor) ([]EnrolmentView, error) {
	org, err := ownSellerOrg(actor)
	if err != nil {
		return nil, err
	}
	if err := allow(actor, account.ReadProgrammes, account.Resource{OrgID: org}); err != nil {
		return nil, err
	}
	return s.enrolmentViews(ctx, store.EnrolmentFilter{SellerOrgID: org})
}

// SessionEnrolments lists a session's enrolments, oldest first (operators).
//
// Errors: Unauthorized; Forbidden; NotFound.
func (s *Service) SessionEnrolments(ctx context.Context, actor account.Actor, sessionID string) ([]EnrolmentView, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return nil, err
	}
	if _, err := s.store.Session(ctx, sessionID); err != nil {
		return nil, err
	}
	return s.enrolmentViews(ctx, store.EnrolmentFilter{SessionID: sessionID})
}

func (s *Service) enrolmentViews(ctx context.Context, f store.EnrolmentFilter) ([]EnrolmentView, error) {
	list, err := s.store.Enrolments(ctx, f)
	if err != nil {
		return nil, err
	}
	names := s.orgNames()
	sessions := map[string]programme.Session{}
	courses := map[string]programme.Course{}
	out := make([]EnrolmentView, 0, len(list))
	for _, e := range list {
		v := EnrolmentView{Enrolment: e}
		if v.SellerName, err = names.of(ctx, e.SellerOrgID); err != nil {
			return nil, err
		}
		var ok bool
		if v.Session, ok = sessions[e.SessionID]; !ok {
			if v.Session, err = s.store.Session(ctx, e.SessionID); err != nil {
				return nil, err
			}
			sessions[e.SessionID] = v.Session
		}
		if v.Course, ok = courses[v.Session.CourseID]; !ok {
			if v.Course, err = s.store.Course(ctx, v.Session.CourseID); err != nil {
				return nil, err
			}
			courses[v.Session.CourseID] = v.Course
		}
		out = append(out, v)
	}
	return out, nil
}

// MarkAttendance: an operator marks whether an enrolled person attended,
// once the session has ended.
//
// Errors: Unauthorized; Forbidden; NotFound; those of programme.Mark;
// Conflict (error.changed_meanwhile).
func (s *Service) MarkAttendance(ctx context.Context, actor account.Actor, enrolmentID string, a programme.Attendance) (programme.Enrolment, error) {
	if err := allow(actor, account.ManageProgrammes, account.Resource{}); err != nil {
		return programme.Enrolment{}, err
	}
	now := s.now()
	var next programme.Enrolment
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		e, err := tx.Enrolment(ctx, enrolmentID)
		if err != nil {
			return err
		}
		sess, err := tx.Session(ctx, e.SessionID)
		if err != nil {
			return err
		}
		if next, err = programme.Mark(e, sess, a, now); err != nil {
			return err
		}
		if err := tx.MarkAttendance(ctx, e.ID, a); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "training.attendance", objectType: "enrolment",
			objectID: e.ID, orgID: e.SellerOrgID, summary: e.Email + " " + string(a), before: e.Attendance, after: a})
	})
	return next, err
}
