package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/web/status"
)

// codeOf names the statuses that the framework itself answers with (routing,
// content negotiation) when no domain error is behind them.
var codeOf = map[int]string{
	http.StatusBadRequest:            fault.Invalid,
	http.StatusUnprocessableEntity:   fault.Invalid,
	http.StatusUnauthorized:          fault.Unauthorized,
	http.StatusForbidden:             fault.Forbidden,
	http.StatusNotFound:              fault.NotFound,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusNotAcceptable:         "not_acceptable",
	http.StatusConflict:              fault.Conflict,
	http.StatusRequestEntityTooLarge: fault.TooLarge,
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       fault.TooManyAttempts,
}

// ErrorBody is the one error shape of the API.
type ErrorBody struct {
	Code    string `json:"code" doc:"Stable, machine-readable error code" example:"invalid"`
	Message string `json:"message" doc:"What went wrong, for people" example:"enter an email address like name@example.com"`
	Field   string `json:"field" doc:"The input field at fault, or empty" example:"email"`
	// Details lists each unmet requirement of a requirements_not_met error.
	Details []ErrorDetail `json:"details,omitempty" doc:"For requirements_not_met: each requirement that is not met"`
}

// ErrorDetail is one unmet requirement.
type ErrorDetail struct {
	ID      string `json:"id" doc:"The requirement's stable code" example:"support_capability"`
	Message string `json:"message" doc:"Why it is not met and what to do"`
}

// Error is what every failed request answers: {"error":{"code","message","field"}}.
type Error struct {
	status int
	Err    ErrorBody `json:"error"`
}

func (e *Error) Error() string             { return e.Err.Code + ": " + e.Err.Message }
func (e *Error) GetStatus() int            { return e.status }
func (e *Error) ContentType(string) string { return "application/json" }

// newError builds the API error for what huma or a handler reports. A
// fault.Error among errs decides the code and status; framework validation
// errors (422) become 400 "invalid" with the field they name; anything else is
// a 500 whose cause is logged with the request id and never shown.
func newError(log *slog.Logger) func(hctx huma.Context, httpStatus int, msg string, errs ...error) huma.StatusError {
	return func(hctx huma.Context, httpStatus int, msg string, errs ...error) huma.StatusError {
		for _, err := range errs {
			if f := fault.As(err); f != nil {
				e := &Error{status: status.Of(f.Code), Err: ErrorBody{Code: f.Code, Message: f.Message, Field: f.Field}}
				for _, d := range f.Details {
					e.Err.Details = append(e.Err.Details, ErrorDetail{ID: d.ID, Message: d.Message})
				}
				if f.RetryAfterSeconds > 0 && hctx != nil {
					hctx.SetHeader("Retry-After", strconv.Itoa(f.RetryAfterSeconds))
				}
				return e
			}
		}
		if httpStatus >= 500 {
			var cause error = errors.New(msg)
			if len(errs) > 0 && errs[0] != nil {
				cause = errors.Join(errs...)
			}
			if hctx != nil {
				log.ErrorContext(hctx.Context(), "internal error", "err", cause, "path", hctx.URL().Path)
			} else {
				log.Error("internal error", "err", cause)
			}
			return &Error{status: httpStatus, Err: ErrorBody{Code: fault.Internal, Message: "internal error"}}
		}
		code := codeOf[httpStatus]
		if code == "" {
			code = strings.ReplaceAll(strings.ToLower(http.StatusText(httpStatus)), " ", "_")
		}
		if httpStatus == http.StatusUnprocessableEntity {
			httpStatus = http.StatusBadRequest
		}
		e := &Error{status: httpStatus, Err: ErrorBody{Code: code, Message: lowerFirst(msg)}}
		for _, err := range errs {
			var d *huma.ErrorDetail
			if errors.As(err, &d) {
				e.Err.Field = fieldOf(d.Location, d.Message)
				e.Err.Message = lowerFirst(d.Message)
				if e.Err.Field != "" {
					e.Err.Message = e.Err.Field + ": " + e.Err.Message
				}
				break
			}
		}
		return e
	}
}

// fieldOf turns huma's "body.email" or "query.limit" into the field's name; a
// missing property is reported on its parent, with the name in the message.
func fieldOf(location, message string) string {
	if name, ok := strings.CutPrefix(message, "expected required property "); ok {
		name, _, _ = strings.Cut(name, " ")
		if parent := fieldOf(location, ""); parent != "" {
			return parent + "." + name
		}
		return name
	}
	for _, p := range []string{"body.", "query.", "path.", "header."} {
		if strings.HasPrefix(location, p) {
			return strings.TrimPrefix(location, p)
		}
	}
	if location == "body" {
		return ""
	}
	return location
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
