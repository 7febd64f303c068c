package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestResaleThroughTheUI(t *testing.T) {
	s := demoSite(t)
	seller := s.demoLogIn(t, "seller1@demo.test")
	ops := s.demoLogIn(t, "ops@demo.test")
	partner := s.demoLogIn(t, "partner@demo.test")
	harbor := s.demoLogIn(t, "seller4@demo.test")

	// The seller's standing: the database resold, MQ lacking a refund policy.
	r := seller.get("/seller/resale")
	want(t, r, http.StatusOK, "Resale through channel partners", "Lakeside DB Enterprise", "Northwind Channel Partners", "15%", "Active",
		"Set a refund policy on the product.", "Standard partner discount: 15%",
		`href="/seller/benefits" aria-current="page"`) // reached from the benefits page, which the header marks
	wantNot(t, r, "Harbor CI")
	mq := s.demoProduct(t, "seller1@demo.test", "Lakeside MQ")
	northwind := regexpFind(t, r.Body, `<option value="(org_[^"]+)"[^>]*>Northwind`)
	r = seller.post("/seller/resale", url.Values{"authorise.product": {mq}, "authorise.partner": {northwind}, "authorise.discount": {"10"}})
	want(t, r, http.StatusUnprocessableEntity, "The product does not meet the resale requirements yet.")
	r = seller.post("/seller/resale", url.Values{"authorise.product": {mq}, "authorise.partner": {northwind}, "authorise.discount": {"ten"}})
	want(t, r, http.StatusBadRequest, "A partner discount is between 0 % and 90 %")

	// The operator sees Harbor DevTools applying, and approves.
	r = ops.get("/ops/resale")
	want(t, r, http.StatusOK, "Waiting for approval", "Harbor CI", "Harbor DevTools", "25%", `name="requirements.discount" type="text" value="15"`)
	id := regexpFind(t, r.Body, `action="/ops/resale/(rsa_[^/]+)/approve"`)
	wantRedirect(t, ops.post("/ops/resale/"+id+"/approve", url.Values{"decide.reason": {""}}), "/ops/resale?done=approve")
	want(t, harbor.get("/seller/resale"), http.StatusOK, "Harbor CI", "Active")
	r = ops.post("/ops/resale/requirements", url.Values{"requirements.days": {"0"}, "requirements.failed": {"3"}, "requirements.discount": {"95"}, "requirements.refund_policy": {"on"}})
	want(t, r, http.StatusBadRequest, "A partner discount is between 0 % and 90 %")
	wantRedirect(t, ops.post("/ops/resale/requirements", url.Values{"requirements.days": {"0"}, "requirements.failed": {"3"}, "requirements.discount": {"12.5"},
		"requirements.refund_policy": {"on"}}), "/ops/resale?done=requirements")
	want(t, ops.get("/ops/resale"), http.StatusOK, `value="12.5"`)

	// The partner sees both products and orders for Lakeview Clinics.
	r = partner.get("/partner/products")
	want(t, r, http.StatusOK, "Lakeside DB Enterprise", "Harbor CI", "Lakeview Clinics", "your margin ¥5,700.00")
	clinic := regexpFind(t, r.Body, `<option value="(org_[^"]+)"[^>]*>Lakeview`)
	line := regexpFind(t, r.Body, `<option value="([^"]+\|year-8-cores)"`)
	key := regexpFind(t, r.Body, `name="porder.key" value="([^"]+)"`)
	form := url.Values{"porder.customer": {clinic}, "porder.line": {line}, "porder.region": {"cn-north-4"}, "porder.quantity": {"1"}, "porder.key": {key}}
	wantRedirect(t, partner.post("/partner/orders", form), "/partner/sales?done=ordered")
	wantRedirect(t, partner.post("/partner/orders", form), "/partner/sales?done=ordered") // sent twice: one order
	r = partner.get("/partner/sales?done=ordered")
	want(t, r, http.StatusOK, "Order placed for your customer", "Totals, net of refunds", "¥17,100.00", "Your customers&#39; orders")
	if n := strings.Count(r.Body, "¥5,700.00"); n != 3 {
		t.Errorf("%d sales at ¥5,700.00 margin, want 3", n)
	}
	form.Set("porder.customer", "org_nope")
	form.Set("porder.key", "")
	want(t, partner.post("/partner/orders", form), http.StatusForbidden, "A partner orders only for its own customers.")
	want(t, seller.get("/seller/resale"), http.StatusOK, "Partners&#39; sales of your products", "partner:")

	// Chinese, and access.
	partner.lang = "zh-CN"
	want(t, partner.get("/partner/sales"), http.StatusOK, "销售与毛利", "您的毛利")
	want(t, seller.get("/partner/products"), http.StatusForbidden)
	want(t, partner.get("/ops/resale"), http.StatusForbidden)
	want(t, partner.get("/seller/resale"), http.StatusForbidden)
}
