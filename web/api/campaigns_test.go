package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

type apiStanding struct {
	Total, Missing apiMoney
	Reached, Next  int
}

type apiCampaignPage struct {
	Campaign struct {
		ID, State string
	}
	OrgID      string `json:"org_id"`
	InAudience bool   `json:"in_audience"`
	Standing   apiStanding
	CanClaim   bool `json:"can_claim"`
	Coupons    []apiCoupon
	Redemption *struct{ ID, State string }
	Gifts      []struct {
		ID      string
		Left    int
		Reached bool
	}
	RefundPolicy string `json:"refund_policy"`
}

type apiCoupon struct {
	ID       string
	OrderID  string `json:"order_id"`
	Template struct{ ID, Kind string }
}

// demoCampaign is the id of the demo's campaign named en.
func (w *world) demoCampaign(ops, en string) string {
	w.t.Helper()
	var list struct {
		Campaigns []struct {
			ID   string
			Name struct{ EN string }
		}
	}
	w.do("GET", "/api/v1/ops/campaigns", ops, nil).must(w.t, 200, "campaigns").decode(w.t, &list)
	for _, c := range list.Campaigns {
		if c.Name.EN == en {
			return c.ID
		}
	}
	w.t.Fatalf("no campaign %q in %+v", en, list)
	return ""
}

// demoProductID is the id of a demo product on sale.
func (w *world) demoProductID(name string) string {
	w.t.Helper()
	found, err := w.svc.Search(context.Background(), store.Query{Text: name, Limit: 10})
	if err != nil {
		w.t.Fatal(err)
	}
	for _, h := range found.Hits {
		if h.Name.EN == name {
			return h.ProductID
		}
	}
	w.t.Fatalf("no product %q", name)
	return ""
}

func campaignBody(name string) map[string]any {
	return map[string]any{
		"name": map[string]string{"en": name, "zh": "测试活动"}, "currency": "CNY", "zone": "Asia/Shanghai",
		"start": "2099-01-01", "end": "2099-01-31", "redeem_by": "2099-02-28", "segments": []string{"telesales"},
		"tiers": []any{map[string]any{"threshold": price("1000.00", "CNY"), "gifts": []any{
			map[string]any{"id": "cap", "name": map[string]string{"en": "Cap", "zh": "帽子"}, "value": price("50.00", "CNY"), "stock": 5}}}},
		"pack": []any{map[string]any{"id": "50-off", "name": map[string]string{"en": "¥50 off", "zh": "减 50"}, "kind": "amount_off",
			"off": price("50.00", "CNY"), "min_spend": price("500.00", "CNY"), "valid_days": 10}},
		"pack_limit": 100, "budget": price("1000.00", "CNY"),
	}
}

