package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
)

// TestSaaSInstanceAndMessagesThroughTheUI: the buyer sees its instance and
// where to sign in, reveals the initial password once, in both languages;
// another buyer sees nothing; the seller reads the production interface
// messages, retries a delivery and sends a test order.
func TestSaaSInstanceAndMessagesThroughTheUI(t *testing.T) {
	s := demoSite(t)
	ctx := context.Background()
	id := s.tiered(t)
	buyer := s.browser(t)
	buyer.mustSignUp("lin@example.com", "Lin")
	me := s.world.Actor(t, "lin@example.com", password)
	org := me.Memberships[0].OrgID
	if _, err := s.svc.TopUp(ctx, s.world.Actor(t, "ops@demo.test", "cloudmart-demo"), org, money.New(50000, money.CNY), "T-1", ""); err != nil {
		t.Fatal(err)
	}
	o, _, err := s.svc.PlaceOrder(ctx, me, market.OrderRequest{OrgID: org, Lines: []order.LineRequest{{ProductID: id, Plan: "basic", Region: "cn-north-4"}}})
	if err != nil {
		t.Fatal(err)
	}
	page := "/orders/" + o.ID + "/lines/1/instance"
	want(t, buyer.get(page), http.StatusNotFound, "has not opened this instance yet")

	// The seller's answer, as the deliverer stores it, and its call.
	ds, err := s.st.OrderDeliveries(ctx, o.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %+v %v", ds, err)
	}
	now := time.Now().UTC()
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSaaSInstance(ctx, store.SaaSInstance{OrderID: o.ID, LineNo: 1, ProductID: id, BuyerOrgID: org, SellerOrgID: ds[0].SellerOrgID,
			InstanceID: "qsk-7", Plan: "basic", FrontEndURL: "https://backup.lakeside.example/t/qsk-7", UserName: "lin@example.com",
			Password: s.world.Secrets.Seal([]byte("Init-Pass-2026!"), o.ID+"-1"), State: store.SaaSNormal, CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		return tx.AddSaaSExchange(ctx, store.SaaSExchange{ID: "sx_ui_1", DeliveryID: ds[0].ID, OrderID: o.ID, LineNo: 1, ProductID: id,
			SellerOrgID: ds[0].SellerOrgID, Activity: "newInstance", URL: "https://backup.lakeside.example/cloudmart",
			RequestBody: `{"activity":"newInstance"}`, HTTPStatus: 503, ResponseBody: "down for maintenance", Error: "saas: answer's HTTP status is not 200: 503",
			StartedAt: now, Duration: 12 * time.Millisecond})
	})
	if err != nil {
		t.Fatal(err)
	}

	r := buyer.get(page)
	want(t, r, http.StatusOK, "https://backup.lakeside.example/t/qsk-7", "lin@example.com", `id="instance-reveal"`, "Running")
	wantNot(t, r, "Init-Pass-2026!")
	r = buyer.post(page+"/password", url.Values{})
	want(t, r, http.StatusOK, `<code id="instance-password">Init-Pass-2026!</code>`, "shown this once")
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	want(t, buyer.post(page+"/password", url.Values{}), http.StatusConflict, "shown once already")
	r = buyer.get(page)
	want(t, r, http.StatusOK, `id="instance-password-shown"`)
	wantNot(t, r, "Init-Pass-2026!", `id="instance-reveal"`)
	buyer.lang = "zh-CN"
	want(t, buyer.get(page), http.StatusOK, "初始密码", "运行中")

	other := s.demoLogIn(t, "direct@demo.test")
	want(t, other.get(page), http.StatusNotFound)
	want(t, other.post(page+"/password", url.Values{}), http.StatusNotFound)

	seller := s.demoLogIn(t, "seller1@demo.test")
	r = seller.get("/seller/saas")
	want(t, r, http.StatusOK, "Production interface messages", "newInstance", "down for maintenance", "HTTP 503",
		"/seller/deliveries/"+ds[0].ID+"/retry", "/seller/products/"+id+"/test-order")
	r = seller.post("/seller/deliveries/"+ds[0].ID+"/retry", url.Values{})
	if r.Status != http.StatusSeeOther || r.Location != "/seller/saas?done=retried" {
		t.Fatalf("retry: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	want(t, seller.get(r.Location), http.StatusOK, "queued again")
	r = seller.post("/seller/products/"+id+"/test-order", url.Values{})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("test order: %d\n%s", r.Status, r.Body)
	}
	// This site calls no endpoint: the test order's call records why.
	want(t, seller.get(r.Location), http.StatusOK, "The test order was sent", `class="badge">test`, "no SaaS client")
	seller.lang = "zh-CN"
	want(t, seller.get("/seller/saas"), http.StatusOK, "生产接口消息", "发送测试订单")
	want(t, other.get("/seller/saas"), http.StatusForbidden)
	want(t, other.post("/seller/deliveries/"+ds[0].ID+"/retry", url.Values{}), http.StatusNotFound)
}
