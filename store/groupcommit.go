package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Group commit (SQLite). A SQLite commit in WAL mode with synchronous=FULL
// waits for one fsync of the log, milliseconds on most disks, and SQLite has
// one writer: committed one by one, transactions could never outpace the disk.
// So concurrent Write calls are run by one committer in a shared transaction,
// each inside its own SAVEPOINT, and committed together with one fsync:
//
//   - a call whose fn fails is rolled back to its savepoint; nothing of it is
//     kept. It is answered with the others, after the commit, so that what
//     it does next (read what a call before it in the batch wrote — the
//     winner of a unique key, say) sees that call's change;
//   - a call whose fn succeeds is answered only after the shared COMMIT, with
//     its error if the commit fails — so Write never returns nil for a change
//     that is not durable;
//   - calls run strictly one after the other (as with one connection before),
//     each seeing the ones before it in the batch, exactly as if each had been
//     committed alone in that order.
//
// PostgreSQL commits concurrent transactions on their own connections and
// groups their log flushes itself; its Write is a plain transaction.

// maxGroup bounds the calls committed together, and so the wait of the first.
const maxGroup = 128

type writeCall struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error
}

// panicked carries a panic in fn back to the goroutine that called Write.
type panicked struct{ value any }

func (p panicked) Error() string { return fmt.Sprint("store: panic in a write: ", p.value) }

type committer struct {
	mu      sync.Mutex
	calls   chan *writeCall
	closed  bool
	stopped chan struct{}
}

// writeGrouped runs fn through the committer, starting it on first use.
func (s *Store) writeGrouped(ctx context.Context, fn func(tx *Tx) error) error {
	c := s.committer()
	call := &writeCall{ctx: ctx, fn: fn, done: make(chan error, 1)}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errors.New("store: closed")
	}
	c.calls <- call
	c.mu.Unlock()
	err := <-call.done
	var p panicked
	if errors.As(err, &p) {
		panic(p.value)
	}
	return err
}

func (s *Store) committer() *committer {
	s.groupOnce.Do(func() {
		s.group = &committer{calls: make(chan *writeCall, maxGroup), stopped: make(chan struct{})}
		go s.commitLoop(s.group)
	})
	return s.group
}

// stopCommitter lets calls already queued finish and stops the committer.
func (s *Store) stopCommitter() {
	if s.group == nil {
		return
	}
	s.group.mu.Lock()
	if !s.group.closed {
		s.group.closed = true
		close(s.group.calls)
	}
	s.group.mu.Unlock()
	<-s.group.stopped
}

func (s *Store) commitLoop(c *committer) {
	defer close(c.stopped)
	for first := range c.calls {
		s.commitGroup(first, c.calls)
	}
}

// commitGroup runs first and whatever calls are queued behind it (up to
// maxGroup) in one transaction, and commits them.
func (s *Store) commitGroup(first *writeCall, more chan *writeCall) {
	sqlTx, err := s.db.BeginTx(context.Background(), nil)
	if err != nil {
		first.done <- fmt.Errorf("store: begin: %w", err)
		return
	}
	defer s.writes.prepareWanted(context.Background())
	tx := &Tx{queries: queries{q: cachedTx{Tx: sqlTx, cache: s.writes}, engine: s.engine}, tx: sqlTx, grouped: true}
	var kept []*writeCall
	type failure struct {
		call *writeCall
		err  error
	}
	var failed []failure
	defer func() {
		for _, f := range failed {
			f.call.done <- f.err
		}
	}()
	run := func(call *writeCall) {
		if _, err := sqlTx.ExecContext(context.Background(), `SAVEPOINT write_call`); err != nil {
			call.done <- fmt.Errorf("store: savepoint: %w", err)
			return
		}
		mark := tx.mark()
		err := runFn(call, tx)
		if err != nil {
			tx.back(mark)
			_, rerr := sqlTx.ExecContext(context.Background(), `ROLLBACK TO write_call`)
			_, _ = sqlTx.ExecContext(context.Background(), `RELEASE write_call`)
			if rerr != nil {
				err = errors.Join(err, rerr)
			}
			failed = append(failed, failure{call, err})
			return
		}
		if _, err := sqlTx.ExecContext(context.Background(), `RELEASE write_call`); err != nil {
			tx.back(mark)
			call.done <- fmt.Errorf("store: release savepoint: %w", err)
			return
		}
		kept = append(kept, call)
	}
	run(first)
gather:
	for n := 1; n < maxGroup; n++ {
		select {
		case call, ok := <-more:
			if !ok {
				break gather
			}
			run(call)
		default:
			break gather
		}
	}
	if len(kept) == 0 {
		_ = sqlTx.Rollback()
		return
	}
	// The writes the calls left for later (later.go): one failing fails the
	// group, as its COMMIT failing would.
	err = flushGroup(tx)
	if err == nil {
		if err = sqlTx.Commit(); err != nil {
			err = fmt.Errorf("store: commit: %w", err)
		}
	} else {
		_ = sqlTx.Rollback()
	}
	if err != nil {
		for _, call := range kept {
			call.done <- err
		}
		return
	}
	for _, call := range kept {
		call.done <- nil
	}
}

// flushGroup makes the writes a group's calls left for later, turning a
// panic into an error for each of them.
func flushGroup(tx *Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicked{v}
		}
	}()
	return tx.flushAll(context.Background())
}

// runFn runs a call's fn, turning a panic into a panicked error.
func runFn(call *writeCall, tx *Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicked{v}
		}
	}()
	if err := call.ctx.Err(); err != nil {
		return err
	}
	return call.fn(tx)
}
