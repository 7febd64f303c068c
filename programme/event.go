package programme

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
)

// EventKind is one of the seed's four kinds of joint marketing event.
type EventKind string

const (
	OnlineJointPromotion EventKind = "online_joint_promotion"
	AnnualConference     EventKind = "annual_conference"
	CoBrandingCampaign   EventKind = "co_branding_campaign"
	TechnologyForum      EventKind = "technology_forum"
)

// EventKinds lists the kinds in the order forms show them.
var EventKinds = []EventKind{OnlineJointPromotion, AnnualConference, CoBrandingCampaign, TechnologyForum}

// Valid reports whether k is a known kind.
func (k EventKind) Valid() bool { return slices.Contains(EventKinds, k) }

// EventState is where an event stands: a draft only operators see, published
// (sellers see it and apply until its deadline), closed.
type EventState string

const (
	EventDraft     EventState = "draft"
	EventPublished EventState = "published"
	EventClosed    EventState = "closed"
)

// Event is a joint marketing event. Times are UTC; Zone is where it takes
// place, for showing them.
type Event struct {
	ID          string
	Kind        EventKind
	Title       catalog.Text
	Description catalog.Text
	Zone        string // IANA
	Start, End  time.Time
	ApplyBy     time.Time // applications close then
	Seats       int       // sellers accepted at most
	Accepted    int       // sellers accepted so far (the database keeps it ≤ Seats)
	// RequiresType, when set, admits only sellers with a published product of
	// that type.
	RequiresType catalog.Type
	State        EventState
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// SeatsLeft is how many more sellers may be accepted.
func (e Event) SeatsLeft() int { return max(0, e.Seats-e.Accepted) }

// Validate checks an event as an operator enters it.
//
// Errors: Invalid on "kind" (error.event_kind), "title_en", "title_zh",
// "description_en", "description_zh" (error.programme_text_length), "zone"
// (error.zone_unknown), "start", "end" (error.programme_end), "apply_by"
// (error.event_apply_by), "seats" (error.programme_seats) or
// "requires_type" (error.event_requires_type).
func (e Event) Validate() error {
	if !e.Kind.Valid() {
		return &fault.Error{Code: fault.Invalid, Field: "kind", MsgID: "error.event_kind",
			Message: "choose one of: " + strings.Join(kindNames(), ", ")}
	}
	if err := checkBilingual("title", e.Title, MaxTitle); err != nil {
		return err
	}
	if err := checkBilingual("description", e.Description, MaxDescription); err != nil {
		return err
	}
	if err := checkWindow(e.Zone, e.Start, e.End); err != nil {
		return err
	}
	if e.ApplyBy.IsZero() || e.ApplyBy.After(e.Start) {
		return &fault.Error{Code: fault.Invalid, Field: "apply_by", MsgID: "error.event_apply_by",
			Message: "applications must close no later than the event starts"}
	}
	if err := checkSeats(e.Seats); err != nil {
		return err
	}
	if e.RequiresType != "" && !e.RequiresType.Valid() {
		return &fault.Error{Code: fault.Invalid, Field: "requires_type", MsgID: "error.event_requires_type",
			Message: "require a product type of the catalogue, or none"}
	}
	return nil
}

func kindNames() []string {
	out := make([]string, len(EventKinds))
	for i, k := range EventKinds {
		out[i] = string(k)
	}
	return out
}

// EventDetails are what an operator may change of an event after drafting
// it; its kind and requirement stay as they were.
type EventDetails struct {
	Title       catalog.Text
	Description catalog.Text
	Zone        string // IANA
	Start, End  time.Time
	ApplyBy     time.Time
	Seats       int
}

// Edit returns the event with the operator's details at now, while it is a
// draft or published. The event keeps at least the seats already accepted;
// the store checks it again in the UPDATE, as acceptances may come meanwhile.
//
// Errors: InvalidState (error.event_edit_state) for a closed event; those of
// Event.Validate; Invalid on "seats" (error.event_seats_accepted) for fewer
// seats than sellers accepted.
func Edit(e Event, d EventDetails, now time.Time) (Event, error) {
	if e.State != EventDraft && e.State != EventPublished {
		return e, &fault.Error{Code: fault.InvalidState, MsgID: "error.event_edit_state",
			Message: "only a draft or a published event can be changed; this event is " + string(e.State)}
	}
	next := e
	next.Title = catalog.Text{EN: strings.TrimSpace(d.Title.EN), ZH: strings.TrimSpace(d.Title.ZH)}
	next.Description = d.Description
	next.Zone, next.Start, next.End, next.ApplyBy, next.Seats = d.Zone, d.Start.UTC(), d.End.UTC(), d.ApplyBy.UTC(), d.Seats
	if err := next.Validate(); err != nil {
		return e, err
	}
	if next.Seats < e.Accepted {
		return e, SeatsBelowAccepted(e.Accepted)
	}
	next.UpdatedAt = now
	return next, nil
}

// SeatsBelowAccepted is the answer to fewer seats than the accepted sellers.
func SeatsBelowAccepted(accepted int) error {
	return &fault.Error{Code: fault.Invalid, Field: "seats", MsgID: "error.event_seats_accepted",
		Message: strconv.Itoa(accepted) + " sellers are accepted already: keep at least " + strconv.Itoa(accepted) + " seats"}
}

// eventMoves are the operator's steps: draft → published → closed.
var eventMoves = map[EventState]EventState{EventPublished: EventDraft, EventClosed: EventPublished}

// Move returns the event in the state `to` at now.
//
// Errors: InvalidState (error.event_state) when the event is not in the
// state the step starts from; Invalid on "apply_by" when publishing an event
// whose applications would already be closed.
func Move(e Event, to EventState, now time.Time) (Event, error) {
	from, ok := eventMoves[to]
	if !ok || e.State != from {
		return e, &fault.Error{Code: fault.InvalidState, MsgID: "error.event_state",
			Message: "a draft is published, a published event is closed; this event is " + string(e.State)}
	}
	if to == EventPublished && !now.Before(e.ApplyBy) {
		return e, &fault.Error{Code: fault.Invalid, Field: "apply_by", MsgID: "error.event_apply_by_past",
			Message: "the application deadline has passed: sellers could not apply"}
	}
	e.State, e.UpdatedAt = to, now
	return e, nil
}

// ApplicationState is where a seller's application to an event stands.
type ApplicationState string

const (
	Pending  ApplicationState = "pending"
	Accepted ApplicationState = "accepted"
	Declined ApplicationState = "declined"
)

// Application is a seller's application to an event; one per seller and event.
type Application struct {
	ID          string
	EventID     string
	SellerOrgID string
	UserID      string // who applied
	Pitch       string // what the seller brings
	State       ApplicationState
	Reason      string // the operator's, when declining
	CreatedAt   time.Time
	DecidedAt   time.Time // zero while pending
	DecidedBy   string    // the operator's user id
}

// MayApply decides whether the seller may apply to the event now, and if
// not, says why.
//
// Errors: Forbidden (error.programme_seller_not_selling) for a seller that is
// not approved or is suspended; InvalidState (error.event_not_open) for an
// event that is not published or whose deadline has passed;
// RequirementsNotMet (error.event_requirements) with a detail
// "published_product" when the event asks for a published product of a type
// the seller has none of.
func MayApply(e Event, s Seller, now time.Time) error {
	if err := mustSell(s); err != nil {
		return err
	}
	if e.State != EventPublished || !now.Before(e.ApplyBy) {
		return &fault.Error{Code: fault.InvalidState, MsgID: "error.event_not_open",
			Message: "this event does not take applications now"}
	}
	if e.RequiresType != "" && !slices.Contains(s.PublishedTypes, e.RequiresType) {
		msg := "the event is for sellers with a published " + e.RequiresType.Name().EN + " product"
		return &fault.Error{Code: fault.RequirementsNotMet, MsgID: "error.event_requirements", Message: msg,
			Details: []fault.Detail{{ID: "published_product", Message: msg}}}
	}
	return nil
}

// ValidatePitch checks what a seller writes with its application.
//
// Errors: Invalid on "pitch" (error.programme_text_length).
func ValidatePitch(pitch string) error { return checkText("pitch", pitch, MaxNote) }

// Decide returns the application accepted or declined by an operator at
// now. Seats are the database's to count (store), not this function's.
//
// Errors: InvalidState (error.application_decided) when it was decided
// already; Invalid on "reason" (error.programme_reason) when declining
// without a reason; Invalid on "reason" (error.programme_text_long) for a
// reason over MaxNote characters.
func Decide(a Application, accept bool, reason, operatorID string, now time.Time) (Application, error) {
	if a.State != Pending {
		return a, &fault.Error{Code: fault.InvalidState, MsgID: "error.application_decided",
			Message: "this application was " + string(a.State) + " already"}
	}
	reason = strings.TrimSpace(reason)
	if !accept && reason == "" {
		return a, &fault.Error{Code: fault.Invalid, Field: "reason", MsgID: "error.programme_reason", Message: "say why"}
	}
	if err := checkOptional("reason", reason, MaxNote); err != nil {
		return a, err
	}
	a.State, a.Reason, a.DecidedAt, a.DecidedBy = Declined, reason, now, operatorID
	if accept {
		a.State = Accepted
	}
	return a, nil
}
