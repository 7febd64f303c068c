package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/cloudmart/cloudmart/market"
)

// imageHoursWorker records the running hours of image instances and charges
// those on pay-per-use plans (hourly). A month a balance cannot cover waits
// for the next run; the job fails (and River retries it) only on other
// errors. Run again or late, it catches up without charging an hour twice.
type imageHoursWorker struct {
	river.WorkerDefaults[market.ImageHoursArgs]
	svc *market.Service
	log *slog.Logger
}

func (w *imageHoursWorker) Work(ctx context.Context, job *river.Job[market.ImageHoursArgs]) error {
	n, err := w.svc.MeterImageHours(ctx, w.svc.Now())
	if n > 0 || err != nil {
		w.log.Info("image hours charged", "instance_months", n, "error", err)
	}
	return err
}

// pastTheHour is a schedule at `past` after every clock hour (UTC): an
// hour's running time is recorded once the hour has ended, so the job runs
// just after.
type pastTheHour time.Duration

func (p pastTheHour) Next(now time.Time) time.Time {
	next := now.UTC().Truncate(time.Hour).Add(time.Duration(p))
	if !next.After(now) {
		next = next.Add(time.Hour)
	}
	return next
}
