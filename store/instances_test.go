package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// imageOrder stores a paid order of units of an image product and returns
// the instance of its first unit, not stored yet.
func imageOrder(t *testing.T, st *store.Store, units int) (order.Order, store.Instance) {
	t.Helper()
	id := ids.New("prd")
	shop(t, st, seller.Approved, product(id, catalog.TypeImage, "Bluepeak WAF", "蓝峰防火墙", "A firewall", "防火墙", "security",
		[]string{"cn-north-4"}, plan("monthly", catalog.Monthly, 5000, money.CNY)))
	p, err := st.Product(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	u, org := mustUser(t, st, ids.New("buyer")+"@example.com")
	paid := money.New(5000*int64(units), money.CNY)
	o := order.Order{ID: ids.New("ord"), BuyerOrgID: org.ID, BuyerUserID: u.ID, Kind: order.New, Channel: "direct", State: order.Paid,
		PlacedAt: t0, PaidAt: t0, Quote: order.Quote{Currency: money.CNY, List: paid, Discount: money.New(0, money.CNY), Payable: paid,
			Lines: []order.Line{{No: 1, ProductID: id, Type: catalog.TypeImage, SellerOrgID: p.SellerOrgID, Plan: "monthly", Mode: catalog.Monthly,
				Quantity: units, Periods: 1, Region: "cn-north-4", Paid: paid, Flavor: "c7.large.2"}}}}
	if err := st.Write(context.Background(), func(tx *store.Tx) error { return tx.CreateOrder(context.Background(), o, "", "") }); err != nil {
		t.Fatal(err)
	}
	in := store.Instance{ID: ids.New("ins"), OrderID: o.ID, LineNo: 1, UnitNo: 1, BuyerOrgID: org.ID, SellerOrgID: p.SellerOrgID, ProductID: id,
		Provider: "sim", Attempt: 1, Name: "web-1", Flavor: "c7.large.2", Region: "cn-north-4", ImageRef: "img-0a1b2c3d",
		State: store.InstanceCreating, LoginUser: "root", Password: "sealed-1", CreatedAt: t0, UpdatedAt: t0}
	return o, in
}

func addInstance(t *testing.T, st *store.Store, in store.Instance) (got store.Instance) {
	t.Helper()
	err := st.Write(context.Background(), func(tx *store.Tx) (err error) {
		got, err = tx.AddInstance(context.Background(), in)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// One instance per unit, whatever runs twice; changes are conditional on
// the last one; a password is taken once.
func TestInstancesPerUnitAndOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o, want := imageOrder(t, st, 2)
		if got := addInstance(t, st, want); !reflect.DeepEqual(got, want) {
			t.Fatalf("AddInstance =\n%+v; want\n%+v", got, want)
		}
		again := want
		again.ID, again.Password = ids.New("ins"), "sealed-2"
		if got := addInstance(t, st, again); got.ID != want.ID || got.Password != "sealed-1" {
			t.Fatalf("a second instance of unit 1: %+v", got)
		}
		second := want
		second.ID, second.UnitNo, second.Password = ids.New("ins"), 2, "sealed-2"
		addInstance(t, st, second)

		running := want
		running.ServerID, running.State, running.Address, running.UpdatedAt = "srv_1", store.InstanceRunning, "203.0.113.1", t0.Add(time.Minute)
		save := func(in store.Instance, was time.Time) error {
			return st.Write(ctx, func(tx *store.Tx) error { return tx.SaveInstance(ctx, in, was) })
		}
		if err := save(running, want.UpdatedAt); err != nil {
			t.Fatal(err)
		}
		if err := save(running, want.UpdatedAt); !fault.Is(err, fault.Conflict) {
			t.Fatalf("a stale save: %v", err)
		}
		if got, err := st.Instance(ctx, want.ID); err != nil || !reflect.DeepEqual(got, running) {
			t.Fatalf("Instance =\n%+v, %v; want\n%+v", got, err, running)
		}
		if _, err := st.Instance(ctx, "ins_none"); !fault.Is(err, fault.NotFound) {
			t.Fatalf("no instance: %v", err)
		}

		take := func(sealed string) bool {
			var took bool
			if err := st.Write(ctx, func(tx *store.Tx) (err error) {
				took, err = tx.TakePassword(ctx, want.ID, sealed, t0.Add(time.Hour))
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return took
		}
		if take("sealed-other") || !take("sealed-1") || take("sealed-1") || take("") {
			t.Fatal("the password was not taken exactly once")
		}
		if got, _ := st.Instance(ctx, want.ID); got.Password != "" || !got.PasswordShownAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("after taking: %q shown %s", got.Password, got.PasswordShownAt)
		}

		line, err := st.LineInstances(ctx, o.ID, 1)
		if err != nil || len(line) != 2 || line[0].UnitNo != 1 || line[1].UnitNo != 2 {
			t.Fatalf("LineInstances = %+v, %v", line, err)
		}
		for name, f := range map[string]store.InstanceFilter{
			"buyer": {BuyerOrgID: want.BuyerOrgID}, "seller": {SellerOrgID: want.SellerOrgID}, "order": {OrderID: o.ID},
		} {
			if got, err := st.Instances(ctx, f); err != nil || len(got) != 2 || got[0].UnitNo != 1 {
				t.Errorf("%s: %d instances, %v", name, len(got), err)
			}
		}
		for name, f := range map[string]store.InstanceFilter{
			"nobody": {}, "another buyer": {BuyerOrgID: want.SellerOrgID}, "another seller": {SellerOrgID: want.BuyerOrgID},
		} {
			if got, err := st.Instances(ctx, f); err != nil || len(got) != 0 {
				t.Errorf("%s: %d instances, %v", name, len(got), err)
			}
		}
	})
}