// TestCampaignsOverHTTP: an operator creates, edits and schedules a
// campaign; Tianhe Retail's buyer claims the running campaign's pack, prices
// a cart with a coupon through the campaign's page, pays, reaches the first
// tier and redeems a gift; the operator ships and delivers it; the account
// manager revokes an admission.
func TestCampaignsOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ops, buyer, am := w.login("ops@demo.test"), w.login("telesales@demo.test"), w.login("am@demo.test")
		running := w.demoCampaign(ops, demo.RunningCampaign.EN)

		// The operator: a rule broken names its field; a draft, edited, scheduled.
		bad := campaignBody("Spring")
		bad["tiers"].([]any)[0].(map[string]any)["threshold"] = price("0.00", "CNY")
		if code, field := w.do("POST", "/api/v1/ops/campaigns", ops, bad).must(t, 400, "bad tier").errCode(t); code != "invalid" || field != "tiers[0].threshold" {
			t.Errorf("bad tier: %s on %s", code, field)
		}
		bad = campaignBody("Spring")
		bad["start"] = "2099-02-30"
		if _, field := w.do("POST", "/api/v1/ops/campaigns", ops, bad).must(t, 400, "bad day").errCode(t); field != "start" {
			t.Errorf("bad day on %s", field)
		}
		var c struct {
			ID, State string
			Version   int
			Name      struct{ EN string }
			Tiers     []struct{ Gifts []struct{ Left *int } }
		}
		r := w.do("POST", "/api/v1/ops/campaigns", ops, campaignBody("Spring")).must(t, 201, "create")
		r.decode(t, &c)
		if c.State != "draft" || !strings.HasPrefix(c.ID, "cmp_") || r.header.Get("Location") != "/api/v1/ops/campaigns/"+c.ID {
			t.Fatalf("created %+v %s", c, r.header.Get("Location"))
		}
		w.do("GET", "/api/v1/campaigns/"+c.ID, buyer, nil).must(t, 404, "a draft's page")
		w.do("PUT", "/api/v1/ops/campaigns/"+c.ID, ops, campaignBody("Spring sale")).must(t, 200, "edit").decode(t, &c)
		if c.Name.EN != "Spring sale" || c.Version != 2 {
			t.Errorf("edited %+v", c)
		}
		w.do("POST", "/api/v1/ops/campaigns/"+c.ID+"/move", ops, map[string]string{"state": "scheduled"}).must(t, 200, "schedule").decode(t, &c)
		w.do("POST", "/api/v1/ops/campaigns/"+c.ID+"/move", ops, map[string]string{"state": "ended"}).must(t, 409, "end early")
		w.do("GET", "/api/v1/ops/campaigns/"+c.ID, ops, nil).must(t, 200, "get").decode(t, &c)
		if c.State != "scheduled" || len(c.Tiers) != 1 || c.Tiers[0].Gifts[0].Left == nil || *c.Tiers[0].Gifts[0].Left != 5 {
			t.Errorf("scheduled %+v", c)
		}
		var public struct{ Campaigns []struct{ ID string } }
		w.do("GET", "/api/v1/campaigns", "", nil).must(t, 200, "public campaigns").decode(t, &public)
		if len(public.Campaigns) != 2 { // the running one and the scheduled one; the 2020 one is past its deadline
			t.Errorf("public campaigns %+v", public)
		}

		// The buyer: part-way, claims the pack.
		var page apiCampaignPage
		w.do("GET", "/api/v1/campaigns/"+running, buyer, nil).must(t, 200, "page").decode(t, &page)
		if page.Standing.Total.Amount != "6988.00" || page.Standing.Missing.Amount != "3012.00" || page.Standing.Next != 0 || !page.CanClaim ||
			!page.InAudience || page.RefundPolicy != "refuse" || len(page.Gifts) != 6 {
			t.Fatalf("page %+v", page)
		}
		var anon apiCampaignPage
		w.do("GET", "/api/v1/campaigns/"+running, "", nil).must(t, 200, "anonymous page").decode(t, &anon)
		if anon.OrgID != "" || anon.Standing.Total.Amount != "0.00" || anon.CanClaim {
			t.Errorf("anonymous page %+v", anon)
		}
		var claimed struct{ Coupons []apiCoupon }
		w.do("POST", "/api/v1/campaigns/"+running+"/pack", buyer, map[string]any{}).must(t, 201, "claim").decode(t, &claimed)
		if len(claimed.Coupons) != 2 {
			t.Fatalf("claimed %+v", claimed)
		}
		if code, _ := w.do("POST", "/api/v1/campaigns/"+running+"/pack", buyer, map[string]any{}).must(t, 409, "claim twice").errCode(t); code != "conflict" {
			t.Errorf("claim twice: %s", code)
		}
		coupon := ""
		for _, cp := range claimed.Coupons {
			if cp.Template.Kind == "amount_off" {
				coupon = cp.ID
			}
		}

		// The checkout: ¥12,000 less the ¥300 coupon counts, reaching the first tier.
		mq := w.demoProductID("Lakeside MQ")
		lines := []map[string]any{{"product_id": mq, "plan": "perpetual-50", "region": "cn-north-4"}}
		var q struct {
			Quote struct {
				Payable, Discount apiMoney
				Lines             []struct{ Discount apiMoney }
			}
			CampaignID    string `json:"campaign_id"`
			Counts        bool
			Before, After apiStanding
			RefundPolicy  string `json:"refund_policy"`
		}
		w.do("POST", "/api/v1/quotes/checkout", buyer, map[string]any{"lines": lines, "coupon_id": coupon, "channel": "campaign:" + running}).
			must(t, 200, "checkout").decode(t, &q)
		if q.Quote.Payable.Amount != "11700.00" || q.Quote.Lines[0].Discount.Amount != "300.00" || q.CampaignID != running || !q.Counts ||
			q.Before.Total.Amount != "6988.00" || q.After.Total.Amount != "18688.00" || q.After.Reached != 0 || q.RefundPolicy != "refuse" {
			t.Fatalf("checkout %+v", q)
		}
		var direct struct {
			Counts  bool
			Reasons []struct{ Code string }
		}
		w.do("POST", "/api/v1/quotes/checkout", buyer, map[string]any{"lines": lines}).must(t, 200, "direct checkout").decode(t, &direct)
		if direct.Counts || len(direct.Reasons) != 0 {
			t.Errorf("a direct checkout takes part in no campaign: %+v", direct)
		}
		if code, field := w.do("POST", "/api/v1/quotes/checkout", buyer, map[string]any{"lines": lines, "channel": "campaign:cmp_none"}).
			must(t, 400, "bad channel").errCode(t); field != "channel" {
			t.Errorf("bad channel: %s %s", code, field)
		}
		tianhe := w.orgOf(buyer, "customer")
		w.do("POST", "/api/v1/customers/"+tianhe+"/top-ups", ops, map[string]any{"amount": price("20000.00", "CNY"), "reference": "CAMPAIGN-1"}).must(t, 201, "top-up")
		order := map[string]any{"lines": lines, "coupon_id": coupon, "channel": "campaign:" + running}
		var o apiOrder
		w.placeOrder(buyer, "campaign-1", order).must(t, 201, "order with a coupon").decode(t, &o)
		if o.Paid.Amount != "11700.00" || o.Discount.Amount != "300.00" {
			t.Errorf("order %+v", o)
		}
		if code, _ := w.placeOrder(buyer, "campaign-2", order).must(t, 409, "the coupon again").errCode(t); code != "conflict" {
			t.Errorf("the coupon again: %s", code)
		}
		order["coupon_id"] = "cpn_nobodys"
		w.placeOrder(buyer, "campaign-3", order).must(t, 404, "no such coupon")
		w.do("GET", "/api/v1/campaigns/"+running, buyer, nil).must(t, 200, "page").decode(t, &page)
		if page.Standing.Total.Amount != "18688.00" || page.Standing.Reached != 0 || page.Coupons[0].OrderID == "" && page.Coupons[1].OrderID == "" {
			t.Fatalf("page after the order %+v", page)
		}
		var xs struct {
			Orders []struct {
				OrderID string `json:"order_id"`
				Counted bool
				Amount  apiMoney
			}
		}
		w.do("GET", "/api/v1/campaigns/"+running+"/explanations", buyer, nil).must(t, 200, "explanations").decode(t, &xs)
		if len(xs.Orders) != 3 || xs.Orders[0].OrderID != o.ID || !xs.Orders[0].Counted || xs.Orders[0].Amount.Amount != "11700.00" {
			t.Errorf("explanations %+v", xs)
		}
		var mine struct{ Coupons []apiCoupon }
		w.do("GET", "/api/v1/coupons?campaign_id="+running, buyer, nil).must(t, 200, "my coupons").decode(t, &mine)
		if len(mine.Coupons) != 2 {
			t.Errorf("my coupons %+v", mine)
		}

		// The gift: an address is needed, the tier must be reached, one gift.
		address := map[string]string{"name": "李娜", "phone": "+86 138 0000 1001", "province": "广东省", "city": "广州市", "address": "天河路 385 号"}
		if _, field := w.do("POST", "/api/v1/campaigns/"+running+"/redemptions", buyer, map[string]any{"gift_id": "mug", "address": map[string]string{"name": " ", "phone": "", "province": "", "city": "", "address": ""}}).
			must(t, 400, "no address").errCode(t); field != "address.name" {
			t.Errorf("no address: %s", field)
		}
		w.do("POST", "/api/v1/campaigns/"+running+"/redemptions", buyer, map[string]any{"gift_id": "speaker", "address": address}).must(t, 409, "tier not reached")
		var red struct{ ID, State string }
		w.do("POST", "/api/v1/campaigns/"+running+"/redemptions", buyer, map[string]any{"gift_id": "mug", "address": address}).must(t, 201, "redeem").decode(t, &red)
		w.do("POST", "/api/v1/campaigns/"+running+"/redemptions", buyer, map[string]any{"gift_id": "powerbank", "address": address}).must(t, 409, "a second gift")

		// The operator: report, CSV, shipping.
		var rep struct {
			Participants []struct {
				Name     string
				Standing apiStanding
			}
			Redemptions []struct{ ID string }
			CouponsUsed int `json:"coupons_used"`
		}
		w.do("GET", "/api/v1/ops/campaigns/"+running+"/report", ops, nil).must(t, 200, "report").decode(t, &rep)
		if len(rep.Participants) == 0 || !strings.HasPrefix(rep.Participants[0].Name, "Tianhe") || rep.Participants[0].Standing.Total.Amount != "18688.00" ||
			len(rep.Redemptions) != 1 || rep.CouponsUsed != 1 {
			t.Errorf("report %+v", rep)
		}
		csv := w.do("GET", "/api/v1/ops/campaigns/"+running+"/report.csv", ops, nil).must(t, 200, "report.csv")
		if !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") || !strings.Contains(csv.raw, "customer_org_id,customer") || !strings.Contains(csv.raw, "18688.00") {
			t.Errorf("report.csv %s %s", csv.header.Get("Content-Type"), csv.raw)
		}
		if _, field := w.do("POST", "/api/v1/ops/redemptions/"+red.ID+"/shipped", ops, map[string]string{"carrier": "SF"}).must(t, 400, "no tracking").errCode(t); field != "tracking" {
			t.Errorf("no tracking: %s", field)
		}
		w.do("POST", "/api/v1/ops/redemptions/"+red.ID+"/delivered", ops, nil).must(t, 409, "delivered before shipped")
		w.do("POST", "/api/v1/ops/redemptions/"+red.ID+"/shipped", ops, map[string]string{"carrier": "SF Express", "tracking": "SF1"}).must(t, 200, "shipped").decode(t, &red)
		w.do("POST", "/api/v1/ops/redemptions/"+red.ID+"/delivered", ops, nil).must(t, 200, "delivered").decode(t, &red)
		if red.State != "delivered" {
			t.Errorf("redemption %+v", red)
		}
		var dry struct{ Customers []struct{ Name string } }
		w.do("GET", "/api/v1/ops/campaigns/"+running+"/dry-run", ops, nil).must(t, 200, "dry run").decode(t, &dry)
		if len(dry.Customers) == 0 {
			t.Errorf("dry run %+v", dry)
		}

		// The account manager: its own customers only, with a note.
		qingshan := w.orgOf(w.login("direct@demo.test"), "customer")
		meridian := w.orgOf(w.login("other@demo.test"), "customer")
		w.do("POST", "/api/v1/campaigns/"+running+"/admissions", am, map[string]string{"customer_org_id": meridian, "note": "please"}).must(t, 403, "not its customer")
		w.do("POST", "/api/v1/campaigns/"+running+"/admissions", am, map[string]string{"customer_org_id": qingshan, "note": "again"}).must(t, 409, "admitted already")
		if _, field := w.do("POST", "/api/v1/campaigns/"+running+"/admissions/"+qingshan+"/revoke", am, map[string]string{"note": " "}).
			must(t, 400, "no note").errCode(t); field != "note" {
			t.Errorf("no note: %s", field)
		}
		w.do("POST", "/api/v1/campaigns/"+running+"/admissions/"+qingshan+"/revoke", am, map[string]string{"note": "the migration was postponed"}).
			must(t, http.StatusNoContent, "revoke")
		var ads struct {
			Admissions []struct {
				RevokedAt  *string `json:"revoked_at"`
				RevokeNote string  `json:"revoke_note"`
			}
		}
		w.do("GET", "/api/v1/campaigns/"+running+"/admissions?customer_org_id="+qingshan, am, nil).must(t, 200, "admissions").decode(t, &ads)
		if len(ads.Admissions) != 1 || ads.Admissions[0].RevokedAt == nil || ads.Admissions[0].RevokeNote != "the migration was postponed" {
			t.Errorf("admissions %+v", ads)
		}
		if check, err := st.CheckCampaigns(context.Background()); err != nil || !check.Sound() {
			t.Errorf("campaign check %+v %v", check, err)
		}
	})
}

