package demo_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m, "demo")) }

func TestDemoWorld(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.New(t, st, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
		if err := demo.Load(ctx, w.Svc); err != nil {
			t.Fatal(err)
		}
		entries := func() int {
			es, err := st.Audit(ctx, audit.Filter{Limit: audit.MaxPage})
			if err != nil {
				t.Fatal(err)
			}
			return len(es)
		}
		before := entries()
		if err := demo.Load(ctx, w.Svc); err != nil {
			t.Fatal(err)
		}
		if after := entries(); after != before {
			t.Fatalf("loading the demo twice added %d audit entries", after-before)
		}
		if regions, _ := w.Svc.Regions(ctx); len(regions) != len(demo.Regions) {
			t.Fatalf("%d regions", len(regions))
		}
		states := map[string]seller.State{
			"seller1@demo.test": seller.Approved, "seller2@demo.test": seller.Approved, "seller3@demo.test": seller.Approved,
			"seller4@demo.test": seller.Approved, "applicant1@demo.test": seller.Submitted, "applicant2@demo.test": seller.Draft,
		}
		for email, want := range states {
			v, err := w.Svc.MyApplication(ctx, w.Actor(t, email, demo.Password))
			if err != nil || v.State != want {
				t.Errorf("%s: %s, %v; want %s", email, v.State, err, want)
				continue
			}
			failed := seller.Failed(v.Checks)
			if email == "applicant2@demo.test" {
				if len(failed) != 2 || failed[0].ID != seller.ReqEstablishmentTime || failed[1].ID != seller.ReqSupportCapability {
					t.Errorf("applicant2 fails %+v, want establishment and support", failed)
				}
			} else if len(failed) != 0 {
				t.Errorf("%s fails %+v", email, failed)
			}
		}
	})
}
