// Package testcredit holds the rules of test credit: USD a seller asks the
// marketplace for, to buy its own products and try their delivery end to
// end (docs/benefits.md). Pure: the market stores what these rules decide,
// and the database holds the cap under concurrent requests.
package testcredit

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// Currency is test credit's only currency.
const Currency = money.USD

// Cap is the most a seller's requests, pending and approved, may come to
// together, all time: a declined request frees its amount, and an approval
// for less frees the difference.
var Cap = money.New(1_000_00, Currency)

// DefaultValidity is how long approved credit lasts when the operator gives
// no expiry.
const DefaultValidity = 90 * 24 * time.Hour

// MaxValidity is the furthest an expiry may be after the approval.
const MaxValidity = 366 * 24 * time.Hour

// Limits on the texts.
const (
	MaxPurpose = 1000
	MaxReason  = 500
)

// State is where a request is: pending → approved → expired, or pending →
// declined.
type State string

const (
	Pending  State = "pending"
	Approved State = "approved"
	Declined State = "declined"
	Expired  State = "expired"
)

// Valid reports whether s is one of the states.
func (s State) Valid() bool {
	switch s {
	case Pending, Approved, Declined, Expired:
		return true
	}
	return false
}

// Holds reports whether a request in the state counts toward the cap.
func (s State) Holds() bool { return s == Pending || s == Approved || s == Expired }

// Request is a seller's request for test credit.
type Request struct {
	ID          string
	OrgID       string // the seller organisation
	State       State
	Requested   money.Amount
	Approved    money.Amount // what was granted; zero until approved
	Remaining   money.Amount // of Approved, what test purchases have not spent
	Expired     money.Amount // what went back to the marketplace at expiry
	Purpose     string
	RequestedBy string
	RequestedAt time.Time
	DecidedBy   string
	DecidedAt   time.Time
	Reason      string    // why it was declined
	ExpiresAt   time.Time // set on approval
	ExpiredAt   time.Time
}

// Held is what the request counts toward the cap: what was asked while
// pending, what was granted once approved (expired credit was granted, so it
// still counts), nothing once declined.
func (r Request) Held() money.Amount {
	switch r.State {
	case Pending:
		return r.Requested
	case Approved, Expired:
		return r.Approved
	}
	return money.New(0, Currency)
}

// CheckRequest checks a new request's amount and purpose, and returns the
// purpose trimmed. Whether it fits under the cap is the database's to say.
//
// Errors: Invalid on amount (error.test_credit_amount), purpose
// (error.test_credit_purpose).
func CheckRequest(amount money.Amount, purpose string) (string, error) {
	purpose = strings.TrimSpace(purpose)
	switch {
	case amount.Currency != Currency || amount.Minor <= 0 || amount.Minor > Cap.Minor:
		return "", fault.Field("amount", "error.test_credit_amount", "ask for a positive amount in USD, at most USD 1,000.00")
	case purpose == "" || utf8.RuneCountInString(purpose) > MaxPurpose:
		return "", fault.Field("purpose", "error.test_credit_purpose", "say what the credit is for (1–1,000 characters)")
	}
	return purpose, nil
}

// CheckApproval checks an operator's approval of r at now: the amount is
// positive and at most what was asked (the zero Amount means all of it), and
// the expiry is after now and within MaxValidity (the zero time means
// DefaultValidity from now). It returns the amount and expiry to grant.
//
// Errors: InvalidState (error.test_credit_decided) when r is not pending;
// Invalid on amount (error.test_credit_approve_amount), expires_at
// (error.test_credit_expiry).
func CheckApproval(r Request, amount money.Amount, expires, now time.Time) (money.Amount, time.Time, error) {
	if r.State != Pending {
		return money.Amount{}, time.Time{}, errDecided
	}
	if amount == (money.Amount{}) {
		amount = r.Requested
	}
	if expires.IsZero() {
		expires = now.Add(DefaultValidity)
	}
	switch {
	case amount.Currency != Currency || amount.Minor <= 0 || amount.Minor > r.Requested.Minor:
		return money.Amount{}, time.Time{}, fault.Field("amount", "error.test_credit_approve_amount", "approve a positive amount in USD, no more than was asked")
	case !expires.After(now) || expires.After(now.Add(MaxValidity)):
		return money.Amount{}, time.Time{}, fault.Field("expires_at", "error.test_credit_expiry", "the credit expires after today and within a year")
	}
	return amount, expires.UTC(), nil
}

// CheckDecline checks an operator's decline of r and returns the reason
// trimmed.
//
// Errors: InvalidState (error.test_credit_decided) when r is not pending;
// Invalid on reason (error.test_credit_reason).
func CheckDecline(r Request, reason string) (string, error) {
	if r.State != Pending {
		return "", errDecided
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxReason {
		return "", fault.Field("reason", "error.test_credit_reason", "say why the request is declined (1–500 characters)")
	}
	return reason, nil
}

var errDecided = &fault.Error{Code: fault.InvalidState, MsgID: "error.test_credit_decided", Message: "the request was decided already"}

// Left is how much more a seller holding `held` may still ask for.
func Left(held money.Amount) money.Amount {
	return money.New(max(Cap.Minor-held.Minor, 0), Currency)
}
