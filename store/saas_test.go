package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// saasOrder puts a SaaS product on sale, has a buyer pay for two lines of it,
// and returns the order.
func saasOrder(t *testing.T, st *store.Store, at time.Time) order.Order {
	t.Helper()
	id := ids.New("prd")
	shop(t, st, seller.Approved, product(id, catalog.TypeSaaS, "Cloud backup", "云备份", "Backups", "备份", "storage",
		[]string{"cn-north-4"}, plan("monthly", catalog.Monthly, 9900, money.CNY)))
	p, err := st.Product(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	u, org := mustUser(t, st, ids.New("buyer")+"@example.com")
	paid := money.New(9900, money.CNY)
	o := order.Order{ID: ids.New("ord"), BuyerOrgID: org.ID, BuyerUserID: u.ID, Kind: order.New, Channel: "direct", State: order.Paid,
		PlacedAt: at, PaidAt: at, Quote: order.Quote{Currency: money.CNY, List: paid, Discount: money.New(0, money.CNY), Payable: paid}}
	for no := 1; no <= 2; no++ {
		o.Lines = append(o.Lines, order.Line{No: no, ProductID: p.ID, Type: catalog.TypeSaaS, SellerOrgID: p.SellerOrgID,
			Plan: "monthly", Mode: catalog.Monthly, Quantity: 1, Periods: 1, Paid: paid})
	}
	if err := st.Write(context.Background(), func(tx *store.Tx) error { return tx.CreateOrder(context.Background(), o, "", "") }); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestSaaSInstanceAndPasswordShownOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		o := saasOrder(t, st, t0)
		l := o.Lines[0]
		in := store.SaaSInstance{OrderID: o.ID, LineNo: 1, ProductID: l.ProductID, BuyerOrgID: o.BuyerOrgID, SellerOrgID: l.SellerOrgID,
			InstanceID: "ins-1", Plan: "monthly", State: store.SaaSOpening, CreatedAt: t0, UpdatedAt: t0}
		write := func(f func(tx *store.Tx) error) error { return st.Write(ctx, f) }
		if err := write(func(tx *store.Tx) error { return tx.SaveSaaSInstance(ctx, in) }); err != nil {
			t.Fatal(err)
		}
		in.State, in.FrontEndURL, in.UserName, in.Password, in.UpdatedAt = store.SaaSNormal, "https://app.example.com/t/1", "admin", "sealed-1", t0.Add(time.Minute)
		if err := write(func(tx *store.Tx) error { return tx.SaveSaaSInstance(ctx, in) }); err != nil {
			t.Fatal(err)
		}
		got, ok, err := st.SaaSInstanceOfLine(ctx, o.ID, 1)
		if err != nil || !ok || got.State != store.SaaSNormal || got.Password != "sealed-1" || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("instance %+v %v %v", got, ok, err)
		}
		if _, ok, _ := st.SaaSInstanceOfLine(ctx, o.ID, 2); ok {
			t.Fatal("line 2 has an instance")
		}
		// Another line answered with the same instance id: refused.
		other := in
		other.LineNo = 2
		err = write(func(tx *store.Tx) error { return tx.SaveSaaSInstance(ctx, other) })
		if fe, ok := err.(*fault.Error); !ok || fe.MsgID != "error.saas_instance_taken" {
			t.Fatalf("a second line with the instance id: %v", err)
		}
		if byID, err := st.SellerInstance(ctx, l.SellerOrgID, "ins-1"); err != nil || byID.OrderID != o.ID {
			t.Fatalf("by id %+v %v", byID, err)
		}
		if _, err := st.SellerInstance(ctx, o.BuyerOrgID, "ins-1"); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another org's instance: %v", err)
		}
		// The password is taken once.
		var sealed string
		if err := write(func(tx *store.Tx) (err error) {
			sealed, ok, err = tx.TakeSaaSPassword(ctx, o.ID, 1, t0.Add(time.Hour))
			return
		}); err != nil || !ok || sealed != "sealed-1" {
			t.Fatalf("first take %q %v %v", sealed, ok, err)
		}
		if err := write(func(tx *store.Tx) (err error) {
			sealed, ok, err = tx.TakeSaaSPassword(ctx, o.ID, 1, t0.Add(2*time.Hour))
			return
		}); err != nil || ok {
			t.Fatalf("second take %q %v %v", sealed, ok, err)
		}
		// A resent answer does not bring back a password already shown.
		in.Password = "sealed-2"
		if err := write(func(tx *store.Tx) error { return tx.SaveSaaSInstance(ctx, in) }); err != nil {
			t.Fatal(err)
		}
		got, _, _ = st.SaaSInstanceOfLine(ctx, o.ID, 1)
		if got.Password != "sealed-1" || !got.PasswordShownAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("after a resend %+v", got)
		}
		list, err := st.SaaSInstances(ctx, o.BuyerOrgID)
		if err != nil || len(list) != 1 {
			t.Fatalf("buyer's instances %d %v", len(list), err)
		}
	})
}

