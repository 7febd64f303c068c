package catalog

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
)

// State is where a revision of a listing stands in review.
type State string

const (
	Draft      State = "draft"
	InReview   State = "in_review"
	Published  State = "published"
	Rejected   State = "rejected"
	Delisted   State = "delisted"
	Superseded State = "superseded" // replaced by a newer approved revision; history only
)

// States lists every state, in the order of the workflow.
var States = []State{Draft, InReview, Published, Rejected, Delisted, Superseded}

// Valid reports whether s is a known state.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Editable reports whether the seller may change a revision in this state:
// before review, and after a rejection to answer it.
func (s State) Editable() bool { return s == Draft || s == Rejected }

// Step is one move of the review workflow.
type Step string

const (
	Submit  Step = "submit"  // the seller; from delisted, this relists
	Approve Step = "approve" // an operator
	Reject  Step = "reject"  // an operator, with a reason
	Delist  Step = "delist"  // the seller, or an operator with a reason
)

// Steps lists every step.
var Steps = []Step{Submit, Approve, Reject, Delist}

// move is where a step may start, where it ends, and who may take it.
type move struct {
	from     []State
	to       State
	seller   bool // the seller may take it
	operator bool // an operator may take it
	reason   bool // an operator taking it must say why: the seller reads it
}

// workflow is the whole review workflow of one revision:
//
//	draft | rejected | delisted → in_review → published | rejected
//	published → delisted
var workflow = map[Step]move{
	Submit:  {from: []State{Draft, Rejected, Delisted}, to: InReview, seller: true},
	Approve: {from: []State{InReview}, to: Published, operator: true},
	Reject:  {from: []State{InReview}, to: Rejected, operator: true, reason: true},
	Delist:  {from: []State{Published}, to: Delisted, seller: true, operator: true, reason: true},
}

// MaxReason is the longest reason a step may carry, in characters.
const MaxReason = 2000

// Next returns the state of a revision after the step, taken by an operator
// or (byOperator false) by the seller, or why the step is not allowed.
//
// Errors: Invalid on "step" for an unknown step (error.step_unknown), on
// "reason" when an operator gives none to reject or delist
// (error.reason_required) or it is too long (error.reason_long); Forbidden
// when the step is not for the one taking it (error.step_actor); InvalidState
// when the step cannot start from the state (error.step_state).
func Next(from State, step Step, byOperator bool, reason string) (State, error) {
	m, ok := workflow[step]
	if !ok {
		return from, fault.Field("step", "error.step_unknown", fmt.Sprintf("unknown step %q", step))
	}
	if (byOperator && !m.operator) || (!byOperator && !m.seller) {
		who := "an operator"
		if m.seller {
			who = "the seller"
		}
		return from, &fault.Error{Code: fault.Forbidden, MsgID: "error.step_actor",
			Message: fmt.Sprintf("only %s can %s a listing", who, step)}
	}
	reason = strings.TrimSpace(reason)
	if m.reason && byOperator && reason == "" {
		return from, fault.Field("reason", "error.reason_required", "give a reason: the seller reads it")
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		return from, fault.Field("reason", "error.reason_long", "keep the reason under 2000 characters")
	}
	if slices.Contains(m.from, from) {
		return m.to, nil
	}
	return from, &fault.Error{Code: fault.InvalidState, MsgID: "error.step_state",
		Message: fmt.Sprintf("a listing that is %s cannot be %s", stateWords[from], pastTense[step])}
}

var stateWords = map[State]string{
	"": "not yet published", Draft: "a draft", InReview: "in review", Published: "published",
	Rejected: "rejected", Delisted: "delisted", Superseded: "superseded",
}

var pastTense = map[Step]string{
	Submit: "submitted", Approve: "approved", Reject: "rejected", Delist: "delisted",
}

// Revision is one version of a listing's content, numbered from 1 in the
// order the seller made them.
type Revision struct {
	Number int    `json:"number"`
	State  State  `json:"state"`
	Reason string `json:"reason,omitempty"` // why it was last rejected or delisted
}

// Listing is where a product stands in review: the revision buyers see (or
// saw, until it was delisted), and the one the seller is working on. Editing a
// published product makes a new revision while the published one stays on
// sale; approving it replaces the published one.
type Listing struct {
	Live    *Revision `json:"live,omitempty"`    // published or delisted; nil until first approved
	Pending *Revision `json:"pending,omitempty"` // draft, in review or rejected; nil when none
}

// OnSale reports whether buyers can find and buy the product.
func (l Listing) OnSale() bool { return l.Live != nil && l.Live.State == Published }

// Edit returns the listing with the revision a seller's change goes into as
// Pending: the pending revision when it is editable, else a new draft
// numbered after the latest. An empty listing gets its first revision, 1.
//
// Errors: InvalidState (error.revision_in_review) while the pending revision
// is in review: the reviewer must see what the seller submitted.
func (l Listing) Edit() (Listing, error) {
	switch {
	case l.Pending != nil && l.Pending.State.Editable():
		return l, nil
	case l.Pending != nil:
		return l, &fault.Error{Code: fault.InvalidState, MsgID: "error.revision_in_review",
			Message: "this product is in review: wait for the decision before changing it"}
	}
	n := 1
	if l.Live != nil {
		n = l.Live.Number + 1
	}
	return Listing{Live: l.Live, Pending: &Revision{Number: n, State: Draft}}, nil
}

// Take applies a step to the listing and returns it, with the revision the
// step superseded, if any, for the history.
//
//   - submit sends the pending revision to review; with nothing pending, it
//     relists a delisted product by sending its revision to review, which then
//     is pending (not on sale) until approved;
//   - approve publishes the pending revision; the live one, published or
//     delisted, is superseded: an approved revision relists a delisted product;
//   - reject sends the pending revision back with the reason;
//   - delist takes the live revision off sale; a pending one is unaffected.
//
// Errors: those of Next.
func (l Listing) Take(step Step, byOperator bool, reason string) (next Listing, superseded *Revision, err error) {
	rev := l.Pending
	if step == Delist || rev == nil {
		rev = l.Live
	}
	var from State // a listing with nothing to act on: every step refuses
	if rev != nil {
		from = rev.State
	}
	to, err := Next(from, step, byOperator, reason)
	if err != nil {
		return l, nil, err
	}
	moved := &Revision{Number: rev.Number, State: to}
	if to == Rejected || to == Delisted {
		moved.Reason = strings.TrimSpace(reason)
	}
	switch {
	case step == Approve:
		if l.Live != nil {
			superseded = &Revision{Number: l.Live.Number, State: Superseded}
		}
		return Listing{Live: moved}, superseded, nil
	case step == Delist:
		return Listing{Live: moved, Pending: l.Pending}, nil, nil
	case rev == l.Live: // relisting: back to review, off sale meanwhile
		return Listing{Pending: moved}, nil, nil
	}
	return Listing{Live: l.Live, Pending: moved}, nil, nil
}
