package market_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/subscription"
)

// firewallImage is an image product needing 2 vCPUs and 4 GiB on x86,
// sold monthly at CNY 50.00 an instance.
func firewallImage() catalog.Product {
	return catalog.Product{
		Type:        catalog.TypeImage,
		Name:        catalog.Text{EN: "Granite Firewall", ZH: "花岗岩防火墙"},
		Summary:     catalog.Text{EN: "A hardened firewall", ZH: "加固防火墙"},
		Description: catalog.Text{EN: "A firewall image on Ubuntu.", ZH: "基于 Ubuntu 的防火墙镜像。"},
		Category:    "security",
		Regions:     []string{"cn-north-4"},
		Support:     catalog.Support{Email: "soc@bluepeak.example"},
		Image: &catalog.ImageSpec{ImageRef: "img-granite-fw-1", OSFamily: catalog.OSLinux, OSVersion: "Ubuntu 24.04", Arch: catalog.ArchX86,
			MinVCPU: 2, MinMemoryMiB: 4096, MinDiskGiB: 40, ImageRegions: []string{"cn-north-4"}, LoginUser: "ubuntu"},
		Plans: []catalog.Plan{
			{Code: "monthly", Name: catalog.Text{EN: "Monthly", ZH: "包月"}, Mode: catalog.Monthly, Price: money.New(5000, money.CNY), Active: true},
		},
	}
}

type imaging struct {
	w       *markettest.World
	buyer   account.Actor
	product string
}

func newImaging(t *testing.T, st *store.Store) imaging {
	w, _, buyer := buying(t, st, 1_000_000)
	return imaging{w: w, buyer: buyer, product: w.Publish(t, "seller2@demo.test", firewallImage())}
}

