package market_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/delivery/license"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// databaseLicense is a licence product: 4 cores per unit, one year when
// bought once, or a yearly subscription.
func databaseLicense() catalog.Product {
	return catalog.Product{
		Type:        catalog.TypeLicense,
		Name:        catalog.Text{EN: "Quartz Graph DB", ZH: "石英图数据库"},
		Summary:     catalog.Text{EN: "A graph database", ZH: "图数据库"},
		Description: catalog.Text{EN: "Property graphs with Cypher queries.", ZH: "支持 Cypher 查询的属性图。"},
		Category:    "database",
		Regions:     []string{"cn-north-4"},
		Support:     catalog.Support{Email: "support@lakeside.example"},
		License: &catalog.LicenseSpec{Category: catalog.LicenseDatabase, GrantUnit: catalog.GrantCores, GrantQuantity: 4, DurationMonths: 12,
			TermsURL: "https://lakeside.example/terms"},
		Plans: []catalog.Plan{
			{Code: "one-year", Name: catalog.Text{EN: "One year", ZH: "一年"}, Mode: catalog.OneTime, Price: money.New(100000, money.CNY), Active: true},
			{Code: "yearly", Name: catalog.Text{EN: "Yearly", ZH: "包年"}, Mode: catalog.Yearly, Price: money.New(80000, money.CNY), Active: true},
		},
	}
}

