package market_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/delivery/saas/saastest"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// sellerHost is the test seller's name: it does not resolve, and the client
// is told to send it to the test server's loopback address.
const sellerHost = "desk.seller.example"

// cloudDesk is a SaaS product with a monthly plan offering a free trial, a
// dearer monthly plan, and a pay-per-use plan.
func cloudDesk() catalog.Product {
	return catalog.Product{
		Type:        catalog.TypeSaaS,
		Name:        catalog.Text{EN: "Cloud Desk", ZH: "云桌面"},
		Summary:     catalog.Text{EN: "Help desk in the cloud", ZH: "云上服务台"},
		Description: catalog.Text{EN: "Tickets, chat and a knowledge base.", ZH: "工单、聊天与知识库。"},
		Category:    "storage",
		Regions:     []string{"cn-north-4"},
		Support:     catalog.Support{Email: "support@lakeside.example"},
		SaaS:        &catalog.SaaSSpec{Endpoint: "https://" + sellerHost + "/cloudmart", DeployRegion: "cn-north-4", FreeTrial: true},
		Plans: []catalog.Plan{
			{Code: "basic", Name: catalog.Text{EN: "Basic", ZH: "基础版"}, Mode: catalog.Monthly, Price: money.New(9900, money.CNY), TrialDays: 14, Active: true},
			{Code: "pro", Name: catalog.Text{EN: "Pro", ZH: "专业版"}, Mode: catalog.Monthly, Price: money.New(19900, money.CNY), Active: true},
			{Code: "metered", Name: catalog.Text{EN: "Metered", ZH: "按量"}, Mode: catalog.PayPerUse, Active: true,
				Usage: &catalog.UsagePrice{Unit: "agent-hour", Tiers: []catalog.Tier{
					{UpTo: 100, UnitPrice: money.New(0, money.CNY)},
					{UpTo: 1000, UnitPrice: money.New(50, money.CNY)},
					{UnitPrice: money.New(30, money.CNY)},
				}}},
		},
	}
}

// deskInstance is an instance the test seller opened.
type deskInstance struct {
	id, orderLine, sku string
	status             saas.InstanceStatus
	expire             time.Time
	password           string
	test               bool
}

// deskSeller is a seller's service for the tests, on the SDK's handler: one
// instance per order line, with switches to be down, slow to open, refusing,
// or signing its answers with the wrong key.
type deskSeller struct {
	key string

	mu         sync.Mutex
	down       bool      // answer HTTP 503, as a service that is down
	processing bool      // answer a new newInstance 000004; NORMAL on the next queryInstance
	failOpen   bool      // queryInstance reports a processing instance FAILED
	refuse     saas.Code // answer newInstance with this code
	forge      bool      // sign answers with another key
	instances  map[string]*deskInstance
	calls      []string // activity and scene/status, in order
}

func (s *deskSeller) note(call string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
}

func (s *deskSeller) set(f func(s *deskSeller)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *deskSeller) info(in *deskInstance) *saas.AppInfo {
	sealed, _ := saas.SealPassword(s.key, in.password)
	return &saas.AppInfo{FrontEndURL: "https://" + sellerHost + "/t/" + in.id, AdminURL: "https://" + sellerHost + "/admin", UserName: "owner", Password: sealed}
}

func (s *deskSeller) NewInstance(_ context.Context, r saas.NewInstanceRequest) (saas.NewInstanceResult, error) {
	s.note("newInstance " + string(r.ProvisionType))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refuse != "" {
		return saas.NewInstanceResult{}, &saas.Error{Code: s.refuse, Msg: "refused by the test"}
	}
	in, ok := s.instances[r.OrderLineID]
	if !ok {
		in = &deskInstance{id: fmt.Sprintf("desk-%d", len(s.instances)+1), orderLine: r.OrderLineID, sku: r.SKUCode, status: saas.StatusNormal,
			expire: r.ExpireTime.Time, password: "pw-" + r.OrderLineID, test: r.TestFlag}
		if s.processing {
			in.status = saas.StatusProcessing
		}
		s.instances[r.OrderLineID] = in
	}
	if in.status == saas.StatusProcessing {
		return saas.NewInstanceResult{InstanceID: in.id, Processing: true}, nil
	}
	return saas.NewInstanceResult{InstanceID: in.id, AppInfo: s.info(in)}, nil
}