// place buys units of the image with the flavour ("" for the default).
func (m imaging) place(t *testing.T, units int, flavor string) order.Order {
	t.Helper()
	o, _, err := m.w.Svc.PlaceOrder(context.Background(), m.buyer, market.OrderRequest{OrgID: orgOf(m.buyer),
		Lines: []order.LineRequest{{ProductID: m.product, Plan: "monthly", Quantity: units, Region: "cn-north-4", Flavor: flavor}}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// boot delivers the order's waiting deliveries, lets the servers boot, and
// delivers again; it returns the order's instances.
func (m imaging) boot(t *testing.T, o order.Order) []market.InstanceView {
	t.Helper()
	if err := deliverAll(t, m.w, m.w.Svc, o.ID); !errors.Is(err, market.ErrPending) {
		t.Fatalf("first delivery: %v; want the servers booting", err)
	}
	m.w.Clock.Advance(ecs.DefaultSimBoot)
	if err := deliverAll(t, m.w, m.w.Svc, o.ID); err != nil {
		t.Fatal(err)
	}
	return m.instances(t, o)
}

func (m imaging) instances(t *testing.T, o order.Order) []market.InstanceView {
	t.Helper()
	ins, err := m.w.Svc.OrderInstances(context.Background(), m.buyer, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ins
}

func wantStates(t *testing.T, ins []market.InstanceView, n int, want store.InstanceState) {
	t.Helper()
	if len(ins) != n {
		t.Fatalf("%d instances, want %d", len(ins), n)
	}
	for _, in := range ins {
		if in.State != want {
			t.Fatalf("instance %d is %s, want %s (%s)", in.UnitNo, in.State, want, in.LastError)
		}
	}
}

// serverStatus is what the simulated cloud says of an instance's server.
func serverStatus(t *testing.T, w *markettest.World, in market.InstanceView) ecs.Status {
	t.Helper()
	srv, err := w.Sim.Get(context.Background(), in.ServerID)
	if errors.Is(err, ecs.ErrNotFound) {
		return ecs.Deleted
	}
	if err != nil {
		t.Fatal(err)
	}
	return srv.Status
}

// Three units make three servers, of the flavour chosen, each with its own
// address; a server failing to boot is replaced; the buyer sees each
// password once.
func TestImageDeliversOneInstancePerUnit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		m := newImaging(t, st)
		m.w.Sim.FailBoots(1)
		o := m.place(t, 3, "c7.xlarge.4")
		if o.Lines[0].Flavor != "c7.xlarge.4" {
			t.Fatalf("line flavour %q", o.Lines[0].Flavor)
		}
		if err := deliverAll(t, m.w, m.w.Svc, o.ID); !errors.Is(err, market.ErrPending) {
			t.Fatalf("first delivery: %v", err)
		}
		if s := orderState(t, m.w, m.buyer, o.ID); s != order.Delivering {
			t.Fatalf("order %s while booting", s)
		}
		wantStates(t, m.instances(t, o), 3, store.InstanceCreating)
		m.w.Clock.Advance(ecs.DefaultSimBoot)
		// The first server ended in ERROR: deleted, counted as a failed attempt.
		if err := deliverAll(t, m.w, m.w.Svc, o.ID); err == nil || errors.Is(err, market.ErrPending) {
			t.Fatalf("a failed boot: %v", err)
		}
		failed := m.instances(t, o)[0]
		if failed.Attempt != 2 || failed.ServerID != "" || failed.LastError == "" {
			t.Fatalf("the failed unit %+v", failed.Instance)
		}
		ins := m.boot(t, o)
		wantStates(t, ins, 3, store.InstanceRunning)
		if s := orderState(t, m.w, m.buyer, o.ID); s != order.Delivered {
			t.Fatalf("order %s", s)
		}
		seen := map[string]bool{}
		for _, in := range ins {
			if in.Address == "" || seen[in.Address] || in.Flavor != "c7.xlarge.4" || in.LoginUser != "ubuntu" || in.Region != "cn-north-4" ||
				in.ImageRef != "img-granite-fw-1" || in.Provider != "sim" || !in.PasswordReady || in.Password != "" ||
				serverStatus(t, m.w, in) != ecs.Active || in.ProductName.EN != "Granite Firewall" {
				t.Fatalf("instance %+v", in)
			}
			seen[in.Address] = true
		}
		// Delivered twice (a job run again): nothing changes.
		ds, _ := m.w.Svc.Deliveries(ctx, m.buyer, o.ID)
		if err := m.w.Svc.Deliver(ctx, ds[0].ID); err != nil {
			t.Fatal(err)
		}
		if again := m.instances(t, o); again[2].UpdatedAt != ins[2].UpdatedAt {
			t.Fatal("a second run changed an instance")
		}

		pw, err := m.w.Svc.RevealPassword(ctx, m.buyer, ins[0].ID)
		if err != nil || ecs.CheckPassword(pw) != nil || len(pw) != ecs.PasswordLength {
			t.Fatalf("password %q: %v", pw, err)
		}
		_, err = m.w.Svc.RevealPassword(ctx, m.buyer, ins[0].ID)
		wantCode(t, err, fault.InvalidState, "error.password_shown")
		if in, _ := m.w.Svc.Instance(ctx, m.buyer, ins[0].ID); in.PasswordReady || in.PasswordShownAt.IsZero() {
			t.Fatalf("after showing: %+v", in.Instance)
		}
		if other, err := m.w.Svc.RevealPassword(ctx, m.buyer, ins[1].ID); err != nil || other == pw {
			t.Fatalf("another instance's password %q: %v", other, err)
		}
	})
}

// The buyer's flavour is checked against the image when pricing; without
// one, the smallest that fits is chosen; other products take none.
func TestImageFlavourChoice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		m := newImaging(t, st)
		quote := func(product, flavor string) (order.Quote, error) {
			return m.w.Svc.Quote(ctx, []order.LineRequest{{ProductID: product, Plan: "monthly", Region: "cn-north-4", Flavor: flavor}})
		}
		if q, err := quote(m.product, ""); err != nil || q.Lines[0].Flavor != "s6.large.2" {
			t.Fatalf("default flavour %+v %v", q.Lines, err)
		}
		for flavor, msgID := range map[string]string{"kc1.large.2": "error.flavor_arch", "s6.medium.2": "error.flavor_too_small", "m9.huge": "error.flavor_unknown"} {
			_, err := quote(m.product, flavor)
			if fe := fault.As(err); fe == nil || fe.Field != "lines[0].flavor" || fe.MsgID != msgID {
				t.Errorf("%s: %v; want %s on lines[0].flavor", flavor, err, msgID)
			}
		}
		saas := onSale(t, m.w)
		if _, err := quote(saas, "c7.large.2"); fault.As(err) == nil || fault.As(err).MsgID != "error.flavor_not_image" {
			t.Fatalf("a flavour on a SaaS line: %v", err)
		}
	})
}

// A compute service that keeps failing: the open is retried until its
// deadline, then fails, and the line is refunded in full.
func TestImageDeliveryFailsAndRefunds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		m := newImaging(t, st)
		before := balance(t, m.w, m.buyer)
		m.w.Sim.FailCreates(1 << 20)
		o := m.place(t, 3, "")
		for range 3 {
			err := deliverAll(t, m.w, m.w.Svc, o.ID)
			if !ecs.Retryable(err) {
				t.Fatalf("delivery in an outage: %v", err)
			}
			m.w.Clock.Advance(time.Hour)
		}
		if err := deliverAll(t, m.w, m.w.Svc, o.ID); err != nil {
			t.Fatal(err) // past the deadline: failed for good
		}
		got, err := m.w.Svc.Order(ctx, m.buyer, o.ID)
		if err != nil || got.State != order.Refunded || got.Refunded != o.Payable {
			t.Fatalf("order %s refunded %v: %v", got.State, got.Refunded, err)
		}
		ds, _ := m.w.Svc.Deliveries(ctx, m.buyer, o.ID)
		if len(ds) != 2 || ds[0].State != delivery.Failed || ds[0].Attempts != 4 || ds[1].Action != delivery.Release {
			t.Fatalf("deliveries %+v", ds)
		}
		if after := balance(t, m.w, m.buyer); after != before {
			t.Fatalf("balance %v, was %v", after, before)
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Errorf("ledger %+v %v", check, err)
		}
		m.w.Sim.FailCreates(0)
		if err := deliverAll(t, m.w, m.w.Svc, o.ID); err != nil {
			t.Fatal(err)
		}
		wantStates(t, m.instances(t, o), 3, store.InstanceDeleted)
	})
}

