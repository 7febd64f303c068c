package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/subscription"
)

// tiered puts on sale a SaaS of seller1's with monthly plans at ¥50, ¥100
// and ¥300, a yearly one and a monthly one in dollars, and returns its id.
func (s *site) tiered(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	plan := func(code, name string, mode catalog.BillingMode, price money.Amount) catalog.Plan {
		return catalog.Plan{Code: code, Name: catalog.Text{EN: name, ZH: name}, Mode: mode, Price: price, Active: true}
	}
	p := catalog.Product{Type: catalog.TypeSaaS, Name: catalog.Text{EN: "Quartz Snapshot Keeper", ZH: "石英快照管家"},
		Summary:     catalog.Text{EN: "Snapshots of your volumes", ZH: "为您的云硬盘自动快照"},
		Description: catalog.Text{EN: "Scheduled snapshots with retention rules.", ZH: "按计划创建快照并按规则保留。"},
		Category:    "storage", Regions: []string{"cn-north-4", "cn-east-3"}, Support: catalog.Support{Email: "support@lakeside.example"},
		SaaS: &catalog.SaaSSpec{Endpoint: "https://backup.lakeside.example/cloudmart", DeployRegion: "cn-north-4"},
		Plans: []catalog.Plan{plan("lite", "Lite", catalog.Monthly, money.New(5000, money.CNY)),
			plan("basic", "Basic", catalog.Monthly, money.New(10000, money.CNY)),
			plan("pro", "Pro", catalog.Monthly, money.New(30000, money.CNY)),
			plan("pro-yearly", "Pro yearly", catalog.Yearly, money.New(300000, money.CNY)),
			plan("pro-usd", "Pro in dollars", catalog.Monthly, money.New(9900, money.USD))}}
	seller1 := s.world.Actor(t, "seller1@demo.test", demo.Password)
	v, _, err := s.svc.CreateProduct(ctx, seller1, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.SubmitProduct(ctx, seller1, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.ReviewProduct(ctx, s.world.Actor(t, "ops@demo.test", demo.Password), v.ID, catalog.Approve, ""); err != nil {
		t.Fatal(err)
	}
	return v.ID
}

// TestSubscriptionsThroughTheUI: a buyer sees its subscriptions with their
// terms in the region's zone and what their states mean, turns automatic
// renewal on and off, sees the price of an upgrade, is refused it while its
// balance is short, then upgrades; another buyer can do none of it.
func TestSubscriptionsThroughTheUI(t *testing.T) {
	s := demoSite(t)
	ctx := context.Background()
	id, logsID := s.tiered(t), s.demoProduct(t, "seller1@demo.test", logs)
	buyer := s.browser(t)
	buyer.mustSignUp("mei@example.com", "Mei")
	me := s.world.Actor(t, "mei@example.com", password)
	org := me.Memberships[0].OrgID
	ops := s.world.Actor(t, "ops@demo.test", demo.Password)
	if _, err := s.svc.TopUp(ctx, ops, org, money.New(70000, money.CNY), "T-1", ""); err != nil {
		t.Fatal(err)
	}
	// Two units of Basic for three months (¥600.00), and a free trial.
	o, _, err := s.svc.PlaceOrder(ctx, me, market.OrderRequest{OrgID: org, Lines: []order.LineRequest{{ProductID: id, Plan: "basic", Quantity: 2, Periods: 3, Region: "cn-north-4"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.svc.PlaceOrder(ctx, me, market.OrderRequest{OrgID: org, Lines: []order.LineRequest{{ProductID: logsID, Plan: "monthly", Region: "cn-east-3", Trial: true}}}); err != nil {
		t.Fatal(err)
	}
	subs, err := s.svc.Subscriptions(ctx, me, org)
	if err != nil || len(subs) != 2 {
		t.Fatalf("subscriptions %+v %v", subs, err)
	}
	sub, trial := subs[1], subs[0]
	if sub.OrderID != o.ID {
		sub, trial = trial, sub
	}
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	anchor := "sub-" + sub.ID

	// The list: both, with the term in Beijing time, the states explained,
	// and upgrades only to Pro (dearer, monthly, in yuan).
	want(t, buyer.get("/account"), http.StatusOK, `href="/account/subscriptions"`)
	r := buyer.get("/account/subscriptions")
	want(t, r, http.StatusOK, "Quartz Snapshot Keeper", "Lakeside Log Analytics", "Basic", ">Active<", ">Free trial<",
		sub.PeriodEnd.In(shanghai).Format("2006-01-02 15:04"), "Asia/Shanghai (UTC&#43;08:00)", "3 months", "14-day free trial",
		"Automatic renewal is off: at the end the service is frozen for a 15-day grace period, then released.",
		"Automatic renewal is off: the trial then ends", `id="`+anchor+`"`, `<option value="pro">Pro — ¥300.00 / month</option>`,
		`href="/orders/`+o.ID+`"`)
	wantNot(t, r, `value="lite"`, `value="pro-yearly"`, `value="pro-usd"`, `action="/account/subscriptions/`+trial.ID+`/upgrade"`)

	// Automatic renewal on, then off again.
	r = buyer.post("/account/subscriptions/"+sub.ID+"/auto-renew", url.Values{"on": {"on"}})
	if r.Status != http.StatusSeeOther || r.Location != "/account/subscriptions?done=renew_on#"+anchor {
		t.Fatalf("renewal on: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	want(t, buyer.get(r.Location), http.StatusOK, "Automatic renewal is on.", "the next period is charged to your balance 3 days before then")
	if got, _ := s.svc.Subscriptions(ctx, me, org); !autoRenews(got, sub.ID) {
		t.Fatal("automatic renewal is still off")
	}
	want(t, buyer.post("/account/subscriptions/"+sub.ID+"/auto-renew", url.Values{"on": {"off"}}), http.StatusSeeOther)
	if got, _ := s.svc.Subscriptions(ctx, me, org); autoRenews(got, sub.ID) {
		t.Fatal("automatic renewal is still on")
	}

	// Ten days on, the upgrade's price: (¥300 − ¥100) × 2 × 3 months × the
	// share of the term left; the balance (¥100.00) does not cover it.
	s.world.Clock.Advance(10 * 24 * time.Hour)
	price, err := subscription.UpgradePrice(sub, money.New(10000, money.CNY), money.New(30000, money.CNY), s.svc.Now())
	if err != nil {
		t.Fatal(err)
	}
	upgrade := "/account/subscriptions/" + sub.ID + "/upgrade"
	r = buyer.get(upgrade + "?plan=pro")
	want(t, r, http.StatusOK, "Upgrade Quartz Snapshot Keeper", "¥200.00 per unit and month", `id="upgrade-price">`+buyer.money(price)+`<`,
		"Your balance is short by", `disabled aria-describedby="upgrade-short"`)
	form := url.Values{"plan": {"pro"}, "price": {hidden(t, r.Body, "price")}}
	r = buyer.post(upgrade, form)
	want(t, r, http.StatusPaymentRequired, "Your balance does not cover this upgrade, so nothing was charged")
	if got := s.balanceOf(t, me); got != money.New(10000, money.CNY) {
		t.Fatalf("balance after a refused upgrade: %v", got)
	}
	// A plan that is no upgrade comes back by the select.
	r = buyer.get(upgrade + "?plan=lite")
	want(t, r, http.StatusBadRequest, "Choose a dearer plan of the same billing mode and currency.")
	if got := fieldError(r.Body, "plan-"+sub.ID); got == "" {
		t.Errorf("no error by the subscription's select\n%s", r.Body)
	}
	want(t, buyer.get("/account/subscriptions/"+trial.ID+"/upgrade?plan=yearly"), http.StatusConflict, "Only an active subscription can be upgraded.")

	// Topped up: a price lower than today's is refused, the one shown is paid.
	if _, err := s.svc.TopUp(ctx, ops, org, money.New(500000, money.CNY), "T-2", ""); err != nil {
		t.Fatal(err)
	}
	noMissingMessages(t, buyer, upgrade+"?plan=pro", "subs.", "checkout.")
	want(t, buyer.post(upgrade, url.Values{"plan": {"pro"}, "price": {"CNY 1.00"}}), http.StatusConflict, "The plans&#39; prices changed")
	r = buyer.post(upgrade, form)
	if r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Location, "?done=upgraded") {
		t.Fatalf("upgrade: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	want(t, buyer.get(r.Location), http.StatusOK, "Your subscription is upgraded", ">Upgrade<", buyer.money(price))
	if got, want := s.balanceOf(t, me), money.New(510000-price.Minor, money.CNY); got != want {
		t.Fatalf("balance after the upgrade: %v, want %v", got, want)
	}
	want(t, buyer.get("/account/subscriptions"), http.StatusOK, `plan-name small">Pro<`, "¥300.00 / month")
	// Sent again (a reload, a double click): the same order, nothing charged twice.
	upgraded := r.Location
	if again := buyer.post(upgrade, form); again.Status != http.StatusSeeOther || again.Location != upgraded {
		t.Fatalf("the upgrade form sent again: %d %s, want %s", again.Status, again.Location, upgraded)
	}
	if got, want := s.balanceOf(t, me), money.New(510000-price.Minor, money.CNY); got != want {
		t.Fatalf("balance after the form sent again: %v, want %v", got, want)
	}

	// Another buyer sees none of it and changes nothing.
	other := s.demoLogIn(t, "direct@demo.test")
	wantNot(t, other.get("/account/subscriptions"), sub.ID, trial.ID)
	want(t, other.post("/account/subscriptions/"+sub.ID+"/auto-renew", url.Values{"on": {"on"}}), http.StatusNotFound)
	want(t, other.get(upgrade+"?plan=pro"), http.StatusNotFound)
	want(t, other.post(upgrade, form), http.StatusNotFound)
	if got, _ := s.svc.Subscriptions(ctx, me, org); autoRenews(got, sub.ID) {
		t.Fatal("another buyer turned the renewal on")
	}
	want(t, s.demoLogIn(t, "seller1@demo.test").get("/account/subscriptions"), http.StatusForbidden)

	// After the term: the subscription is frozen, with its grace period; the
	// trial, not renewed, is released and listed as ended; it can no longer
	// be switched.
	end := sub.PeriodEnd.Add(time.Hour)
	s.world.Clock.Set(end)
	if _, err := s.svc.RunSubscriptions(ctx, end); err != nil {
		t.Fatal(err)
	}
	buyer.mustLogIn("mei@example.com", password) // the session has expired meanwhile
	r = buyer.get("/account/subscriptions")
	want(t, r, http.StatusOK, ">Frozen<", "15-day grace period until "+sub.PeriodEnd.Add(subscription.Grace).In(shanghai).Format("2006-01-02 15:04")+" Asia/Shanghai",
		"Renew to keep it", `id="ended-heading"`, ">Released<", "Ended: the subscription is released")
	if regexp.MustCompile(`action="/account/subscriptions/` + trial.ID + `/auto-renew"`).MatchString(r.Body) {
		t.Error("a released subscription has a renewal switch")
	}
	want(t, buyer.post("/account/subscriptions/"+trial.ID+"/auto-renew", url.Values{"on": {"on"}}), http.StatusConflict, "The subscription has ended.")
	// Renewed by hand in the grace period: restored for one more month of
	// Pro (2 × ¥300.00); a second click for the same period charges nothing.
	before := s.balanceOf(t, me)
	renew := "/account/subscriptions/" + sub.ID + "/renew"
	frozen := url.Values{"end": {sub.PeriodEnd.UTC().Format(time.RFC3339Nano)}}
	r = buyer.post(renew, frozen)
	if r.Status != http.StatusSeeOther || r.Location != "/account/subscriptions?done=renewed#"+anchor {
		t.Fatalf("renew now: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	want(t, buyer.get(r.Location), http.StatusOK, "Renewed: the subscription runs one more period", ">Active<")
	want(t, buyer.post(renew, frozen), http.StatusSeeOther)
	if got, want := s.balanceOf(t, me), money.New(before.Minor-60000, money.CNY); got != want {
		t.Fatalf("balance after renewing (twice): %v, want %v", got, want)
	}
	want(t, buyer.post("/account/subscriptions/"+trial.ID+"/renew", url.Values{"end": {trial.PeriodEnd.UTC().Format(time.RFC3339Nano)}}),
		http.StatusConflict, "The subscription has ended.")
	noMissingMessages(t, buyer, "/account/subscriptions", "subs.", "subs_state.")
	noMissingMessages(t, buyer, "/account", "account.")
}

// autoRenews reports whether the subscription of the id renews automatically.
func autoRenews(subs []subscription.Subscription, id string) bool {
	for _, s := range subs {
		if s.ID == id {
			return s.AutoRenew
		}
	}
	return false
}

// The messages built from subscription states and billing modes exist in
// both languages.
func TestSubscriptionAndRefundMessagesExist(t *testing.T) {
	var ids []string
	for _, st := range []subscription.State{subscription.Trial, subscription.Active, subscription.Frozen, subscription.Released} {
		ids = append(ids, "subs_state."+string(st))
	}
	for _, k := range []string{"trial_renew", "trial_end", "active_renew", "active_end", "frozen", "frozen_renew", "released"} {
		ids = append(ids, "subs.explain."+k)
	}
	for _, m := range []string{string(catalog.Monthly), string(catalog.Yearly), "none"} {
		ids = append(ids, "refund.policy.after."+m, "refund.policy.only."+m)
	}
	for _, lang := range []string{"en", "zh-CN"} {
		have := catalogue(t, lang)
		for _, id := range ids {
			if !have[id] {
				t.Errorf("%s: no message %q", lang, id)
			}
		}
	}
}
