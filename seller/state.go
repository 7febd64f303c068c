package seller

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
)

// State is where an application stands in review. An approved application is
// the company's standing as a seller, so suspension is a state too.
type State string

const (
	Draft            State = "draft"
	Submitted        State = "submitted"
	ChangesRequested State = "changes_requested"
	Approved         State = "approved"
	Rejected         State = "rejected"
	Suspended        State = "suspended"
)

// States lists every state, in the order of the workflow.
var States = []State{Draft, Submitted, ChangesRequested, Approved, Rejected, Suspended}

// Valid reports whether s is a known state.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Editable reports whether the applicant may change the application: only
// before review and when changes were asked for.
func (s State) Editable() bool { return s == Draft || s == ChangesRequested }

// Selling reports whether a company in this state may sell.
func (s State) Selling() bool { return s == Approved }

// Step is one move of the workflow.
type Step string

const (
	Submit         Step = "submit"          // the applicant
	RequestChanges Step = "request_changes" // an operator
	Approve        Step = "approve"         // an operator
	Reject         Step = "reject"          // an operator
	Suspend        Step = "suspend"         // an operator
	Reinstate      Step = "reinstate"       // an operator
)

// move is where a step may start, where it ends, and whether it needs a reason.
type move struct {
	from   []State
	to     State
	reason bool
}

// workflow is the whole review workflow:
//
//	draft → submitted → (changes_requested ↔ submitted) → approved | rejected
//	approved → suspended → approved
var workflow = map[Step]move{
	Submit:         {from: []State{Draft, ChangesRequested}, to: Submitted},
	RequestChanges: {from: []State{Submitted}, to: ChangesRequested, reason: true},
	Approve:        {from: []State{Submitted}, to: Approved},
	Reject:         {from: []State{Submitted}, to: Rejected, reason: true},
	Suspend:        {from: []State{Approved}, to: Suspended, reason: true},
	Reinstate:      {from: []State{Suspended}, to: Approved, reason: true},
}

// MaxReason is the longest reason a step may carry, in characters.
const MaxReason = 2000

// Next returns the state after the step, or why the step is not allowed.
//
// Errors: Invalid on "step" for an unknown step, on "reason" when a needed
// reason is missing or too long; InvalidState when the step cannot start from
// the current state.
func Next(from State, step Step, reason string) (State, error) {
	m, ok := workflow[step]
	if !ok {
		return from, fault.Field("step", "error.step_unknown", fmt.Sprintf("unknown step %q", step))
	}
	reason = strings.TrimSpace(reason)
	if m.reason && reason == "" {
		return from, fault.Field("reason", "error.reason_required", "give a reason: the applicant reads it")
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		return from, fault.Field("reason", "error.reason_long", "keep the reason under 2000 characters")
	}
	if slices.Contains(m.from, from) {
		return m.to, nil
	}
	return from, &fault.Error{Code: fault.InvalidState, MsgID: "error.step_state",
		Message: fmt.Sprintf("an application that is %s cannot be %s", strings.ReplaceAll(string(from), "_", " "), pastTense[step])}
}

var pastTense = map[Step]string{
	Submit: "submitted", RequestChanges: "sent back for changes", Approve: "approved",
	Reject: "rejected", Suspend: "suspended", Reinstate: "reinstated",
}
