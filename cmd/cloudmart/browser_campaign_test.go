package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCampaign runs the demo's campaign in Chromium: Tianhe Retail's
// telesales buyer, part-way to the first tier, claims the coupon pack, shops
// through the campaign's page and pays with the ¥300-off coupon (the
// checkout says what the order adds and which refund policy applies), sees
// the progress bar move past the first tier and redeems a gift; an operator
// marks it shipped, and the buyer sees the tracking number.
func TestBrowserCampaign(t *testing.T) {
	s := startServer(t, "--data", t.TempDir(), "--demo")
	b := newBrowser(t, s.url, 120*time.Second)
	const demoPass = "cloudmart-demo"

	b.signIn("telesales@demo.test", demoPass, "/campaigns")
	b.do("open the campaign", b.open(b.linkTo(".campaign-list", "Cloud onboarding spend-and-get")))
	page := b.location()
	if got := b.text("#campaign-total"); got != "¥6,988.00" {
		t.Fatalf("the total before: %q", got)
	}
	before := b.barFill()
	if got := b.text("#rules-policy"); !strings.Contains(got, "is refused") {
		t.Fatalf("the refund policy: %q", got)
	}
	b.shot("campaign-page-en")

	b.do("claim the pack", b.submit("#claim-pack"))
	if got := b.text(".notice"); !strings.Contains(got, "Pack claimed") {
		t.Fatalf("after claiming: %q", got)
	}
	b.shot("campaign-claimed-en")

	// Through the campaign's page: Lakeside MQ, bought now, with the coupon.
	b.do("shop through the campaign", b.submit("#shop-through"))
	b.do("search", b.open("/products?q=Lakeside+MQ"))
	b.do("open the product", b.open(b.linkTo(".pcards", "Lakeside MQ")))
	b.do("buy now", b.submit("#buy-perpetual-50-now"))
	if got := b.text("#checkout-channel"); !strings.Contains(got, "campaign") {
		t.Fatalf("the checkout's channel: %q", got)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(() => { const s = document.getElementById("f-coupon");
		const o = [...s.options].find(o => o.text.includes("300")); s.value = o.value; return true; })()`)); err != nil {
		t.Fatalf("choose the coupon: %v", err)
	}
	b.do("apply the coupon", b.submit("#coupon-apply"))
	if got := b.text("#total-payable"); got != "¥11,700.00" {
		t.Fatalf("the payable with the coupon: %q", got)
	}
	if got := b.text("#campaign-progress"); !strings.Contains(got, "¥6,988.00") || !strings.Contains(got, "¥18,688.00") {
		t.Fatalf("the campaign's progress at checkout: %q", got)
	}
	if got := b.text("#campaign-policy"); !strings.Contains(got, "is refused") {
		t.Fatalf("the policy at checkout: %q", got)
	}
	b.shot("campaign-checkout-en")
	b.do("pay", b.submit("#pay"))
	if loc := b.location(); !strings.HasPrefix(loc, "/orders/ord_") {
		t.Fatalf("after paying at %s", loc)
	}

	// The bar has moved past the first tier; a gift is redeemed.
	b.do("the campaign again", b.open(page))
	if got := b.text("#campaign-total"); got != "¥18,688.00" {
		t.Fatalf("the total after: %q", got)
	}
	if after := b.barFill(); after <= before || after < 120 {
		t.Fatalf("the progress bar: %d before, %d after", before, after)
	}
	b.shot("campaign-progress-en")
	b.do("redeem", b.fill(map[string]string{"f-address-name": "Li Na", "f-address-phone": "+86 138 0000 1001", "f-address-province": "Guangdong",
		"f-address-city": "Guangzhou", "f-address-address": "385 Tianhe Road"}), b.submit("#redeem-submit"))
	if got := b.text("#redemption"); !strings.Contains(got, "awaiting shipment") {
		t.Fatalf("after redeeming: %q", got)
	}
	b.shot("campaign-redeemed-en")
	b.signOut()

	// The operator ships it.
	id := strings.TrimPrefix(page, "/campaigns/")
	b.signIn("ops@demo.test", demoPass, "/ops/campaigns/"+id)
	red, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("#shipping form[action$='/shipped']").getAttribute("action").split("/")[3]`))
	if err != nil || !strings.HasPrefix(red, "rdm_") {
		t.Fatalf("the gift to ship: %q %v", red, err)
	}
	b.shot("campaign-ops-en")
	b.do("ship", b.fill(map[string]string{"carrier-" + red: "SF Express", "tracking-" + red: "SF1234567890"}), b.submit("#ship-submit-"+red))
	if got := b.text(".notice"); got != "Marked shipped." {
		t.Fatalf("after shipping: %q", got)
	}
	b.shot("campaign-shipped-en")
	b.signOut()
	b.signIn("telesales@demo.test", demoPass, page)
	if got := b.text("#redemption"); !strings.Contains(got, "shipped") || !strings.Contains(got, "SF1234567890") {
		t.Fatalf("the buyer's gift: %q", got)
	}
	b.do("in Chinese", b.submit("a.lang"))
	b.shot("campaign-page-zh-CN")
}

// barFill is the width of the campaign progress bar's filled part.
func (b *browser) barFill() int {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("campaign-bar-fill").getAttribute("width")`))
	if err != nil {
		b.t.Fatal(err)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		b.t.Fatalf("bar width %q", v)
	}
	return n
}