func (s *deskSeller) byID(id string) (*deskInstance, error) {
	for _, in := range s.instances {
		if in.id == id {
			return in, nil
		}
	}
	return nil, &saas.Error{Code: saas.CodeInstanceNotFound}
}

func (s *deskSeller) RefreshInstance(_ context.Context, r saas.RefreshInstanceRequest) error {
	s.note("refreshInstance " + string(r.Scene))
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.byID(r.InstanceID)
	if err == nil {
		in.expire = r.ExpireTime.Time
	}
	return err
}

func (s *deskSeller) UpdateInstanceStatus(_ context.Context, r saas.UpdateInstanceStatusRequest) error {
	s.note("updateInstanceStatus " + string(r.InstanceStatus))
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.byID(r.InstanceID)
	if err == nil {
		in.status = r.InstanceStatus
	}
	return err
}

func (s *deskSeller) UpgradeInstance(_ context.Context, r saas.UpgradeInstanceRequest) error {
	s.note("upgradeInstance " + r.SKUCode)
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.byID(r.InstanceID)
	if err == nil {
		in.sku = r.SKUCode
	}
	return err
}

func (s *deskSeller) ReleaseInstance(_ context.Context, r saas.ReleaseInstanceRequest) error {
	s.note("releaseInstance " + string(r.Scene))
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.byID(r.InstanceID)
	if err == nil {
		in.status = saas.StatusReleased
	}
	return err
}

func (s *deskSeller) QueryInstance(_ context.Context, r saas.QueryInstanceRequest) ([]saas.InstanceInfo, error) {
	s.note("queryInstance")
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []saas.InstanceInfo
	for _, id := range r.InstanceIDs {
		in, err := s.byID(id)
		if err != nil {
			continue
		}
		info := saas.InstanceInfo{InstanceID: in.id, Status: in.status}
		if in.status == saas.StatusProcessing {
			if s.failOpen {
				in.status, info.Status = saas.StatusFailed, saas.StatusFailed
			} else if !s.processing {
				in.status, info.Status, info.AppInfo = saas.StatusNormal, saas.StatusNormal, s.info(in)
			}
		}
		out = append(out, info)
	}
	return out, nil
}

