package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/resale"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func TestResaleRequirements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		r, set, err := st.ResaleRequirements(ctx)
		if err != nil || set || r != resale.Defaults {
			t.Fatalf("before any: %+v %v %v", r, set, err)
		}
		u, _ := mustUser(t, st, ids.New("ops")+"@example.com")
		for _, want := range []resale.Requirements{
			{MinApprovedDays: 90, RefundPolicy: true, MaxFailedDeliveries: 2, StandardDiscountBPS: 1500, UpdatedAt: t0, UpdatedBy: u.ID},
			{MinApprovedDays: 0, RefundPolicy: false, MaxFailedDeliveries: 0, StandardDiscountBPS: 0, UpdatedAt: t0.Add(time.Hour), UpdatedBy: u.ID},
		} {
			if err := st.Write(ctx, func(tx *store.Tx) error { return tx.SetResaleRequirements(ctx, want) }); err != nil {
				t.Fatal(err)
			}
			got, set, err := st.ResaleRequirements(ctx)
			if err != nil || !set || !got.UpdatedAt.Equal(want.UpdatedAt) {
				t.Fatalf("%+v %v %v", got, set, err)
			}
			got.UpdatedAt = want.UpdatedAt
			if got != want {
				t.Errorf("%+v, want %+v", got, want)
			}
		}
	})
}

// channel is a seller's product, a partner and its customer (with a buyer),
// and another customer that is not the partner's.
type channel struct {
	st               *store.Store
	product          catalog.Entry
	user             account.User
	partner          account.Org
	customer, direct account.Org
}

func mustChannel(t *testing.T, st *store.Store) channel {
	t.Helper()
	ctx := context.Background()
	s := mustServices(t, st)
	c := channel{st: st, product: s.product, user: s.buyer, direct: s.org,
		partner: account.Org{ID: ids.New("org"), Kind: account.KindPartner, Name: "Partner", CreatedAt: t0}}
	c.customer = account.Org{ID: ids.New("org"), Kind: account.KindCustomer, Name: "Clinic", Segment: account.SegmentChannelPartner, PartnerOrgID: c.partner.ID, CreatedAt: t0}
	err := st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrg(ctx, c.partner); err != nil {
			return err
		}
		return tx.CreateOrg(ctx, c.customer)
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (c channel) authorisation(state resale.State, bps int) resale.Authorisation {
	return resale.Authorisation{ID: ids.New("rsa"), ProductID: c.product.ID, SellerOrgID: c.product.SellerOrgID, PartnerOrgID: c.partner.ID,
		DiscountBPS: bps, State: state, CreatedAt: t0, CreatedBy: c.user.ID, UpdatedAt: t0}
}

// order places a paid order of ¥800 for the buyer, through the partner when
// margin is not zero.
func (c channel) order(t *testing.T, buyer string, margin int64) order.Order {
	t.Helper()
	paid := money.New(80000, money.CNY)
	o := order.Order{ID: ids.New("ord"), BuyerOrgID: buyer, BuyerUserID: c.user.ID, Kind: order.New, Channel: "direct", State: order.Paid,
		PlacedAt: t0, PaidAt: t0, Quote: order.Quote{Currency: money.CNY, List: paid, Discount: money.New(0, money.CNY), Payable: paid,
			Lines: []order.Line{{No: 1, ProductID: c.product.ID, Type: catalog.TypeService, SellerOrgID: c.product.SellerOrgID, Plan: "once",
				Mode: catalog.OneTime, Quantity: 1, List: paid, Paid: paid, Discount: money.New(0, money.CNY), PartnerMargin: money.New(margin, money.CNY)}}}}
	if margin != 0 {
		o.Channel = order.PartnerChannel(c.partner.ID)
	}
	err := c.st.Write(context.Background(), func(tx *store.Tx) error {
		if err := tx.CreateOrder(context.Background(), o, "", ""); err != nil || margin == 0 {
			return err
		}
		return tx.AddPartnerSale(context.Background(), o)
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestResaleAuthorisations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := mustChannel(t, st)
		add := func(a resale.Authorisation) error {
			return st.Write(ctx, func(tx *store.Tx) error { return tx.AddResaleAuthorisation(ctx, a) })
		}
		pending := c.authorisation(resale.Pending, 2500)
		if err := add(pending); err != nil {
			t.Fatal(err)
		}
		// One live per product and partner, also when two arrive at once.
		var wg sync.WaitGroup
		errs := make([]error, 5)
		for i := range errs {
			wg.Go(func() { errs[i] = add(c.authorisation(resale.Active, 1000)) })
		}
		wg.Wait()
		for _, err := range errs {
			if fe := fault.As(err); fe == nil || fe.MsgID != "error.resale_exists" {
				t.Fatalf("a second live one: %v", err)
			}
		}
		got, err := st.ResaleAuthorisation(ctx, pending.ID)
		if err != nil || got.State != resale.Pending || got.DiscountBPS != 2500 || !got.CreatedAt.Equal(t0) || !got.DecidedAt.IsZero() {
			t.Fatalf("%+v %v", got, err)
		}
		// Declined from pending once; a stale second step is refused.
		declined := got
		declined.State, declined.Reason, declined.DecidedAt, declined.DecidedBy, declined.UpdatedAt = resale.Declined, "too generous", t0.Add(time.Hour), c.user.ID, t0.Add(time.Hour)
		move := func(from resale.State, a resale.Authorisation) error {
			return st.Write(ctx, func(tx *store.Tx) error { return tx.MoveResaleAuthorisation(ctx, from, a) })
		}
		if err := move(resale.Pending, declined); err != nil {
			t.Fatal(err)
		}
		if err := move(resale.Pending, declined); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale: %v", err)
		}
		// Declined is not live: a new one may be made.
		active := c.authorisation(resale.Active, 1500)
		active.CreatedAt = t0.Add(2 * time.Hour)
		if err := add(active); err != nil {
			t.Fatal(err)
		}
		all, err := st.ResaleAuthorisations(ctx, store.ResaleFilter{SellerOrgID: c.product.SellerOrgID})
		if err != nil || len(all) != 2 || all[0].ID != active.ID || all[1].State != resale.Declined || all[1].Reason != "too generous" {
			t.Fatalf("%+v %v", all, err)
		}
		live, err := st.ResaleAuthorisations(ctx, store.ResaleFilter{PartnerOrgID: c.partner.ID, States: []resale.State{resale.Active, resale.Pending}})
		if err != nil || len(live) != 1 || live[0].ID != active.ID {
			t.Fatalf("%+v %v", live, err)
		}
		if none, err := st.ResaleAuthorisations(ctx, store.ResaleFilter{PartnerOrgID: c.direct.ID}); err != nil || len(none) != 0 {
			t.Fatalf("%+v %v", none, err)
		}
		if _, err := st.ResaleAuthorisation(ctx, "rsa_nope"); !fault.Is(err, fault.NotFound) {
			t.Fatal(err)
		}
		if at, err := st.SellerApprovedSince(ctx, c.product.SellerOrgID); err != nil || at.IsZero() {
			t.Fatalf("approved at %v %v", at, err)
		}
		if at, err := st.SellerApprovedSince(ctx, c.partner.ID); err != nil || !at.IsZero() {
			t.Fatalf("no application: %v %v", at, err)
		}
		if n, err := st.FailedDeliveries(ctx, c.product.SellerOrgID, t0.Add(-30*24*time.Hour)); err != nil || n != 0 {
			t.Fatalf("%d %v", n, err)
		}
	})
}

