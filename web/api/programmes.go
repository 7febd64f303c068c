package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/programme"
)

// Seller programmes (docs/benefits.md): joint marketing events, migration
// declarations and trainings. Times are given as wall-clock times in a named
// zone ("2026-12-01T09:30" in Asia/Shanghai) and answered in UTC with the zone.

// MarketingEvent is a joint marketing event.
type MarketingEvent struct {
	ID           string    `json:"id" example:"evt_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	Kind         string    `json:"kind" enum:"online_joint_promotion,annual_conference,co_branding_campaign,technology_forum"`
	Title        Text      `json:"title"`
	Description  Text      `json:"description"`
	Zone         string    `json:"zone" example:"Asia/Shanghai" doc:"Where it takes place: show its times in this zone"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	ApplyBy      time.Time `json:"apply_by" doc:"Applications close then"`
	Seats        int       `json:"seats" doc:"Sellers accepted at most"`
	SeatsLeft    int       `json:"seats_left"`
	RequiresType string    `json:"requires_type" enum:",image,saas,license,professional_service" doc:"Only sellers with a published product of this type may apply; empty for any approved seller"`
	State        string    `json:"state" enum:"draft,published,closed"`
}

func eventOf(e programme.Event) MarketingEvent {
	return MarketingEvent{ID: e.ID, Kind: string(e.Kind), Title: textOf(e.Title), Description: textOf(e.Description), Zone: e.Zone, Start: e.Start,
		End: e.End, ApplyBy: e.ApplyBy, Seats: e.Seats, SeatsLeft: e.SeatsLeft(), RequiresType: string(e.RequiresType), State: string(e.State)}
}

// Refusal says why the caller may not do something now.
type Refusal struct {
	Code    string   `json:"code" example:"requirements_not_met"`
	Message string   `json:"message"`
	Details []string `json:"details,omitempty" doc:"The unmet requirements' ids"`
}

func refusalOf(err error) *Refusal {
	e := fault.As(err)
	if e == nil {
		return nil
	}
	r := &Refusal{Code: e.Code, Message: e.Message}
	for _, d := range e.Details {
		r.Details = append(r.Details, d.ID)
	}
	return r
}