// ServeHTTP puts the switches in front of the SDK's handler.
func (s *deskSeller) serve(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		down, forge := s.down, s.forge
		s.mu.Unlock()
		if down {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		if !forge {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		w.Header().Set(saas.BodySignHeader, saas.BodySign("not-the-product-key", rec.Body.Bytes()))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// desk is a world with the Cloud Desk product on sale, its seller's service
// on a real HTTPS server, a buyer with a balance, and a Service that
// delivers SaaS through a client allowed to reach loopback.
type desk struct {
	w       *markettest.World
	svc     *market.Service // delivers, with the SaaS client
	buyer   account.Actor
	seller  account.Actor
	product string
	s       *deskSeller
}

func newDesk(t *testing.T, st *store.Store, window time.Duration) desk {
	t.Helper()
	w, _, buyer := buying(t, st, 1_000_000)
	id, seller, s, client := serveDesk(t, w)
	svc := market.New(st, market.Options{Clock: w.Clock.Now, Secrets: w.Secrets, SaaS: client, SaaSOpenWindow: window})
	return desk{w: w, svc: svc, buyer: buyer, seller: seller, product: id, s: s}
}

// serveDesk puts Cloud Desk on sale for seller1@demo.test, serves its
// seller over HTTPS on loopback, and returns the product, its seller, the
// seller's service and a client that reaches it.
func serveDesk(tb testing.TB, w *markettest.World) (string, account.Actor, *deskSeller, *saas.Client) {
	tb.Helper()
	id := w.Publish(tb, "seller1@demo.test", cloudDesk())
	seller := w.Actor(tb, "seller1@demo.test", demo.Password)
	key, err := w.Svc.RotateSigningKey(context.Background(), seller, id)
	if err != nil {
		tb.Fatal(err)
	}
	s := &deskSeller{key: key, instances: map[string]*deskInstance{}}
	cert, pem, err := saastest.Certificate(sellerHost)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(s.serve(saas.NewHandler(saas.HandlerConfig{AccessKey: id, Key: key, Now: w.Clock.Now}, s)))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	tb.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	client := saas.NewClient(saas.Options{AllowedPrefixes: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, RootCAs: roots, Now: w.Clock.Now,
		Hosts: map[string]string{sellerHost: srv.Listener.Addr().String()}})
	return id, seller, s, client
}

// buy places an order of one line of the plan through the delivering
// service (so its open window applies).
func (d desk) buy(t *testing.T, plan string, trial, autoRenew bool) order.Order {
	t.Helper()
	o, _, err := d.svc.PlaceOrder(context.Background(), d.buyer, market.OrderRequest{OrgID: orgOf(d.buyer),
		Lines: []order.LineRequest{{ProductID: d.product, Plan: plan, Region: "cn-north-4", Trial: trial, AutoRenew: autoRenew}}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// deliver runs the order's waiting deliveries once, as the jobs would.
func (d desk) deliver(t *testing.T, orderID string) error {
	t.Helper()
	return deliverAll(t, d.w, d.svc, orderID)
}

func (d desk) instance(t *testing.T, o order.Order) market.SaaSInstanceView {
	t.Helper()
	in, ok, err := d.svc.SaaSInstance(context.Background(), d.buyer, o.ID, 1)
	if err != nil || !ok {
		t.Fatalf("no instance for %s: %v", o.ID, err)
	}
	return in
}

func (d desk) calls() string {
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	return strings.Join(d.s.calls, ", ")
}

func (d desk) deliveries(t *testing.T, orderID string) []delivery.Delivery {
	t.Helper()
	ds, err := d.svc.Deliveries(context.Background(), d.w.Actor(t, "ops@demo.test", demo.Password), orderID)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// Bought, opened over HTTPS, delivered: the instance is the buyer's, its
// password shown once; a job run again calls nothing more; every call is
// on the seller's page, and on no other seller's.
func TestSaaSOpenedOnPayment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := newDesk(t, st, 0)
		o := d.buy(t, "basic", false, false)
		if err := d.deliver(t, o.ID); err != nil {
			t.Fatal(err)
		}
		if s := orderState(t, d.w, d.buyer, o.ID); s != order.Delivered {
			t.Fatalf("order %s", s)
		}
		in := d.instance(t, o)
		if in.InstanceID != "desk-1" || in.State != store.SaaSNormal || in.FrontEndURL != "https://"+sellerHost+"/t/desk-1" || in.UserName != "owner" ||
			!in.HasPassword || in.Plan != "basic" || in.Trial {
			t.Fatalf("instance %+v", in)
		}
		pw, err := d.svc.RevealSaaSPassword(ctx, d.buyer, o.ID, 1)
		if err != nil || pw != "pw-"+o.ID+"-1" {
			t.Fatalf("password %q %v", pw, err)
		}
		if _, err := d.svc.RevealSaaSPassword(ctx, d.buyer, o.ID, 1); !fault.Is(err, fault.InvalidState) {
			t.Fatalf("shown twice: %v", err)
		}
		if in := d.instance(t, o); in.HasPassword || in.PasswordShown.IsZero() {
			t.Fatalf("after showing %+v", in)
		}
		seller2 := d.w.Actor(t, "seller2@demo.test", demo.Password)
		if _, err := d.svc.RevealSaaSPassword(ctx, seller2, o.ID, 1); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another seller reveals it: %v", err)
		}
		// A job run again changes nothing and calls nobody.
		ds := d.deliveries(t, o.ID)
		if err := d.svc.Deliver(ctx, ds[0].ID); err != nil {
			t.Fatal(err)
		}
		if got := d.calls(); got != "newInstance FORMAL" {
			t.Fatalf("calls %s", got)
		}
		ex, err := d.svc.SaaSExchanges(ctx, d.seller, market.ExchangeQuery{})
		if err != nil || len(ex) != 1 || ex[0].ResultCode != "000000" || ex[0].HTTPStatus != 200 || ex[0].DeliveryID != ds[0].ID ||
			!strings.Contains(ex[0].RequestBody, `"orderLineId":"`+o.ID+`-1"`) || strings.Contains(ex[0].URL, "signature") {
			t.Fatalf("exchanges %+v %v", ex, err)
		}
		if other, err := d.svc.SaaSExchanges(ctx, seller2, market.ExchangeQuery{}); err != nil || len(other) != 0 {
			t.Fatalf("another seller sees %d: %v", len(other), err)
		}
		if _, err := d.svc.SaaSExchanges(ctx, d.buyer, market.ExchangeQuery{}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a buyer reads exchanges: %v", err)
		}
	})
}

// The seller answers 000004: the delivery is under way, the instance
// opening; the next look polls queryInstance and finds it NORMAL.
func TestSaaSOpenedAsynchronously(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		d := newDesk(t, st, 0)
		d.s.set(func(s *deskSeller) { s.processing = true })
		o := d.buy(t, "basic", false, false)
		if err := d.deliver(t, o.ID); !errors.Is(err, market.ErrPending) {
			t.Fatalf("first look: %v", err)
		}
		if s := orderState(t, d.w, d.buyer, o.ID); s != order.Delivering {
			t.Fatalf("order %s", s)
		}
		if in := d.instance(t, o); in.State != store.SaaSOpening || in.InstanceID != "desk-1" {
			t.Fatalf("opening %+v", in)
		}
		if err := d.deliver(t, o.ID); !errors.Is(err, market.ErrPending) { // still processing
			t.Fatalf("second look: %v", err)
		}
		if ds := d.deliveries(t, o.ID); ds[0].Attempts != 0 {
			t.Fatalf("a pending look counted an attempt: %+v", ds[0])
		}
		d.s.set(func(s *deskSeller) { s.processing = false })
		if err := d.deliver(t, o.ID); err != nil {
			t.Fatal(err)
		}
		if s := orderState(t, d.w, d.buyer, o.ID); s != order.Delivered {
			t.Fatalf("order %s", s)
		}
		if in := d.instance(t, o); in.State != store.SaaSNormal || !in.HasPassword || in.FrontEndURL == "" {
			t.Fatalf("opened %+v", in)
		}
		if got := d.calls(); got != "newInstance FORMAL, queryInstance, queryInstance" {
			t.Fatalf("calls %s", got)
		}

		// Another line whose opening the seller reports FAILED: refunded at once.
		d.s.set(func(s *deskSeller) { s.processing, s.failOpen = true, true })
		o2 := d.buy(t, "pro", false, false)
		if err := d.deliver(t, o2.ID); !errors.Is(err, market.ErrPending) {
			t.Fatal(err)
		}
		if err := d.deliver(t, o2.ID); err != nil {
			t.Fatal(err)
		}
		if s := orderState(t, d.w, d.buyer, o2.ID); s != order.Refunded {
			t.Fatalf("failed opening: order %s", s)
		}
	})
}

// The seller is down for a while: every attempt fails and is retried; back
// up within the window, the next attempt opens one instance.
func TestSaaSSellerDownThenBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		d := newDesk(t, st, 0)
		d.s.set(func(s *deskSeller) { s.down = true })
		o := d.buy(t, "basic", false, false)
		for range 3 {
			if err := d.deliver(t, o.ID); err == nil || !strings.Contains(err.Error(), "503") {
				t.Fatalf("while down: %v", err)
			}
			d.w.Clock.Advance(time.Hour - time.Minute)
		}
		if s := orderState(t, d.w, d.buyer, o.ID); s != order.Delivering {
			t.Fatalf("order %s while retrying", s)
		}
		d.s.set(func(s *deskSeller) { s.down = false })
		if err := d.deliver(t, o.ID); err != nil {
			t.Fatal(err)
		}
		if s := orderState(t, d.w, d.buyer, o.ID); s != order.Delivered {
			t.Fatalf("order %s", s)
		}
		ds := d.deliveries(t, o.ID)
		if ds[0].State != delivery.Done || ds[0].Attempts != 4 {
			t.Fatalf("delivery %+v", ds[0])
		}
		if len(d.s.instances) != 1 {
			t.Fatalf("%d instances", len(d.s.instances))
		}
		ex, _ := d.svc.SaaSExchanges(context.Background(), d.seller, market.ExchangeQuery{})
		if len(ex) != 4 || ex[1].HTTPStatus != 503 || ex[1].Error == "" || ex[0].ResultCode != "000000" {
			t.Fatalf("exchanges %+v", ex)
		}
	})
}

