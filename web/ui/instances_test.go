package ui_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// TestInstancesThroughTheUI: the buy box of an image offers the flavours
// that fit it and refuses another; the order's page lists its instances
// once they run; the buyer's instance page shows how to log in and the
// password once, with a warning; the seller sees the instances of its
// product without a password; another buyer sees nothing; both languages.
func TestInstancesThroughTheUI(t *testing.T) {
	s := demoSite(t)
	ctx := context.Background()
	waf := s.demoProduct(t, "seller2@demo.test", "Bluepeak Hardened WAF") // 2 vCPUs, 4 GiB, x86_64; login user ubuntu
	buyer := s.demoLogIn(t, "telesales@demo.test")
	me := s.world.Actor(t, "telesales@demo.test", demo.Password)
	org := me.Memberships[0].OrgID
	if _, err := s.svc.TopUp(ctx, s.world.Actor(t, "ops@demo.test", demo.Password), org, money.New(1_000_000, money.CNY), "T-1", ""); err != nil {
		t.Fatal(err)
	}

	r := buyer.get("/products/" + waf)
	want(t, r, http.StatusOK, `name="flavor"`, `<option value="s6.large.2" selected>s6.large.2 — 2 vCPUs, 4 GiB</option>`, `value="c7.2xlarge.4"`,
		"Only flavours large enough for the image are listed.")
	wantNot(t, r, `value="s6.small.1"`, `value="kc1.large.2"`)
	add := func(flavor string) response {
		return buyer.post("/cart", url.Values{"product_id": {waf}, "plan": {"monthly"}, "quantity": {"2"}, "periods": {"1"}, "region": {"cn-north-4"},
			"flavor": {flavor}, "action": {"cart"}})
	}
	want(t, add("kc1.large.2"), http.StatusBadRequest, "This image runs on another processor architecture", `aria-invalid="true"`)
	want(t, add("c7.large.2"), http.StatusSeeOther)
	want(t, buyer.get("/cart"), http.StatusOK, "Flavour: <code>c7.large.2</code>")

	o, _, err := s.svc.PlaceOrder(ctx, me, market.OrderRequest{OrgID: org, Lines: []order.LineRequest{
		{ProductID: waf, Plan: "monthly", Quantity: 2, Region: "cn-north-4", Flavor: "c7.large.2"}}})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := s.svc.Deliveries(ctx, me, o.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %+v %v", ds, err)
	}
	if err := s.svc.Deliver(ctx, ds[0].ID); !errors.Is(err, market.ErrPending) {
		t.Fatalf("first delivery: %v", err)
	}
	want(t, buyer.get("/orders/"+o.ID), http.StatusOK, "Instances", "Creating")
	s.world.Clock.Advance(ecs.DefaultSimBoot)
	if err := s.svc.Deliver(ctx, ds[0].ID); err != nil {
		t.Fatal(err)
	}
	list, err := s.svc.Instances(ctx, me, org)
	if err != nil || len(list) != 2 {
		t.Fatalf("instances %+v %v", list, err)
	}
	in := list[0]
	page := "/instances/" + in.ID
	want(t, buyer.get("/orders/"+o.ID), http.StatusOK, "Running", `href="`+page+`"`, in.Address)
	want(t, buyer.get("/instances"), http.StatusOK, "Your instances", in.Address, list[1].Address, "Bluepeak Hardened WAF #1")

	r = buyer.get(page)
	want(t, r, http.StatusOK, "Bluepeak Hardened WAF #1", in.Address, "<code>ubuntu</code>", "ssh ubuntu@"+in.Address, "c7.large.2",
		"The password is shown once only.", `id="reveal-password"`)
	r = buyer.post(page+"/password", url.Values{})
	want(t, r, http.StatusOK, `id="instance-password"`, "the marketplace forgets it and will not show it again")
	shown := regexpFind(t, r.Body, `id="instance-password">([^<]+)<`)
	pw := html.UnescapeString(shown)
	if len(pw) != ecs.PasswordLength || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("password %q, Cache-Control %q", pw, r.Header.Get("Cache-Control"))
	}
	r = buyer.post(page+"/password", url.Values{})
	want(t, r, http.StatusConflict, "The password was shown once already")
	wantNot(t, r, shown)
	r = buyer.get(page)
	want(t, r, http.StatusOK, "The password was shown at")
	wantNot(t, r, shown, `id="reveal-password"`)

	seller := s.demoLogIn(t, "seller2@demo.test")
	want(t, seller.get("/seller/instances"), http.StatusOK, "Instances of your products", in.Address)
	r = seller.get("/instances/" + list[1].ID)
	want(t, r, http.StatusOK, list[1].Address, "/seller/orders/"+o.ID)
	wantNot(t, r, `id="reveal-password"`)
	want(t, seller.post("/instances/"+list[1].ID+"/password", url.Values{}), http.StatusNotFound)

	other := s.demoLogIn(t, "partner-customer@demo.test") // bought no image
	want(t, other.get(page), http.StatusNotFound)
	r = other.get("/instances")
	want(t, r, http.StatusOK, "You have no instances yet.")
	wantNot(t, r, in.Address)
	want(t, s.demoLogIn(t, "seller1@demo.test").get("/seller/instances"), http.StatusOK, "No customer runs your images yet.")

	for _, b := range []*browser{buyer, seller} {
		b.lang = "zh-CN"
	}
	want(t, buyer.get("/instances"), http.StatusOK, "您的实例", "运行中")
	want(t, buyer.get("/instances/"+list[1].ID), http.StatusOK, "显示密码", "密码只显示一次")
	want(t, seller.get("/seller/instances"), http.StatusOK, "您商品的实例")
	for _, path := range []string{"/instances", page, "/orders/" + o.ID, "/products/" + waf} {
		if r := buyer.get(path); strings.Contains(r.Body, ">images.") || strings.Contains(r.Body, `"images.`) {
			t.Errorf("%s: a message id shows", path)
		}
	}

	// The buyer deletes the line's servers, once it confirms; the seller may not.
	for _, b := range []*browser{buyer, seller} {
		b.lang = "en"
	}
	wantNot(t, seller.get(page), `id="release-instances"`)
	want(t, seller.post(page+"/release", url.Values{"confirm": {"yes"}}), http.StatusNotFound)
	want(t, buyer.post(page+"/release", url.Values{}), http.StatusBadRequest, "Tick the box to confirm")
	r = buyer.post(page+"/release", url.Values{"confirm": {"yes"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("release: %d %s", r.Status, r.Body)
	}
	want(t, buyer.get(r.Location), http.StatusOK, "The servers are being deleted")
	ds, err = s.svc.Deliveries(ctx, me, o.ID)
	if err != nil || len(ds) != 2 || ds[1].Action != "release" {
		t.Fatalf("deliveries after the release %+v %v", ds, err)
	}
}
