// Package engagement holds the rules of a professional service after it is
// bought: one engagement per service line of an order, which the seller
// accepts or declines, works on while buyer and seller write to each other,
// delivers, and the buyer confirms or disputes; an operator settles disputes.
// Deadlines move it on by themselves: Due tells the scheduler what is due.
// Pure functions over plain values (docs/services.md); the market package loads
// and stores them and moves the money.
package engagement

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// State is where an engagement is:
//
//	awaiting_acceptance → in_progress → delivered → confirmed
//	                    ↘ refunded                ↘ disputed → confirmed | refunded | partially_refunded
//
// confirmed, refunded and partially_refunded are final.
type State string

const (
	AwaitingAcceptance State = "awaiting_acceptance" // paid; the seller has until AcceptBy to accept
	InProgress         State = "in_progress"         // accepted: the seller works on it
	Delivered          State = "delivered"           // the seller delivered; the buyer has until ConfirmBy to answer
	Disputed           State = "disputed"            // the buyer disputes the delivery; an operator decides
	Confirmed          State = "confirmed"           // done: the seller keeps what was paid
	Refunded           State = "refunded"            // done: the buyer got everything back
	PartiallyRefunded  State = "partially_refunded"  // done: an operator gave part back, the seller keeps the rest
)

// States lists the states in the order of an engagement's life.
var States = []State{AwaitingAcceptance, InProgress, Delivered, Disputed, Confirmed, Refunded, PartiallyRefunded}

// Final reports whether nothing can happen to an engagement in the state any more.
func (s State) Final() bool { return s == Confirmed || s == Refunded || s == PartiallyRefunded }

// Role is who acts on an engagement.
type Role string

const (
	Buyer    Role = "buyer"    // a member of the buying organisation
	Seller   Role = "seller"   // a member of the selling organisation
	Operator Role = "operator" // the marketplace's staff
	System   Role = "system"   // the scheduler, when a deadline passes
)

// Kind is what an action does.
type Kind string

const (
	Accept      Kind = "accept"       // seller: awaiting_acceptance → in_progress, before AcceptBy
	Decline     Kind = "decline"      // seller, with a reason: awaiting_acceptance → refunded
	Cancel      Kind = "cancel"       // buyer, or an operator for them (a reason is optional): awaiting_acceptance → refunded
	Expire      Kind = "expire"       // system, from AcceptBy on: awaiting_acceptance → refunded
	Deliver     Kind = "deliver"      // seller, with a note and deliverables: in_progress → delivered
	Confirm     Kind = "confirm"      // buyer: delivered → confirmed
	AutoConfirm Kind = "auto_confirm" // system, from ConfirmBy on: delivered → confirmed
	Dispute     Kind = "dispute"      // buyer, with a reason, before ConfirmBy: delivered → disputed
	Resolve     Kind = "resolve"      // operator, with a note and a refund: disputed → confirmed | refunded | partially_refunded
)

// Kinds lists every action.
var Kinds = []Kind{Accept, Decline, Cancel, Expire, Deliver, Confirm, AutoConfirm, Dispute, Resolve}

// rules says, for each action, who may take it and from which state.
var rules = map[Kind]struct {
	by   []Role
	from State
	verb string // for messages: "this service order cannot be <verb>"
}{
	Accept:      {[]Role{Seller}, AwaitingAcceptance, "accepted"},
	Decline:     {[]Role{Seller}, AwaitingAcceptance, "declined"},
	Cancel:      {[]Role{Buyer, Operator}, AwaitingAcceptance, "cancelled"}, // an operator refunds for a buyer who asks support
	Expire:      {[]Role{System}, AwaitingAcceptance, "expired"},
	Deliver:     {[]Role{Seller}, InProgress, "delivered"},
	Confirm:     {[]Role{Buyer}, Delivered, "confirmed"},
	AutoConfirm: {[]Role{System}, Delivered, "confirmed"},
	Dispute:     {[]Role{Buyer}, Delivered, "disputed"},
	Resolve:     {[]Role{Operator}, Disputed, "resolved"},
}

// Who lists the roles that may take the action (none for an unknown one).
func Who(k Kind) []Role { return slices.Clone(rules[k].by) }

