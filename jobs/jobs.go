// Package jobs runs cloudmart's background work on a durable queue (River), on
// both engines: a job is inserted in the same transaction as the change that
// caused it, is retried with backoff when it fails, can be scheduled, and
// survives a restart. Several servers can share one PostgreSQL; one of them is
// elected to schedule periodic jobs.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/cloudmart/cloudmart/mailer"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
)

// Config tunes the queue.
type Config struct {
	Workers      int           // jobs worked at once; default 4
	PollInterval time.Duration // how often to look for new jobs; default 1 s
	Logger       *slog.Logger
	Mail         mailer.Sender // where notification emails go; the log when nil
	BaseURL      string        // the marketplace's public address, for links in emails
	// Register adds more workers (tests add their own kinds).
	Register func(*river.Workers)
	// Hold makes the queue without working jobs yet: it takes inserts, and
	// Queue.Start starts the work (serve loads the demo's history first, so
	// that no scheduled job acts on it half-made).
	Hold bool
}

// Queue is the running queue: it inserts jobs and works them.
type Queue struct {
	*river.Client[*sql.Tx]
}

// Start starts the queue on the store, with the workers for every job kind
// (with cfg.Hold, only makes it). Stop it with Stop before closing the store.
func Start(ctx context.Context, st *store.Store, svc *market.Service, cfg Config) (*Queue, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Mail == nil {
		cfg.Mail, _ = mailer.New("", cfg.Logger)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &cleanupWorker{svc: svc, log: cfg.Logger})
	river.AddWorker(workers, &mailWorker{svc: svc, mail: cfg.Mail, baseURL: cfg.BaseURL})
	river.AddWorker(workers, &deliverWorker{svc: svc})
	// Sweeps: each run does what is due and says so when it did something.
	// A part that fails is tried again on the next run; the job fails (and
	// River retries it) only when the sweep as a whole errs.
	now := func(run func(context.Context, time.Time) (int, error)) func(context.Context) (int, error) {
		return func(ctx context.Context) (int, error) { return run(ctx, svc.Now()) }
	}
	river.AddWorker(workers, &sweep[market.SubscriptionsArgs]{run: now(svc.RunSubscriptions), log: cfg.Logger, what: "subscriptions changed"})
	river.AddWorker(workers, &sweep[market.EngagementsArgs]{run: now(svc.RunEngagements), log: cfg.Logger, what: "service orders moved"})
	river.AddWorker(workers, &sweep[market.CampaignArgs]{run: now(svc.RunCampaigns), log: cfg.Logger, what: "campaigns moved"})
	river.AddWorker(workers, &sweep[market.UsageRatingArgs]{run: svc.RateUsage, log: cfg.Logger, what: "usage rated (instance months)"})
	river.AddWorker(workers, &sweep[market.ImageHoursArgs]{run: now(svc.MeterImageHours), log: cfg.Logger, what: "image hours charged (instance months)"})
	river.AddWorker(workers, &sweep[market.TestCreditArgs]{run: now(svc.ExpireTestCredit), log: cfg.Logger, what: "test credit expired"})
	river.AddWorker(workers, &sweep[market.SupportCloseArgs]{run: now(svc.CloseLapsedTickets), log: cfg.Logger, what: "support tickets closed"})
	// Outboxes, every second or two: quiet.
	river.AddWorker(workers, &sweep[market.MailDispatchArgs]{run: svc.DispatchMail})
	river.AddWorker(workers, &sweep[market.DeliveryDispatchArgs]{run: svc.DispatchDeliveries})
	river.AddWorker(workers, &sweep[market.OrderNoticesArgs]{run: svc.TellSellers})
	if cfg.Register != nil {
		cfg.Register(workers)
	}
	client, err := river.NewClient(st.RiverDriver(), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:           workers,
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     min(cfg.PollInterval, 100*time.Millisecond),
		Logger:            cfg.Logger.With("component", "jobs"),
		MaxAttempts:       10,
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return market.CleanupArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			// Notifications are mailed within about two seconds.
			river.NewPeriodicJob(river.PeriodicInterval(2*time.Second),
				func() (river.JobArgs, *river.InsertOpts) { return market.MailDispatchArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			// Sellers hear of their new orders within about two seconds.
			river.NewPeriodicJob(river.PeriodicInterval(2*time.Second),
				func() (river.JobArgs, *river.InsertOpts) { return market.OrderNoticesArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			// What was bought is queued for delivery within about a second.
			river.NewPeriodicJob(river.PeriodicInterval(time.Second),
				func() (river.JobArgs, *river.InsertOpts) { return market.DeliveryDispatchArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			// Renewals are placed days before expiry, so every ten minutes is
			// plenty; freezing and release happen within ten minutes of their time.
			river.NewPeriodicJob(river.PeriodicInterval(10*time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return market.SubscriptionsArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			// A service order's deadlines (3 working days to accept, 7 days to
			// answer a delivery) are taken within ten minutes of passing.
			river.NewPeriodicJob(river.PeriodicInterval(10*time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return market.EngagementsArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			// Reported usage is rated and charged every hour (docs/usage.md).
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return market.UsageRatingArgs{}, nil }, nil),
			// Campaigns open and close within a minute of their window's edges.
			river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return market.CampaignArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			// Test credit is taken back within ten minutes of its expiry.
			river.NewPeriodicJob(river.PeriodicInterval(10*time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return market.TestCreditArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			// Resolved support tickets close within an hour of their reopen
			// window's end (support.ReopenWithin).
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return market.SupportCloseArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			// Image instances' running hours are charged at 5 past every hour (docs/compute.md).
			river.NewPeriodicJob(pastTheHour(5*time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return market.ImageHoursArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	q := &Queue{Client: client}
	if cfg.Hold {
		return q, nil
	}
	return q, q.Start(ctx)
}

// Start starts working jobs (a queue made with Config.Hold).
func (q *Queue) Start(ctx context.Context) error {
	if err := q.Client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop lets running jobs finish (until ctx ends) and stops fetching new ones.
func (q *Queue) Stop(ctx context.Context) error { return q.Client.Stop(ctx) }

type cleanupWorker struct {
	river.WorkerDefaults[market.CleanupArgs]
	svc *market.Service
	log *slog.Logger
}

func (w *cleanupWorker) Work(ctx context.Context, job *river.Job[market.CleanupArgs]) error {
	tokens, throttles, err := w.svc.Cleanup(ctx)
	if err == nil {
		w.log.Info("cleanup", "tokens_deleted", tokens, "throttles_deleted", throttles)
	}
	return err
}

// mailWorker emails a notification. A failed send is retried with backoff; a
// notification sent twice (a crash after sending, before the job completed) is
// the accepted cost of never losing one.
type mailWorker struct {
	river.WorkerDefaults[market.MailArgs]
	svc     *market.Service
	mail    mailer.Sender
	baseURL string
}

func (w *mailWorker) Work(ctx context.Context, job *river.Job[market.MailArgs]) error {
	n, to, err := w.svc.MailFor(ctx, job.Args.NotificationID)
	if err != nil {
		return err
	}
	return w.mail.Send(ctx, mailer.Message{To: to, Subject: n.MailSubject(), Text: n.MailText(w.baseURL)})
}

// deliverWorker carries out one delivery. Its errors are retried with River's
// backoff until the delivery's own deadline, when Deliver fails it for good;
// one under way, or waiting for an earlier delivery of its line, is looked at
// again shortly.
type deliverWorker struct {
	river.WorkerDefaults[market.DeliverArgs]
	svc *market.Service
}

func (w *deliverWorker) Work(ctx context.Context, job *river.Job[market.DeliverArgs]) error {
	err := w.svc.Deliver(ctx, job.Args.DeliveryID)
	if errors.Is(err, market.ErrNotYourTurn) || errors.Is(err, market.ErrPending) {
		return river.JobSnooze(5 * time.Second)
	}
	return err
}

// sweep is a job that runs one of the market's sweeps (renewals, deadlines,
// an outbox …) and logs what it did, when it did something and log is set.
type sweep[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	run  func(context.Context) (int, error)
	log  *slog.Logger
	what string
}

func (w *sweep[T]) Work(ctx context.Context, job *river.Job[T]) error {
	n, err := w.run(ctx)
	if w.log != nil && (n > 0 || err != nil) {
		w.log.Info(w.what, "count", n, "error", err)
	}
	return err
}
