// Package fault is cloudmart's one error type: a stable code that clients can
// branch on, a message for people, and the input field at fault when there is one.
// The web layer maps codes to HTTP statuses in one table; nothing below it knows HTTP.
package fault

import (
	"errors"
	"fmt"
)

// Codes. Clients depend on these strings: never rename one.
const (
	Invalid         = "invalid"           // the input breaks a rule; Field names it
	Unauthorized    = "unauthorized"      // who the caller is is unknown or wrong
	Forbidden       = "forbidden"         // the caller is known but may not do this
	NotFound        = "not_found"         // no such object, or not visible to the caller
	Conflict        = "conflict"          // the object exists already or changed meanwhile
	TooManyAttempts = "too_many_attempts" // slowed down; try again later
	TooLarge        = "too_large"         // the request body is over the limit
	InvalidState    = "invalid_state"     // the object is not in a state that allows this
	// RequirementsNotMet: the object fails rules it must pass first; Details
	// lists each one.
	RequirementsNotMet = "requirements_not_met"
	// InsufficientFunds: the balance (with its credit limit) does not cover
	// the payment; nothing was charged.
	InsufficientFunds = "insufficient_funds"
	// IdempotencyConflict: the Idempotency-Key was used before with another
	// request.
	IdempotencyConflict = "idempotency_conflict"
	Internal            = "internal" // a bug or an outage; details only in the log
)

// Error is a failure that a person or a client can act on.
type Error struct {
	Code    string
	Message string // English, for API clients and logs
	Field   string // the input field at fault, if any ("email", "password")
	// MsgID names the message in the UI catalogues; the UI falls back to
	// "error.<code>" and then to Message.
	MsgID string
	// RetryAfterSeconds is set with TooManyAttempts.
	RetryAfterSeconds int
	// Details lists the parts of a RequirementsNotMet error.
	Details []Detail
}

// Detail is one unmet requirement.
type Detail struct {
	ID      string // a stable code, e.g. "support_capability"
	Message string // English, for API clients
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return e.Code + ": " + e.Message
}

// New returns an error with the code and a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Field returns an Invalid error about one input field.
func Field(field, msgID, message string) *Error {
	return &Error{Code: Invalid, Field: field, MsgID: msgID, Message: message}
}

// As returns the *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Code returns err's code: "" for nil, Internal for errors that are not ours.
func Code(err error) string {
	if err == nil {
		return ""
	}
	if e := As(err); e != nil {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries the code.
func Is(err error, code string) bool { return Code(err) == code }