// campaignsMatrix is the access matrix of campaigns: operators run them;
// anyone reads the public pages; buyers claim, redeem and read their coupons
// and explanations; account managers admit their own customers.
func campaignsMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	ops := tokens["operator"]
	running := w.demoCampaign(ops, demo.RunningCampaign.EN)
	var draft struct{ ID string }
	w.do("POST", "/api/v1/ops/campaigns", ops, campaignBody("Matrix")).must(t, 201, "draft").decode(t, &draft)
	qingshan := w.orgOf(w.login("direct@demo.test"), "customer")
	public := everyone(200)
	public["anon"] = 200
	buyers := func(status int) map[string]int {
		want := everyone(403)
		want["buyer"], want["other buyer"], want["operator"] = status, status, 400 // an operator names the organisation
		return want
	}
	ops404 := onlyOperators(404)
	lines := []map[string]any{{"product_id": w.demoProductID("Lakeside MQ"), "plan": "perpetual-50", "region": "cn-north-4"}}
	amRow := onlyOperators(200)
	amRow["account manager"] = 200
	create := onlyOperators(201)
	return []access{
		{"GET", "/api/v1/ops/campaigns", nil, onlyOperators(200)},
		{"POST", "/api/v1/ops/campaigns", campaignBody("Matrix 2"), create},
		{"GET", "/api/v1/ops/campaigns/" + running, nil, onlyOperators(200)},
		{"PUT", "/api/v1/ops/campaigns/" + draft.ID, campaignBody("Matrix"), onlyOperators(200)},
		{"POST", "/api/v1/ops/campaigns/" + draft.ID + "/move", map[string]string{"state": "ended"}, onlyOperators(409)},
		{"GET", "/api/v1/ops/campaigns/" + running + "/dry-run", nil, onlyOperators(200)},
		{"GET", "/api/v1/ops/campaigns/" + running + "/report", nil, onlyOperators(200)},
		{"GET", "/api/v1/ops/campaigns/" + running + "/report.csv", nil, onlyOperators(200)},
		{"POST", "/api/v1/ops/redemptions/rdm_none/shipped", map[string]string{"carrier": "SF", "tracking": "1"}, ops404},
		{"POST", "/api/v1/ops/redemptions/rdm_none/delivered", nil, onlyOperators(404)},
		{"GET", "/api/v1/campaigns", nil, public},
		{"GET", "/api/v1/campaigns/" + running, nil, public},
		{"GET", "/api/v1/campaigns/" + draft.ID, nil, without(everyone(404), "anon")},
		{"GET", "/api/v1/campaigns/" + running + "/admissions", nil, onlyOperators(200)},
		{"GET", "/api/v1/campaigns/" + running + "/admissions?customer_org_id=" + qingshan, nil, amRow},
		{"POST", "/api/v1/campaigns/" + running + "/admissions/" + qingshan + "/revoke", map[string]string{"note": ""},
			map[string]int{"anon": 401, "buyer": 403, "other buyer": 403, "seller": 403, "operator": 403, "account manager": 400, "partner": 403, "applicant": 403}},
		{"GET", "/api/v1/coupons", nil, buyers(200)},
		{"GET", "/api/v1/campaigns/" + running + "/explanations", nil, buyers(200)},
		{"POST", "/api/v1/quotes/checkout", map[string]any{"lines": lines}, buyers(200)},
		{"POST", "/api/v1/campaigns/" + running + "/redemptions", map[string]any{"gift_id": "laptop", "address": map[string]string{"name": "a", "phone": "1",
			"province": "b", "city": "c", "address": "d"}}, buyers(409)},
	}
}
