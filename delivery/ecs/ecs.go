// Package ecs delivers image products as cloud servers (ECS instances). It
// holds the Provider interface, shaped after OpenStack Nova and Huawei Cloud
// ECS, the flavour table and its rules, login passwords, and the built-in
// simulated provider (Sim). The OpenStack provider lives in ecs/openstack, so
// that this package, which the store imports for the Sim's records, needs no
// outside library.
package ecs

import (
	"context"
	"errors"
	"time"
)

// Provider is a compute service: it creates servers from images and runs
// them through Nova's life cycle.
//
// Every method may return an error for which Retryable is true (the service
// is down, overloaded or unreachable; the call may be repeated as it was) or
// a final one (ErrRejected: the request itself is wrong; ErrInvalidState: the
// server's state does not allow the action; ErrNotFound).
type Provider interface {
	// Create starts building a server and returns it, normally in BUILD.
	// A request with a ClientToken used before returns the server made
	// then (whatever its state now) instead of making another, so a
	// retried Create never makes two servers.
	//
	// Errors: ErrRejected (an unknown flavour or image, a weak AdminPass,
	// a quota or address pool exhausted), ErrUnavailable.
	Create(ctx context.Context, req CreateRequest) (Server, error)
	// Get returns the server as it is now: poll it until it leaves BUILD.
	//
	// Errors: ErrNotFound (never existed or deleted), ErrUnavailable.
	Get(ctx context.Context, id string) (Server, error)
	// Stop powers an ACTIVE server off (SHUTOFF).
	//
	// Errors: ErrNotFound, ErrInvalidState (not ACTIVE), ErrUnavailable.
	Stop(ctx context.Context, id string) error
	// Start powers a SHUTOFF server on (ACTIVE).
	//
	// Errors: ErrNotFound, ErrInvalidState (not SHUTOFF), ErrUnavailable.
	Start(ctx context.Context, id string) error
	// Delete deletes the server in whatever state it is. A server that is
	// gone already (deleted before, or unknown) is not an error: deleting
	// twice is fine.
	//
	// Errors: ErrUnavailable.
	Delete(ctx context.Context, id string) error
}

// CreateRequest asks for one server.
type CreateRequest struct {
	Name     string // shown in the cloud console; need not be unique
	ImageRef string // the catalogue's image reference (a provider may map it to its own image id)
	Flavor   string // a name from Flavors
	Region   string // a cloudmart region code, such as cn-north-4
	Network  string // the network to attach; "" for the provider's default
	// KeyName names a key pair registered with the cloud; AdminPass sets the
	// login password (make one with NewPassword). Either or both may be set.
	KeyName   string
	AdminPass string
	// ClientToken makes Create idempotent: the same token returns the same
	// server. Use one per server to be made, such as "<order>-<line>-<unit>".
	ClientToken string
	Metadata    map[string]string // key/value tags kept with the server
}

// Server is a server as the provider reports it.
type Server struct {
	ID      string // the provider's id, opaque to callers
	Name    string
	Status  Status
	Address string // the address to log in at; "" until the server has one
	Flavor  string
	Region  string
	Created time.Time
	Fault   string // why the server is in ERROR, if it is
}

// Status is a server's state, named as Nova names it. A provider may report
// other Nova states (REBOOT, RESIZE, …) as they are; cloudmart acts on these.
type Status string

const (
	Build   Status = "BUILD"   // being created; poll again
	Active  Status = "ACTIVE"  // running
	Shutoff Status = "SHUTOFF" // stopped; can be started again
	Error   Status = "ERROR"   // failed; Fault says why. Delete it.
	Deleted Status = "DELETED" // gone
)

// Statuses lists the states cloudmart acts on, in life-cycle order.
var Statuses = []Status{Build, Active, Shutoff, Error, Deleted}

// Errors of a Provider. Providers wrap them with details; test with errors.Is.
var (
	// ErrNotFound: there is no such server (or it was deleted).
	ErrNotFound = errors.New("ecs: no such server")
	// ErrInvalidState: the server's state does not allow the action, such as
	// stopping a server that is not ACTIVE. Get it and decide again.
	ErrInvalidState = errors.New("ecs: the server's state does not allow this")
	// ErrRejected: the service refused the request as it is; repeating it
	// will not help.
	ErrRejected = errors.New("ecs: the request was rejected")
	// ErrUnavailable: the service failed, is overloaded or could not be
	// reached; the same call may succeed later.
	ErrUnavailable = errors.New("ecs: the compute service is unavailable")
)

// Retryable reports whether err is a failure worth retrying later with the
// same request (ErrUnavailable); every other error is final.
func Retryable(err error) bool { return errors.Is(err, ErrUnavailable) }
