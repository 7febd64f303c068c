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

// TestLicensesThroughTheUI: a bought licence shows on the order page once
// delivered, on the buyer's licences and its own page with its key to copy
// or download, and on the seller's list with its activation; the buyer
// frees its machine; nobody else sees it.
func TestLicensesThroughTheUI(t *testing.T) {
	s := demoSite(t)
	ctx := context.Background()
	db := s.demoProduct(t, "seller1@demo.test", "Lakeside DB Enterprise")
	buyer := s.browser(t)
	buyer.mustSignUp("mei@example.com", "Mei")
	me := s.world.Actor(t, "mei@example.com", password)
	org := me.Memberships[0].OrgID
	if _, err := s.svc.TopUp(ctx, s.world.Actor(t, "ops@demo.test", demo.Password), org, money.New(10_000_000, money.CNY), "T-1", ""); err != nil {
		t.Fatal(err)
	}
	o, _, err := s.svc.PlaceOrder(ctx, me, market.OrderRequest{OrgID: org, Lines: []order.LineRequest{
		{ProductID: db, Plan: "year-8-cores", Quantity: 2, Region: "cn-north-4"}}})
	if err != nil {
		t.Fatal(err)
	}
	want(t, buyer.get("/orders/"+o.ID), http.StatusOK, "Delivery", "Deliver", "In progress")
	ds, err := s.svc.Deliveries(ctx, me, o.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %+v %v", ds, err)
	}
	if err := s.svc.Deliver(ctx, ds[0].ID); err != nil {
		t.Fatal(err)
	}
	r := buyer.get("/orders/" + o.ID)
	want(t, r, http.StatusOK, "Done", "Open the licence")
	page := regexpFind(t, r.Body, `href="(/licenses/lic_[^"]+)"`)

	want(t, buyer.get("/account/licenses"), http.StatusOK, "Lakeside DB Enterprise", "16 cores", "Valid", "Not activated")
	r = buyer.get(page)
	want(t, r, http.StatusOK, "Signed licence key", "Download the licence file", "cloudmart license verify --keys http://", "/api/v1/license/keys")
	token := regexpFind(t, r.Body, `(?s)<textarea id="license-token"[^>]*>([^<]+)</textarea>`)
	file := buyer.get(page + "/file")
	if file.Status != http.StatusOK || strings.TrimSpace(file.Body) != token {
		t.Fatalf("the file: %d %q, the page's key %q", file.Status, file.Body, token)
	}

	if _, err := s.svc.ActivateLicense(ctx, market.Check{License: token, MachineID: "db-host-01"}); err != nil {
		t.Fatal(err)
	}
	seller := s.browser(t)
	seller.mustLogIn("seller1@demo.test", demo.Password)
	want(t, seller.get("/seller/licenses"), http.StatusOK, "Licences of your products", "db-host-01")
	want(t, seller.get(page), http.StatusOK, "db-host-01")
	wantNot(t, seller.get(page), "Free this licence")
	r = seller.post(page+"/reset-machine", url.Values{})
	if r.Status != http.StatusNotFound {
		t.Fatalf("the seller frees it: %d", r.Status)
	}

	r = buyer.post(page+"/reset-machine", url.Values{})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("free: %d %s", r.Status, r.Body)
	}
	r = buyer.get(r.Location)
	want(t, r, http.StatusOK, "The licence is free")
	wantNot(t, r, "db-host-01")

	stranger := s.browser(t)
	stranger.mustSignUp("zhou@example.com", "Zhou")
	want(t, stranger.get(page), http.StatusNotFound)
	want(t, stranger.get(page+"/file"), http.StatusNotFound)
	other := s.browser(t)
	other.mustLogIn("seller2@demo.test", demo.Password)
	want(t, other.get(page), http.StatusNotFound)
	wantNot(t, other.get("/seller/licenses"), "db-host")
}
