package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/subscription"
	"github.com/cloudmart/cloudmart/web/api"
)

// afterShop is a world whose market clock the test moves, with a product of
// three plans, another seller's product, a new customer and the tokens of
// the people involved.
type afterShop struct {
	*world
	clock                              *markettest.Clock
	buyer, other, seller, seller2, ops string // tokens
	buyerOrg                           string
	suite                              string // Lakeside Ledger Suite: basic CNY 100.00 and pro 300.00 a month, annual 1,000.00 a year
	shield                             string // Bluepeak's CNY 59.00 a month
}

const freshEmail, freshPassword = "buyer@fresh-bakery.example", "a long good passphrase"

func newAfterShop(t *testing.T, st *store.Store) *afterShop {
	t.Helper()
	mw := markettest.New(t, st, time.Now())
	if err := demo.Load(context.Background(), mw.Svc); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Register(mux, mw.Svc, api.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	w := &world{t: t, url: srv.URL, svc: mw.Svc, st: st}
	s := &afterShop{world: w, clock: mw.Clock, buyer: w.signUp(freshEmail, "Fresh Bakery 鲜焙"), other: w.login("direct@demo.test"),
		seller: w.login("seller1@demo.test"), seller2: w.login("seller2@demo.test"), ops: w.login("ops@demo.test")}
	s.buyerOrg = w.orgOf(s.buyer, "customer")
	s.suite, _ = w.create(s.seller, product("saas", "Lakeside Ledger Suite", "湖畔账套", "storage", []string{"cn-north-4"},
		plan("basic", "monthly", price("100.00", "CNY")), plan("pro", "monthly", price("300.00", "CNY")),
		plan("annual", "yearly", price("1000.00", "CNY"))))
	w.publish(s.seller, s.ops, s.suite)
	s.shield, _ = w.create(s.seller2, product("saas", "Bluepeak Shield", "蓝峰之盾", "security", []string{"cn-north-4"},
		plan("monthly", "monthly", price("59.00", "CNY"))))
	w.publish(s.seller2, s.ops, s.shield)
	return s
}

// signInAgain renews the tokens once the clock has passed their 30 days.
func (s *afterShop) signInAgain() {
	s.t.Helper()
	r := s.do("POST", "/api/v1/sessions", "", map[string]string{"email": freshEmail, "password": freshPassword}).must(s.t, 201, "sign in")
	s.buyer = r.body["token"].(string)
	s.other, s.seller, s.seller2, s.ops = s.login("direct@demo.test"), s.login("seller1@demo.test"), s.login("seller2@demo.test"), s.login("ops@demo.test")
}

func (s *afterShop) topUp(amount, reference string) {
	s.t.Helper()
	s.do("POST", "/api/v1/customers/"+s.buyerOrg+"/top-ups", s.ops, map[string]any{"amount": price(amount, "CNY"), "reference": reference}).must(s.t, 201, "top-up")
}

// buy places an order of the lines and returns it.
func (s *afterShop) buy(lines ...map[string]any) apiOrder {
	s.t.Helper()
	var o apiOrder
	s.placeOrder(s.buyer, "", cart(lines...)).must(s.t, 201, "order").decode(s.t, &o)
	return o
}

func planLine(productID, plan string, quantity, periods int) map[string]any {
	return map[string]any{"product_id": productID, "plan": plan, "quantity": quantity, "periods": periods}
}

type apiMoney struct {
	Amount, Currency string
	Minor            int64
}

type apiSubscription struct {
	ID          string
	OrderID     string `json:"order_id"`
	LineNo      int    `json:"line_no"`
	ProductID   string `json:"product_id"`
	Plan, Mode  string
	Quantity    int
	Region      string
	Zone        string
	State       string
	AutoRenew   bool       `json:"auto_renew"`
	PeriodStart time.Time  `json:"period_start"`
	PeriodEnd   time.Time  `json:"period_end"`
	Periods     int        `json:"periods"`
	GraceUntil  *time.Time `json:"grace_until"`
}

// subscriptionOf returns the subscription an order's line started.
func (s *afterShop) subscriptionOf(orderID string, lineNo int) apiSubscription {
	s.t.Helper()
	var l struct{ Subscriptions []apiSubscription }
	s.do("GET", "/api/v1/subscriptions", s.buyer, nil).must(s.t, 200, "subscriptions").decode(s.t, &l)
	for _, sub := range l.Subscriptions {
		if sub.OrderID == orderID && sub.LineNo == lineNo {
			return sub
		}
	}
	s.t.Fatalf("no subscription of %s line %d in %+v", orderID, lineNo, l)
	return apiSubscription{}
}

func (s *afterShop) runSubscriptions() {
	s.t.Helper()
	if _, err := s.svc.RunSubscriptions(context.Background(), s.clock.Now()); err != nil {
		s.t.Fatal(err)
	}
}

// proRata is amount × left / total, rounded half away from zero (amounts
// here are positive), as upgrades are priced.
func proRata(minor int64, left, total time.Duration) int64 {
	l, t := int64(left/time.Second), int64(total/time.Second)
	return (2*minor*l + t) / (2 * t)
}

func TestSubscriptionsOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newAfterShop(t, st)
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		s.topUp("2000.00", "SUBS-1")
		a := s.buy(planLine(s.suite, "basic", 1, 3))  // 300.00
		b := s.buy(planLine(s.suite, "basic", 10, 1)) // 1,000.00
		if bal, _ := s.balanceCNY(s.buyer, ""); bal != "700.00" {
			t.Fatalf("balance %s", bal)
		}
		// The list: each monthly line is a subscription, in the region's zone.
		r := s.do("GET", "/api/v1/subscriptions", s.buyer, nil).must(t, 200, "subscriptions")
		var list struct{ Subscriptions []apiSubscription }
		r.decode(t, &list)
		if len(list.Subscriptions) != 2 || !strings.Contains(r.raw, `"grace_until":null`) {
			t.Fatalf("subscriptions: %s", r.raw)
		}
		subA, subB := s.subscriptionOf(a.ID, 1), s.subscriptionOf(b.ID, 1)
		start := subA.PeriodStart
		if subA.ProductID != s.suite || subA.Plan != "basic" || subA.Mode != "monthly" || subA.Quantity != 1 || subA.Region != "cn-north-4" ||
			subA.Zone != "Asia/Shanghai" || subA.State != "active" || subA.AutoRenew || subA.Periods != 3 || subA.GraceUntil != nil ||
			!subA.PeriodEnd.Equal(subscription.AddMonths(start, 3, start.In(shanghai).Day(), shanghai)) {
			t.Fatalf("subscription A: %+v", subA)
		}
		if subB.Quantity != 10 || subB.Periods != 1 || !subB.PeriodEnd.Equal(subscription.AddMonths(subB.PeriodStart, 1, subB.PeriodStart.In(shanghai).Day(), shanghai)) {
			t.Fatalf("subscription B: %+v", subB)
		}
		var opsList struct{ Subscriptions []apiSubscription }
		s.do("GET", "/api/v1/subscriptions?org_id="+s.buyerOrg, s.ops, nil).must(t, 200, "operator's list").decode(t, &opsList)
		if len(opsList.Subscriptions) != 2 {
			t.Fatalf("operator sees %+v", opsList)
		}
		s.do("GET", "/api/v1/subscriptions?org_id="+s.buyerOrg, s.other, nil).must(t, 403, "another customer's subscriptions")
		if code, field := s.do("GET", "/api/v1/subscriptions", s.ops, nil).errCode(t); code != "invalid" || field != "org_id" {
			t.Fatalf("operator without org_id: %s %s", code, field)
		}

		// Auto-renewal: the buyer's alone.
		var got apiSubscription
		s.do("PUT", "/api/v1/subscriptions/"+subA.ID+"/auto-renew", s.buyer, map[string]bool{"auto_renew": true}).must(t, 200, "auto-renew").decode(t, &got)
		if got.ID != subA.ID || !got.AutoRenew || got.Plan != "basic" {
			t.Fatalf("auto-renew: %+v", got)
		}
		for _, who := range []string{s.other, s.seller, s.ops} {
			s.do("PUT", "/api/v1/subscriptions/"+subA.ID+"/auto-renew", who, map[string]bool{"auto_renew": false}).must(t, 404, "someone else's subscription")
		}
		s.do("PUT", "/api/v1/subscriptions/sub_nothing/auto-renew", s.buyer, map[string]bool{"auto_renew": false}).must(t, 404, "no such subscription")
		if code, field := s.do("PUT", "/api/v1/subscriptions/"+subA.ID+"/auto-renew", s.buyer, map[string]any{}).errCode(t); code != "invalid" || field != "auto_renew" {
			t.Fatalf("without auto_renew: %s %s", code, field)
		}
		if !s.subscriptionOf(a.ID, 1).AutoRenew {
			t.Fatal("auto-renewal changed by a refused request")
		}

		// Ten days on, upgrades cost the difference for the rest of the term.
		s.clock.Advance(10 * 24 * time.Hour)
		now := s.clock.Now()
		before := s.auditCount()
		for _, p := range []string{"annual", "basic", "nothing"} { // another mode, the same plan, no such plan
			if code, field := s.do("POST", "/api/v1/subscriptions/"+subA.ID+"/upgrade", s.buyer, map[string]string{"plan": p}).errCode(t); code != "invalid" || field != "plan" {
				t.Fatalf("upgrade to %s: %s %s", p, code, field)
			}
		}
		r = s.do("POST", "/api/v1/subscriptions/"+subB.ID+"/upgrade", s.buyer, map[string]string{"plan": "pro"}) // about 1,333.33
		if code, _ := r.errCode(t); r.status != 402 || code != "insufficient_funds" {
			t.Fatalf("upgrade beyond the balance: %d %s", r.status, r.raw)
		}
		for _, who := range []string{s.other, s.seller, s.ops} {
			s.do("POST", "/api/v1/subscriptions/"+subA.ID+"/upgrade", who, map[string]string{"plan": "pro"}).must(t, 404, "someone else's upgrade")
		}
		if bal, _ := s.balanceCNY(s.buyer, ""); bal != "700.00" || s.auditCount() != before || s.subscriptionOf(b.ID, 1).Plan != "basic" {
			t.Fatalf("refused upgrades changed something: balance %s", bal)
		}
		// Five at once, with a balance that would cover them all: one is made and paid.
		s.topUp("2000.00", "SUBS-2")
		want := proRata(20000*3, subA.PeriodEnd.Sub(now), subA.PeriodEnd.Sub(subA.PeriodStart))
		statuses := make([]int, 5)
		bodies := make([]string, 5)
		var wg sync.WaitGroup
		for i := range 5 {
			wg.Go(func() {
				req, _ := http.NewRequest("POST", s.url+"/api/v1/subscriptions/"+subA.ID+"/upgrade", bytes.NewReader([]byte(`{"plan":"pro"}`)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+s.buyer)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					return
				}
				defer res.Body.Close()
				raw, _ := io.ReadAll(res.Body)
				statuses[i], bodies[i] = res.StatusCode, string(raw)
				if res.StatusCode == 201 && res.Header.Get("Location") == "" {
					statuses[i] = -1
				}
			})
		}
		wg.Wait()
		var up struct {
			apiOrder
			Kind  string
			Lines []struct {
				Plan     string
				Quantity int
				Paid     apiMoney
			}
		}
		made := 0
		for i := range 5 {
			switch statuses[i] {
			case 201:
				made++
				_ = json.Unmarshal([]byte(bodies[i]), &up)
			case 400, 409: // the plan is pro already; the subscription changed meanwhile
			default:
				t.Fatalf("upgrade %d: %d %s", i, statuses[i], bodies[i])
			}
		}
		if made != 1 || up.Kind != "upgrade" || up.State != "paid" || up.BuyerOrgID != s.buyerOrg || len(up.Lines) != 1 || up.Lines[0].Plan != "pro" ||
			up.Lines[0].Quantity != 1 || up.Lines[0].Paid.Minor != want || up.Paid.Amount != up.Lines[0].Paid.Amount {
			t.Fatalf("%d upgrades made; want one of %d fen: %+v", made, want, up)
		}
		if sub := s.subscriptionOf(a.ID, 1); sub.Plan != "pro" || !sub.PeriodEnd.Equal(subA.PeriodEnd) {
			t.Fatalf("upgraded: %+v", sub)
		}
		if l := s.orders("/api/v1/orders", s.buyer); len(l.Orders) != 3 || l.Orders[0].ID != up.ID {
			t.Fatalf("orders after the upgrade: %v", l.ids())
		}
		if bal, _ := s.balanceCNY(s.buyer, ""); bal != amountOf(270000-want) {
			t.Fatalf("balance after the upgrade %s, want %s", bal, amountOf(270000-want))
		}
		s.do("GET", "/api/v1/orders/"+up.ID, s.seller, nil).must(t, 200, "the seller reads the upgrade order")

		// B expires without renewal: frozen for 15 days, then released.
		s.clock.Set(subB.PeriodEnd.Add(time.Hour))
		s.runSubscriptions()
		s.signInAgain()
		frozen := s.subscriptionOf(b.ID, 1)
		if frozen.State != "frozen" || frozen.GraceUntil == nil || !frozen.GraceUntil.Equal(subB.PeriodEnd.Add(15*24*time.Hour)) {
			t.Fatalf("frozen: %+v", frozen)
		}
		if code, _ := s.do("POST", "/api/v1/subscriptions/"+subB.ID+"/upgrade", s.buyer, map[string]string{"plan": "pro"}).errCode(t); code != "invalid_state" {
			t.Fatalf("upgrading a frozen subscription: %s", code)
		}
		s.do("PUT", "/api/v1/subscriptions/"+subB.ID+"/auto-renew", s.buyer, map[string]bool{"auto_renew": false}).must(t, 200, "auto-renewal while frozen").decode(t, &got)
		if got.State != "frozen" || got.GraceUntil == nil {
			t.Fatalf("frozen, answered: %+v", got)
		}
		s.clock.Set(subB.PeriodEnd.Add(15*24*time.Hour + time.Hour))
		s.runSubscriptions()
		s.signInAgain()
		if sub := s.subscriptionOf(b.ID, 1); sub.State != "released" || sub.GraceUntil != nil {
			t.Fatalf("released: %+v", sub)
		}
		r = s.do("PUT", "/api/v1/subscriptions/"+subB.ID+"/auto-renew", s.buyer, map[string]bool{"auto_renew": true})
		if code, _ := r.errCode(t); r.status != 409 || code != "invalid_state" {
			t.Fatalf("auto-renewing a released subscription: %d %s", r.status, r.raw)
		}
		if sub := s.subscriptionOf(a.ID, 1); sub.State != "active" || sub.Plan != "pro" {
			t.Fatalf("A: %+v", sub)
		}
	})
}

// amountOf writes minor units of CNY as the API does.
func amountOf(minor int64) string { return money.New(minor, money.CNY).Decimal() }
