// Package delivery holds what every kind of delivery shares: the actions the
// marketplace asks of a bought line (open, renew, upgrade, freeze, release),
// their states, and how retries end. Its subpackages are the adapters that
// carry them out: license (signed licences), saas (the sellers' production
// endpoints), ecs (compute providers). Pure: the market package stores
// deliveries and the job queue runs them.
package delivery

import (
	"time"

	"github.com/cloudmart/cloudmart/catalog"
)

// Action is what a delivery does to a bought line.
type Action string

const (
	Open    Action = "open"    // deliver what was bought
	Renew   Action = "renew"   // extend it: a renewal was paid (restoring it when frozen)
	Upgrade Action = "upgrade" // move it to the plan an upgrade paid for
	Freeze  Action = "freeze"  // the term ended: suspend it for the grace period
	Release Action = "release" // end it: the grace period ended, or it was refunded
)

// State is where a delivery is.
type State string

const (
	Waiting State = "waiting" // written, queued or being tried
	Done    State = "done"
	Failed  State = "failed" // tried until its deadline; an open that fails refunds its line
)

// Retry windows: an open is retried for three hours, anything else for one
// (docs/delivery.md); the queue's backoff spaces the attempts.
const (
	OpenWindow  = 3 * time.Hour
	OtherWindow = time.Hour
)

// Delivery is one action on one bought line.
type Delivery struct {
	ID          string
	OrderID     string // the order that bought the line
	LineNo      int
	Action      Action
	Cause       string // the order, refund or subscription event that asked for it
	ProductType catalog.Type
	BuyerOrgID  string
	SellerOrgID string
	State       State
	Attempts    int
	LastError   string
	GiveUpAt    time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// New is a delivery of the action on a line, asked for by cause at now, with
// its retry deadline.
func New(id, orderID string, lineNo int, a Action, cause string, t catalog.Type, buyer, seller string, now time.Time) Delivery {
	window := OtherWindow
	if a == Open {
		window = OpenWindow
	}
	return Delivery{ID: id, OrderID: orderID, LineNo: lineNo, Action: a, Cause: cause, ProductType: t, BuyerOrgID: buyer, SellerOrgID: seller,
		State: Waiting, GiveUpAt: now.Add(window), CreatedAt: now, UpdatedAt: now}
}

// OrderState is the delivery state of an order from its lines' opens: failed
// when any failed, done when all are done, waiting otherwise (also when it
// has none).
func OrderState(opens []State) State {
	done := len(opens) > 0
	for _, s := range opens {
		switch s {
		case Failed:
			return Failed
		case Waiting:
			done = false
		}
	}
	if done {
		return Done
	}
	return Waiting
}