// EventApplication is a seller's application to an event.
type EventApplication struct {
	ID          string     `json:"id" example:"eap_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	EventID     string     `json:"event_id"`
	EventTitle  Text       `json:"event_title,omitempty"`
	SellerOrgID string     `json:"seller_org_id"`
	SellerName  string     `json:"seller_name,omitempty"`
	Pitch       string     `json:"pitch"`
	State       string     `json:"state" enum:"pending,accepted,declined"`
	Reason      string     `json:"reason" doc:"The operator's, when declined"`
	CreatedAt   time.Time  `json:"created_at"`
	DecidedAt   *time.Time `json:"decided_at" nullable:"true"`
}

func eventApplicationOf(a programme.Application) EventApplication {
	return EventApplication{ID: a.ID, EventID: a.EventID, SellerOrgID: a.SellerOrgID, Pitch: a.Pitch, State: string(a.State), Reason: a.Reason,
		CreatedAt: a.CreatedAt, DecidedAt: optionalTime(a.DecidedAt)}
}

func eventApplicationsOf(vs []market.EventApplicationView) []EventApplication {
	out := make([]EventApplication, 0, len(vs))
	for _, v := range vs {
		a := eventApplicationOf(v.Application)
		a.EventTitle, a.SellerName = textOf(v.Event.Title), v.SellerName
		out = append(out, a)
	}
	return out
}

// EventOffer is a published event as a seller sees it.
type EventOffer struct {
	MarketingEvent
	Application *EventApplication `json:"application,omitempty" doc:"The company's application, if it applied"`
	MayApply    bool              `json:"may_apply"`
	Refusal     *Refusal          `json:"refusal,omitempty" doc:"Why the company may not apply now"`
}

type eventBody struct {
	Kind         string `json:"kind" enum:"online_joint_promotion,annual_conference,co_branding_campaign,technology_forum"`
	Title        Text   `json:"title"`
	Description  Text   `json:"description"`
	Zone         string `json:"zone" maxLength:"64" example:"Asia/Shanghai"`
	Start        string `json:"start" maxLength:"16" example:"2027-03-15T09:00" doc:"Wall-clock time in zone"`
	End          string `json:"end" maxLength:"16" example:"2027-03-16T18:00"`
	ApplyBy      string `json:"apply_by" maxLength:"16" example:"2027-02-28T23:59" doc:"No later than start"`
	Seats        int    `json:"seats" minimum:"1" maximum:"10000"`
	RequiresType string `json:"requires_type,omitempty" enum:",image,saas,license,professional_service"`
}

func (b eventBody) event() (programme.Event, error) {
	e := programme.Event{Kind: programme.EventKind(b.Kind), Title: b.Title.text(), Description: b.Description.text(), Zone: b.Zone,
		Seats: b.Seats, RequiresType: catalog.Type(b.RequiresType)}
	var err error
	for _, f := range []struct {
		field, value string
		into         *time.Time
	}{{"start", b.Start, &e.Start}, {"end", b.End, &e.End}, {"apply_by", b.ApplyBy, &e.ApplyBy}} {
		if *f.into, err = programme.At(f.field, b.Zone, f.value); err != nil {
			return e, err
		}
	}
	return e, nil
}

// eventEditBody is what an operator may change of an event: not its kind
// nor its requirement.
type eventEditBody struct {
	Title       Text   `json:"title"`
	Description Text   `json:"description"`
	Zone        string `json:"zone" maxLength:"64" example:"Asia/Shanghai"`
	Start       string `json:"start" maxLength:"16" example:"2027-03-15T09:00" doc:"Wall-clock time in zone"`
	End         string `json:"end" maxLength:"16" example:"2027-03-16T18:00"`
	ApplyBy     string `json:"apply_by" maxLength:"16" example:"2027-02-28T23:59" doc:"No later than start"`
	Seats       int    `json:"seats" minimum:"1" maximum:"10000" doc:"Never fewer than the sellers accepted"`
}

func (b eventEditBody) details() (programme.EventDetails, error) {
	e, err := eventBody{Title: b.Title, Description: b.Description, Zone: b.Zone, Start: b.Start, End: b.End, ApplyBy: b.ApplyBy, Seats: b.Seats}.event()
	return programme.EventDetails{Title: e.Title, Description: e.Description, Zone: e.Zone, Start: e.Start, End: e.End, ApplyBy: e.ApplyBy,
		Seats: e.Seats}, err
}

// Migration is a seller's declaration of a workload migrated to the cloud.
type Migration struct {
	ID          string     `json:"id" example:"mig_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	SellerOrgID string     `json:"seller_org_id"`
	SellerName  string     `json:"seller_name,omitempty"`
	Kind        string     `json:"kind" enum:"saas,independently_deployed_application"`
	Region      string     `json:"region" example:"cn-east-3"`
	Workload    string     `json:"workload" doc:"What runs there"`
	Evidence    string     `json:"evidence"`
	State       string     `json:"state" enum:"pending,verified,rejected"`
	Reason      string     `json:"reason" doc:"The operator's, when rejected"`
	CreatedAt   time.Time  `json:"created_at"`
	DecidedAt   *time.Time `json:"decided_at" nullable:"true"`
}

func migrationOf(m programme.Migration, sellerName string) Migration {
	return Migration{ID: m.ID, SellerOrgID: m.SellerOrgID, SellerName: sellerName, Kind: string(m.Kind), Region: m.Region, Workload: m.Workload,
		Evidence: m.Evidence, State: string(m.State), Reason: m.Reason, CreatedAt: m.CreatedAt, DecidedAt: optionalTime(m.DecidedAt)}
}

