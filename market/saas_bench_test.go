package market_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/jobs"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// BenchmarkSaaSDeliveries measures how many newInstance deliveries per
// second the real job queue completes against a seller on this machine
// (HTTPS on loopback, the SDK's handler): b.N orders are paid first, then
// the queue is started with the workers of `cloudmart serve` (4) and of a
// busier server (16), and the clock runs until every order is delivered.
//
//	go test ./market/ -run '^$' -bench SaaSDeliveries -benchtime 400x
func BenchmarkSaaSDeliveries(b *testing.B) {
	for _, e := range storetest.Engines {
		for _, workers := range []int{4, 16} {
			b.Run(fmt.Sprintf("%s/workers=%d", e, workers), func(b *testing.B) {
				st := storetest.Open(b, e)
				ctx := context.Background()
				w := markettest.Demo(b, st, t0)
				id, _, _, client := serveDesk(b, w)
				buyer := w.Actor(b, "direct@demo.test", demo.Password)
				if _, err := w.Svc.TopUp(ctx, w.Actor(b, "ops@demo.test", demo.Password), orgOf(buyer), money.New(1<<50, money.CNY), "BENCH", ""); err != nil {
					b.Fatal(err)
				}
				svc := market.New(st, market.Options{Clock: w.Clock.Now, Secrets: w.Secrets, SaaS: client})
				pending := map[string]bool{}
				for range b.N {
					o, _, err := svc.PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: orgOf(buyer),
						Lines: []order.LineRequest{{ProductID: id, Plan: "pro", Region: "cn-north-4"}}})
					if err != nil {
						b.Fatal(err)
					}
					pending[o.ID] = true
				}
				b.ResetTimer()
				start := time.Now()
				q, err := jobs.Start(ctx, st, svc, jobs.Config{Workers: workers, PollInterval: 20 * time.Millisecond,
					Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
				if err != nil {
					b.Fatal(err)
				}
				svc.SetJobs(q)
				defer q.Stop(context.Background())
				for len(pending) > 0 {
					if time.Since(start) > 5*time.Minute {
						b.Fatalf("%d orders still undelivered", len(pending))
					}
					time.Sleep(20 * time.Millisecond)
					for id := range pending {
						o, err := st.Order(ctx, id)
						if err != nil {
							b.Fatal(err)
						}
						switch o.State {
						case order.Delivered:
							delete(pending, id)
						case order.DeliveryFailed, order.Refunded:
							b.Fatalf("order %s %s", id, o.State)
						}
					}
				}
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "deliveries/s")
			})
		}
	}
}
