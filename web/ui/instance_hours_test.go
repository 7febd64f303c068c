package ui_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/usage"
)

// TestInstanceHoursThroughTheUI: an instance of the demo WAF's hourly plan
// shows its running time and charges of the month, and per day, once the
// hourly job ran; the charge is on the buyer's statement; both languages.
func TestInstanceHoursThroughTheUI(t *testing.T) {
	s := demoSite(t)
	ctx := context.Background()
	waf := s.demoProduct(t, "seller2@demo.test", "Bluepeak Hardened WAF") // hourly: ¥0.45 a running hour
	buyer := s.demoLogIn(t, "telesales@demo.test")
	me := s.world.Actor(t, "telesales@demo.test", demo.Password)
	org := me.Memberships[0].OrgID
	if _, err := s.svc.TopUp(ctx, s.world.Actor(t, "ops@demo.test", demo.Password), org, money.New(10_000, money.CNY), "T-1", ""); err != nil {
		t.Fatal(err)
	}
	o, _, err := s.svc.PlaceOrder(ctx, me, market.OrderRequest{OrgID: org, Lines: []order.LineRequest{
		{ProductID: waf, Plan: "hourly", Quantity: 1, Region: "cn-north-4"}}})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := s.svc.Deliveries(ctx, me, o.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %+v %v", ds, err)
	}
	if err := s.svc.Deliver(ctx, ds[0].ID); !errors.Is(err, market.ErrPending) {
		t.Fatalf("first delivery: %v", err)
	}
	s.world.Clock.Advance(ecs.DefaultSimBoot)
	if err := s.svc.Deliver(ctx, ds[0].ID); err != nil {
		t.Fatal(err)
	}
	list, err := s.svc.OrderInstances(ctx, me, o.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("instances %+v %v", list, err)
	}
	page := "/instances/" + list[0].ID
	running := s.world.Clock.Now().UTC().Truncate(time.Second)
	r := buyer.get(page)
	want(t, r, http.StatusOK, "Running hours and charges", "0 h 0 min", "No running time recorded this month yet")

	s.world.Clock.Advance(2*time.Hour + 30*time.Minute)
	if _, err := s.svc.MeterImageHours(ctx, s.world.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	secs := int64(usage.HourOf(s.world.Clock.Now()).Sub(running) / time.Second)
	hours := usage.BilledHours(secs)
	ran := fmt.Sprintf("%d h %d min", secs/3600, secs%3600/60)
	charged := fmt.Sprintf("¥%d.%02d", hours*45/100, hours*45%100)
	r = buyer.get(page)
	want(t, r, http.StatusOK, `id="hours-running">`+ran+`<`, `id="hours-billed">`+fmt.Sprintf("%d h", hours)+`<`,
		`id="hours-charged">`+charged+`<`, `id="hours-days"`, "measured to the second")
	wantNot(t, r, `id="hours-unrated"`)
	want(t, buyer.get("/account/balance"), http.StatusOK, "Running hours of an instance")

	// The seller sees the hours too.
	want(t, s.demoLogIn(t, "seller2@demo.test").get(page), http.StatusOK, `id="hours-running">`+ran+`<`)

	buyer.lang = "zh-CN"
	want(t, buyer.get(page), http.StatusOK, "运行时长与费用", fmt.Sprintf("%d 小时 %d 分钟", secs/3600, secs%3600/60), "按小时计费")
	want(t, buyer.get("/account/balance"), http.StatusOK, "实例运行时长费用")
}