// Engagement is one professional-service line of a paid order.
type Engagement struct {
	ID          string
	OrderID     string
	LineNo      int
	ProductID   string
	SellerOrgID string
	BuyerOrgID  string
	State       State
	// Cause is the action that led to the state ("" while awaiting
	// acceptance): it tells a refund after a decline from one after expiry.
	Cause    Kind
	Paid     money.Amount // what the buyer paid for the line
	Refunded money.Amount // given back: all of Paid when refunded, part when partially refunded
	Zone     string       // the IANA zone whose working days AcceptBy counts
	PaidAt   time.Time
	AcceptBy time.Time // the acceptance deadline (exclusive): expiry is due from then on
	// The moments of the steps taken (zero until taken).
	AcceptedAt  time.Time
	DeliveredAt time.Time
	ConfirmBy   time.Time // DeliveredAt + 7 days (exclusive): automatic confirmation is due from then on
	DisputedAt  time.Time
	ClosedAt    time.Time // when it reached a final state
	// Texts given with the steps (also posted to the thread, see Action.Message).
	Reason        string // the seller's reason for declining, or the buyer's for cancelling
	DisputeReason string
	Resolution    string // the operator's explanation of a resolved dispute
	// Version counts the changes stored; the store refuses a change made
	// from an older version (two transitions at once: only one applies).
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Start opens the engagement of a paid order's service line: awaiting the
// seller's acceptance until AcceptBy(o.PaidAt, cal).
func Start(id string, o order.Order, l order.Line, cal Calendar) Engagement {
	paidAt := o.PaidAt.UTC()
	return Engagement{
		ID: id, OrderID: o.ID, LineNo: l.No, ProductID: l.ProductID, SellerOrgID: l.SellerOrgID, BuyerOrgID: o.BuyerOrgID,
		State: AwaitingAcceptance, Paid: l.Paid, Refunded: money.New(0, l.Paid.Currency),
		Zone: cal.location().String(), PaidAt: paidAt, AcceptBy: AcceptBy(paidAt, cal),
		Version: 1, CreatedAt: paidAt, UpdatedAt: paidAt,
	}
}

// RoleOf is the part an organisation plays in the engagement: Buyer, Seller,
// or "" for any other (whose members may not see it, operators aside).
func (e Engagement) RoleOf(orgID string) Role {
	switch orgID {
	case "":
		return ""
	case e.SellerOrgID:
		return Seller
	case e.BuyerOrgID:
		return Buyer
	}
	return ""
}

// DueAt is the deadline of the current state: AcceptBy while awaiting
// acceptance, ConfirmBy once delivered, zero in the other states.
func (e Engagement) DueAt() time.Time {
	switch e.State {
	case AwaitingAcceptance:
		return e.AcceptBy
	case Delivered:
		return e.ConfirmBy
	}
	return time.Time{}
}

// Action is a step someone asks an engagement to take.
type Action struct {
	Kind Kind
	By   Role
	// Note is the text that goes with the step: the reason to decline
	// (required) or cancel (optional), the delivery note (required), the
	// reason for a dispute (required), the operator's resolution (required).
	// At most MaxBody characters.
	Note string
	// Files are the deliverables of a delivery: 1 to MaxAttachments.
	Files []Attachment
	// Refund is what a resolution gives back to the buyer: zero confirms the
	// delivery, all that was paid refunds it, anything between is a partial
	// refund.
	Refund money.Amount
}

// Next is the engagement after the action at now.
//
// Errors: Forbidden (error.engagement_role) when the action is not the role's
// to take; InvalidState (error.engagement_state) when the engagement is in
// another state than the action starts from, (error.engagement_acceptance_late)
// for an acceptance from AcceptBy on, (error.engagement_dispute_late) for a
// dispute from ConfirmBy on, (error.engagement_not_due) for an automatic step
// before its deadline; Invalid on "action" (error.engagement_action) for an
// unknown action, on "note" (error.engagement_note, error.message_long), on
// "files" and "files[i]…" (see CheckAttachments), on "refund"
// (error.resolution_refund).
func Next(e Engagement, a Action, now time.Time) (Engagement, error) {
	if err := allowed(e, a.Kind, a.By, now); err != nil {
		return e, err
	}
	if err := a.check(e); err != nil {
		return e, err
	}
	now = now.UTC()
	e.Cause, e.UpdatedAt = a.Kind, now
	note := strings.TrimSpace(a.Note)
	switch a.Kind {
	case Accept:
		e.State, e.AcceptedAt = InProgress, now
	case Decline, Cancel, Expire:
		e.State, e.Refunded, e.Reason, e.ClosedAt = Refunded, e.Paid, note, now
	case Deliver:
		e.State, e.DeliveredAt, e.ConfirmBy = Delivered, now, ConfirmBy(now)
	case Confirm, AutoConfirm:
		e.State, e.ClosedAt = Confirmed, now
	case Dispute:
		e.State, e.DisputedAt, e.DisputeReason = Disputed, now, note
	case Resolve:
		e.Refunded, e.Resolution, e.ClosedAt = money.New(a.Refund.Minor, e.Paid.Currency), note, now
		switch a.Refund.Minor {
		case 0:
			e.State = Confirmed
		case e.Paid.Minor:
			e.State = Refunded
		default:
			e.State = PartiallyRefunded
		}
	}
	return e, nil
}

// allowed checks who acts, the state and the deadlines: everything but the
// action's inputs.
func allowed(e Engagement, k Kind, by Role, now time.Time) error {
	rule, ok := rules[k]
	switch {
	case !ok:
		return fault.Field("action", "error.engagement_action", "unknown action on a service order: "+string(k))
	case !slices.Contains(rule.by, by):
		return &fault.Error{Code: fault.Forbidden, MsgID: "error.engagement_role",
			Message: "only the " + string(rule.by[0]) + " may do this on a service order"}
	case e.State != rule.from:
		return &fault.Error{Code: fault.InvalidState, MsgID: "error.engagement_state",
			Message: "this service order is " + string(e.State) + ": it cannot be " + rule.verb}
	case k == Accept && !now.Before(e.AcceptBy):
		return &fault.Error{Code: fault.InvalidState, MsgID: "error.engagement_acceptance_late",
			Message: "the time to accept this service order has passed: it is being refunded"}
	case k == Dispute && !now.Before(e.ConfirmBy):
		return &fault.Error{Code: fault.InvalidState, MsgID: "error.engagement_dispute_late",
			Message: "the time to dispute this delivery has passed: it is confirmed"}
	case (k == Expire || k == AutoConfirm) && now.Before(e.DueAt()):
		return &fault.Error{Code: fault.InvalidState, MsgID: "error.engagement_not_due",
			Message: "this service order's deadline has not passed"}
	}
	return nil
}

// check validates the action's inputs.
func (a Action) check(e Engagement) error {
	note := strings.TrimSpace(a.Note)
	if utf8.RuneCountInString(note) > MaxBody {
		return fault.Field("note", "error.message_long", "write at most 4,000 characters")
	}
	if note == "" && (a.Kind == Decline || a.Kind == Deliver || a.Kind == Dispute || a.Kind == Resolve) {
		return fault.Field("note", "error.engagement_note", "say why, or what you did: the other side reads it")
	}
	if a.Kind == Deliver {
		if len(a.Files) == 0 {
			return fault.Field("files", "error.deliverables_missing", "attach at least one deliverable")
		}
		if err := CheckAttachments("files", a.Files); err != nil {
			return err
		}
	}
	if a.Kind == Resolve {
		r := a.Refund
		if r.Minor < 0 || r.Minor > e.Paid.Minor || (r.Minor != 0 && r.Currency != e.Paid.Currency) {
			return fault.Field("refund", "error.resolution_refund", "refund from nothing up to what was paid: "+e.Paid.String())
		}
	}
	return nil
}

// Actions lists what the role may do to the engagement at now, in the order
// of Kinds (for the buttons a page shows).
func Actions(e Engagement, by Role, now time.Time) []Kind {
	var out []Kind
	for _, k := range Kinds {
		if allowed(e, k, by, now) == nil {
			out = append(out, k)
		}
	}
	return out
}

// Due is the automatic step the engagement is due for at now: Expire from
// AcceptBy on while awaiting acceptance, AutoConfirm from ConfirmBy on once
// delivered; false when nothing is due.
func Due(e Engagement, now time.Time) (Action, bool) {
	due := e.DueAt()
	if due.IsZero() || now.Before(due) {
		return Action{}, false
	}
	if e.State == AwaitingAcceptance {
		return Action{Kind: Expire, By: System}, true
	}
	return Action{Kind: AutoConfirm, By: System}, true
}

// Refund is what a step from was to next gives back to the buyer (zero for
// most): the market posts it (order.RefundEntries) in the same transaction.
func Refund(was, next Engagement) money.Amount {
	return money.New(max(next.Refunded.Minor-was.Refunded.Minor, 0), next.Paid.Currency)
}

// Accepted reports whether the seller accepted the engagement (so it is no
// longer refundable in full: order.Use.Consumed).
func (e Engagement) Accepted() bool { return !e.AcceptedAt.IsZero() }
