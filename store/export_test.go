package store

import (
	"context"
	"time"
)

// Plain has SQLite answer the search with one SQL statement, as PostgreSQL
// does, instead of walking its full-text index: tests compare the two.
func Plain(q Query) Query {
	q.plain = true
	return q
}

// Group runs fns as one group commit of SQLite's (groupcommit.go), in order,
// and returns what each call was answered.
func Group(s *Store, fns ...func(tx *Tx) error) []error {
	calls := make([]*writeCall, len(fns))
	more := make(chan *writeCall, len(fns))
	for i, fn := range fns {
		calls[i] = &writeCall{ctx: context.Background(), fn: fn, done: make(chan error, 1)}
		if i > 0 {
			more <- calls[i]
		}
	}
	s.commitGroup(calls[0], more)
	errs := make([]error, len(fns))
	for i, c := range calls {
		errs[i] = <-c.done
	}
	return errs
}

// SetCheckpoints has checkpointers started from now on run every `every`
// and start the log over past n pages; the returned function puts both back.
func SetCheckpoints(every time.Duration, n int) func() {
	wasEvery, wasFrames := checkpointEvery, restartFrames
	checkpointEvery, restartFrames = every, n
	return func() { checkpointEvery, restartFrames = wasEvery, wasFrames }
}
