package programme

import (
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
)

// CourseKind says where a course is given.
type CourseKind string

const (
	Online CourseKind = "online" // sessions have a link
	Onsite CourseKind = "onsite" // sessions have a place
)

// CourseKinds lists the kinds in the order forms show them.
var CourseKinds = []CourseKind{Online, Onsite}

// Audience is who may enrol in a course.
type Audience string

const (
	// Marketplace courses are open to every approved seller.
	Marketplace Audience = "marketplace"
	// Sales trainings are for sellers with a verified migration.
	Sales Audience = "sales"
)

// Audiences lists the audiences in the order forms show them.
var Audiences = []Audience{Marketplace, Sales}

// Course is a training; people enrol in its sessions.
type Course struct {
	ID          string
	Title       catalog.Text
	Description catalog.Text
	Kind        CourseKind
	Audience    Audience
	CreatedAt   time.Time
}

// Validate checks a course as an operator enters it.
//
// Errors: Invalid on "kind" (error.course_kind), "audience"
// (error.course_audience), "title_en", "title_zh", "description_en",
// "description_zh" (error.programme_text_length).
func (c Course) Validate() error {
	if !slices.Contains(CourseKinds, c.Kind) {
		return &fault.Error{Code: fault.Invalid, Field: "kind", MsgID: "error.course_kind", Message: "choose online or onsite"}
	}
	if !slices.Contains(Audiences, c.Audience) {
		return &fault.Error{Code: fault.Invalid, Field: "audience", MsgID: "error.course_audience", Message: "choose marketplace or sales"}
	}
	if err := checkBilingual("title", c.Title, MaxTitle); err != nil {
		return err
	}
	return checkBilingual("description", c.Description, MaxDescription)
}

// EditCourse returns the course with the operator's title and description;
// its kind and audience stay, as sessions and enrolments rely on them.
//
// Errors: Invalid on "title_en", "title_zh", "description_en",
// "description_zh" (error.programme_text_length).
func EditCourse(c Course, title, description catalog.Text) (Course, error) {
	next := c
	next.Title = catalog.Text{EN: strings.TrimSpace(title.EN), ZH: strings.TrimSpace(title.ZH)}
	next.Description = description
	if err := next.Validate(); err != nil {
		return c, err
	}
	return next, nil
}

// Session is one date of a course, with its seats.
type Session struct {
	ID          string
	CourseID    string
	Start, End  time.Time // UTC
	Zone        string    // IANA, for showing the times
	Place       string    // an address (onsite) or a https link (online)
	Seats       int
	Taken       int // seats held by enrolments (the database keeps it ≤ Seats)
	CreatedAt   time.Time
	CancelledAt time.Time // when an operator cancelled it; zero while it stands
}

// Cancelled reports whether an operator cancelled the session.
func (s Session) Cancelled() bool { return !s.CancelledAt.IsZero() }

// SeatsLeft is how many more people may enrol: none in a cancelled session.
func (s Session) SeatsLeft() int {
	if s.Cancelled() {
		return 0
	}
	return max(0, s.Seats-s.Taken)
}

// ErrSessionCancelled is the answer about a session an operator cancelled.
var ErrSessionCancelled = &fault.Error{Code: fault.InvalidState, MsgID: "error.session_cancelled",
	Message: "this session is cancelled"}

// CancelSession returns the session cancelled by an operator at now, before
// it starts; its enrolments are cancelled with it (store).
//
// Errors: InvalidState (error.session_cancelled) when it is cancelled
// already, (error.session_started) once it has started.
func CancelSession(s Session, now time.Time) (Session, error) {
	if s.Cancelled() {
		return s, ErrSessionCancelled
	}
	if !now.Before(s.Start) {
		return s, errSessionStarted
	}
	s.CancelledAt = now
	return s, nil
}

// ValidateSession checks a session of a course of the kind.
//
// Errors: Invalid on "zone", "start", "end" (error.programme_end), "seats"
// (error.programme_seats), "place" (error.programme_text_length, or
// error.session_link for an online session without a https link).
func ValidateSession(s Session, kind CourseKind) error {
	if err := checkWindow(s.Zone, s.Start, s.End); err != nil {
		return err
	}
	if err := checkSeats(s.Seats); err != nil {
		return err
	}
	if err := checkText("place", s.Place, MaxPlace); err != nil {
		return err
	}
	if kind == Online {
		if u, err := url.Parse(strings.TrimSpace(s.Place)); err != nil || u.Scheme != "https" || u.Host == "" {
			return &fault.Error{Code: fault.Invalid, Field: "place", MsgID: "error.session_link",
				Message: "an online session's place is its https link"}
		}
	}
	return nil
}

