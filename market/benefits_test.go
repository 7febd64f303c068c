package market_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/benefit"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// banner returns the seller's homepage-banner status as the seller sees it.
func banner(t *testing.T, w *markettest.World, a account.Actor) benefit.Status {
	t.Helper()
	list, err := w.Svc.SellerBenefits(context.Background(), a, orgOf(a))
	if err != nil {
		t.Fatal(err)
	}
	s, ok := benefit.Of(list, benefit.HomepageBanner)
	if !ok || s.Progress == nil {
		t.Fatalf("no banner in %+v", list)
	}
	return s
}

func setRate(t *testing.T, w *markettest.World, ops account.Actor, c money.Currency, from time.Time, rate string) benefit.Rate {
	t.Helper()
	scaled, err := benefit.ParseRate(rate)
	if err != nil {
		t.Fatal(err)
	}
	r, err := w.Svc.SetRate(context.Background(), ops, benefit.Rate{Currency: c, EffectiveFrom: seller.DateOf(from.UTC()), Scaled: scaled})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBannerConvertsAtPaymentDate: a CNY order counts at the rate of the day
// it was paid, and keeps that rate when a later one is set.
func TestBannerConvertsAtPaymentDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, t0)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		id := onSale(t, w) // CNY 199.00 a month
		buyer := freshBuyer(t, w, "Rate Buyer")
		if _, err := w.Svc.TopUp(ctx, ops, orgOf(buyer), money.New(10_000_00, money.CNY), "CNY-1", ""); err != nil {
			t.Fatal(err)
		}
		buy := func() {
			t.Helper()
			if _, _, err := w.Svc.PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: orgOf(buyer),
				Lines: []order.LineRequest{{ProductID: id, Plan: "monthly", Region: "cn-north-4"}}}); err != nil {
				t.Fatal(err)
			}
		}
		setRate(t, w, ops, money.CNY, t0, "0.14085")
		before := banner(t, w, seller1).Progress.Have
		buy() // CNY 199.00 × 0.14085 = USD 28.02915 → 28.03
		if got := banner(t, w, seller1).Progress.Have; got.Minor-before.Minor != 28_03 {
			t.Fatalf("after a CNY 199.00 order: %v, before %v", got, before)
		}
		later := t0.AddDate(0, 0, 2)
		setRate(t, w, ops, money.CNY, later, "0.15")
		w.Clock.Set(later)
		buy() // at 0.15: USD 29.85; the first order keeps 0.14085
		if got := banner(t, w, seller1).Progress.Have; got.Minor-before.Minor != 28_03+29_85 {
			t.Fatalf("after a second order at a later rate: %v, before %v", got, before)
		}
		// The operators' change is in the audit log.
		entries, err := w.Svc.Audit(ctx, ops, audit.Filter{Action: "rate.set"})
		if err != nil || len(entries) == 0 || !strings.Contains(entries[0].Summary, "USD") {
			t.Fatalf("audit %+v %v", entries, err)
		}
	})
}

// TestRefundDropsBelowTheBanner: an order that takes a seller over USD
// 100,000 makes it eligible; its refund takes it back.
func TestRefundDropsBelowTheBanner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, t0)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		id := onSale(t, w)
		buyer := freshBuyer(t, w, "Big Buyer")
		if _, err := w.Svc.TopUp(ctx, ops, orgOf(buyer), money.New(199_00, money.CNY), "CNY-2", ""); err != nil {
			t.Fatal(err)
		}
		before := banner(t, w, seller1)
		if before.Has {
			t.Fatalf("seller1 starts eligible: %+v", before.Reason)
		}
		// From tomorrow, a rate that makes CNY 199.00 what is missing.
		missing := benefit.BannerThreshold.Minor - before.Progress.Have.Minor
		tomorrow := t0.AddDate(0, 0, 1)
		setRate(t, w, ops, money.CNY, tomorrow, benefit.FormatRate(missing*benefit.RateScale/199_00+1))
		w.Clock.Set(tomorrow)
		o, _, err := w.Svc.PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: orgOf(buyer),
			Lines: []order.LineRequest{{ProductID: id, Plan: "monthly", Region: "cn-north-4"}}})
		if err != nil {
			t.Fatal(err)
		}
		if after := banner(t, w, seller1); !after.Has {
			t.Fatalf("over the line: %+v %v", after.Reason.Text, after.Progress)
		}
		if ok, _, err := w.Svc.BannerEligibility(ctx, orgOf(seller1)); err != nil || !ok {
			t.Fatalf("the storefront's banner rule disagrees: %v %v", ok, err)
		}
		if _, err := w.Svc.Refund(ctx, buyer, market.RefundRequest{OrderID: o.ID}); err != nil {
			t.Fatal(err)
		}
		refunded := banner(t, w, seller1)
		if refunded.Has || refunded.Progress.Have != before.Progress.Have || refunded.Reason.Text != before.Reason.Text {
			t.Fatalf("after the refund: %+v, want %+v", refunded.Reason.Text, before.Reason.Text)
		}
		if ok, why, _ := w.Svc.BannerEligibility(ctx, orgOf(seller1)); ok || !strings.Contains(why.EN, "more in transactions to qualify") {
			t.Fatalf("the storefront's banner rule after the refund: %v %q", ok, why.EN)
		}
	})
}

