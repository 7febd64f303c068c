package store

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cloudmart/cloudmart/fault"
)

// constraintErrors turns a violated constraint into the error a person can act
// on. PostgreSQL names the constraint (the index name); SQLite names the table
// and columns, so each entry knows both.
var constraintErrors = []struct {
	postgres, sqlite string
	err              *fault.Error
}{
	{"users_email_key", "users.email", &fault.Error{Code: fault.Conflict, Field: "email", MsgID: "error.email_taken", Message: "an account with this email exists already"}},
	{"tokens_hash_key", "tokens.hash", &fault.Error{Code: fault.Conflict, Message: "token collision: try again"}},
	{"agreements_pkey", "agreements.version", &fault.Error{Code: fault.Conflict, Field: "version", MsgID: "error.version_taken", Message: "this version was published already"}},
	{"seller_applications_org_key", "seller_applications.org_id", &fault.Error{Code: fault.Conflict, Message: "the company has an application already"}},
	{"memberships_pkey", "memberships.org_id, memberships.user_id, memberships.role", &fault.Error{Code: fault.Conflict, Message: "the user has this role already"}},
	{"event_applications_seller", "event_applications.event_id, event_applications.seller_org_id", &fault.Error{Code: fault.Conflict, MsgID: "error.applied_already", Message: "your company has applied to this event already"}},
	{"training_enrolments_person", "training_enrolments.session_id, training_enrolments.email", &fault.Error{Code: fault.Conflict, Field: "email", MsgID: "error.enrolled_already", Message: "this person is enrolled in the session already"}},
}

// domainError turns a driver error into a fault.Error where it is one the
// caller can act on, so no SQLite or PostgreSQL message ever reaches a handler.
// Other errors pass through unchanged (and become internal errors above).
func domainError(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.ConstraintName != "" {
		for _, c := range constraintErrors {
			if c.postgres == pgErr.ConstraintName {
				e := *c.err
				return &e
			}
		}
		return err
	}
	msg := err.Error()
	if strings.Contains(msg, "UNIQUE constraint failed: ") {
		for _, c := range constraintErrors {
			if strings.Contains(msg, "UNIQUE constraint failed: "+c.sqlite) {
				e := *c.err
				return &e
			}
		}
	}
	return err
}
