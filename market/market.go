// Package market holds cloudmart's use cases: one method for each thing a person
// (or the system) does. Each one begins a transaction, loads what it needs,
// decides with the pure rules of the domain packages, saves, enqueues jobs in the
// same transaction, and commits. Time is read once per use case from the
// injected clock.
package market

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/store"
)

// Enqueuer puts a job on the queue inside a transaction, so the job exists if and
// only if the change that caused it was committed. *river.Client[*sql.Tx] is one.
type Enqueuer interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Service runs the use cases.
type Service struct {
	store *store.Store
	jobs  Enqueuer
	clock func() time.Time
}

// New returns a Service. clock may be nil for the wall clock; jobs may be nil
// until the queue is started (use cases that enqueue then fail).
func New(st *store.Store, jobs Enqueuer, clock func() time.Time) *Service {
	if clock == nil {
		clock = time.Now
	}
	return &Service{store: st, jobs: jobs, clock: clock}
}

// SetJobs sets the queue once it exists (the queue's workers need the Service).
func (s *Service) SetJobs(jobs Enqueuer) { s.jobs = jobs }

// Store returns the store, for readiness checks.
func (s *Service) Store() *store.Store { return s.store }

// now is the time stamped on a change: UTC, to the microsecond (what both
// engines keep).
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// Roles in which the system, not a person, makes a change.
const (
	roleSelf   = "self"   // a user acting on its own account
	roleSystem = "system" // demo seeding, jobs
	roleCLI    = "cli"    // the cloudmart command on the server
)

// change is what a use case records in the audit log.
type change struct {
	role, action, objectType, objectID, orgID, summary string
	before, after                                      any
}

// record appends the change to the audit log in the transaction.
func record(ctx context.Context, tx *store.Tx, actor account.Actor, at time.Time, c change) error {
	return tx.AddAudit(ctx, audit.Entry{
		ID: ids.New("aud"), At: at,
		ActorUserID: actor.UserID, ActorEmail: actor.Email, ActorRole: c.role,
		OrgID: c.orgID, Action: c.action, ObjectType: c.objectType, ObjectID: c.objectID,
		Summary: c.summary, Before: audit.Snapshot(c.before), After: audit.Snapshot(c.after),
	})
}
