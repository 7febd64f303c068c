// Package support holds technical support tickets: a seller's consulting or
// enablement request with its thread, its state and the operator it is
// assigned to. The rules are plain functions; market applies them and store
// keeps what they decided.
package support

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
)

// Kind is what a seller asks for.
type Kind string

const (
	Consulting Kind = "consulting" // advice: architecture, pricing, integration
	Enablement Kind = "enablement" // help to get a product onto the marketplace
)

// Kinds are the kinds a ticket may have, in the order forms show them.
var Kinds = []Kind{Consulting, Enablement}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// State is where a ticket stands.
type State string

const (
	Open            State = "open"              // new, nobody works on it yet
	InProgress      State = "in_progress"       // an operator works on it
	WaitingOnSeller State = "waiting_on_seller" // the operator asked the seller something
	Resolved        State = "resolved"          // answered; the seller may reopen it for ReopenWithin
	Closed          State = "closed"            // final: the thread is read only
)

// States are the states in their usual order, for filters.
var States = []State{Open, InProgress, WaitingOnSeller, Resolved, Closed}

// Valid reports whether s is a known state.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Role is the part a person plays on a ticket.
type Role string

const (
	Seller   Role = "seller"   // a person of the company that opened it
	Operator Role = "operator" // the marketplace's staff
)

// Limits.
const (
	MaxSubject  = 200 // characters (runes) of a subject
	MaxMessages = 500 // messages of one ticket, so one thread cannot fill the disk
	// ReopenWithin is how long after its resolution a seller may reopen a
	// ticket; later it opens a new one.
	ReopenWithin = 14 * 24 * time.Hour
)

// Ticket is one support request of a seller company.
type Ticket struct {
	ID          string
	SellerOrgID string
	OpenedBy    string // the seller user who opened it
	Kind        Kind
	Subject     string
	ProductID   string // "" when it is about no product in particular
	State       State
	AssigneeID  string    // the operator user working on it; "" while unassigned
	ResolvedAt  time.Time // when it was last resolved; zero while not resolved
	Version     int       // one more with each change of state or assignee
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// errTicketState refuses a move the ticket's state does not allow.
func errTicketState(from, to State) error {
	return &fault.Error{Code: fault.InvalidState, MsgID: "error.ticket_state",
		Message: "a ticket that is " + string(from) + " cannot become " + string(to)}
}

// New returns a new open ticket after checking what the seller wrote.
//
// Errors: Invalid on "kind" (error.ticket_kind) or "subject"
// (error.ticket_subject).
func New(t Ticket) (Ticket, error) {
	t.Subject = strings.TrimSpace(t.Subject)
	if !t.Kind.Valid() {
		return t, fault.Field("kind", "error.ticket_kind", "choose consulting or enablement")
	}
	if n := utf8.RuneCountInString(t.Subject); n == 0 || n > MaxSubject || !utf8.ValidString(t.Subject) {
		return t, fault.Field("subject", "error.ticket_subject", "give a subject of 1 to 200 characters")
	}
	t.State, t.AssigneeID, t.ResolvedAt, t.Version = Open, "", time.Time{}, 1
	t.UpdatedAt = t.CreatedAt
	return t, nil
}

// moves lists, for each state, the states each role may move a ticket to.
// A seller's reply moves a waiting ticket back to in progress by itself
// (AfterMessage); reopening a resolved ticket is limited to ReopenWithin.
var moves = map[State]map[Role][]State{
	Open:            {Operator: {InProgress, Resolved}, Seller: {Resolved}},
	InProgress:      {Operator: {WaitingOnSeller, Resolved}, Seller: {Resolved}},
	WaitingOnSeller: {Operator: {InProgress, Resolved}, Seller: {Resolved}},
	Resolved:        {Operator: {InProgress, Closed}, Seller: {InProgress, Closed}},
}

// Moves lists the states the role may move t to at now, in the order of States.
func Moves(t Ticket, by Role, now time.Time) []State {
	var out []State
	for _, to := range moves[t.State][by] {
		if Move(t, to, by, now) == nil {
			out = append(out, to)
		}
	}
	return out
}

// Move decides whether the role may move t to the state at now: the move is
// one the table allows the role, and a seller reopens a resolved ticket
// (to in progress) only within ReopenWithin of its resolution.
//
// Errors: Invalid on "state" (error.ticket_state_unknown) for an unknown
// state; Forbidden (error.ticket_move_role) for a move that is not the role's;
// InvalidState (error.ticket_state) for one the state does not allow,
// (error.ticket_reopen_late) for a late reopening.
func Move(t Ticket, to State, by Role, now time.Time) error {
	if !to.Valid() {
		return fault.Field("state", "error.ticket_state_unknown", "choose a known state")
	}
	if slices.Contains(moves[t.State][by], to) {
		if t.State == Resolved && to == InProgress && by == Seller && now.Sub(t.ResolvedAt) > ReopenWithin {
			return &fault.Error{Code: fault.InvalidState, MsgID: "error.ticket_reopen_late",
				Message: "a ticket can be reopened within 14 days of its resolution: open a new one"}
		}
		return nil
	}
	for r, tos := range moves[t.State] {
		if r != by && slices.Contains(tos, to) {
			return &fault.Error{Code: fault.Forbidden, MsgID: "error.ticket_move_role", Message: "this step is not yours to take on this ticket"}
		}
	}
	return errTicketState(t.State, to)
}

// Moved returns t in the state to at now; call it after Move allowed the move.
func Moved(t Ticket, to State, now time.Time) Ticket {
	t.State, t.UpdatedAt = to, now
	if to == Resolved {
		t.ResolvedAt = now
	} else if to == InProgress {
		t.ResolvedAt = time.Time{}
	}
	t.Version++
	return t
}

// Lapsed reports whether t is resolved and its reopen window has passed at
// now: no one may reopen it any more, so it is closed on the system's behalf.
func Lapsed(t Ticket, now time.Time) bool {
	return t.State == Resolved && now.Sub(t.ResolvedAt) > ReopenWithin
}

// Assign decides whether t may be given to the user assigneeID ("" leaves it
// unassigned), who must be an operator (isOperator), and returns it assigned.
//
// Errors: InvalidState (error.ticket_closed) for a closed ticket; Invalid on
// "assignee_id" (error.assignee_operator) for someone who is not an operator.
func Assign(t Ticket, assigneeID string, isOperator bool, now time.Time) (Ticket, error) {
	if t.State == Closed {
		return t, errClosed
	}
	if assigneeID != "" && !isOperator {
		return t, fault.Field("assignee_id", "error.assignee_operator", "assign the ticket to an operator")
	}
	t.AssigneeID, t.UpdatedAt = assigneeID, now
	t.Version++
	return t, nil
}

var errClosed = &fault.Error{Code: fault.InvalidState, MsgID: "error.ticket_closed", Message: "this ticket is closed: its thread can only be read"}
