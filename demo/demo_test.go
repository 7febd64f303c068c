package demo_test

import (
	"context"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
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
		// The catalogue: thirteen products, twelve on sale (one delisted), one
		// with a revision in review; two featured zones; one banner.
		all, err := w.Svc.Search(ctx, store.Query{Limit: 100})
		if err != nil || len(all.Hits) != 12 {
			t.Fatalf("%d products on sale, %v", len(all.Hits), err)
		}
		if found, _ := w.Svc.Search(ctx, store.Query{Text: "数据库"}); len(found.Hits) < 2 {
			t.Errorf("数据库 finds %d products", len(found.Hits))
		}
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		if queue, _ := w.Svc.ProductsInReview(ctx, ops); len(queue) != 1 || queue[0].Live == nil {
			t.Errorf("in review: %d", len(queue))
		}
		if zones, _ := w.Svc.Zones(ctx, "CNY"); len(zones) != 2 || len(zones[0].Products) != 3 || len(zones[1].Products) != 4 {
			t.Errorf("zones %+v", zones)
		}
		if banners, _ := w.Svc.HomeBanners(ctx); len(banners) != 1 {
			t.Errorf("%d banners showing", len(banners))
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
		// Buying: balances, months of orders with a renewal, a refund and a
		// failed delivery (refunded too), a balanced ledger.
		kinds := map[order.Kind]int{}
		orderStates := map[order.State]int{}
		orders, err := w.Svc.AllOrders(ctx, ops, store.OrderFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range orders {
			if o.Channel == order.TestChannel {
				continue // Lakeside Data's test purchase (testcredit.go): no customer's
			}
			kinds[o.Kind]++
			orderStates[o.State]++
		}
		if kinds[order.New] != 9+7+len(demo.PartnerSales) || kinds[order.Renewal] < 1 || orderStates[order.Refunded] != 2 {
			t.Errorf("demo orders: kinds %v, states %v", kinds, orderStates)
		}
		failed := 0
		for _, o := range orders {
			ds, err := w.Svc.Deliveries(ctx, ops, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				if d.State == delivery.Failed {
					failed++
				}
			}
		}
		if failed != 1 {
			t.Errorf("%d failed deliveries, want the outage's one", failed)
		}
		// Delivered at their dates: the licence issued, the service orders
		// confirmed, disputed and cancelled by the refund.
		if orderStates[order.Delivered] < 2 {
			t.Errorf("delivered orders: %v", orderStates)
		}
		telesales := w.Actor(t, "telesales@demo.test", demo.Password)
		if lics, err := w.Svc.Licenses(ctx, telesales, store.LicenseFilter{BuyerOrgID: telesales.Memberships[0].OrgID}); err != nil || len(lics) != 3 { // one bought before, two in the 2020 campaign
			t.Errorf("telesales' licences %d %v", len(lics), err)
		}
		svcStates := map[engagement.State]int{}
		services, err := w.Svc.Engagements(ctx, ops, store.EngagementFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range services {
			svcStates[e.State]++
		}
		if svcStates[engagement.Confirmed] != 1 || svcStates[engagement.Disputed] != 1 || svcStates[engagement.Refunded] != 1 {
			t.Errorf("service orders: %v", svcStates)
		}
		direct := w.Actor(t, "direct@demo.test", demo.Password)
		if bs, err := w.Svc.Balances(ctx, direct, direct.Memberships[0].OrgID); err != nil || len(bs) != 1 || bs[0].Amount.Minor <= 0 {
			t.Errorf("direct's balance %+v %v", bs, err)
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() || check.Postings < 10 {
			t.Errorf("ledger %+v %v", check, err)
		}
		checkDemoCampaigns(t, w, st)
	})
}

// checkDemoCampaigns: the seed's campaign ended in 2020 with its results, and
// a copy runs now with Tianhe Retail part-way to the first tier.
func checkDemoCampaigns(t *testing.T, w *markettest.World, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	ops := w.Actor(t, "ops@demo.test", demo.Password)
	cs, err := w.Svc.Campaigns(ctx, ops)
	if err != nil || len(cs) != 2 {
		t.Fatalf("campaigns %d %v", len(cs), err)
	}
	byName := map[string]store.Campaign{}
	for _, c := range cs {
		byName[c.Name.EN] = c
	}
	seed, running := byName[demo.SeedCampaign.EN], byName[demo.RunningCampaign.EN]
	from, until := seed.Window()
	if seed.State != promo.Ended || !from.Equal(time.Date(2020, 8, 11, 16, 0, 0, 0, time.UTC)) || !until.Equal(time.Date(2020, 9, 11, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("the seed's campaign: %s %v–%v", seed.State, from, until)
	}
	thresholds := []int64{}
	for _, tier := range running.Tiers {
		thresholds = append(thresholds, tier.Threshold.Minor/100)
	}
	if running.State != promo.Active || !slices.Equal(thresholds, []int64{10_000, 50_000, 100_000, 150_000, 300_000}) || len(running.Pack) != 2 {
		t.Errorf("the running campaign: %s %v, %d coupons", running.State, thresholds, len(running.Pack))
	}
	// The seed's results: three customers at tier 1, gifts delivered and shipped.
	r, err := w.Svc.Report(ctx, ops, seed.ID)
	if err != nil {
		t.Fatal(err)
	}
	totals := map[string]int64{}
	for _, p := range r.Participants {
		totals[strings.Fields(p.CustomerName)[0]] = p.Total.Minor
	}
	redeemed := map[store.RedemptionState]int{}
	for _, red := range r.Redemptions {
		redeemed[red.State]++
	}
	if !maps.Equal(totals, map[string]int64{"Tianhe": 49_700_00, "Qingshan": 12_000_00, "Lakeview": 11_700_00}) ||
		redeemed[store.Delivered] != 2 || redeemed[store.Shipped] != 1 || r.CouponsUsed != 2 || r.Campaign.BudgetUsed.Minor != 600_00 {
		t.Errorf("the seed's results: totals %v, redemptions %v, coupons used %d, budget used %v", totals, redeemed, r.CouponsUsed, r.Campaign.BudgetUsed)
	}
	// Qingshan's direct purchase before its admission did not count.
	direct := w.Actor(t, "direct@demo.test", demo.Password)
	xs, err := w.Svc.Explain(ctx, direct, seed.ID, direct.Memberships[0].OrgID)
	if err != nil || len(xs) != 2 || xs[0].Counted != true || xs[1].Counted || !slices.Contains(xs[1].Reasons, promo.NotThrough) {
		t.Errorf("Qingshan's explanations %+v %v", xs, err)
	}
	// Now: Tianhe at ¥6,988.00, ¥3,012.00 from the first tier, its pack to claim.
	telesales := w.Actor(t, "telesales@demo.test", demo.Password)
	page, err := w.Svc.CampaignPage(ctx, telesales, running.ID, telesales.Memberships[0].OrgID)
	if err != nil || page.Standing.Total.Minor != 6_988_00 || page.Standing.Reached != -1 || page.Standing.Next != 0 ||
		page.Standing.Missing.Minor != 3_012_00 || page.ClaimRefusal != nil || !page.InAudience {
		t.Errorf("Tianhe's page now: %+v %v", page.Standing, err)
	}
	if check, err := st.CheckCampaigns(ctx); err != nil || !check.Sound() {
		t.Errorf("campaign check %+v %v", check, err)
	}
}
