package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserBuying buys on the demo world: an operator tops up Tianhe
// Retail's balance from its customer page; its buyer finds a monthly SaaS
// plan, puts three months of it in the cart, checks out and pays from the
// balance, then sees the order and its receipt (in Chinese too); the seller
// finds the order in its console. The buyer has ¥100.00 of it refunded and
// finds the subscription it started. Screenshots of each page.
func TestBrowserBuying(t *testing.T) {
	s := startServer(t, "--data", t.TempDir(), "--demo")
	b := newBrowser(t, s.url, 90*time.Second)
	const (
		demoPass = "cloudmart-demo"
		product  = "Lakeside Log Analytics" // seller1's SaaS: ¥299.00 a month
	)
	zh := messages(t, "zh-CN")

	// The operator records a bank transfer on the customer's page.
	b.signIn("ops@demo.test", demoPass, "/customers")
	customer := b.linkTo("table", "Tianhe Retail")
	b.do("open the customer", b.open(customer))
	b.do("top up", b.fill(map[string]string{"f-top_up-amount": "5000.00", "f-top_up-reference": "WIRE-20261126-01"}),
		chromedp.SendKeys(chromedp.ID("f-top_up-note"), "Bank transfer"), // an empty text area is typed into as it is
		b.submit("#top-up-submit"))
	if got := b.text(".notice"); got != "Top-up recorded: the balance is updated." {
		t.Fatalf("after the top-up: %q", got)
	}
	if got := b.text("table.statement tbody tr"); !strings.Contains(got, "WIRE-20261126-01") || !strings.Contains(got, "+¥5,000.00") {
		t.Fatalf("the statement's newest line: %q", got)
	}
	b.shot("buying-ops-customer-en")
	b.signOut()

	// The buyer finds the product and puts three months of its monthly plan
	// in the cart.
	b.signIn("telesales@demo.test", demoPass, "/orders")
	b.do("search", b.open("/products?q="+strings.ReplaceAll(product, " ", "+")))
	b.do("open the product", b.open(b.linkTo(".pcards", product)))
	b.shot("buying-product-en")
	b.do("choose", b.fill(map[string]string{"buy-monthly-periods": "3"}), b.submit("#buy-monthly-cart"))
	b.at("/cart?done=added")
	if got := b.text("#total-payable"); got != "¥897.00" {
		t.Fatalf("the cart's total: %q", got)
	}
	b.shot("buying-cart-en")
	b.do("checkout", b.submit("#to-checkout"))
	b.at("/checkout")
	if got := b.text(".covers"); got != "Your balance covers this order." {
		t.Fatalf("the checkout says: %q", got)
	}
	b.shot("buying-checkout-en")

	// Pay: the order's page, then its receipt.
	b.do("pay", b.submit("#pay"))
	loc := b.location()
	id, ok := strings.CutSuffix(strings.TrimPrefix(loc, "/orders/"), "?done=placed")
	if !ok || !strings.HasPrefix(id, "ord_") {
		t.Fatalf("after paying at %s", loc)
	}
	if got := b.text(".notice"); !strings.Contains(got, "paid") {
		t.Fatalf("after paying: %q", got)
	}
	if got := b.text("table.lines tbody"); !strings.Contains(got, product) || !strings.Contains(got, "3 months") || !strings.Contains(got, "¥897.00") {
		t.Fatalf("the order's lines: %q", got)
	}
	b.shot("buying-order-en")
	b.do("receipt", b.submit("#receipt-link"))
	b.at("/orders/" + id + "/receipt")
	if got := b.text("#receipt-heading"); got != "Receipt for order "+id {
		t.Fatalf("receipt heading: %q", got)
	}
	if got := b.text("#total-payable"); got != "¥897.00" {
		t.Fatalf("receipt total: %q", got)
	}
	b.shot("buying-receipt-en")
	b.do("receipt in Chinese", b.submit("a.lang"))
	if got := b.text("#receipt-heading"); got != strings.ReplaceAll(zh["receipt.heading"], "{{.ID}}", id) {
		t.Fatalf("receipt heading in Chinese: %q", got)
	}
	b.shot("buying-receipt-zh-CN")
	b.do("my orders in Chinese", b.open("/orders"))
	// Paid, and delivered by the demo's in-process seller within a second or so.
	if got := b.text("table.orders tbody tr"); !strings.Contains(got, id) ||
		!strings.Contains(got, zh["order_state.paid"]) && !strings.Contains(got, zh["order_state.delivering"]) && !strings.Contains(got, zh["order_state.delivered"]) {
		t.Fatalf("my orders in Chinese, newest: %q", got)
	}
	b.shot("buying-orders-zh-CN")
	b.do("back to English", b.submit("a.lang"))
	b.do("balance", b.open("/account/balance"))
	if got := b.text("table.statement tbody tr"); !strings.Contains(got, id) || !strings.Contains(got, "−¥897.00") {
		t.Fatalf("the statement's newest line: %q", got)
	}
	b.shot("buying-balance-en")

	// A refund of ¥100.00 from the order's page; the subscription it started.
	b.do("the order again", b.open("/orders/"+id))
	b.do("refund", b.fill(map[string]string{"f-amount": "100.00"}),
		chromedp.SendKeys(chromedp.ID("f-reason"), "One month too many"), b.submit("#refund-submit"))
	if got := b.text(".notice"); got != "Refunded ¥100.00 to the prepaid balance. The order is now: Partly refunded." {
		t.Fatalf("after the refund: %q", got)
	}
	if got := b.text("table.refunds tbody tr"); !strings.Contains(got, "One month too many") || !strings.Contains(got, "¥100.00") {
		t.Fatalf("the order's refunds: %q", got)
	}
	b.shot("buying-refund-en")
	b.do("subscriptions", b.open("/account/subscriptions"))
	if got := b.text("section.sub"); !strings.Contains(got, product) || !strings.Contains(got, "3 months") {
		t.Fatalf("the subscription: %q", got)
	}
	b.shot("subscriptions-en")
	b.signOut()

	// The seller finds the order in its console.
	b.signIn("seller1@demo.test", demoPass, "/seller/orders")
	if got := b.text("table.orders tbody tr"); !strings.Contains(got, id) || !strings.Contains(got, product) {
		t.Fatalf("the seller's newest order: %q", got)
	}
	b.shot("buying-seller-orders-en")
	b.do("open it", b.submit(`a[href="/seller/orders/`+id+`"]`))
	if got := b.text("#order-net"); got != "¥807.30" {
		t.Fatalf("owed to the seller: %q", got)
	}
	b.shot("buying-seller-order-en")
}

// linkTo returns the address of the first link inside the element matching
// sel whose text contains text.
func (b *browser) linkTo(sel, text string) string {
	b.t.Helper()
	js := `(() => { const a = [...document.querySelectorAll(` + strconv.Quote(sel+" a") + `)].find(a => a.textContent.includes(` + strconv.Quote(text) + `));
		return a ? a.getAttribute("href") : ""; })()`
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil || href == "" {
		b.t.Fatalf("no link to %q in %s: %v", text, sel, err)
	}
	return href
}