func TestPartnerSales(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := mustChannel(t, st)
		first := c.order(t, c.customer.ID, 12000)
		second := c.order(t, c.customer.ID, 8000)
		own := c.order(t, c.customer.ID, 0) // the customer's own order
		c.order(t, c.direct.ID, 0)          // someone else's
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.RefundPartnerMargin(ctx, first.ID, money.New(3000, money.CNY)) }); err != nil {
			t.Fatal(err)
		}
		sales, err := st.PartnerSales(ctx, c.partner.ID, 0)
		if err != nil || len(sales) != 2 || sales[0].Order.ID != second.ID || sales[1].Margin.Minor != 12000 || sales[1].MarginRefunded.Minor != 3000 ||
			sales[1].CustomerOrgID != c.customer.ID || sales[0].Order.Lines[0].PartnerMargin.Minor != 8000 {
			t.Fatalf("%+v %v", sales, err)
		}
		totals, err := st.PartnerTotals(ctx, c.partner.ID)
		if err != nil || len(totals) != 1 || totals[0].Orders != 2 || totals[0].Sales != money.New(160000, money.CNY) || totals[0].Margin != money.New(17000, money.CNY) {
			t.Fatalf("%+v %v", totals, err)
		}
		orders, err := st.PartnerCustomerOrders(ctx, c.partner.ID, 0)
		if err != nil || len(orders) != 3 || orders[0].ID != own.ID {
			t.Fatalf("the customers' orders: %d %v", len(orders), err)
		}
		byPartner, err := st.SellerPartnerOrders(ctx, c.product.SellerOrgID, 0)
		if err != nil || len(byPartner) != 2 || byPartner[1].ID != first.ID {
			t.Fatalf("the seller's partner orders: %d %v", len(byPartner), err)
		}
		if none, err := st.PartnerSales(ctx, c.direct.ID, 0); err != nil || len(none) != 0 {
			t.Fatalf("%+v %v", none, err)
		}
		// More back than the margin is refused by the database.
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.RefundPartnerMargin(ctx, second.ID, money.New(8001, money.CNY)) })
		if err == nil {
			t.Fatal("refunded more margin than there was")
		}
	})
}