// The seller stays down past the window (configured to 90 minutes here): the
// line fails and is refunded in full, and no retry by hand can bring it back.
func TestSaaSSellerDownPastTheWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := newDesk(t, st, 90*time.Minute)
		before := balance(t, d.w, d.buyer)
		d.s.set(func(s *deskSeller) { s.down = true })
		o := d.buy(t, "basic", false, false)
		ds := d.deliveries(t, o.ID)
		if !ds[0].GiveUpAt.Equal(o.PaidAt.Add(90 * time.Minute)) {
			t.Fatalf("deadline %s, paid %s", ds[0].GiveUpAt, o.PaidAt)
		}
		if err := d.deliver(t, o.ID); err == nil {
			t.Fatal("delivered while down")
		}
		d.w.Clock.Advance(90 * time.Minute)
		if err := d.deliver(t, o.ID); err != nil {
			t.Fatal(err) // failed for good
		}
		got, err := d.svc.Order(ctx, d.buyer, o.ID)
		if err != nil || got.State != order.Refunded || got.Refunded != o.Payable {
			t.Fatalf("order %s refunded %v: %v", got.State, got.Refunded, err)
		}
		if after := balance(t, d.w, d.buyer); after != before {
			t.Fatalf("balance %v, was %v", after, before)
		}
		ds = d.deliveries(t, o.ID)
		if ds[0].State != delivery.Failed {
			t.Fatalf("deliveries %+v", ds)
		}
		d.s.set(func(s *deskSeller) { s.down = false })
		_, err = d.svc.RetryDelivery(ctx, d.seller, ds[0].ID)
		wantCode(t, err, fault.InvalidState, "error.delivery_refunded")
		if err := d.deliver(t, o.ID); err != nil { // the release asked by the refund: nothing was opened
			t.Fatal(err)
		}
		if len(d.s.instances) != 0 {
			t.Fatalf("opened after the refund: %v", d.s.instances)
		}
	})
}

