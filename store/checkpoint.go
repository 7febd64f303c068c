package store

import (
	"context"
	"database/sql"
	"net/url"
	"strconv"
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

var checkpointEvery = 500 * time.Millisecond // a variable for tests

// restartFrames is the size of the log, in pages, past which the
// checkpointer starts it over. Under steady load the log never starts over by
// itself: SQLite rewinds it only when a write begins while no reader still
// reads from it, and some reader always does. It would grow for as long as
// the load lasts (700 MB in 12 s of checkout) and every page lookup would
// search more of its index. A RESTART checkpoint makes new writes wait until
// the readers of the log are done (they take microseconds), and the next
// write rewinds it; readers never wait.
var restartFrames = 16384 // 64 MB of 4 KiB pages; a variable for tests

// restartWait bounds how long a RESTART checkpoint waits, and so holds new
// writes; one that gives up is tried again on a later tick.
const restartWait = 20 * time.Millisecond

// checkpointer checkpoints the database's log in the background until stopped.
type checkpointer struct {
	db      *sql.DB
	stop    chan struct{}
	done    sync.WaitGroup
	stopped sync.Once
}

func startCheckpointer(path string) (*checkpointer, error) {
	// A RESTART waits for the writer and the readers of the log at most
	// restartWait (SQLite's busy handler), holding new writes meanwhile.
	options, err := url.ParseQuery(sqliteOptions())
	if err != nil {
		return nil, err
	}
	options.Set("_busy_timeout", strconv.Itoa(int(restartWait.Milliseconds())))
	db, err := sql.Open("sqlite", "file:"+path+"?"+options.Encode())
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
				var busy, logged, copied int
				err := db.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied)
				if err == nil && logged >= restartFrames {
					_, _ = db.Exec(`PRAGMA wal_checkpoint(RESTART)`)
				}
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
