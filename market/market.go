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
	"gocloud.dev/blob"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/secret"
	"github.com/cloudmart/cloudmart/store"
)

// Enqueuer puts a job on the queue inside a transaction, so the job exists if and
// only if the change that caused it was committed. *river.Client[*sql.Tx] is one.
type Enqueuer interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertManyTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// Options are the Service's dependencies besides the store. Every field may be
// left zero; a use case that needs a missing one fails with an internal error.
type Options struct {
	Jobs    Enqueuer         // the job queue; may also be set later with SetJobs
	Clock   func() time.Time // the wall clock when nil
	Blobs   *blob.Bucket     // uploaded files
	Secrets *secret.Box      // seals bank details
	// Zone is the marketplace's own time zone: it decides what "today" is for
	// rules that speak of dates (a company's first year). UTC when nil.
	Zone *time.Location
	// Compute makes the servers image products are delivered as; nil leaves
	// image deliveries waiting in the outbox, unqueued (cloudmart serve
	// always sets one: --compute).
	Compute ecs.Provider
	// ComputeName names Compute on the instances it makes ("sim",
	// "openstack"), so that servers of another provider are never acted on.
	ComputeName string
	// Holidays are the Mondays to Fridays off in the marketplace's zone, and
	// Workdays the weekend days worked there: they decide a professional
	// service's acceptance deadline (3 working days, docs/services.md).
	Holidays, Workdays []engagement.Date
	// SaaS calls sellers' production endpoints; SaaS lines wait undelivered
	// without it.
	SaaS *saas.Client
	// SaaSOpenWindow is how long the opening of a SaaS line is retried
	// before it fails and is refunded; delivery.OpenWindow when 0.
	SaaSOpenWindow time.Duration
}

// Service runs the use cases.
type Service struct {
	store       *store.Store
	jobs        Enqueuer
	clock       func() time.Time
	blobs       *blob.Bucket
	secrets     *secret.Box
	zone        *time.Location
	compute     ecs.Provider
	computeName string
	// calendar counts the working days a seller has to accept a service.
	calendar engagement.Calendar
	live     *liveCache // published revisions' content, which never changes

	saas           *saas.Client
	saasOpenWindow time.Duration
}

// New returns a Service on the store.
func New(st *store.Store, o Options) *Service {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	return &Service{store: st, jobs: o.Jobs, clock: o.Clock, blobs: o.Blobs, secrets: o.Secrets, zone: o.Zone, live: newLiveCache(),
		compute: o.Compute, computeName: computeNameOf(o),
		calendar: engagement.Calendar{Loc: o.Zone, Holidays: o.Holidays, Workdays: o.Workdays},
		saas:     o.SaaS, saasOpenWindow: o.SaaSOpenWindow}
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

// Now is the service's clock, for work done on the system's behalf (the demo).
func (s *Service) Now() time.Time { return s.now() }

// Compute is the provider image products are delivered with (nil for none):
// the demo tells the simulated one to fail, to show a failed delivery.
func (s *Service) Compute() ecs.Provider { return s.compute }

// At returns the service with its clock stopped at t, sharing everything
// else: for loading history (the demo's months of orders), never for serving.
func (s *Service) At(t time.Time) *Service {
	c := *s
	c.clock = func() time.Time { return t }
	return &c
}
