package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/cloudmart/cloudmart/jobs"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m, "jobs")) }

// echoArgs is a job that the tests' worker records.
type echoArgs struct {
	Name      string `json:"name"`
	FailTimes int    `json:"fail_times"` // fail this many attempts first
}

func (echoArgs) Kind() string { return "test_echo" }

type echoWorker struct {
	river.WorkerDefaults[echoArgs]
	mu   sync.Mutex
	done map[string]int // name → attempt that succeeded
	seen chan string
}

func (w *echoWorker) Work(ctx context.Context, job *river.Job[echoArgs]) error {
	if job.Attempt <= job.Args.FailTimes {
		return errors.New("failing on purpose")
	}
	w.mu.Lock()
	w.done[job.Args.Name] = job.Attempt
	w.mu.Unlock()
	w.seen <- job.Args.Name
	return nil
}

// Retry at once, so the test need not wait out the real backoff.
func (w *echoWorker) NextRetry(*river.Job[echoArgs]) time.Time { return time.Now() }

func startQueue(t *testing.T, st *store.Store, w *echoWorker) *jobs.Queue {
	t.Helper()
	q, err := jobs.Start(context.Background(), st, market.New(st, market.Options{}), jobs.Config{
		PollInterval: 50 * time.Millisecond,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		Register:     func(ws *river.Workers) { river.AddWorker(ws, w) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func stop(t *testing.T, q *jobs.Queue) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

func wait(t *testing.T, w *echoWorker, name string) {
	t.Helper()
	select {
	case got := <-w.seen:
		if got != name {
			t.Fatalf("worked %q, want %q", got, name)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("job %q was not worked", name)
	}
}

// insert puts a job on the queue in a store transaction that commits or not.
func insert(t *testing.T, st *store.Store, q *jobs.Queue, args echoArgs, opts *river.InsertOpts, commit bool) {
	t.Helper()
	rollback := errors.New("rollback")
	err := st.Write(context.Background(), func(tx *store.Tx) error {
		if _, err := q.InsertTx(context.Background(), tx.SQL(), args, opts); err != nil {
			return err
		}
		if !commit {
			return rollback
		}
		return nil
	})
	if err != nil && !(errors.Is(err, rollback) && !commit) {
		t.Fatal(err)
	}
}

func TestJobsAreTransactionalRetriedAndSurviveARestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := &echoWorker{done: map[string]int{}, seen: make(chan string, 10)}
		q := startQueue(t, st, w)

		// A job whose transaction rolls back never exists; a committed one runs.
		insert(t, st, q, echoArgs{Name: "rolled back"}, nil, false)
		insert(t, st, q, echoArgs{Name: "committed"}, nil, true)
		wait(t, w, "committed")

		// A failing job is retried until it succeeds.
		insert(t, st, q, echoArgs{Name: "flaky", FailTimes: 2}, nil, true)
		wait(t, w, "flaky")
		if w.done["flaky"] != 3 {
			t.Fatalf("flaky succeeded at attempt %d, want 3", w.done["flaky"])
		}

		// A job scheduled for later, then the server stops before it is due: a new
		// queue on the same database works it.
		insert(t, st, q, echoArgs{Name: "scheduled"}, &river.InsertOpts{ScheduledAt: time.Now().Add(time.Second)}, true)
		stop(t, q)
		select {
		case got := <-w.seen:
			t.Fatalf("%q worked before its time or after stop", got)
		default:
		}
		q2 := startQueue(t, st, w)
		defer stop(t, q2)
		wait(t, w, "scheduled")
		if _, ok := w.done["rolled back"]; ok {
			t.Fatal("the rolled-back job ran")
		}
	})
}