// A refusal (sold out) fails the line at once and refunds it.
func TestSaaSRefusalRefunds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		d := newDesk(t, st, 0)
		d.s.set(func(s *deskSeller) { s.refuse = saas.CodeSoldOut })
		o := d.buy(t, "basic", false, false)
		if err := d.deliver(t, o.ID); err != nil {
			t.Fatal(err)
		}
		ds := d.deliveries(t, o.ID)
		if ds[0].State != delivery.Failed || ds[0].Attempts != 1 || !strings.Contains(ds[0].LastError, "000104") {
			t.Fatalf("delivery %+v", ds[0])
		}
		if s := orderState(t, d.w, d.buyer, o.ID); s != order.Refunded {
			t.Fatalf("order %s", s)
		}
	})
}

// An answer signed with another key is rejected: the call failed, it is
// recorded, nothing is opened.
func TestSaaSForgedAnswerRejected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		d := newDesk(t, st, 0)
		d.s.set(func(s *deskSeller) { s.forge = true })
		o := d.buy(t, "basic", false, false)
		if err := d.deliver(t, o.ID); !errors.Is(err, saas.ErrBadSign) {
			t.Fatalf("forged answer: %v", err)
		}
		if _, ok, _ := d.svc.SaaSInstance(context.Background(), d.buyer, o.ID, 1); ok {
			t.Fatal("an instance from a forged answer")
		}
		ex, _ := d.svc.SaaSExchanges(context.Background(), d.seller, market.ExchangeQuery{})
		if len(ex) != 1 || ex[0].HTTPStatus != 200 || ex[0].ResultCode != "" || !strings.Contains(ex[0].Error, "Body-Sign") {
			t.Fatalf("exchanges %+v", ex)
		}
		if s := orderState(t, d.w, d.buyer, o.ID); s != order.Delivering {
			t.Fatalf("order %s", s)
		}
	})
}

