package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/promo"
)

// demoCampaignID is the id of the demo's running campaign.
func (s *site) demoCampaignID(t *testing.T) string {
	t.Helper()
	cs, err := s.svc.PublicCampaigns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Name.EN == demo.RunningCampaign.EN && c.State == promo.Active {
			return c.ID
		}
	}
	t.Fatal("no running demo campaign")
	return ""
}

// TestCampaignThroughTheUI: Tianhe Retail's buyer reads the running
// campaign's rules and progress, claims the pack, shops through the
// campaign with a coupon (the checkout shows the discount, the progress and
// the refund policy), reaches the first tier and redeems a gift after a
// refused try; the operator ships it; the account manager revokes an
// admission with a note. Every page renders in both languages.
func TestCampaignThroughTheUI(t *testing.T) {
	s := demoSite(t)
	id := s.demoCampaignID(t)
	page := "/campaigns/" + id
	buyer := s.demoLogIn(t, "telesales@demo.test")
	want(t, buyer.get("/campaigns"), http.StatusOK, `href="`+page+`"`, "Cloud onboarding spend-and-get")
	want(t, buyer.get(page), http.StatusOK, "customers of the segments Telesales", "Asia/Shanghai, both days whole",
		`id="campaign-total">¥6,988.00<`, "¥3,012.00 more to the next tier.", "a refund that would take your total below the tier of the gift you redeemed is refused",
		`id="claim-pack"`, `id="campaign-bar"`, `id="shop-through"`)
	r := buyer.post(page+"/claim", nil)
	wantRedirect(t, r, page+"?done=claimed")
	want(t, buyer.get(r.Location), http.StatusOK, "Pack claimed", "You have claimed the pack: 2 coupons.")
	want(t, buyer.post(page+"/claim", nil), http.StatusConflict, "You have claimed this campaign&#39;s pack.")
	want(t, buyer.get("/account/coupons"), http.StatusOK, "¥300 off ¥1,000", "Can be used")

	// Shopping through the campaign: the channel rides in a cookie to the checkout.
	wantRedirect(t, buyer.get(page+"/shop"), "/products?campaign="+url.QueryEscape(id))
	if buyer.cookie("cloudmart_channel") != "campaign:"+id {
		t.Fatalf("channel cookie %q", buyer.cookie("cloudmart_channel"))
	}
	mq := s.demoProduct(t, "seller1@demo.test", "Lakeside MQ")
	raw, _ := json.Marshal([]map[string]any{{"p": mq, "c": "perpetual-50", "q": 1, "r": "cn-north-4"}})
	lines := base64URL(raw)
	r = buyer.get("/checkout?lines=" + lines)
	want(t, r, http.StatusOK, "¥300 off ¥1,000 (−¥300.00)", "Bought through a campaign&#39;s page.", "It counts: your total goes from ¥6,988.00 to ¥18,988.00.")
	coupon := regexpFind(t, r.Body, `<option value="(cpn_[^"]+)">¥300 off`)
	r = buyer.get("/checkout?lines=" + lines + "&coupon=" + coupon)
	want(t, r, http.StatusOK, `id="total-payable">¥11,700.00<`, "your total goes from ¥6,988.00 to ¥18,688.00", "You reach the ¥10,000.00 tier",
		"is refused", "A coupon used on an order that is refunded is not given back.")
	form := payForm(t, r.Body)
	form.Set("coupon", hidden(t, r.Body, "coupon"))
	form.Set("channel", hidden(t, r.Body, "channel"))
	if form.Get("coupon") != coupon || form.Get("channel") != "campaign:"+id {
		t.Fatalf("pay form %v", form)
	}
	r = buyer.post("/checkout", form)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/orders/ord_") {
		t.Fatalf("pay: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	orderID := strings.TrimSuffix(strings.TrimPrefix(r.Location, "/orders/"), "?done=placed")
	r = buyer.get(page)
	want(t, r, http.StatusOK, `id="campaign-total">¥18,688.00<`, "¥31,312.00 more to the next tier.", "Counted: ¥11,700.00", orderID, `id="redeem-form"`)

	// The gift: the form comes back with what is missing; then redeemed.
	r = buyer.post(page+"/redeem", url.Values{"gift": {"mug"}, "address.name": {"李娜"}})
	want(t, r, http.StatusBadRequest)
	if fieldError(r.Body, "address-phone") == "" {
		t.Errorf("no error by the phone\n%s", r.Body)
	}
	r = buyer.post(page+"/redeem", url.Values{"gift": {"mug"}, "address.name": {"李娜"}, "address.phone": {"138"}, "address.province": {"广东省"},
		"address.city": {"广州市"}, "address.address": {"天河路 385 号"}})
	wantRedirect(t, r, page+"?done=redeemed#gift")
	want(t, buyer.get(page), http.StatusOK, "Your gift: Insulated travel mug — awaiting shipment.")

	// The operator ships it.
	ops := s.demoLogIn(t, "ops@demo.test")
	r = ops.get("/ops/campaigns/" + id)
	want(t, r, http.StatusOK, "Gifts to ship", "Tianhe Retail", "¥18,688.00", `id="report-csv"`)
	red := regexpFind(t, r.Body, `action="/ops/redemptions/(rdm_[^/]+)/shipped"`)
	want(t, ops.post("/ops/redemptions/"+red+"/shipped", url.Values{"campaign": {id}, "carrier": {"SF Express"}}), http.StatusBadRequest, "Name the carrier and give the tracking number.")
	wantRedirect(t, ops.post("/ops/redemptions/"+red+"/shipped", url.Values{"campaign": {id}, "carrier": {"SF Express"}, "tracking": {"SF1"}}),
		"/ops/campaigns/"+id+"?done=shipped#shipping")
	want(t, buyer.get(page), http.StatusOK, "shipped", "SF Express, tracking number SF1.")
	csv := ops.get("/ops/campaigns/" + id + "/report.csv")
	want(t, csv, http.StatusOK, "customer_org_id", "18688.00")
	want(t, ops.get("/ops/campaigns/"+id+"/dry-run"), http.StatusOK, "Would count")
	want(t, buyer.get("/ops/campaigns/"+id), http.StatusForbidden)

	// The operator creates a draft; a broken rule comes back by its group.
	newForm := url.Values{"name.en": {"Winter"}, "name.zh": {"冬季"}, "currency": {"CNY"}, "zone": {"Asia/Shanghai"}, "start": {"2099-01-01"},
		"end": {"2099-01-31"}, "redeem_by": {"2099-02-28"}, "segments": {"telesales"}, "refund_policy": {"refuse"},
		"gifts[0].threshold": {"1000.00"}, "gifts[0].id": {"cap"}, "gifts[0].name_en": {"Cap"}, "gifts[0].name_zh": {"帽子"}, "gifts[0].value": {"50.00"},
		"gifts[0].stock": {"-1"}, "pack[0].id": {""}}
	want(t, ops.post("/ops/campaigns", newForm), http.StatusBadRequest, "Stock cannot be negative.")
	newForm.Set("gifts[0].stock", "5")
	r = ops.post("/ops/campaigns", newForm)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/ops/campaigns/cmp_") {
		t.Fatalf("create: %d %s\n%s", r.Status, r.Location, r.Body)
	}
	want(t, ops.get(r.Location), http.StatusOK, "Draft created.", `id="move-scheduled"`, `value="Winter"`)

	// The account manager revokes Qingshan's admission, with a note.
	am := s.demoLogIn(t, "am@demo.test")
	r = am.get("/am/campaigns")
	want(t, r, http.StatusOK, "Qingshan Logistics", "Admitted", "In the audience by its segment")
	qingshan := s.orgOf(t, "direct@demo.test")
	want(t, am.post("/am/campaigns/"+id+"/admissions", url.Values{"org": {qingshan}, "action": {"revoke"}}), http.StatusBadRequest, "Say why")
	wantRedirect(t, am.post("/am/campaigns/"+id+"/admissions", url.Values{"org": {qingshan}, "action": {"revoke"}, "note": {"postponed"}}), "/am/campaigns?done=saved")
	want(t, am.get("/am/campaigns"), http.StatusOK, "Not in the audience")

	// Both languages, no message id showing.
	for _, lang := range []string{"en", "zh-CN"} {
		for _, c := range []struct {
			b    *browser
			path string
		}{{buyer, page}, {buyer, "/campaigns"}, {buyer, "/account/coupons"}, {buyer, "/checkout?lines=" + lines}, {ops, "/ops/campaigns"},
			{ops, "/ops/campaigns/" + id}, {ops, "/ops/campaigns/new"}, {ops, "/ops/campaigns/" + id + "/dry-run"}, {am, "/am/campaigns"}} {
			c.b.lang = lang
			r := c.b.get(c.path)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: %d", lang, c.path, r.Status)
			}
			for _, prefix := range []string{"camp.", "campaign.reason.", "segment.", "error."} {
				for _, at := range []string{">" + prefix, "\"" + prefix, " " + prefix} {
					if i := strings.Index(r.Body, at); i >= 0 {
						t.Errorf("%s %s: a message id shows: %s", lang, c.path, r.Body[i:min(len(r.Body), i+60)])
					}
				}
			}
		}
	}
	_ = money.CNY
	if t.Failed() {
		t.Log(s.log.String())
	}
}