// deliverAll carries out every waiting delivery of the order, as the deliver
// jobs would, and returns the first error.
func deliverAll(t *testing.T, w *markettest.World, svc *market.Service, orderID string) error {
	t.Helper()
	ds, err := w.Svc.Deliveries(context.Background(), w.Actor(t, "ops@demo.test", demo.Password), orderID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.State == delivery.Waiting {
			if err := svc.Deliver(context.Background(), d.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

func orderState(t *testing.T, w *markettest.World, buyer account.Actor, id string) order.State {
	t.Helper()
	o, err := w.Svc.Order(context.Background(), buyer, id)
	if err != nil {
		t.Fatal(err)
	}
	return o.State
}

type licensing struct {
	w       *markettest.World
	buyer   account.Actor
	product string
}

func newLicensing(t *testing.T, st *store.Store) licensing {
	w, _, buyer := buying(t, st, 1_000_000)
	return licensing{w: w, buyer: buyer, product: w.Publish(t, "seller1@demo.test", databaseLicense())}
}

// buy places an order of the plan and delivers it; it returns the order and
// its licence.
func (l licensing) buy(t *testing.T, plan string, qty int) (order.Order, market.LicenseView) {
	t.Helper()
	ctx := context.Background()
	o, _, err := l.w.Svc.PlaceOrder(ctx, l.buyer, market.OrderRequest{OrgID: orgOf(l.buyer),
		Lines: []order.LineRequest{{ProductID: l.product, Plan: plan, Quantity: qty, Region: "cn-north-4"}}})
	if err != nil {
		t.Fatal(err)
	}
	if s := orderState(t, l.w, l.buyer, o.ID); s != order.Paid {
		t.Fatalf("the order is %s before delivery", s)
	}
	if err := deliverAll(t, l.w, l.w.Svc, o.ID); err != nil {
		t.Fatal(err)
	}
	if s := orderState(t, l.w, l.buyer, o.ID); s != order.Delivered {
		t.Fatalf("the order is %s after delivery", s)
	}
	lic, ok, err := l.w.Svc.LicenseOfLine(ctx, l.buyer, o, 1)
	if err != nil || !ok {
		t.Fatalf("no licence issued: %v", err)
	}
	return o, lic
}

func (l licensing) check(t *testing.T, token, machine string, activate bool) (market.CheckAnswer, error) {
	t.Helper()
	c := market.Check{License: token, MachineID: machine}
	if activate {
		return l.w.Svc.ActivateLicense(context.Background(), c)
	}
	return l.w.Svc.LicenseHeartbeat(context.Background(), c)
}

func wantStatus(t *testing.T, a market.CheckAnswer, err error, want license.Status) {
	t.Helper()
	if err != nil || a.Status != want {
		t.Fatalf("status %s (%v), want %s", a.Status, err, want)
	}
}

func wantCode(t *testing.T, err error, code, msgID string) {
	t.Helper()
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Code != code || fe.MsgID != msgID {
		t.Fatalf("error %v, want %s %s", err, code, msgID)
	}
}

// A licence bought once: issued on delivery, verified offline with the
// published keys, activated on one machine, expired after its year.
func TestLicenseIssuedActivatedExpired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		l := newLicensing(t, st)
		o, lic := l.buy(t, "one-year", 2)
		keys, err := l.w.Svc.LicenseKeys(ctx)
		if err != nil || len(keys.Keys) != 1 {
			t.Fatalf("published keys %+v %v", keys, err)
		}
		doc, err := license.Verify(lic.Token, keys, l.w.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		wantUntil := time.Date(2027, 11, 25, 2, 0, 0, 0, time.UTC)
		if doc.Quantity != 8 || doc.Unit != "cores" || doc.Buyer != orgOf(l.buyer) || doc.BuyerName != "Subscribing Buyer" ||
			!doc.ValidUntil.Equal(wantUntil) || doc.Version != 1 || doc.ProductID != l.product || lic.OrderID != o.ID {
			t.Fatalf("licence %+v", doc)
		}
		if lic.Status != license.Alive {
			t.Fatalf("status %s", lic.Status)
		}
		// Delivered twice (a job run again): still one licence, unchanged.
		ds, _ := l.w.Svc.Deliveries(ctx, l.buyer, o.ID)
		if len(ds) != 1 || ds[0].State != delivery.Done {
			t.Fatalf("deliveries %+v", ds)
		}
		if err := l.w.Svc.Deliver(ctx, ds[0].ID); err != nil {
			t.Fatal(err)
		}
		if again, _, _ := l.w.Svc.LicenseOfLine(ctx, l.buyer, o, 1); again.Token != lic.Token {
			t.Fatal("a second run changed the licence")
		}

		a, err := l.check(t, lic.Token, "host-a", false)
		wantStatus(t, a, err, license.Alive) // not activated yet: alive all the same
		a, err = l.check(t, lic.Token, "host-a", true)
		wantStatus(t, a, err, license.Alive)
		a, err = l.check(t, lic.Token, "host-a", true) // activating again on its machine
		wantStatus(t, a, err, license.Alive)
		_, err = l.check(t, lic.Token, "host-b", true)
		wantCode(t, err, fault.Conflict, "error.license_in_use")
		_, err = l.check(t, lic.Token, "host-b", false)
		wantCode(t, err, fault.Conflict, "error.license_in_use")
		_, err = l.check(t, lic.Token, " ", true)
		wantCode(t, err, fault.Invalid, "error.machine_id")
		// Activated: within five days, nothing is refundable any more.
		rq, err := l.w.Svc.Refundable(ctx, l.buyer, o.ID)
		if err != nil || !rq.Total.IsZero() {
			t.Fatalf("refundable after activation: %v %v", rq.Total, err)
		}
		// The buyer frees it; another machine may take it.
		if err := l.w.Svc.ResetLicenseMachine(ctx, l.buyer, lic.ID); err != nil {
			t.Fatal(err)
		}
		a, err = l.check(t, lic.Token, "host-b", true)
		wantStatus(t, a, err, license.Alive)

		l.w.Clock.Set(wantUntil)
		a, err = l.check(t, lic.Token, "host-b", false)
		wantStatus(t, a, err, license.Expired)
		_, err = l.check(t, lic.Token, "host-c", true)
		wantCode(t, err, fault.InvalidState, "error.license_not_alive")
	})
}

// A licence refunded before activation is released: its next heartbeat says
// so. A forged licence is refused with the reason.
func TestLicenseReleasedOnRefundAndForgeriesRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		l := newLicensing(t, st)
		o, lic := l.buy(t, "one-year", 1)
		if _, err := l.check(t, lic.Token, "host-a", false); err != nil {
			t.Fatal(err)
		}
		forged := []byte(lic.Token)
		forged[len(forged)/2] ^= 1
		_, err := l.check(t, string(forged), "host-a", true)
		wantCode(t, err, fault.Invalid, "error.license_invalid")

		if _, err := l.w.Svc.Refund(ctx, l.buyer, market.RefundRequest{OrderID: o.ID, Reason: "bought by mistake"}); err != nil {
			t.Fatal(err)
		}
		a, err := l.check(t, lic.Token, "host-a", false)
		wantStatus(t, a, err, license.Alive) // the release is delivered next
		if err := deliverAll(t, l.w, l.w.Svc, o.ID); err != nil {
			t.Fatal(err)
		}
		a, err = l.check(t, lic.Token, "host-a", false)
		wantStatus(t, a, err, license.Released)
		if s := orderState(t, l.w, l.buyer, o.ID); s != order.Refunded {
			t.Fatalf("order %s", s)
		}
	})
}

