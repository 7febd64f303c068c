package jobs

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/cloudmart/cloudmart/market"
)

// usageRatingWorker rates the usage sellers reported since the last run and
// charges it to the buyers (hourly). A month a balance cannot cover waits
// for the next run; the job fails (and River retries it) only on other errors.
type usageRatingWorker struct {
	river.WorkerDefaults[market.UsageRatingArgs]
	svc *market.Service
	log *slog.Logger
}

func (w *usageRatingWorker) Work(ctx context.Context, job *river.Job[market.UsageRatingArgs]) error {
	n, err := w.svc.RateUsage(ctx)
	if n > 0 || err != nil {
		w.log.Info("usage rated", "instance_months", n, "error", err)
	}
	return err
}
