package ui_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/subscription"
)

// demoSite is a site with the demo world loaded.
func demoSite(t *testing.T) *site {
	t.Helper()
	s := newSite(t)
	if err := demo.Load(context.Background(), s.svc); err != nil {
		t.Fatal(err)
	}
	return s
}

// demoLogIn signs a demo person in.
func (s *site) demoLogIn(t *testing.T, email string) *browser {
	t.Helper()
	b := s.browser(t)
	b.mustLogIn(email, demo.Password)
	return b
}

// demoProduct returns the id of the seller's demo product of the name.
func (s *site) demoProduct(t *testing.T, sellerEmail, name string) string {
	t.Helper()
	list, err := s.svc.SellerProducts(context.Background(), s.world.Actor(t, sellerEmail, demo.Password))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range list {
		if v.Content().Name.EN == name {
			return v.ID
		}
	}
	t.Fatalf("no demo product %q", name)
	return ""
}

// orgOf is the id of the demo person's first organisation.
func (s *site) orgOf(t *testing.T, email string) string {
	t.Helper()
	return s.world.Actor(t, email, demo.Password).Memberships[0].OrgID
}

// balanceOf is the buyer's organisation's balance in CNY.
func (s *site) balanceOf(t *testing.T, a account.Actor) money.Amount {
	t.Helper()
	bs, err := s.svc.Balances(context.Background(), a, a.Memberships[0].OrgID)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Amount.Currency == money.CNY {
			return b.Amount
		}
	}
	return money.New(0, money.CNY)
}