// A licence of a yearly subscription runs to the term's end; a renewal signs
// a new document that runs a year more, handed out on the next heartbeat.
func TestLicenseRenewedWithItsSubscription(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		l := newLicensing(t, st)
		_, lic := l.buy(t, "yearly", 1)
		subs, err := l.w.Svc.Subscriptions(ctx, l.buyer, orgOf(l.buyer))
		if err != nil || len(subs) != 1 {
			t.Fatalf("subscriptions %+v %v", subs, err)
		}
		if !lic.ValidUntil.Equal(subs[0].PeriodEnd.Truncate(time.Second)) {
			t.Fatalf("licence until %s, term ends %s", lic.ValidUntil, subs[0].PeriodEnd)
		}
		renewal, err := l.w.Svc.RenewNow(ctx, l.buyer, subs[0].ID, subs[0].PeriodEnd)
		if err != nil {
			t.Fatal(err)
		}
		if err := deliverAll(t, l.w, l.w.Svc, lic.OrderID); err != nil {
			t.Fatal(err)
		}
		if s := orderState(t, l.w, l.buyer, renewal.ID); s != order.Delivered {
			t.Fatalf("renewal order %s", s)
		}
		a, err := l.check(t, lic.Token, "host-a", true)
		wantStatus(t, a, err, license.Alive)
		keys, _ := l.w.Svc.LicenseKeys(ctx)
		doc, err := license.Verify(a.License, keys, l.w.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if doc.Version != 2 || doc.ID != lic.ID || !doc.ValidUntil.Equal(lic.ValidUntil.AddDate(1, 0, 0)) {
			t.Fatalf("renewed document %+v, was until %s", doc, lic.ValidUntil)
		}
	})
}

// After a key rotation new licences are signed with the new key, and those
// signed before still verify: both keys are published.
func TestLicenseKeyRotation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		l := newLicensing(t, st)
		_, before := l.buy(t, "one-year", 1)
		if _, err := l.w.Svc.RotateLicenseKey(ctx, l.buyer); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a buyer rotated the key: %v", err)
		}
		kid, err := l.w.Svc.RotateLicenseKey(ctx, l.w.Actor(t, "ops@demo.test", demo.Password))
		if err != nil {
			t.Fatal(err)
		}
		_, after := l.buy(t, "one-year", 1)
		keys, err := l.w.Svc.LicenseKeys(ctx)
		if err != nil || len(keys.Keys) != 2 || keys.Keys[0].Kid != kid {
			t.Fatalf("published keys %+v %v", keys, err)
		}
		for _, lic := range []market.LicenseView{before, after} {
			if _, err := license.Verify(lic.Token, keys, l.w.Clock.Now()); err != nil {
				t.Errorf("licence %s: %v", lic.ID, err)
			}
		}
		if before.KeyID == kid || after.KeyID != kid {
			t.Fatalf("signed by %s then %s; the new key is %s", before.KeyID, after.KeyID, kid)
		}
	})
}

// Each role sees only its own licences.
func TestLicenseAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		l := newLicensing(t, st)
		_, lic := l.buy(t, "one-year", 1)
		seller1, seller2 := l.w.Actor(t, "seller1@demo.test", demo.Password), l.w.Actor(t, "seller2@demo.test", demo.Password)
		other := l.w.Actor(t, "direct@demo.test", demo.Password)
		ops := l.w.Actor(t, "ops@demo.test", demo.Password)
		for _, a := range []account.Actor{l.buyer, seller1, ops} {
			if _, err := l.w.Svc.License(ctx, a, lic.ID); err != nil {
				t.Errorf("%s cannot read the licence: %v", a.Email, err)
			}
		}
		for _, a := range []account.Actor{seller2, other} {
			if _, err := l.w.Svc.License(ctx, a, lic.ID); !fault.Is(err, fault.NotFound) {
				t.Errorf("%s reads the licence: %v", a.Email, err)
			}
			if err := l.w.Svc.ResetLicenseMachine(ctx, a, lic.ID); !fault.Is(err, fault.NotFound) {
				t.Errorf("%s frees the licence: %v", a.Email, err)
			}
		}
		if err := l.w.Svc.ResetLicenseMachine(ctx, seller1, lic.ID); !fault.Is(err, fault.NotFound) {
			t.Errorf("the seller frees the buyer's licence: %v", err)
		}
		mine, err := l.w.Svc.Licenses(ctx, seller1, store.LicenseFilter{SellerOrgID: orgOf(seller1)})
		if err != nil || !slices.ContainsFunc(mine, func(v market.LicenseView) bool { return v.ID == lic.ID }) {
			t.Fatalf("the seller's licences %d %v", len(mine), err)
		}
		if _, err := l.w.Svc.Licenses(ctx, seller2, store.LicenseFilter{SellerOrgID: orgOf(seller1)}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("another seller lists them: %v", err)
		}
		if _, err := l.w.Svc.Licenses(ctx, other, store.LicenseFilter{BuyerOrgID: orgOf(l.buyer)}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("another buyer lists them: %v", err)
		}
	})
}