// Course is a training with its sessions.
type Course struct {
	ID          string    `json:"id" example:"crs_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	Title       Text      `json:"title"`
	Description Text      `json:"description"`
	Kind        string    `json:"kind" enum:"online,onsite"`
	Audience    string    `json:"audience" enum:"marketplace,sales" doc:"marketplace: any approved seller; sales: sellers with a verified migration"`
	Sessions    []Session `json:"sessions"`
	MayEnrol    *bool     `json:"may_enrol,omitempty" doc:"For sellers: whether the company may enrol people (in sessions not started)"`
	Refusal     *Refusal  `json:"refusal,omitempty" doc:"For sellers: why the company may not enrol people"`
}

// Session is one date of a course.
type Session struct {
	ID        string     `json:"id" example:"ses_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	CourseID  string     `json:"course_id"`
	Start     time.Time  `json:"start"`
	End       time.Time  `json:"end"`
	Zone      string     `json:"zone" example:"Asia/Shanghai"`
	Place     string     `json:"place" doc:"An address (onsite) or a https link (online)"`
	Seats     int        `json:"seats"`
	SeatsLeft int        `json:"seats_left" doc:"None in a cancelled session"`
	Cancelled *time.Time `json:"cancelled_at" nullable:"true" doc:"When an operator cancelled it; null while it stands"`
}

func sessionOf(s programme.Session) Session {
	return Session{ID: s.ID, CourseID: s.CourseID, Start: s.Start, End: s.End, Zone: s.Zone, Place: s.Place, Seats: s.Seats,
		SeatsLeft: s.SeatsLeft(), Cancelled: optionalTime(s.CancelledAt)}
}

func courseOf(c programme.Course, sessions []programme.Session) Course {
	out := Course{ID: c.ID, Title: textOf(c.Title), Description: textOf(c.Description), Kind: string(c.Kind), Audience: string(c.Audience),
		Sessions: make([]Session, 0, len(sessions))}
	for _, s := range sessions {
		out.Sessions = append(out.Sessions, sessionOf(s))
	}
	return out
}