// EnrolmentState is where an enrolment stands.
type EnrolmentState string

const (
	Enrolled  EnrolmentState = "enrolled"
	Cancelled EnrolmentState = "cancelled"
)

// Attendance is what an operator marked after the session: "" while unmarked.
type Attendance string

const (
	Attended Attendance = "attended"
	Absent   Attendance = "absent"
)

// Enrolment is a person a seller enrolled in a session.
type Enrolment struct {
	ID          string
	SessionID   string
	SellerOrgID string
	UserID      string // who enrolled the person
	Name        string
	Email       string
	State       EnrolmentState
	Attendance  Attendance
	CreatedAt   time.Time
	CancelledAt time.Time
}

// ValidateAttendee checks the person being enrolled.
//
// Errors: Invalid on "name" (error.programme_text_length) or "email"
// (error.email_invalid).
func ValidateAttendee(name, email string) error {
	if err := checkText("name", name, MaxName); err != nil {
		return err
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != strings.TrimSpace(email) || len(email) > 254 {
		return &fault.Error{Code: fault.Invalid, Field: "email", MsgID: "error.email_invalid", Message: "enter an email address"}
	}
	return nil
}

// MayEnrol decides whether the seller may enrol someone in the session of
// the course now, and if not, says why. Seats are the database's to count.
//
// Errors: Forbidden (error.programme_seller_not_selling) for a seller that is
// not approved or is suspended; RequirementsNotMet
// (error.training_needs_migration, detail "verified_migration") for a sales
// training and a seller without a verified migration; InvalidState
// (error.session_cancelled) for a cancelled session, (error.session_started)
// once the session has started.
func MayEnrol(c Course, s Session, sel Seller, now time.Time) error {
	if err := MayEnrolIn(c, sel); err != nil {
		return err
	}
	if s.Cancelled() {
		return ErrSessionCancelled
	}
	if !now.Before(s.Start) {
		return errSessionStarted
	}
	return nil
}

// MayEnrolIn decides whether the seller may enrol people in the course's
// sessions at all (its audience), whatever their dates.
//
// Errors: as MayEnrol, but for error.session_cancelled and
// error.session_started.
func MayEnrolIn(c Course, sel Seller) error {
	if err := mustSell(sel); err != nil {
		return err
	}
	if c.Audience == Sales && sel.VerifiedMigrations == 0 {
		msg := "sales trainings are for sellers with a migration to the cloud that an operator verified"
		return &fault.Error{Code: fault.RequirementsNotMet, MsgID: "error.training_needs_migration", Message: msg,
			Details: []fault.Detail{{ID: "verified_migration", Message: msg}}}
	}
	return nil
}

var errSessionStarted = &fault.Error{Code: fault.InvalidState, MsgID: "error.session_started",
	Message: "this session has started: enrolments can no longer change"}

// Cancel returns the enrolment cancelled at now, before its session starts.
//
// Errors: InvalidState (error.enrolment_cancelled) when it is cancelled
// already; InvalidState (error.session_started) once the session started.
func Cancel(e Enrolment, s Session, now time.Time) (Enrolment, error) {
	if e.State != Enrolled {
		return e, &fault.Error{Code: fault.InvalidState, MsgID: "error.enrolment_cancelled", Message: "this enrolment is cancelled already"}
	}
	if !now.Before(s.Start) {
		return e, errSessionStarted
	}
	e.State, e.CancelledAt = Cancelled, now
	return e, nil
}

// Mark returns the enrolment with its attendance, marked by an operator
// once the session has ended.
//
// Errors: Invalid on "attendance" (error.attendance) for an unknown mark;
// InvalidState (error.session_not_ended) before the session ends, or
// (error.enrolment_cancelled) for a cancelled enrolment.
func Mark(e Enrolment, s Session, a Attendance, now time.Time) (Enrolment, error) {
	if a != Attended && a != Absent {
		return e, &fault.Error{Code: fault.Invalid, Field: "attendance", MsgID: "error.attendance", Message: "mark attended or absent"}
	}
	if e.State != Enrolled {
		return e, &fault.Error{Code: fault.InvalidState, MsgID: "error.enrolment_cancelled", Message: "this enrolment was cancelled"}
	}
	if now.Before(s.End) {
		return e, &fault.Error{Code: fault.InvalidState, MsgID: "error.session_not_ended", Message: "attendance is marked once the session has ended"}
	}
	e.Attendance = a
	return e, nil
}
