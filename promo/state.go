package promo

import (
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/fault"
)

// State is where a campaign is: draft → scheduled → active → ended.
//
//	draft      the operator edits it; buyers see nothing
//	scheduled  announced: its page shows, nothing counts yet (back to draft
//	           before the window opens)
//	active     the window is open: packs are claimed, orders count, gifts
//	           are redeemed
//	ended      the window has closed: gifts are still redeemed until RedeemBy
type State string

const (
	Draft     State = "draft"
	Scheduled State = "scheduled"
	Active    State = "active"
	Ended     State = "ended"
)

// States lists every state, in the order of the workflow.
var States = []State{Draft, Scheduled, Active, Ended}

// Move returns the campaign's state after moving it to `to` at now.
//
//   - draft → scheduled: the campaign is valid and its window has not closed;
//   - scheduled → draft: before the window opens;
//   - scheduled → active: once the window is open (the campaign job does it);
//   - scheduled or active → ended: once the window has closed. A campaign is
//     not ended early: customers were promised its window.
//
// Errors: InvalidState (error.campaign_state) for any other move or a move
// too early or too late; the errors of Validate for draft → scheduled.
func Move(c Campaign, to State, now time.Time) (State, error) {
	from, until := c.Window()
	ok := false
	switch {
	case c.State == Draft && to == Scheduled:
		if err := c.Validate(); err != nil {
			return c.State, err
		}
		ok = now.Before(until)
	case c.State == Scheduled && to == Draft:
		ok = now.Before(from)
	case c.State == Scheduled && to == Active:
		ok = !now.Before(from) && now.Before(until)
	case (c.State == Scheduled || c.State == Active) && to == Ended:
		ok = !now.Before(until)
	}
	if !ok {
		return c.State, &fault.Error{Code: fault.InvalidState, MsgID: "error.campaign_state",
			Message: fmt.Sprintf("a %s campaign cannot become %s now", c.State, to)}
	}
	return to, nil
}

// Due is the state the campaign job moves a scheduled or active campaign to
// at now, and whether it should: active once the window opens, ended once it
// closes. A draft never moves by itself.
func Due(c Campaign, now time.Time) (State, bool) {
	from, until := c.Window()
	switch {
	case (c.State == Scheduled || c.State == Active) && !now.Before(until):
		return Ended, true
	case c.State == Scheduled && !now.Before(from):
		return Active, true
	}
	return c.State, false
}
