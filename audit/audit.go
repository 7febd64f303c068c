// Package audit describes the record of every change a person makes: who, in
// which role, what, on which object, when, and what it was before and after.
package audit

import (
	"encoding/json"
	"time"
)

// Entry is one recorded change. Entries are only ever appended.
type Entry struct {
	ID          string
	At          time.Time
	ActorUserID string // empty for the system (demo seeding, jobs, the CLI)
	ActorEmail  string
	ActorRole   string // the role the change was made in, or "system" / "cli"
	OrgID       string // the organisation the object belongs to, if any
	Action      string // verb.noun, e.g. "user.create", "customer.update"
	ObjectType  string
	ObjectID    string
	Summary     string // one line for people
	Before      json.RawMessage
	After       json.RawMessage
}

// Filter selects entries; empty fields select all.
type Filter struct {
	ActorUserID string
	Action      string
	ObjectType  string
	ObjectID    string
	OrgID       string
	Since       time.Time
	Until       time.Time
	Before      string // entry id to page back from (exclusive)
	Limit       int
}

// MaxPage is the largest page of entries a filter may ask for.
const MaxPage = 500

// Normal returns the filter with its limit clamped to 1..MaxPage (default 100).
func (f Filter) Normal() Filter {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, MaxPage)
	return f
}

// Snapshot encodes a before/after value for an entry; nil stays nil.
func Snapshot(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