func TestSaaSExchangesAndDeliveryRetry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		o := saasOrder(t, st, t0)
		l := o.Lines[0]
		d := delivery.New(ids.New("dlv"), o.ID, 1, delivery.Open, o.ID, catalog.TypeSaaS, o.BuyerOrgID, l.SellerOrgID, t0)
		err := st.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.AddDelivery(ctx, d); err != nil {
				return err
			}
			for i, code := range []string{"", "000005", "000000"} {
				e := store.SaaSExchange{ID: ids.New("sx"), DeliveryID: d.ID, OrderID: o.ID, LineNo: 1, ProductID: l.ProductID, SellerOrgID: l.SellerOrgID,
					Activity: "newInstance", URL: "https://app.example.com/cloudmart", RequestBody: `{"activity":"newInstance"}`, HTTPStatus: 200,
					ResultCode: code, StartedAt: t0.Add(time.Duration(i) * time.Minute), Duration: 1500 * time.Microsecond}
				if code == "" {
					e.HTTPStatus, e.Error = 0, "connection refused"
				}
				if err := tx.AddSaaSExchange(ctx, e); err != nil {
					return err
				}
			}
			return tx.AddSaaSExchange(ctx, store.SaaSExchange{ID: ids.New("sx"), ProductID: l.ProductID, SellerOrgID: l.SellerOrgID, Activity: "newInstance",
				Test: true, StartedAt: t0.Add(time.Hour)})
		})
		if err != nil {
			t.Fatal(err)
		}
		all, err := st.SaaSExchanges(ctx, store.ExchangeFilter{SellerOrgID: l.SellerOrgID})
		if err != nil || len(all) != 4 || !all[0].Test || all[1].ResultCode != "000000" || all[3].Error != "connection refused" || all[1].Duration != 1500*time.Microsecond {
			t.Fatalf("exchanges %+v %v", all, err)
		}
		of, _ := st.SaaSExchanges(ctx, store.ExchangeFilter{SellerOrgID: l.SellerOrgID, DeliveryID: d.ID, Limit: 2})
		if len(of) != 2 || of[0].DeliveryID != d.ID {
			t.Fatalf("of the delivery %+v", of)
		}
		if none, _ := st.SaaSExchanges(ctx, store.ExchangeFilter{SellerOrgID: o.BuyerOrgID}); len(none) != 0 {
			t.Fatalf("another org sees %d", len(none))
		}

		// A failed delivery is put back to waiting, queued again.
		err = st.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.TakeDeliveries(ctx, string(catalog.TypeSaaS), 10); err != nil {
				return err
			}
			was := d.UpdatedAt
			d.State, d.UpdatedAt = delivery.Failed, t0.Add(3*time.Hour)
			return tx.SaveDelivery(ctx, d, was)
		})
		if err != nil {
			t.Fatal(err)
		}
		retry := func(was time.Time) error {
			return st.Write(ctx, func(tx *store.Tx) error {
				return tx.RetryDelivery(ctx, d.ID, t0.Add(7*time.Hour), t0.Add(4*time.Hour), was)
			})
		}
		if err := retry(t0); !fault.Is(err, fault.Conflict) {
			t.Fatalf("a retry from a stale read: %v", err)
		}
		if err := retry(d.UpdatedAt); err != nil {
			t.Fatal(err)
		}
		got, _ := st.Delivery(ctx, d.ID)
		if got.State != delivery.Waiting || !got.GiveUpAt.Equal(t0.Add(7*time.Hour)) {
			t.Fatalf("retried %+v", got)
		}
		var queued []string
		_ = st.Write(ctx, func(tx *store.Tx) (err error) {
			queued, err = tx.TakeDeliveries(ctx, string(catalog.TypeSaaS), 10)
			return
		})
		if len(queued) != 1 || queued[0] != d.ID {
			t.Fatalf("queued again %v", queued)
		}
	})
}