// purchases lists the buyer's organisation's orders.
func (s *site) purchases(t *testing.T, a account.Actor) []order.Order {
	t.Helper()
	list, err := s.svc.Purchases(context.Background(), a, store.OrderFilter{BuyerOrgID: a.Memberships[0].OrgID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// hidden reads the value of a hidden input of a page.
func hidden(t *testing.T, body, name string) string {
	t.Helper()
	return regexpFind(t, body, `<input type="hidden" name="`+name+`" value="([^"]*)">`)
}

// payForm reads the checkout's form to send it back as a browser would.
func payForm(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, name := range []string{"lines", "key", "payable", "from"} {
		v.Set(name, strings.ReplaceAll(hidden(t, body, name), "&#43;", "+"))
	}
	return v
}

const logs = "Lakeside Log Analytics" // seller1's SaaS: ¥299 a month, a 14-day trial, three regions

// TestBuyingThroughTheUI walks a purchase through the pages: an operator tops
// up a customer; its buyer puts a monthly SaaS plan in the cart, changes it,
// checks out and pays (twice, as a double click would: one order); the buyer
// sees the order, its receipt and the statement; the seller sees its lines;
// nobody else sees the order.
func TestBuyingThroughTheUI(t *testing.T) {
	s := demoSite(t)
	id := s.demoProduct(t, "seller1@demo.test", logs)
	org := s.orgOf(t, "telesales@demo.test")
	buyerActor := s.world.Actor(t, "telesales@demo.test", demo.Password)
	start, placed := s.balanceOf(t, buyerActor), len(s.purchases(t, buyerActor))
	cny := func(minor int64) money.Amount { a, _ := start.Add(money.New(minor, money.CNY)); return a }
	ops := s.demoLogIn(t, "ops@demo.test")

	// The operator records a top-up on the customer's page; the same
	// reference again is refused.
	want(t, ops.get("/customers"), http.StatusOK, `href="/customers/`+org+`"`)
	want(t, ops.get("/customers/"+org), http.StatusOK, `id="top-up-form"`, `id="credit-limit-form"`)
	topUp := url.Values{"top_up.amount": {"5000.00"}, "top_up.currency": {"CNY"}, "top_up.reference": {"BANK-2026-0001"}, "top_up.note": {"wire"}}
	r := ops.post("/customers/"+org+"/top-up", topUp)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/customers/"+org+"?") {
		t.Fatalf("top-up: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	want(t, ops.get(r.Location), http.StatusOK, "Top-up recorded", "BANK-2026-0001", "&#43;¥5,000.00")
	r = ops.post("/customers/"+org+"/top-up", topUp)
	want(t, r, http.StatusConflict)
	if got := fieldError(r.Body, "top_up-reference"); !strings.Contains(got, "recorded already") {
		t.Errorf("second top-up with the reference: %q", got)
	}
	r = ops.post("/customers/"+org+"/top-up", url.Values{"top_up.amount": {"12.345"}, "top_up.currency": {"CNY"}, "top_up.reference": {"X"}})
	want(t, r, http.StatusBadRequest)
	if fieldError(r.Body, "top_up-amount") == "" {
		t.Errorf("an amount with three decimals: no error by the field\n%s", r.Body)
	}
	want(t, ops.post("/customers/"+org+"/credit-limit", url.Values{"credit_limit.amount": {"100"}, "credit_limit.currency": {"CNY"}}), http.StatusSeeOther)
	want(t, ops.get("/customers/"+org), http.StatusOK, "¥100.00")
	if got := s.balanceOf(t, buyerActor); got != cny(500000) {
		t.Fatalf("balance after the top-ups: %v, want %v", got, cny(500000))
	}

	// The buyer chooses the plan on the product's page.
	buyer := s.demoLogIn(t, "telesales@demo.test")
	want(t, buyer.get("/products/"+id), http.StatusOK, `id="buy-monthly"`, `id="buy-monthly-periods"`, `id="buy-monthly-region"`, `id="buy-monthly-trial"`)
	add := url.Values{"product_id": {id}, "plan": {"monthly"}, "quantity": {"2"}, "periods": {"40"}, "region": {"cn-east-3"}, "auto_renew": {"on"}, "action": {"cart"}}
	r = buyer.post("/cart", add)
	want(t, r, http.StatusBadRequest, `id="buy-monthly-periods-error"`, "1–36 months")
	add.Set("periods", "3")
	r = buyer.post("/cart", add)
	if r.Status != http.StatusSeeOther || r.Location != "/cart?done=added" {
		t.Fatalf("add to cart: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	want(t, buyer.get(r.Location), http.StatusOK, "Added to your cart", "¥1,794.00", `id="to-checkout"`, `<span class="count" aria-hidden="true">2</span>`)
	// The same item again adds to the line's quantity.
	want(t, buyer.post("/cart", add), http.StatusSeeOther)
	want(t, buyer.get("/cart"), http.StatusOK, `id="line-0-quantity" name="quantity" type="number" inputmode="numeric" min="1" max="1000" value="4"`)
	want(t, buyer.post("/cart/lines/0", url.Values{"quantity": {"0"}, "periods": {"3"}}), http.StatusBadRequest, `id="line-0-quantity-error"`)
	want(t, buyer.post("/cart/lines/0", url.Values{"quantity": {"1"}, "periods": {"3"}, "auto_renew": {"on"}}), http.StatusSeeOther)
	want(t, buyer.get("/cart"), http.StatusOK, "¥897.00")

	// Checkout: the quote and the balance that covers it; the form sent
	// three times at once (a double click, a reload) places one order.
	r = buyer.get("/checkout")
	want(t, r, http.StatusOK, "Your balance covers this order.", `id="checkout-balance">`+buyer.money(cny(500000))+`<`, "Pay ¥897.00 from balance",
		"3 months · renews automatically")
	form := payForm(t, r.Body)
	var wg sync.WaitGroup
	results := make([]response, 3)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = buyer.post("/checkout", form)
		}()
	}
	wg.Wait()
	for _, res := range results {
		if res.Status != http.StatusSeeOther || res.Location != results[0].Location {
			t.Fatalf("the same form sent again: %d %s, first %d %s\n%s", res.Status, res.Location, results[0].Status, results[0].Location, res.Body)
		}
	}
	orders := s.purchases(t, buyerActor)
	if len(orders) != placed+1 || results[0].Location != "/orders/"+orders[0].ID+"?done=placed" {
		t.Fatalf("%d orders (%d before), sent to %s", len(orders), placed, results[0].Location)
	}
	o := orders[0]
	if got := s.balanceOf(t, buyerActor); got != cny(500000-89700) {
		t.Fatalf("balance after paying: %v, want %v", got, cny(500000-89700))
	}
	want(t, buyer.get("/cart"), http.StatusOK, "Your cart is empty.")
	subs, err := s.svc.Subscriptions(context.Background(), buyerActor, org)
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(subs, func(sub subscription.Subscription) bool { return sub.OrderID == o.ID }); i < 0 || !subs[i].AutoRenew {
		t.Errorf("the order's subscription renews automatically: %+v", subs)
	}

	// The buyer's order, receipt, list and statement.
	want(t, buyer.get(results[0].Location), http.StatusOK, "your order is placed and paid", "Lakeside Log Analytics", "Standard monthly",
		"3 months", "¥897.00", `id="receipt-link"`, "Tianhe Retail")
	want(t, buyer.get("/orders/"+o.ID+"/receipt"), http.StatusOK, "Receipt for order "+o.ID, `id="receipt-customer">Tianhe Retail`, "¥897.00")
	want(t, buyer.get("/orders"), http.StatusOK, `href="/orders/`+o.ID+`"`, "Lakeside Log Analytics × 1", "¥897.00")
	want(t, buyer.get("/orders?state=paid"), http.StatusOK, `href="/orders/`+o.ID+`"`)
	want(t, buyer.get("/orders?since=2999-01-01"), http.StatusOK, "No orders match.")
	want(t, buyer.get("/orders?since=yesterday"), http.StatusBadRequest, `id="f-since-error"`)
	want(t, buyer.get("/account/balance"), http.StatusOK, "Payment of an order", `href="/orders/`+o.ID+`"`, "BANK-2026-0001", "−¥897.00")
	csv := buyer.get("/orders/export")
	want(t, csv, http.StatusOK, o.ID+",", ",897.00")
	if ct := csv.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("export's content type %q", ct)
	}

	// The seller sees its lines, with what it is owed; not the receipt.
	seller := s.demoLogIn(t, "seller1@demo.test")
	want(t, seller.get("/seller/orders"), http.StatusOK, `href="/seller/orders/`+o.ID+`"`, "¥897.00")
	want(t, seller.get("/seller/orders/"+o.ID), http.StatusOK, "Your products in this order", `id="order-net">¥807.30<`)
	want(t, seller.get("/orders/"+o.ID+"/receipt"), http.StatusNotFound)
	want(t, seller.get("/orders"), http.StatusForbidden)

	// Nobody else sees it.
	want(t, s.demoLogIn(t, "seller2@demo.test").get("/seller/orders/"+o.ID), http.StatusNotFound)
	other := s.demoLogIn(t, "direct@demo.test")
	want(t, other.get("/orders/"+o.ID), http.StatusNotFound)
	wantNot(t, other.get("/orders"), o.ID)

	// Operators find it by customer, seller and state.
	want(t, ops.get("/ops/orders?"+url.Values{"buyer": {org}, "state": {"paid"}}.Encode()), http.StatusOK, `href="/ops/orders/`+o.ID+`"`, "Tianhe Retail")
	want(t, ops.get("/ops/orders?"+url.Values{"seller": {s.orgOf(t, "seller1@demo.test")}}.Encode()), http.StatusOK, `href="/ops/orders/`+o.ID+`"`)
	wantNot(t, ops.get("/ops/orders?"+url.Values{"seller": {s.orgOf(t, "seller2@demo.test")}}.Encode()), o.ID)
	want(t, ops.get("/ops/orders/"+o.ID), http.StatusOK, "What was bought", `id="receipt-link"`)
	want(t, buyer.get("/ops/orders"), http.StatusForbidden)
}

// money writes an amount as the pages do in English.
func (b *browser) money(a money.Amount) string {
	if a.Currency == money.CNY {
		return "¥" + a.Grouped()
	}
	return a.String()
}

// TestCheckoutRefusals: a balance that does not cover the order says how much
// is missing and charges nothing; a product no longer on sale, a changed
// price and a form reused for another order each come back readable.
func TestCheckoutRefusals(t *testing.T) {
	s := demoSite(t)
	id := s.demoProduct(t, "seller1@demo.test", logs)
	buyer := s.browser(t)
	buyer.mustSignUp("rui@example.com", "Rui")
	me := s.world.Actor(t, "rui@example.com", password)
	org := me.Memberships[0].OrgID
	ops := s.world.Actor(t, "ops@demo.test", demo.Password)
	if _, err := s.svc.TopUp(context.Background(), ops, org, money.New(10000, money.CNY), "T-1", ""); err != nil {
		t.Fatal(err)
	}

	// Buy now: a year of the monthly plan costs ¥3,588.00; the balance holds ¥100.00.
	r := buyer.post("/cart", url.Values{"product_id": {id}, "plan": {"monthly"}, "quantity": {"1"}, "periods": {"12"}, "region": {"cn-north-4"}, "action": {"buy"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/checkout?lines=") {
		t.Fatalf("buy now: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	r = buyer.get(r.Location)
	want(t, r, http.StatusOK, `id="checkout-short"`, "Your balance is short by ¥3,488.00.", `disabled aria-describedby="checkout-short"`)
	form := payForm(t, r.Body)
	if form.Get("from") != "now" {
		t.Errorf("buy now's form comes from %q", form.Get("from"))
	}
	r = buyer.post("/checkout", form)
	want(t, r, http.StatusPaymentRequired, "Your balance did not cover this order, so nothing was charged.", "Your balance is short by ¥3,488.00.")
	if n := len(s.purchases(t, me)); n != 0 {
		t.Fatalf("%d orders after a refused payment", n)
	}
	if got := s.balanceOf(t, me); got != money.New(10000, money.CNY) {
		t.Fatalf("balance after a refused payment: %v", got)
	}

	// A price that is not the one shown is not paid.
	changed := url.Values{}
	for k, v := range form {
		changed[k] = v
	}
	changed.Set("payable", "CNY 1.00")
	want(t, buyer.post("/checkout", changed), http.StatusConflict, "The price changed since you opened the checkout")

	// The same key for another order: refused, with a new form to pay.
	if _, err := s.svc.TopUp(context.Background(), ops, org, money.New(1_000_000, money.CNY), "T-2", ""); err != nil {
		t.Fatal(err)
	}
	want(t, buyer.post("/checkout", form), http.StatusSeeOther)
	other := url.Values{}
	for k, v := range form {
		other[k] = v
	}
	r = buyer.get("/checkout?lines=" + url.QueryEscape(lineToken(t, id, 2)))
	other.Set("lines", hidden(t, r.Body, "lines"))
	other.Set("payable", hidden(t, r.Body, "payable"))
	r = buyer.post("/checkout", other)
	want(t, r, http.StatusUnprocessableEntity, "This checkout form was already used for a different order.")
	if hidden(t, r.Body, "key") == form.Get("key") {
		t.Error("the form came back with the key used for another order")
	}
	if n := len(s.purchases(t, me)); n != 1 {
		t.Fatalf("%d orders, want 1", n)
	}

	// A product in the cart that left the storefront.
	want(t, buyer.post("/cart", url.Values{"product_id": {id}, "plan": {"monthly"}, "quantity": {"1"}, "periods": {"1"}, "region": {"cn-north-4"}, "action": {"cart"}}), http.StatusSeeOther)
	ctx := context.Background()
	if _, err := s.svc.DelistProduct(ctx, ops, id, "withdrawn"); err != nil {
		t.Fatal(err)
	}
	want(t, buyer.get("/cart"), http.StatusOK, "This product is not on sale.", "Some lines cannot be bought")
	wantNot(t, buyer.get("/cart"), `id="to-checkout"`)
	r = buyer.get("/checkout")
	want(t, r, http.StatusOK, "This product is not on sale.")
	wantNot(t, r, `id="pay"`)
	want(t, buyer.post("/cart/lines/0/remove", nil), http.StatusSeeOther)
	want(t, buyer.get("/cart"), http.StatusOK, "Your cart is empty.")
}

// lineToken is the checkout's address token for months of the product's
// monthly plan in cn-north-4, as "Buy now" writes it.
func lineToken(t *testing.T, id string, months int) string {
	t.Helper()
	raw, err := json.Marshal([]map[string]any{{"p": id, "c": "monthly", "q": 1, "n": months, "r": "cn-north-4"}})
	if err != nil {
		t.Fatal(err)
	}
	return base64URL(raw)
}

// TestCartBelongsToItsSession: a cart signed for one session is no cart in
// another, and a tampered one is none either; only buyers have carts.
func TestCartBelongsToItsSession(t *testing.T) {
	s := demoSite(t)
	id := s.demoProduct(t, "seller1@demo.test", logs)
	a := s.demoLogIn(t, "telesales@demo.test")
	want(t, a.post("/cart", url.Values{"product_id": {id}, "plan": {"monthly"}, "quantity": {"1"}, "region": {"cn-north-4"}, "action": {"cart"}}), http.StatusSeeOther)
	cookie := a.cookie("cloudmart_cart")
	if cookie == "" {
		t.Fatal("no cart cookie")
	}
	b := s.demoLogIn(t, "telesales@demo.test") // the same person, another session
	u, _ := url.Parse(s.srv.URL)
	b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "cloudmart_cart", Value: cookie, Path: "/"}})
	want(t, b.get("/cart"), http.StatusOK, "Your cart is empty.")
	a.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "cloudmart_cart", Value: "x" + cookie, Path: "/"}})
	want(t, a.get("/cart"), http.StatusOK, "Your cart is empty.")

	// A visitor is sent to sign in; a seller may not buy.
	v := s.browser(t)
	r := v.post("/cart", url.Values{"product_id": {id}, "plan": {"monthly"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
		t.Errorf("a visitor's add to cart: %d %s", r.Status, r.Location)
	}
	want(t, v.get("/products/"+id), http.StatusOK, "Sign in with your customer account to buy")
	seller := s.demoLogIn(t, "seller2@demo.test")
	want(t, seller.get("/products/"+id), http.StatusOK, "Buying is for customer accounts")
	wantNot(t, seller.get("/products/"+id), `id="buy-monthly-cart"`)
	want(t, seller.post("/cart", url.Values{"product_id": {id}, "plan": {"monthly"}}), http.StatusForbidden)
	want(t, seller.get("/checkout"), http.StatusForbidden)
}

// Every buying page renders in both languages without a missing message,
// and the messages built from states and kinds exist.
func TestBuyingPagesHaveNoMissingMessages(t *testing.T) {
	en := catalogue(t, "en")
	for _, st := range []order.State{order.Pending, order.Paid, order.Delivering, order.Delivered, order.DeliveryFailed, order.PartiallyRefunded, order.Refunded} {
		if !en["order_state."+string(st)] {
			t.Errorf("no message order_state.%s", st)
		}
	}
	for _, k := range []order.Kind{order.New, order.Renewal, order.Upgrade} {
		if !en["order_kind."+string(k)] {
			t.Errorf("no message order_kind.%s", k)
		}
	}
	for _, k := range []string{"top_up", "payment", "refund", "reversal"} {
		if !en["stmt."+k] {
			t.Errorf("no message stmt.%s", k)
		}
	}
	for _, sc := range []string{"buyer", "seller", "ops"} {
		for _, k := range []string{"orders.heading.", "orders.lead.", "orders.none."} {
			if !en[k+sc] {
				t.Errorf("no message %s%s", k, sc)
			}
		}
	}

	s := demoSite(t)
	id := s.demoProduct(t, "seller1@demo.test", logs)
	org := s.orgOf(t, "telesales@demo.test")
	opsActor := s.world.Actor(t, "ops@demo.test", demo.Password)
	if _, err := s.svc.TopUp(context.Background(), opsActor, org, money.New(1_000_000, money.CNY), "T-1", ""); err != nil {
		t.Fatal(err)
	}
	buyerActor := s.world.Actor(t, "telesales@demo.test", demo.Password)
	o, _, err := s.svc.PlaceOrder(context.Background(), buyerActor, marketOrder(org, id))
	if err != nil {
		t.Fatal(err)
	}
	buyer, seller, ops := s.demoLogIn(t, "telesales@demo.test"), s.demoLogIn(t, "seller1@demo.test"), s.demoLogIn(t, "ops@demo.test")
	want(t, buyer.post("/cart", url.Values{"product_id": {id}, "plan": {"yearly"}, "quantity": {"1"}, "periods": {"2"}, "region": {"cn-north-4"}, "action": {"cart"}}), http.StatusSeeOther)
	prefixes := []string{"buy.", "cart.", "checkout.", "orders.", "order.", "order_state.", "order_kind.", "receipt.", "balance.", "customer.",
		"lines.", "line.", "totals.", "stmt.", "nav.", "error."}
	for _, lang := range []string{"en", "zh-CN"} {
		buyer.lang, seller.lang, ops.lang = lang, lang, lang
		for _, c := range []struct {
			b    *browser
			path string
		}{
			{buyer, "/products/" + id}, {buyer, "/cart"}, {buyer, "/checkout"}, {buyer, "/orders"}, {buyer, "/orders/" + o.ID},
			{buyer, "/orders/" + o.ID + "/receipt"}, {buyer, "/account/balance"},
			{seller, "/seller/orders"}, {seller, "/seller/orders/" + o.ID},
			{ops, "/ops/orders"}, {ops, "/ops/orders/" + o.ID}, {ops, "/customers/" + org},
		} {
			r := c.b.get(c.path)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: %d", lang, c.path, r.Status)
			}
			for _, prefix := range prefixes {
				for _, at := range []string{">" + prefix, "\"" + prefix} {
					if i := strings.Index(r.Body, at); i >= 0 {
						t.Errorf("%s %s: a message id shows: %s", lang, c.path, r.Body[i:min(len(r.Body), i+60)])
					}
				}
			}
		}
	}
}

// marketOrder is a month of the product's monthly plan in cn-north-4.
func marketOrder(org, id string) market.OrderRequest {
	return market.OrderRequest{OrgID: org, Lines: []order.LineRequest{{ProductID: id, Plan: "monthly", Quantity: 1, Periods: 1, Region: "cn-north-4"}}}
}

func base64URL(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