// TestSellerBenefitsAccess: the seller and operators see the same; other
// sellers and buyers are refused; a suspended seller has none.
func TestSellerBenefitsAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, t0)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		seller2 := w.Actor(t, "seller2@demo.test", demo.Password)
		buyer := w.Actor(t, "telesales@demo.test", demo.Password)
		org, mine, err := w.Svc.MyBenefits(ctx, seller1)
		if err != nil || org != orgOf(seller1) || len(mine) != 8 {
			t.Fatalf("seller1's own: %d %v", len(mine), err)
		}
		if s, _ := benefit.Of(mine, benefit.FeaturedZones); !s.Has {
			t.Fatalf("an approved seller is not featured: %+v", s)
		}
		theirs, err := w.Svc.SellerBenefits(ctx, ops, orgOf(seller1))
		if err != nil || !reflect.DeepEqual(mine, theirs) {
			t.Fatalf("the operator sees otherwise: %v\n%+v\n%+v", err, theirs, mine)
		}
		for _, a := range []account.Actor{seller2, buyer} {
			if _, err := w.Svc.SellerBenefits(ctx, a, orgOf(seller1)); !fault.Is(err, fault.Forbidden) {
				t.Errorf("%s reads seller1's benefits: %v", a.Email, err)
			}
		}
		if _, _, err := w.Svc.MyBenefits(ctx, buyer); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a buyer's own benefits: %v", err)
		}
		if _, err := w.Svc.SellerBenefits(ctx, ops, orgOf(buyer)); !fault.Is(err, fault.NotFound) {
			t.Errorf("a customer's benefits: %v", err)
		}
		if _, err := w.Svc.SellerBenefits(ctx, account.Actor{}, orgOf(seller1)); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("anonymous: %v", err)
		}

		app, err := st.ApplicationOfOrg(ctx, orgOf(seller1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Svc.Review(ctx, ops, app.ID, seller.Suspend, "unpaid fees"); err != nil {
			t.Fatal(err)
		}
		suspended, err := w.Svc.SellerBenefits(ctx, ops, orgOf(seller1))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range suspended {
			if s.Has || !strings.Contains(s.Reason.Text.EN, "suspended") {
				t.Errorf("suspended, %s: %v %q", s.ID, s.Has, s.Reason.Text.EN)
			}
		}
	})
}

// TestSetRate: operators only; a rate is validated; the list is anyone's.
func TestSetRate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, t0)
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		r := benefit.Rate{Currency: money.CNY, EffectiveFrom: seller.DateOf(t0), Scaled: 14_000_000}
		if _, err := w.Svc.SetRate(ctx, seller1, r); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller sets a rate: %v", err)
		}
		if _, err := w.Svc.SetRate(ctx, ops, benefit.Rate{Currency: money.USD, EffectiveFrom: r.EffectiveFrom, Scaled: 1}); !fault.Is(err, fault.Invalid) {
			t.Fatalf("a USD rate: %v", err)
		}
		got, err := w.Svc.SetRate(ctx, ops, r)
		if err != nil || got.SetBy != ops.UserID {
			t.Fatalf("set %+v %v", got, err)
		}
		list, err := w.Svc.Rates(ctx, seller1)
		if err != nil {
			t.Fatal(err)
		}
		if on, ok := list.On(money.CNY, seller.DateOf(t0)); !ok || on.Scaled != 14_000_000 {
			t.Fatalf("rates %+v", list)
		}
		if _, err := w.Svc.Rates(ctx, account.Actor{}); !fault.Is(err, fault.Unauthorized) {
			t.Fatalf("anonymous: %v", err)
		}
	})
}

// TestBenefitsFromEveryPart: the benefits read the facts the other parts
// keep, as the demo left them: Lakeside Data's USD 400 of test credit held
// and its product authorised for resale, Bluepeak's verified migration
// (Harbor's is still pending).
func TestBenefitsFromEveryPart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, t0)
		status := func(email string, id benefit.ID) benefit.Status {
			t.Helper()
			a := w.Actor(t, email, demo.Password)
			list, err := w.Svc.SellerBenefits(ctx, a, orgOf(a))
			if err != nil {
				t.Fatal(err)
			}
			s, ok := benefit.Of(list, id)
			if !ok {
				t.Fatalf("%s: no %s in %+v", email, id, list)
			}
			return s
		}
		if s := status("seller1@demo.test", benefit.TestCoupons); !s.Has || !strings.Contains(s.Reason.Text.EN, "USD 600.00 more") {
			t.Errorf("Lakeside's test coupons: %+v", s)
		}
		if s := status("seller1@demo.test", benefit.Resale); !s.Has || !strings.Contains(s.Reason.Text.EN, "authorised for resale: 1") {
			t.Errorf("Lakeside's resale: %+v", s)
		}
		if s := status("seller2@demo.test", benefit.SalesTrainings); !s.Has {
			t.Errorf("Bluepeak's sales trainings: %+v", s)
		}
		if s := status("seller4@demo.test", benefit.SalesTrainings); s.Has {
			t.Errorf("Harbor's sales trainings with a pending migration: %+v", s)
		}
	})
}
