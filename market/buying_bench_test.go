package market_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// BenchmarkPlaceOrder places and pays orders from 32 goroutines at once on
// each engine: ns/op is the inverse of the throughput (of the use case, without
// HTTP; `cloudmart bench checkout` measures over HTTP).
func BenchmarkPlaceOrder(b *testing.B) {
	for _, e := range storetest.Engines {
		b.Run(string(e), func(b *testing.B) {
			st := storetest.Open(b, e)
			ctx := context.Background()
			w := markettest.Demo(b, st, t0)
			ops := w.Actor(b, "ops@demo.test", demo.Password)
			id := w.Publish(b, "seller1@demo.test", backupService())
			buyer := w.Actor(b, "direct@demo.test", demo.Password)
			if _, err := w.Svc.TopUp(ctx, ops, orgOf(buyer), money.New(1<<50, money.CNY), "BENCH", ""); err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := market.OrderRequest{OrgID: orgOf(buyer), IdempotencyKey: fmt.Sprint("bench-", n.Add(1)),
						Lines: []order.LineRequest{{ProductID: id, Plan: "monthly", Region: "cn-north-4", AutoRenew: true}}}
					if _, _, err := w.Svc.PlaceOrder(ctx, buyer, req); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
