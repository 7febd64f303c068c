package market_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/cloudmart/cloudmart/catalog"
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
			w := markettest.New(b, st, t0)
			if err := demo.Load(ctx, w.Svc); err != nil {
				b.Fatal(err)
			}
			seller1 := w.Actor(b, "seller1@demo.test", demo.Password)
			ops := w.Actor(b, "ops@demo.test", demo.Password)
			v, _, err := w.Svc.CreateProduct(ctx, seller1, backupService())
			if err == nil {
				_, err = w.Svc.SubmitProduct(ctx, seller1, v.ID)
			}
			if err == nil {
				_, err = w.Svc.ReviewProduct(ctx, ops, v.ID, catalog.Approve, "")
			}
			if err != nil {
				b.Fatal(err)
			}
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
						Lines: []order.LineRequest{{ProductID: v.ID, Plan: "monthly", Region: "cn-north-4", AutoRenew: true}}}
					if _, _, err := w.Svc.PlaceOrder(ctx, buyer, req); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
