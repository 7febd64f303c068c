package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTestCreditThroughTheUI: a seller sees its allowance, test balance and
// statement, asks for more (a resent form asks once; over the cap the form
// comes back with the reason), buys its own product with the credit; an
// operator approves one request for less and declines another.
func TestTestCreditThroughTheUI(t *testing.T) {
	s := demoSite(t)
	seller := s.demoLogIn(t, "seller1@demo.test")
	ops := s.demoLogIn(t, "ops@demo.test")
	page := "/seller/test-credit"
	r := seller.get(page)
	want(t, r, http.StatusOK, `id="tc-allowance"><strong>USD 600.00 of USD 1,000.00 left<`, `id="tc-balance"><strong>USD 280.00<`,
		"Test purchase", "Credit granted", "Lakeside MQ · Developer, 5 seats (USD)", `id="tc-request-form"`)
	key := regexpFind(t, r.Body, `name="request.key" value="([^"]+)"`)
	ask := url.Values{"request.amount": {"250.00"}, "request.purpose": {"try the backup"}, "request.key": {key}}
	wantRedirect(t, seller.post(page, ask), page+"?done=requested")
	wantRedirect(t, seller.post(page, ask), page+"?done=requested") // sent twice: asked once
	want(t, seller.get(page+"?done=requested"), http.StatusOK, "Your request is sent", "USD 350.00 of USD 1,000.00 left")
	r = seller.post(page, url.Values{"request.amount": {"350.01"}, "request.purpose": {"more"}})
	want(t, r, http.StatusUnprocessableEntity, "may come to at most USD 1,000.00 in all")
	if fieldError(r.Body, "request-amount") == "" {
		t.Errorf("the cap is not shown by the amount:\n%s", r.Body)
	}

	// The operator's queue: the new request and Bluepeak's.
	r = ops.get("/ops/test-credit")
	want(t, r, http.StatusOK, "try the backup", "Bluepeak Security", `name="decide.amount"`)
	id := regexpFind(t, r.Body, `<tr id="tc-ops-(tcr_[^"]+)">\s*<td>Lakeside Data`)
	bluepeak := regexpFind(t, r.Body, `<tr id="tc-ops-(tcr_[^"]+)">\s*<td>Bluepeak`)
	want(t, ops.post("/ops/test-credit/"+id+"/approve", url.Values{"decide.amount": {"300.00"}}), http.StatusBadRequest, "no more than was asked")
	wantRedirect(t, ops.post("/ops/test-credit/"+id+"/approve", url.Values{"decide.amount": {"200.00"}}), "/ops/test-credit?done=approved")
	want(t, ops.post("/ops/test-credit/"+bluepeak+"/decline", url.Values{"decide.reason": {""}}), http.StatusBadRequest, "Say why")
	wantRedirect(t, ops.post("/ops/test-credit/"+bluepeak+"/decline", url.Values{"decide.reason": {"not yet"}}), "/ops/test-credit?done=declined")
	want(t, seller.post("/ops/test-credit/"+id+"/approve", nil), http.StatusForbidden)

	// The seller's balance shows it; it buys its own product with it.
	r = seller.get(page)
	want(t, r, http.StatusOK, "USD 400.00 of USD 1,000.00 left", `id="tc-balance"><strong>USD 480.00<`)
	offer := regexpFind(t, r.Body, `<option value="([^"]+)">Lakeside MQ · Developer`)
	buy := url.Values{"testbuy.offer": {offer}, "testbuy.key": {regexpFind(t, r.Body, `name="testbuy.key" value="([^"]+)"`)}}
	wantRedirect(t, seller.post(page+"/orders", buy), page+"?done=bought")
	want(t, seller.get(page), http.StatusOK, `id="tc-balance"><strong>USD 360.00<`)
	want(t, seller.post(page+"/orders", url.Values{"testbuy.offer": {"prd_none|x|y"}}), http.StatusBadRequest, "not on sale")

	// A buyer has no test credit.
	want(t, s.demoLogIn(t, "telesales@demo.test").get(page), http.StatusForbidden)

	// Both languages, no message id showing.
	for _, lang := range []string{"en", "zh-CN"} {
		for _, c := range []struct {
			b    *browser
			path string
		}{{seller, page}, {ops, "/ops/test-credit"}, {ops, "/ops/test-credit?state="}} {
			c.b.lang = lang
			r := c.b.get(c.path)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: %d", lang, c.path, r.Status)
			}
			for _, prefix := range []string{"tc.", "error."} {
				for _, at := range []string{">" + prefix, "\"" + prefix, " " + prefix} {
					if i := strings.Index(r.Body, at); i >= 0 {
						t.Errorf("%s %s: a message id shows: %s", lang, c.path, r.Body[i:min(len(r.Body), i+60)])
					}
				}
			}
		}
	}
}