// A subscription's life at the seller: a trial opened, converted by its
// renewal (TRIAL_TO_FORMAL), upgraded, frozen at expiry, brought back and
// renewed in its grace period, frozen again and released when the grace
// period ends.
func TestSaaSSubscriptionLife(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := newDesk(t, st, 0)
		o := d.buy(t, "basic", true, false)
		if err := d.deliver(t, o.ID); err != nil {
			t.Fatal(err)
		}
		if in := d.instance(t, o); !in.Trial {
			t.Fatalf("trial instance %+v", in)
		}
		subs, err := d.svc.Subscriptions(ctx, d.buyer, orgOf(d.buyer))
		if err != nil || len(subs) != 1 {
			t.Fatalf("subscriptions %+v %v", subs, err)
		}
		sub := subs[0]
		trialEnd := sub.PeriodEnd
		if got := d.s.instances[o.ID+"-1"].expire; !got.Equal(trialEnd.Truncate(time.Second)) {
			t.Fatalf("trial expiry at the seller %s, want %s", got, trialEnd)
		}
		step := func(name string) {
			t.Helper()
			if err := d.deliver(t, o.ID); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		// The buyer converts the trial.
		conv, err := d.svc.RenewNow(ctx, d.buyer, sub.ID, sub.PeriodEnd)
		if err != nil {
			t.Fatal(err)
		}
		step("convert")
		if s := orderState(t, d.w, d.buyer, conv.ID); s != order.Delivered {
			t.Fatalf("conversion order %s", s)
		}
		subs, _ = d.svc.Subscriptions(ctx, d.buyer, orgOf(d.buyer))
		sub = subs[0]
		if got := d.s.instances[o.ID+"-1"].expire; !got.Equal(sub.PeriodEnd.Truncate(time.Second)) || !got.After(trialEnd) {
			t.Fatalf("expiry after conversion %s, want %s", got, sub.PeriodEnd)
		}
		// Upgraded to pro.
		d.w.Clock.Set(sub.PeriodStart.Add(24 * time.Hour))
		up, err := d.svc.Upgrade(ctx, d.buyer, sub.ID, "pro", "")
		if err != nil {
			t.Fatal(err)
		}
		step("upgrade")
		if s := orderState(t, d.w, d.buyer, up.ID); s != order.Delivered {
			t.Fatalf("upgrade order %s", s)
		}
		if in := d.instance(t, o); in.Plan != "pro" || d.s.instances[o.ID+"-1"].sku != "pro" {
			t.Fatalf("after upgrade %+v", in)
		}
		// Expired without renewal: frozen.
		subs, _ = d.svc.Subscriptions(ctx, d.buyer, orgOf(d.buyer))
		sub = subs[0]
		d.w.Clock.Set(sub.PeriodEnd)
		if _, err := d.svc.RunSubscriptions(ctx, d.w.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		step("freeze")
		if in := d.instance(t, o); in.State != store.SaaSFrozen || d.s.instances[o.ID+"-1"].status != saas.StatusFreeze {
			t.Fatalf("after freeze %+v", in)
		}
		// Renewed in the grace period: brought back, then renewed.
		subs, _ = d.svc.Subscriptions(ctx, d.buyer, orgOf(d.buyer))
		sub = subs[0]
		d.w.Clock.Advance(48 * time.Hour)
		if _, err := d.svc.RenewNow(ctx, d.buyer, sub.ID, sub.PeriodEnd); err != nil {
			t.Fatal(err)
		}
		step("renew")
		if in := d.instance(t, o); in.State != store.SaaSNormal || d.s.instances[o.ID+"-1"].status != saas.StatusNormal {
			t.Fatalf("after renewal %+v", in)
		}
		// Expired again; released after the grace period.
		subs, _ = d.svc.Subscriptions(ctx, d.buyer, orgOf(d.buyer))
		sub = subs[0]
		d.w.Clock.Set(sub.PeriodEnd)
		if _, err := d.svc.RunSubscriptions(ctx, d.w.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		step("freeze again")
		d.w.Clock.Set(sub.PeriodEnd.Add(15 * 24 * time.Hour))
		if _, err := d.svc.RunSubscriptions(ctx, d.w.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		step("release")
		if in := d.instance(t, o); in.State != store.SaaSReleased || d.s.instances[o.ID+"-1"].status != saas.StatusReleased {
			t.Fatalf("after release %+v", in)
		}
		want := "newInstance TRIAL, refreshInstance TRIAL_TO_FORMAL, upgradeInstance pro, updateInstanceStatus FREEZE, " +
			"updateInstanceStatus NORMAL, refreshInstance RENEWAL, updateInstanceStatus FREEZE, releaseInstance EXPIRED"
		if got := d.calls(); got != want {
			t.Fatalf("calls\n %s\nwant\n %s", got, want)
		}
	})
}

// A refund releases the instance (UNSUBSCRIBE); a release the seller does
// not know (000003) counts as done.
func TestSaaSReleasedOnRefund(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := newDesk(t, st, 0)
		o := d.buy(t, "basic", false, false)
		if err := d.deliver(t, o.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.svc.Refund(ctx, d.buyer, market.RefundRequest{OrderID: o.ID, Reason: "not needed"}); err != nil {
			t.Fatal(err)
		}
		if err := d.deliver(t, o.ID); err != nil {
			t.Fatal(err)
		}
		if in := d.instance(t, o); in.State != store.SaaSReleased || d.s.instances[o.ID+"-1"].status != saas.StatusReleased {
			t.Fatalf("after refund %+v", in)
		}
		o2 := d.buy(t, "pro", false, false)
		if err := d.deliver(t, o2.ID); err != nil {
			t.Fatal(err)
		}
		d.s.set(func(s *deskSeller) { delete(s.instances, o2.ID+"-1") }) // the seller lost it
		if _, err := d.svc.Refund(ctx, d.buyer, market.RefundRequest{OrderID: o2.ID, Reason: "not needed"}); err != nil {
			t.Fatal(err)
		}
		if err := d.deliver(t, o2.ID); err != nil {
			t.Fatal(err)
		}
		if in := d.instance(t, o2); in.State != store.SaaSReleased {
			t.Fatalf("unknown at the seller %+v", in)
		}
		if got := d.calls(); !strings.HasSuffix(got, "releaseInstance UNSUBSCRIBE, newInstance FORMAL, releaseInstance UNSUBSCRIBE") {
			t.Fatalf("calls %s", got)
		}
	})
}

// A freeze that failed for an hour is retried by the seller's hand, and
// then succeeds; a done delivery cannot be retried, nor another seller's.
func TestSaaSRetryByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := newDesk(t, st, 0)
		o := d.buy(t, "basic", false, false)
		if err := d.deliver(t, o.ID); err != nil {
			t.Fatal(err)
		}
		subs, _ := d.svc.Subscriptions(ctx, d.buyer, orgOf(d.buyer))
		d.w.Clock.Set(subs[0].PeriodEnd)
		if _, err := d.svc.RunSubscriptions(ctx, d.w.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		d.s.set(func(s *deskSeller) { s.down = true })
		if err := d.deliver(t, o.ID); err == nil {
			t.Fatal("froze while down")
		}
		d.w.Clock.Advance(delivery.OtherWindow)
		if err := d.deliver(t, o.ID); err != nil {
			t.Fatal(err)
		}
		ds := d.deliveries(t, o.ID)
		if len(ds) != 2 || ds[1].Action != delivery.Freeze || ds[1].State != delivery.Failed {
			t.Fatalf("deliveries %+v", ds)
		}
		_, err := d.svc.RetryDelivery(ctx, d.w.Actor(t, "seller2@demo.test", demo.Password), ds[1].ID)
		wantCode(t, err, fault.NotFound, "")
		_, err = d.svc.RetryDelivery(ctx, d.seller, ds[0].ID)
		wantCode(t, err, fault.InvalidState, "error.delivery_done")
		d.s.set(func(s *deskSeller) { s.down = false })
		again, err := d.svc.RetryDelivery(ctx, d.seller, ds[1].ID)
		if err != nil || again.State != delivery.Waiting || !again.GiveUpAt.Equal(d.w.Clock.Now().Add(delivery.OtherWindow)) {
			t.Fatalf("retried %+v %v", again, err)
		}
		if err := d.deliver(t, o.ID); err != nil {
			t.Fatal(err)
		}
		if in := d.instance(t, o); in.State != store.SaaSFrozen {
			t.Fatalf("instance %+v", in)
		}
	})
}

