// Package ids makes the identifiers of cloudmart's objects: a short prefix that
// says what the object is, then a ULID, so ids sort by creation time and a stray
// id in a log tells what it points at ("usr_01JD…", "org_01JD…").
package ids

import "github.com/oklog/ulid/v2"

// New returns a fresh id with the prefix.
func New(prefix string) string { return prefix + "_" + ulid.Make().String() }