// A request the cloud refuses (here: a flavour it does not know) fails the
// delivery at once and refunds it.
func TestImageDeliveryRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		m := newImaging(t, st)
		o := m.place(t, 1, "")
		// Break the stored flavour choice: the cloud rejects the request.
		if err := st.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SQL().ExecContext(ctx, `UPDATE order_lines SET content = REPLACE(content, 's6.large.2', 'x9.huge.8') WHERE order_id = $1`, o.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := deliverAll(t, m.w, m.w.Svc, o.ID); err != nil {
			t.Fatal(err) // refused: failed at once, nothing to retry
		}
		if s := orderState(t, m.w, m.buyer, o.ID); s != order.Refunded {
			t.Fatalf("order %s", s)
		}
		ins := m.instances(t, o)
		if len(ins) != 1 || ins[0].State != store.InstanceFailed || ins[0].LastError == "" {
			t.Fatalf("instances %+v", ins)
		}
		if err := deliverAll(t, m.w, m.w.Svc, o.ID); err != nil { // the release
			t.Fatal(err)
		}
		wantStates(t, m.instances(t, o), 1, store.InstanceDeleted)
	})
}

// A monthly image: its term ends → stopped; renewed in the grace period →
// started; the renewed term ends unpaid → stopped, and at the end of the
// grace period → deleted.
func TestImageExpiryStopsAndGraceEndDeletes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		m := newImaging(t, st)
		o := m.place(t, 2, "")
		ins := m.boot(t, o)
		wantStates(t, ins, 2, store.InstanceRunning)
		subs, err := m.w.Svc.Subscriptions(ctx, m.buyer, orgOf(m.buyer))
		if err != nil || len(subs) != 1 {
			t.Fatalf("subscriptions %+v %v", subs, err)
		}
		run := func(at time.Time) {
			t.Helper()
			m.w.Clock.Set(at)
			if _, err := m.w.Svc.RunSubscriptions(ctx, at); err != nil {
				t.Fatal(err)
			}
			if err := deliverAll(t, m.w, m.w.Svc, o.ID); err != nil {
				t.Fatal(err)
			}
		}
		end := subs[0].PeriodEnd
		run(end.Add(time.Minute))
		ins = m.instances(t, o)
		wantStates(t, ins, 2, store.InstanceStopped)
		if serverStatus(t, m.w, ins[0]) != ecs.Shutoff || ins[0].Address == "" {
			t.Fatalf("stopped server %+v", ins[0])
		}
		if _, err := m.w.Svc.RenewNow(ctx, m.buyer, subs[0].ID, end); err != nil {
			t.Fatal(err)
		}
		if err := deliverAll(t, m.w, m.w.Svc, o.ID); err != nil {
			t.Fatal(err)
		}
		ins = m.instances(t, o)
		wantStates(t, ins, 2, store.InstanceRunning)
		if serverStatus(t, m.w, ins[1]) != ecs.Active {
			t.Fatal("the renewed server does not run")
		}
		renewed, _ := st.Subscription(ctx, subs[0].ID)
		run(renewed.PeriodEnd.Add(time.Minute))
		wantStates(t, m.instances(t, o), 2, store.InstanceStopped)
		run(renewed.PeriodEnd.Add(16 * 24 * time.Hour))
		ins = m.instances(t, o)
		wantStates(t, ins, 2, store.InstanceDeleted)
		if serverStatus(t, m.w, ins[0]) != ecs.Deleted || ins[0].Address != "" {
			t.Fatalf("deleted instance %+v", ins[0])
		}
	})
}

// A refund deletes the servers.
func TestImageRefundDeletes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		m := newImaging(t, st)
		o := m.place(t, 1, "")
		ins := m.boot(t, o)
		if _, err := m.w.Svc.Refund(ctx, m.buyer, market.RefundRequest{OrderID: o.ID, Reason: "wrong region"}); err != nil {
			t.Fatal(err)
		}
		if err := deliverAll(t, m.w, m.w.Svc, o.ID); err != nil {
			t.Fatal(err)
		}
		wantStates(t, m.instances(t, o), 1, store.InstanceDeleted)
		if serverStatus(t, m.w, ins[0]) != ecs.Deleted {
			t.Fatal("the refunded server still exists")
		}
		_, err := m.w.Svc.RevealPassword(ctx, m.buyer, ins[0].ID)
		wantCode(t, err, fault.InvalidState, "error.instance_not_ready")
	})
}