// The seller's test order reaches its endpoint with testFlag true, costs
// nothing, and is on its page as a test.
func TestSaaSTestOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := newDesk(t, st, 0)
		ex, err := d.svc.SendTestOrder(ctx, d.seller, d.product)
		if err != nil || !ex.Test || ex.ResultCode != "000000" || !strings.Contains(ex.RequestBody, `"testFlag":true`) {
			t.Fatalf("test order %+v %v", ex, err)
		}
		if len(d.s.instances) != 1 {
			t.Fatalf("seller instances %d", len(d.s.instances))
		}
		for _, in := range d.s.instances {
			if !in.test {
				t.Fatalf("instance %+v", in)
			}
		}
		list, _ := d.svc.SaaSExchanges(ctx, d.seller, market.ExchangeQuery{ProductID: d.product})
		if len(list) != 1 || !list[0].Test {
			t.Fatalf("exchanges %+v", list)
		}
		if _, err := d.svc.SendTestOrder(ctx, d.w.Actor(t, "seller2@demo.test", demo.Password), d.product); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another seller's test order: %v", err)
		}
	})
}

// Without the operator's allowance a loopback endpoint is never reached:
// the call fails (and is retried) without connecting.
func TestSaaSPrivateAddressRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		d := newDesk(t, st, 0)
		guarded := market.New(st, market.Options{Clock: d.w.Clock.Now, Secrets: d.w.Secrets,
			SaaS: saas.NewClient(saas.Options{Now: d.w.Clock.Now, Hosts: map[string]string{sellerHost: "127.0.0.1:9"}})})
		o := d.buy(t, "basic", false, false)
		if err := deliverAll(t, d.w, guarded, o.ID); !errors.Is(err, saas.ErrForbiddenAddress) {
			t.Fatalf("loopback without allowance: %v", err)
		}
		if got := d.calls(); got != "" {
			t.Fatalf("the seller was called: %s", got)
		}
	})
}
