package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// Checkpoints (SQLite). In WAL mode a commit appends to the log; a
// checkpoint copies the log back into the database file and fsyncs it. By
// default the committing connection does that itself whenever the log passes
// 1,000 pages, inside a commit every client of the batch waits on — under
// load, one commit in a few then took tens of milliseconds longer. So the
// writer does not checkpoint (wal_autocheckpoint 0), and a connection of its
// own checkpoints every checkpointEvery in the background (PASSIVE: it never
// blocks the writer nor readers, and copies what no reader still needs). A
// commit's durability does not change: it is in the fsynced log either way.

const checkpointEvery = 500 * time.Millisecond

// checkpointer checkpoints the database's log in the background until stopped.
type checkpointer struct {
	db      *sql.DB
	stop    chan struct{}
	done    sync.WaitGroup
	stopped sync.Once
}

func startCheckpointer(path string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?"+sqliteOptions())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, stop: make(chan struct{})}
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				// A failure (busy, say) is tried again on the next tick.
				_, _ = db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
			}
		}
	}()
	return c, nil
}

// close stops the background checkpoints and closes their connection; the
// store may be closed more than once.
func (c *checkpointer) close() {
	c.stopped.Do(func() {
		close(c.stop)
		c.done.Wait()
		c.db.Close()
	})
}

// Checkpoint copies SQLite's whole log back into the database file and
// empties it, waiting for readers if it must (nothing on PostgreSQL). The
// bench calls it once its world is made, so that the clock does not time
// the copying of what was made before it started.
func (s *Store) Checkpoint(ctx context.Context) error {
	if s.engine != SQLite {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}