// The buyer ends a line's servers itself: all of them are deleted, its
// subscription is released (nothing more is renewed), and asking again, or
// anyone else asking, changes nothing.
func TestBuyerReleasesInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		m := newImaging(t, st)
		o := m.place(t, 2, "")
		ins := m.boot(t, o)
		for _, a := range []account.Actor{m.w.Actor(t, "seller2@demo.test", demo.Password), m.w.Actor(t, "direct@demo.test", demo.Password)} {
			if err := m.w.Svc.ReleaseInstances(ctx, a, ins[0].ID); !fault.Is(err, fault.NotFound) {
				t.Fatalf("%s released the buyer's instances: %v", a.Email, err)
			}
		}
		for range 2 {
			if err := m.w.Svc.ReleaseInstances(ctx, m.buyer, ins[0].ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := deliverAll(t, m.w, m.w.Svc, o.ID); err != nil {
			t.Fatal(err)
		}
		wantStates(t, m.instances(t, o), 2, store.InstanceDeleted)
		for _, in := range ins {
			if serverStatus(t, m.w, in) != ecs.Deleted {
				t.Fatalf("server of unit %d still exists", in.UnitNo)
			}
		}
		ds, _ := m.w.Svc.Deliveries(ctx, m.buyer, o.ID)
		if len(ds) != 2 || ds[1].Action != delivery.Release || ds[1].State != delivery.Done {
			t.Fatalf("deliveries %+v", ds)
		}
		subs, _ := m.w.Svc.Subscriptions(ctx, m.buyer, orgOf(m.buyer))
		for _, sub := range subs {
			if sub.OrderID == o.ID && sub.State != subscription.Released {
				t.Fatalf("the subscription is %s", sub.State)
			}
		}
		wantCode(t, m.w.Svc.ReleaseInstances(ctx, m.buyer, ins[1].ID), fault.InvalidState, "error.instance_released")
	})
}

// A buyer sees only its organisation's instances, a seller only those of its
// products and never a password, operators all.
func TestInstanceAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		m := newImaging(t, st)
		ins := m.boot(t, m.place(t, 1, ""))
		id := ins[0].ID
		seller, otherSeller := m.w.Actor(t, "seller2@demo.test", demo.Password), m.w.Actor(t, "seller1@demo.test", demo.Password) // seller2 sells the image
		other := m.w.Actor(t, "direct@demo.test", demo.Password)
		ops := m.w.Actor(t, "ops@demo.test", demo.Password)
		for _, a := range []account.Actor{m.buyer, seller, ops} {
			if _, err := m.w.Svc.Instance(ctx, a, id); err != nil {
				t.Errorf("%s cannot read the instance: %v", a.Email, err)
			}
		}
		for _, a := range []account.Actor{otherSeller, other} {
			if _, err := m.w.Svc.Instance(ctx, a, id); !fault.Is(err, fault.NotFound) {
				t.Errorf("%s reads the instance: %v", a.Email, err)
			}
		}
		for _, a := range []account.Actor{seller, otherSeller, other, ops} {
			if _, err := m.w.Svc.RevealPassword(ctx, a, id); !fault.Is(err, fault.NotFound) {
				t.Errorf("%s sees the password: %v", a.Email, err)
			}
		}
		if list, err := m.w.Svc.Instances(ctx, m.buyer, orgOf(m.buyer)); err != nil || len(list) != 1 {
			t.Errorf("the buyer's instances %d %v", len(list), err)
		}
		if _, err := m.w.Svc.Instances(ctx, other, orgOf(m.buyer)); !fault.Is(err, fault.Forbidden) {
			t.Errorf("another buyer lists them: %v", err)
		}
		// This one, and the demo's outage (released, never ran).
		if list, err := m.w.Svc.SellerInstances(ctx, seller); err != nil || len(list) != 2 || list[0].ID != id || list[0].Password != "" || list[1].State != "deleted" {
			t.Errorf("the seller's instances %+v %v", list, err)
		}
		if list, err := m.w.Svc.SellerInstances(ctx, otherSeller); err != nil || len(list) != 0 {
			t.Errorf("another seller's instances %d %v", len(list), err)
		}
		if _, err := m.w.Svc.SellerInstances(ctx, other); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a buyer lists sellers' instances: %v", err)
		}
		if _, err := m.w.Svc.RevealPassword(ctx, m.buyer, id); err != nil {
			t.Fatal(err)
		}
	})
}