// A delivery that keeps failing is tried until its deadline, the order shown
// delivering meanwhile; then it fails, the order is delivery_failed, and
// what was paid for the line is back on the balance, whatever the refund
// policy. A release asked for while the open is being tried waits its turn.
func TestDeliveryFailsAfterItsWindowAndRefunds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		l := newLicensing(t, st)
		before := balance(t, l.w, l.buyer)
		o, _, err := l.w.Svc.PlaceOrder(ctx, l.buyer, market.OrderRequest{OrgID: orgOf(l.buyer),
			Lines: []order.LineRequest{{ProductID: l.product, Plan: "one-year", Region: "cn-north-4"}}})
		if err != nil {
			t.Fatal(err)
		}
		// A service without the secret key cannot sign: every attempt fails.
		broken := market.New(st, market.Options{Clock: l.w.Clock.Now})
		if err := deliverAll(t, l.w, broken, o.ID); err == nil {
			t.Fatal("a delivery without a signing key succeeded")
		}
		if s := orderState(t, l.w, l.buyer, o.ID); s != order.Delivering {
			t.Fatalf("order %s while retrying", s)
		}
		l.w.Clock.Advance(delivery.OpenWindow - time.Minute)
		if err := deliverAll(t, l.w, broken, o.ID); err == nil {
			t.Fatal("a delivery without a signing key succeeded")
		}
		l.w.Clock.Advance(time.Minute)
		if err := deliverAll(t, l.w, broken, o.ID); err != nil {
			t.Fatal(err) // failed for good: no error left to retry
		}
		ds, _ := l.w.Svc.Deliveries(ctx, l.buyer, o.ID)
		if len(ds) != 2 || ds[0].State != delivery.Failed || ds[0].Attempts != 3 || ds[1].Action != delivery.Release {
			t.Fatalf("deliveries %+v", ds)
		}
		got, err := l.w.Svc.Order(ctx, l.buyer, o.ID)
		if err != nil || got.State != order.Refunded || got.Refunded != o.Payable {
			t.Fatalf("order %s refunded %v: %v", got.State, got.Refunded, err)
		}
		if after := balance(t, l.w, l.buyer); after != before {
			t.Fatalf("balance %v, was %v", after, before)
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Errorf("ledger %+v %v", check, err)
		}

		// An order refunded while its open is still tried: the release waits.
		o2, _, err := l.w.Svc.PlaceOrder(ctx, l.buyer, market.OrderRequest{OrgID: orgOf(l.buyer),
			Lines: []order.LineRequest{{ProductID: l.product, Plan: "one-year", Region: "cn-north-4"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.w.Svc.Refund(ctx, l.buyer, market.RefundRequest{OrderID: o2.ID}); err != nil {
			t.Fatal(err)
		}
		ds, _ = l.w.Svc.Deliveries(ctx, l.buyer, o2.ID)
		if len(ds) != 2 || !errors.Is(l.w.Svc.Deliver(ctx, ds[1].ID), market.ErrNotYourTurn) {
			t.Fatalf("the release of %+v did not wait", ds)
		}
		if err := deliverAll(t, l.w, l.w.Svc, o2.ID); err != nil {
			t.Fatal(err)
		}
		lic, ok, err := l.w.Svc.LicenseOfLine(ctx, l.buyer, o2, 1)
		if err != nil || !ok || lic.Status != license.Released {
			t.Fatalf("licence %+v %v %v", lic.Status, ok, err)
		}
	})
}

// A delivery first looked at long after it was written (the queue was down)
// gets its whole window from then: one failed attempt does not fail it.
func TestDeliveryWindowStartsAtTheFirstLook(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		l := newLicensing(t, st)
		o, _, err := l.w.Svc.PlaceOrder(ctx, l.buyer, market.OrderRequest{OrgID: orgOf(l.buyer),
			Lines: []order.LineRequest{{ProductID: l.product, Plan: "one-year", Region: "cn-north-4"}}})
		if err != nil {
			t.Fatal(err)
		}
		l.w.Clock.Advance(5 * time.Hour)
		broken := market.New(st, market.Options{Clock: l.w.Clock.Now})
		if err := deliverAll(t, l.w, broken, o.ID); err == nil {
			t.Fatal("a delivery without a signing key succeeded")
		}
		ds, _ := l.w.Svc.Deliveries(ctx, l.buyer, o.ID)
		if len(ds) != 1 || ds[0].State != delivery.Waiting || !ds[0].GiveUpAt.Equal(l.w.Clock.Now().Add(delivery.OpenWindow)) {
			t.Fatalf("deliveries %+v", ds)
		}
		if err := deliverAll(t, l.w, l.w.Svc, o.ID); err != nil {
			t.Fatal(err)
		}
		if s := orderState(t, l.w, l.buyer, o.ID); s != order.Delivered {
			t.Fatalf("order %s", s)
		}
	})
}
