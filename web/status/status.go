// Package status is the one table from cloudmart's error codes to HTTP statuses,
// shared by the API and the UI.
package status

import (
	"net/http"

	"github.com/cloudmart/cloudmart/fault"
)

var statuses = map[string]int{
	fault.Invalid:             http.StatusBadRequest,
	fault.Unauthorized:        http.StatusUnauthorized,
	fault.Forbidden:           http.StatusForbidden,
	fault.NotFound:            http.StatusNotFound,
	fault.Conflict:            http.StatusConflict,
	fault.TooManyAttempts:     http.StatusTooManyRequests,
	fault.TooLarge:            http.StatusRequestEntityTooLarge,
	fault.InvalidState:        http.StatusConflict,
	fault.RequirementsNotMet:  http.StatusUnprocessableEntity,
	fault.InsufficientFunds:   http.StatusPaymentRequired,
	fault.IdempotencyConflict: http.StatusUnprocessableEntity,
	fault.Internal:            http.StatusInternalServerError,
}

// Of returns the HTTP status for an error code; unknown codes are 500.
func Of(code string) int {
	if s, ok := statuses[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}
