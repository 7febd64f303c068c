package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// TestRefundsThroughTheUI: a buyer's order of two sellers' products shows
// what may be refunded per line under each policy; the form refuses what is
// wrong readably, refunds part of a line to the balance, and is not repeated
// when sent again; the sellers see the refunds of their lines only, with the
// customer's name; an operator refunds the rest from the operators' page;
// another buyer can neither see nor refund.
func TestRefundsThroughTheUI(t *testing.T) {
	s := demoSite(t)
	ctx := context.Background()
	logsID := s.demoProduct(t, "seller1@demo.test", logs)
	waf := s.demoProduct(t, "seller2@demo.test", "Bluepeak Hardened WAF")
	buyer := s.browser(t)
	buyer.mustSignUp("lin@example.com", "Lin")
	me := s.world.Actor(t, "lin@example.com", password)
	org := me.Memberships[0].OrgID
	if _, err := s.svc.TopUp(ctx, s.world.Actor(t, "ops@demo.test", demo.Password), org, money.New(500000, money.CNY), "T-1", ""); err != nil {
		t.Fatal(err)
	}
	o, _, err := s.svc.PlaceOrder(ctx, me, market.OrderRequest{OrgID: org, Lines: []order.LineRequest{
		{ProductID: logsID, Plan: "monthly", Periods: 3, Region: "cn-north-4"}, // ¥897.00, seller1
		{ProductID: waf, Plan: "monthly", Periods: 1, Region: "cn-north-4"},    // ¥899.00, seller2
	}})
	if err != nil {
		t.Fatal(err)
	}
	start := s.balanceOf(t, me) // ¥3,204.00
	page := "/orders/" + o.ID
	cny := func(minor int64) money.Amount { a, _ := start.Add(money.New(minor, money.CNY)); return a }

	// What may be refunded, and the form with both lines checked.
	r := buyer.get(page)
	want(t, r, http.StatusOK, "Request a refund", "Full refund within 5 days of payment",
		"After that, the whole months not yet begun, pro rata.", `id="refund-total">¥1,796.00<`,
		`name="lines" value="1" checked`, `name="lines" value="2" checked`, "Refundable now: ¥897.00")
	seen := hidden(t, r.Body, "seen")

	// Refused: no line, a malformed amount, more than the line may give back.
	refund := func(b *browser, path string, lines []string, amount, reason string) response {
		t.Helper()
		return b.post(path+"/refund", url.Values{"lines": lines, "amount": {amount}, "reason": {reason}, "seen": {seen}})
	}
	r = refund(buyer, page, nil, "", "")
	want(t, r, http.StatusBadRequest, "Choose at least one line to refund.")
	r = refund(buyer, page, []string{"1"}, "12.345", "")
	want(t, r, http.StatusBadRequest)
	if fieldError(r.Body, "amount") == "" {
		t.Errorf("an amount with three decimals: no error by the field\n%s", r.Body)
	}
	r = refund(buyer, page, []string{"1"}, "900.00", "")
	if got := fieldError(r.Body, "amount"); r.Status != http.StatusBadRequest || !strings.Contains(got, "Refund a positive amount up to") {
		t.Errorf("more than the line may give back: %d %q", r.Status, got)
	}
	if !strings.Contains(r.Body, `name="lines" value="1" checked`) || strings.Contains(r.Body, `name="lines" value="2" checked`) {
		t.Error("the form did not come back as it was sent")
	}
	if got := s.balanceOf(t, me); got != start {
		t.Fatalf("balance after refused refunds: %v", got)
	}

	// ¥100.00 of the first line: back in the balance, the order partly refunded.
	r = refund(buyer, page, []string{"1"}, "100.00", "one seat too many")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, page+"?done=refunded&refund=rfd_") {
		t.Fatalf("refund: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	want(t, buyer.get(r.Location), http.StatusOK, "Refunded ¥100.00 to the prepaid balance. The order is now: Partly refunded.",
		`id="refunds"`, "one seat too many", "Lakeside Log Analytics: ¥100.00", `id="refund-total">¥1,696.00<`, `id="order-refunded">−¥100.00<`)
	if got := s.balanceOf(t, me); got != cny(10000) {
		t.Fatalf("balance after the refund: %v, want %v", got, cny(10000))
	}
	// The same form again (a double click, a reload, another server): the
	// same refund shown, nothing more refunded.
	if again := refund(buyer, page, []string{"1"}, "100.00", "one seat too many"); again.Status != http.StatusSeeOther || again.Location != r.Location {
		t.Fatalf("the form sent again: %d %s, want the first refund %s", again.Status, again.Location, r.Location)
	}
	// The same page sent with another amount: refused, the order changed since.
	want(t, refund(buyer, page, []string{"1"}, "50.00", "one seat too many"), http.StatusConflict, "This order was refunded since you opened its page")
	if got := s.balanceOf(t, me); got != cny(10000) {
		t.Fatalf("balance after the form sent again: %v", got)
	}
	noMissingMessages(t, buyer, page, "refund.", "order.", "lines.")

	// Another buyer: not found, nothing refunded.
	other := s.demoLogIn(t, "direct@demo.test")
	want(t, other.get(page), http.StatusNotFound)
	seenNow := seen
	seen = "10000"
	want(t, refund(other, page, []string{"1"}, "", ""), http.StatusNotFound)
	want(t, refund(other, "/ops/orders/"+o.ID, []string{"1"}, "", ""), http.StatusNotFound)
	if got := s.balanceOf(t, me); got != cny(10000) {
		t.Fatalf("balance after another buyer's try: %v", got)
	}

	// The sellers: the customer's name, the refunds of their lines only, no form.
	seller1 := s.demoLogIn(t, "seller1@demo.test")
	r = seller1.get("/seller/orders/" + o.ID)
	want(t, r, http.StatusOK, "Lin Ltd", `id="refunds"`, "Lakeside Log Analytics: ¥100.00", "one seat too many")
	wantNot(t, r, "Request a refund", `id="refund-form"`)
	want(t, refund(seller1, page, []string{"1"}, "", ""), http.StatusNotFound)
	r = s.demoLogIn(t, "seller2@demo.test").get("/seller/orders/" + o.ID)
	want(t, r, http.StatusOK, "Lin Ltd")
	wantNot(t, r, `id="refunds"`, "one seat too many")
	noMissingMessages(t, seller1, "/seller/orders/"+o.ID, "refund.", "order.")

	// An operator refunds what is left of both lines from its page.
	ops := s.demoLogIn(t, "ops@demo.test")
	r = ops.get("/ops/orders/" + o.ID)
	want(t, r, http.StatusOK, "Request a refund", `action="/ops/orders/`+o.ID+`/refund"`, `id="refund-total">¥1,696.00<`)
	noMissingMessages(t, ops, "/ops/orders/"+o.ID, "refund.", "order.")
	seen = hidden(t, r.Body, "seen")
	if seen == seenNow {
		t.Errorf("the form's refunded amount is still %s", seen)
	}
	r = refund(ops, "/ops/orders/"+o.ID, []string{"1", "2"}, "", "customer left")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/ops/orders/"+o.ID+"?done=refunded") {
		t.Fatalf("operator's refund: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	want(t, ops.get(r.Location), http.StatusOK, "Refunded ¥1,696.00 to the prepaid balance. The order is now: Refunded.", "customer left")
	if got := s.balanceOf(t, me); got != cny(179600) {
		t.Fatalf("balance after refunding all: %v, want %v", got, cny(179600))
	}
	r = buyer.get(page)
	want(t, r, http.StatusOK, `id="refund-none"`, "Nothing of this order may be refunded now", "customer left")
	wantNot(t, r, `id="refund-form"`)
}

// noMissingMessages checks that the page renders in both languages with no
// message id showing in place of its text.
func noMissingMessages(t *testing.T, b *browser, path string, prefixes ...string) {
	t.Helper()
	was := b.lang
	defer func() { b.lang = was }()
	for _, lang := range []string{"en", "zh-CN"} {
		b.lang = lang
		r := b.get(path)
		if r.Status != http.StatusOK {
			t.Errorf("%s %s: %d", lang, path, r.Status)
		}
		for _, prefix := range append(prefixes, "error.", "nav.") {
			for _, at := range []string{">" + prefix, "\"" + prefix, " " + prefix} {
				if i := strings.Index(r.Body, at); i >= 0 {
					t.Errorf("%s %s: a message id shows: %s", lang, path, r.Body[i:min(len(r.Body), i+60)])
				}
			}
		}
	}
}