// Enrolment is a person a seller enrolled in a session.
type Enrolment struct {
	ID          string   `json:"id" example:"enr_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	SessionID   string   `json:"session_id"`
	Session     *Session `json:"session,omitempty"`
	CourseTitle *Text    `json:"course_title,omitempty"`
	SellerOrgID string   `json:"seller_org_id"`
	SellerName  string   `json:"seller_name,omitempty"`
	Name        string   `json:"name"`
	Email       string   `json:"email"`
	State       string   `json:"state" enum:"enrolled,cancelled"`
	Attendance  string   `json:"attendance" enum:",attended,absent" doc:"Marked by an operator after the session; empty until then"`
}

func enrolmentOf(e programme.Enrolment) Enrolment {
	return Enrolment{ID: e.ID, SessionID: e.SessionID, SellerOrgID: e.SellerOrgID, Name: e.Name, Email: e.Email, State: string(e.State),
		Attendance: string(e.Attendance)}
}

func enrolmentsOf(vs []market.EnrolmentView) []Enrolment {
	out := make([]Enrolment, 0, len(vs))
	for _, v := range vs {
		e := enrolmentOf(v.Enrolment)
		s, t := sessionOf(v.Session), textOf(v.Course.Title)
		e.Session, e.CourseTitle, e.SellerName = &s, &t, v.SellerName
		out = append(out, e)
	}
	return out
}

type idInput struct {
	ID string `path:"id" maxLength:"64"`
}

type reasonInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body *struct {
		Reason string `json:"reason,omitempty" maxLength:"2000" doc:"Why: required to decline or reject; the seller reads it"`
	}
}

func (in reasonInput) reason() string {
	if in.Body == nil {
		return ""
	}
	return in.Body.Reason
}

type eventOutput struct{ Body MarketingEvent }
type eventsOutput struct {
	Body struct {
		Events []MarketingEvent `json:"events" doc:"Soonest first"`
	}
}
type eventOffersOutput struct {
	Body struct {
		Events []EventOffer `json:"events" doc:"Published events, soonest first"`
	}
}
type eventApplicationOutput struct{ Body EventApplication }
type eventApplicationsOutput struct {
	Body struct {
		Applications []EventApplication `json:"applications" doc:"Oldest first"`
	}
}
type migrationOutput struct{ Body Migration }
type migrationsOutput struct {
	Body struct {
		Migrations []Migration `json:"migrations" doc:"Newest first"`
	}
}
type courseOutput struct{ Body Course }
type coursesOutput struct {
	Body struct {
		Courses []Course `json:"courses"`
	}
}
type sessionOutput struct{ Body Session }
type enrolmentOutput struct{ Body Enrolment }
type enrolmentsOutput struct {
	Body struct {
		Enrolments []Enrolment `json:"enrolments" doc:"Oldest first"`
	}
}

func (h handlers) programmes(a huma.API) {
	h.programmeEvents(a)
	h.programmeMigrations(a)
	h.programmeTrainings(a)
}

func (h handlers) programmeEvents(a huma.API) {
	tags := []string{"Seller programmes"}
	huma.Register(a, huma.Operation{
		OperationID: "list-events", Method: http.MethodGet, Path: "/api/v1/ops/events",
		Summary: "Every joint marketing event (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "Drafts, published and closed events, soonest first, with the seats left.",
	}, func(ctx context.Context, _ *struct{}) (*eventsOutput, error) {
		list, err := h.svc.Events(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &eventsOutput{}
		out.Body.Events = make([]MarketingEvent, 0, len(list))
		for _, e := range list {
			out.Body.Events = append(out.Body.Events, eventOf(e))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "create-event", Method: http.MethodPost, Path: "/api/v1/ops/events", DefaultStatus: http.StatusCreated,
		Summary: "Draft a joint marketing event (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403},
		Description: "One of the seed's four kinds, with English and Chinese title and description, its dates as wall-clock times in " +
			"zone (stored in UTC), the application deadline (no later than the start), the seats (sellers accepted) and, optionally, " +
			"a product type an applicant must have published. A draft is seen by operators only: publish it.",
	}, func(ctx context.Context, in *struct{ Body eventBody }) (*eventOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		e, err := in.Body.event()
		if err != nil {
			return nil, err
		}
		if e, err = h.svc.CreateEvent(ctx, actorOf(ctx), e); err != nil {
			return nil, err
		}
		return &eventOutput{Body: eventOf(e)}, nil
	})

	for _, mv := range []struct {
		verb, summary string
		to            programme.EventState
	}{
		{"publish", "Publish a draft event: approved sellers see it and apply until apply_by (operators)", programme.EventPublished},
		{"close", "Close a published event: no more applications (operators)", programme.EventClosed},
	} {
		huma.Register(a, huma.Operation{
			OperationID: mv.verb + "-event", Method: http.MethodPost, Path: "/api/v1/ops/events/{id}/" + mv.verb,
			Summary: mv.summary, Tags: tags, Security: bearer, Errors: []int{400, 401, 403, 404, 409},
			Description: "draft → published → closed; any other move is 409 invalid_state (error.event_state).",
		}, func(ctx context.Context, in *idInput) (*eventOutput, error) {
			e, err := h.svc.MoveEvent(ctx, actorOf(ctx), in.ID, mv.to)
			if err != nil {
				return nil, err
			}
			return &eventOutput{Body: eventOf(e)}, nil
		})
	}

	huma.Register(a, huma.Operation{
		OperationID: "edit-event", Method: http.MethodPut, Path: "/api/v1/ops/events/{id}",
		Summary: "Change a draft or published event (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403, 404, 409},
		Description: "Its title and description in both languages, its dates and application deadline as wall-clock times in zone, " +
			"and its seats; its kind and required product type stay. A closed event is 409 invalid_state (error.event_edit_state). " +
			"The seats never go below the sellers accepted (400 on seats, error.event_seats_accepted): the database checks it in " +
			"the same UPDATE, so an acceptance at the same time is never lost.",
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body eventEditBody
	}) (*eventOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		d, err := in.Body.details()
		if err != nil {
			return nil, err
		}
		e, err := h.svc.EditEvent(ctx, actorOf(ctx), in.ID, d)
		if err != nil {
			return nil, err
		}
		return &eventOutput{Body: eventOf(e)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-event-applications", Method: http.MethodGet, Path: "/api/v1/ops/events/{id}/applications",
		Summary: "An event's applications (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403, 404},
		Description: "Oldest first, with each seller's name and pitch.",
	}, func(ctx context.Context, in *idInput) (*eventApplicationsOutput, error) {
		vs, err := h.svc.EventApplications(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		out := &eventApplicationsOutput{}
		out.Body.Applications = eventApplicationsOf(vs)
		return out, nil
	})

	for _, d := range []struct {
		verb, summary, description string
		accept                     bool
	}{
		{"accept", "Accept a seller's application (operators)", "Takes one of the event's seats: when none is left, 409 conflict " +
			"(error.event_full), counted by the database so two acceptances at once never exceed the seats.", true},
		{"decline", "Decline a seller's application with a reason (operators)", "The reason is required; the seller reads it.", false},
	} {
		huma.Register(a, huma.Operation{
			OperationID: d.verb + "-event-application", Method: http.MethodPost, Path: "/api/v1/ops/event-applications/{id}/" + d.verb,
			Summary: d.summary, Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404, 409},
			Description: d.description + " An application decided already is 409 invalid_state (error.application_decided).",
		}, func(ctx context.Context, in *reasonInput) (*eventApplicationOutput, error) {
			got, err := h.svc.DecideEventApplication(ctx, actorOf(ctx), in.ID, d.accept, in.reason())
			if err != nil {
				return nil, err
			}
			return &eventApplicationOutput{Body: eventApplicationOf(got)}, nil
		})
	}

	huma.Register(a, huma.Operation{
		OperationID: "list-seller-events", Method: http.MethodGet, Path: "/api/v1/seller/events",
		Summary: "Published joint marketing events, and whether the caller's company may apply", Tags: tags, Security: bearer,
		Errors: []int{401, 403},
		Description: "Soonest first. Each carries the company's application if it applied, or else may_apply and, when it may not, " +
			"the refusal: a suspended or unapproved seller (forbidden), a deadline passed (invalid_state), a product type the " +
			"company has not published (requirements_not_met).",
	}, func(ctx context.Context, _ *struct{}) (*eventOffersOutput, error) {
		offers, err := h.svc.OpenEvents(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &eventOffersOutput{}
		out.Body.Events = make([]EventOffer, 0, len(offers))
		for _, o := range offers {
			eo := EventOffer{MarketingEvent: eventOf(o.Event), MayApply: o.Application == nil && o.Refusal == nil, Refusal: refusalOf(o.Refusal)}
			if o.Application != nil {
				ap := eventApplicationOf(*o.Application)
				eo.Application = &ap
			}
			out.Body.Events = append(out.Body.Events, eo)
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "apply-to-event", Method: http.MethodPost, Path: "/api/v1/seller/events/{id}/applications",
		DefaultStatus: http.StatusCreated, Summary: "Apply to a joint marketing event (the caller's company)", Tags: tags, Security: bearer,
		MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404, 409, 422},
		Description: "One application per company and event (409 conflict, error.applied_already). A suspended or unapproved " +
			"seller is 403 (error.programme_seller_not_selling); an event not open is 409 invalid_state; an unmet eligibility rule " +
			"is requirements_not_met with its details.",
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Pitch string `json:"pitch" maxLength:"2000" doc:"What the company brings to the event"`
		}
	}) (*eventApplicationOutput, error) {
		got, err := h.svc.ApplyToEvent(ctx, actorOf(ctx), in.ID, in.Body.Pitch)
		if err != nil {
			return nil, err
		}
		return &eventApplicationOutput{Body: eventApplicationOf(got)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-seller-event-applications", Method: http.MethodGet, Path: "/api/v1/seller/event-applications",
		Summary: "The caller's company's applications to events", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "Oldest first; a company sees its own only.",
	}, func(ctx context.Context, _ *struct{}) (*eventApplicationsOutput, error) {
		vs, err := h.svc.SellerEventApplications(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &eventApplicationsOutput{}
		out.Body.Applications = eventApplicationsOf(vs)
		return out, nil
	})
}

func (h handlers) programmeMigrations(a huma.API) {
	tags := []string{"Seller programmes"}
	huma.Register(a, huma.Operation{
		OperationID: "declare-migration", Method: http.MethodPost, Path: "/api/v1/seller/migrations", DefaultStatus: http.StatusCreated,
		Summary: "Declare a workload migrated to the cloud (the caller's company)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403},
		Description: "A SaaS or an independently deployed application, the region it runs in (one of GET /api/v1/regions), what " +
			"runs and the evidence an operator checks (text or a link). Once an operator verifies one, the company may enrol people " +
			"in sales trainings.",
	}, func(ctx context.Context, in *struct {
		Body struct {
			Kind     string `json:"kind" enum:"saas,independently_deployed_application"`
			Region   string `json:"region" maxLength:"32" example:"cn-east-3"`
			Workload string `json:"workload" maxLength:"2000" doc:"What runs there"`
			Evidence string `json:"evidence" maxLength:"2000" doc:"How an operator can check it: text or a link"`
		}
	}) (*migrationOutput, error) {
		b := in.Body
		m, err := h.svc.DeclareMigration(ctx, actorOf(ctx), programme.Migration{Kind: programme.MigrationKind(b.Kind), Region: b.Region,
			Workload: b.Workload, Evidence: b.Evidence})
		if err != nil {
			return nil, err
		}
		return &migrationOutput{Body: migrationOf(m, "")}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-seller-migrations", Method: http.MethodGet, Path: "/api/v1/seller/migrations",
		Summary: "The caller's company's migration declarations", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "Newest first; a company sees its own only.",
	}, func(ctx context.Context, _ *struct{}) (*migrationsOutput, error) {
		list, err := h.svc.SellerMigrations(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &migrationsOutput{}
		out.Body.Migrations = make([]Migration, 0, len(list))
		for _, m := range list {
			out.Body.Migrations = append(out.Body.Migrations, migrationOf(m, ""))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-migrations", Method: http.MethodGet, Path: "/api/v1/ops/migrations",
		Summary: "Migration declarations (operators)", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "Newest first; state=pending is the queue to verify.",
	}, func(ctx context.Context, in *struct {
		State string `query:"state" enum:",pending,verified,rejected"`
	}) (*migrationsOutput, error) {
		list, err := h.svc.Migrations(ctx, actorOf(ctx), programme.MigrationState(in.State))
		if err != nil {
			return nil, err
		}
		out := &migrationsOutput{}
		out.Body.Migrations = make([]Migration, 0, len(list))
		for _, m := range list {
			out.Body.Migrations = append(out.Body.Migrations, migrationOf(m.Migration, m.SellerName))
		}
		return out, nil
	})

	for _, d := range []struct {
		verb, summary string
		verify        bool
	}{
		{"verify", "Verify a migration declaration (operators): the seller may enrol in sales trainings", true},
		{"reject", "Reject a migration declaration with a reason (operators)", false},
	} {
		huma.Register(a, huma.Operation{
			OperationID: d.verb + "-migration", Method: http.MethodPost, Path: "/api/v1/ops/migrations/{id}/" + d.verb,
			Summary: d.summary, Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404, 409},
			Description: "A pending declaration only (409 invalid_state, error.migration_decided, otherwise); rejecting needs a reason.",
		}, func(ctx context.Context, in *reasonInput) (*migrationOutput, error) {
			m, err := h.svc.DecideMigration(ctx, actorOf(ctx), in.ID, d.verify, in.reason())
			if err != nil {
				return nil, err
			}
			return &migrationOutput{Body: migrationOf(m, "")}, nil
		})
	}
}

func (h handlers) programmeTrainings(a huma.API) {
	tags := []string{"Seller programmes"}
	huma.Register(a, huma.Operation{
		OperationID: "create-course", Method: http.MethodPost, Path: "/api/v1/ops/courses", DefaultStatus: http.StatusCreated,
		Summary: "Add a training course (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403},
		Description: "Online or onsite; for the marketplace's sellers or a sales training (sellers with a verified migration). " +
			"Add its sessions next.",
	}, func(ctx context.Context, in *struct {
		Body struct {
			Title       Text   `json:"title"`
			Description Text   `json:"description"`
			Kind        string `json:"kind" enum:"online,onsite"`
			Audience    string `json:"audience" enum:"marketplace,sales"`
		}
	}) (*courseOutput, error) {
		b := in.Body
		c, err := h.svc.CreateCourse(ctx, actorOf(ctx), programme.Course{Title: b.Title.text(), Description: b.Description.text(),
			Kind: programme.CourseKind(b.Kind), Audience: programme.Audience(b.Audience)})
		if err != nil {
			return nil, err
		}
		return &courseOutput{Body: courseOf(c, nil)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "edit-course", Method: http.MethodPut, Path: "/api/v1/ops/courses/{id}",
		Summary: "Change a course's title and description (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors:      []int{400, 401, 403, 404},
		Description: "Both languages of each; its kind and audience stay, as its sessions and enrolments rely on them.",
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Title       Text `json:"title"`
			Description Text `json:"description"`
		}
	}) (*courseOutput, error) {
		c, err := h.svc.EditCourse(ctx, actorOf(ctx), in.ID, in.Body.Title.text(), in.Body.Description.text())
		if err != nil {
			return nil, err
		}
		return &courseOutput{Body: courseOf(c, nil)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "cancel-session", Method: http.MethodPost, Path: "/api/v1/ops/sessions/{id}/cancel",
		Summary: "Cancel a session before it starts (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403, 404, 409},
		Description: "Its enrolments are cancelled with it and each company that had people in it is told (its administrators); " +
			"no one enrols in it any more (409 invalid_state, error.session_cancelled). A session that has started is 409 " +
			"invalid_state (error.session_started); one cancelled already, error.session_cancelled.",
	}, func(ctx context.Context, in *idInput) (*sessionOutput, error) {
		s, err := h.svc.CancelSession(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &sessionOutput{Body: sessionOf(s)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "add-session", Method: http.MethodPost, Path: "/api/v1/ops/courses/{id}/sessions", DefaultStatus: http.StatusCreated,
		Summary: "Add a session to a course (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors:      []int{400, 401, 403, 404},
		Description: "Its start and end as wall-clock times in zone, its place (an online session's is its https link) and its seats.",
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Start string `json:"start" maxLength:"16" example:"2027-01-12T09:30"`
			End   string `json:"end" maxLength:"16" example:"2027-01-12T17:00"`
			Zone  string `json:"zone" maxLength:"64" example:"Asia/Shanghai"`
			Place string `json:"place" maxLength:"300" example:"https://meet.example.com/cloudmart-101"`
			Seats int    `json:"seats" minimum:"1" maximum:"10000"`
		}
	}) (*sessionOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		b := in.Body
		start, err := programme.At("start", b.Zone, b.Start)
		if err != nil {
			return nil, err
		}
		end, err := programme.At("end", b.Zone, b.End)
		if err != nil {
			return nil, err
		}
		s, err := h.svc.AddSession(ctx, actorOf(ctx), programme.Session{CourseID: in.ID, Start: start, End: end, Zone: b.Zone, Place: b.Place,
			Seats: b.Seats})
		if err != nil {
			return nil, err
		}
		return &sessionOutput{Body: sessionOf(s)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-courses", Method: http.MethodGet, Path: "/api/v1/courses",
		Summary: "Training courses with their sessions and seats left (sellers and operators)", Tags: tags, Security: bearer,
		Errors: []int{401, 403},
		Description: "For a seller's people, each course says whether the company may enrol people (may_enrol) and if not why " +
			"(refusal): a suspended or unapproved seller, or a sales training without a verified migration.",
	}, func(ctx context.Context, _ *struct{}) (*coursesOutput, error) {
		vs, err := h.svc.Courses(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		operator := account.Can(actorOf(ctx), account.ManageProgrammes, account.Resource{})
		out := &coursesOutput{}
		out.Body.Courses = make([]Course, 0, len(vs))
		for _, v := range vs {
			c := courseOf(v.Course, v.Sessions)
			if !operator {
				may := v.Refusal == nil
				c.MayEnrol, c.Refusal = &may, refusalOf(v.Refusal)
			}
			out.Body.Courses = append(out.Body.Courses, c)
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "enrol", Method: http.MethodPost, Path: "/api/v1/seller/sessions/{id}/enrolments", DefaultStatus: http.StatusCreated,
		Summary: "Enrol a person in a session (the caller's company)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403, 404, 409, 422},
		Description: "Before the session starts, while a seat is left (409 conflict, error.session_full: the database counts the " +
			"seats, so enrolments at once never oversell). The same address once per session (error.enrolled_already). Sales " +
			"trainings need a verified migration (requirements_not_met, error.training_needs_migration).",
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Name  string `json:"name" maxLength:"100"`
			Email string `json:"email" maxLength:"254" format:"email"`
		}
	}) (*enrolmentOutput, error) {
		e, err := h.svc.Enrol(ctx, actorOf(ctx), in.ID, in.Body.Name, in.Body.Email)
		if err != nil {
			return nil, err
		}
		return &enrolmentOutput{Body: enrolmentOf(e)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "cancel-enrolment", Method: http.MethodPost, Path: "/api/v1/enrolments/{id}/cancel",
		Summary: "Cancel an enrolment; its seat is free again (its company, or operators)", Tags: tags, Security: bearer,
		Errors:      []int{401, 403, 404, 409},
		Description: "Before the session starts (409 invalid_state, error.session_started, after). Another company's enrolment is 404.",
	}, func(ctx context.Context, in *idInput) (*enrolmentOutput, error) {
		e, err := h.svc.CancelEnrolment(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &enrolmentOutput{Body: enrolmentOf(e)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-seller-enrolments", Method: http.MethodGet, Path: "/api/v1/seller/enrolments",
		Summary: "The caller's company's enrolments", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "Oldest first, with each session and course; a company sees its own only.",
	}, func(ctx context.Context, _ *struct{}) (*enrolmentsOutput, error) {
		vs, err := h.svc.SellerEnrolments(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &enrolmentsOutput{}
		out.Body.Enrolments = enrolmentsOf(vs)
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-session-enrolments", Method: http.MethodGet, Path: "/api/v1/ops/sessions/{id}/enrolments",
		Summary: "A session's enrolments (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403, 404},
		Description: "Oldest first, cancelled ones too, with each seller's name.",
	}, func(ctx context.Context, in *idInput) (*enrolmentsOutput, error) {
		vs, err := h.svc.SessionEnrolments(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		out := &enrolmentsOutput{}
		out.Body.Enrolments = enrolmentsOf(vs)
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "mark-attendance", Method: http.MethodPost, Path: "/api/v1/ops/enrolments/{id}/attendance",
		Summary: "Mark whether an enrolled person attended (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors:      []int{400, 401, 403, 404, 409},
		Description: "Once the session has ended (409 invalid_state, error.session_not_ended, before); may be corrected.",
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Attendance string `json:"attendance" enum:"attended,absent"`
		}
	}) (*enrolmentOutput, error) {
		e, err := h.svc.MarkAttendance(ctx, actorOf(ctx), in.ID, programme.Attendance(in.Body.Attendance))
		if err != nil {
			return nil, err
		}
		return &enrolmentOutput{Body: enrolmentOf(e)}, nil
	})
}
