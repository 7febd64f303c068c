package promo_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
)

func TestProgress(t *testing.T) {
	tests := []struct {
		total         int64 // fen
		reached, next int
		missing       int64
	}{
		{0, -1, 0, 1_000_000},
		{999_999, -1, 0, 1},
		{1_000_000, 0, 1, 4_000_000},
		{1_000_001, 0, 1, 3_999_999},
		{4_999_999, 0, 1, 1},
		{5_000_000, 1, 2, 5_000_000},
		{29_999_999, 3, 4, 1},
		{30_000_000, 4, -1, 0},
		{100_000_000, 4, -1, 0},
	}
	for _, tc := range tests {
		s, err := promo.Progress(cny(tc.total), seed().Tiers)
		if err != nil {
			t.Fatal(err)
		}
		if s.Reached != tc.reached || s.Next != tc.next || s.Missing != cny(tc.missing) || s.Total != cny(tc.total) {
			t.Errorf("%d: %+v, want reached %d, next %d, missing %d", tc.total, s, tc.reached, tc.next, tc.missing)
		}
	}
	if _, err := promo.Progress(yuanUSD(1), seed().Tiers); err == nil {
		t.Error("a total in dollars was placed against tiers in yuan")
	}
}

// A coupon brings an order to exactly a threshold, or one fen below it: what
// counts is what was paid after the coupon.
func TestThresholdAfterCoupon(t *testing.T) {
	c := seed()
	cp := promo.Issue(c, c.Pack[0], "k1", "b1", sh("2020-08-12 10:00:00")) // ¥300 off ¥1,000
	for _, tc := range []struct {
		list    int64 // fen
		reached int
		missing int64
	}{
		{1_030_000, 0, 0}, // ¥10,300.00 − ¥300 = ¥10,000.00: the first tier
		{1_029_999, -1, 1},
	} {
		q, err := order.Totalled("CNY", []order.Line{{No: 1, ProductID: "p1", Type: catalog.TypeImage, Mode: catalog.Yearly,
			List: cny(tc.list), Discount: cny(0), Paid: cny(tc.list)}})
		if err != nil {
			t.Fatal(err)
		}
		parts, err := promo.Apply(cp, q.Lines, nil, sh("2020-08-20 12:00:00"))
		if err != nil {
			t.Fatal(err)
		}
		if q, err = promo.Discounted(q, parts); err != nil {
			t.Fatal(err)
		}
		f := facts()
		f.Channel, f.CouponCampaignID, f.Paid = "direct", "c1", q.Payable
		e, r := promo.OrderEntry(c, f)
		if r != promo.Counted {
			t.Fatalf("%d: %s", tc.list, r)
		}
		total, err := promo.Total("CNY", []promo.Entry{e})
		if err != nil {
			t.Fatal(err)
		}
		s, _ := promo.Progress(total, c.Tiers)
		if s.Reached != tc.reached || (tc.reached < 0 && s.Missing != cny(tc.missing)) {
			t.Errorf("list %d, paid %v: %+v", tc.list, q.Payable, s)
		}
	}
}

func TestCampaignLedger(t *testing.T) {
	c := seed()
	f := facts()
	e1, _ := promo.OrderEntry(c, f)
	f.OrderID, f.Paid = "o2", yuan(45_000)
	e2, _ := promo.OrderEntry(c, f)
	r1, err := promo.RefundEntry(e2, "r1", yuan(5_000), sh("2020-08-25 00:00:00"))
	if err != nil {
		t.Fatal(err)
	}
	if e1.Key() != "c1/order/o1" || r1.Key() != "c1/refund/r1" || r1.OrderID != "o2" || r1.Amount != yuan(-5_000) {
		t.Errorf("entries %+v %+v", e1, r1)
	}
	tests := []struct {
		name    string
		entries []promo.Entry
		want    int64 // yuan
	}{
		{"none", nil, 0},
		{"two orders", []promo.Entry{e1, e2}, 55_000},
		{"a replayed payment counts once", []promo.Entry{e1, e2, e1}, 55_000},
		{"a refund", []promo.Entry{e1, e2, r1}, 50_000},
		{"a replayed refund counts once", []promo.Entry{e1, r1, e2, r1}, 50_000},
	}
	for _, tc := range tests {
		got, err := promo.Total("CNY", tc.entries)
		if err != nil || got != yuan(tc.want) {
			t.Errorf("%s: %v %v, want %d", tc.name, got, err, tc.want)
		}
	}
	other := e1
	other.CustomerOrgID = "b2"
	if _, err := promo.Total("CNY", []promo.Entry{e1, other}); err != promo.ErrMixedEntries {
		t.Errorf("two customers' entries: %v", err)
	}
	for _, tc := range []struct {
		name   string
		amount int64
	}{{"more than the order counted", 4_500_001}, {"nothing", 0}, {"negative", -1}} {
		if _, err := promo.RefundEntry(e2, "r2", cny(tc.amount), time.Time{}); code(err) != "invalid error.refund_amount" {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := promo.RefundEntry(e2, "r2", yuanUSD(1), time.Time{}); err == nil {
		t.Error("a refund in dollars of an order in yuan")
	}
	if _, err := promo.RefundEntry(r1, "r2", yuan(1), time.Time{}); err == nil {
		t.Error("a refund of a refund")
	}
	if _, r := promo.OrderEntry(c, promo.OrderFacts{OrderID: "o3", PaidAt: sh("2020-08-20 00:00:00"), Channel: "direct"}); r == promo.Counted {
		t.Error("a direct order was entered")
	}
}

func TestCheckRedeem(t *testing.T) {
	ok := promo.RedeemFacts{GiftID: "speaker", Total: yuan(60_000), StockLeft: 3, At: sh("2020-09-01 10:00:00")}
	tests := []struct {
		name   string
		change func(*promo.RedeemFacts, *promo.Campaign)
		want   string
	}{
		{"a gift of the highest tier reached", nil, ""},
		{"a gift of a lower tier", func(r *promo.RedeemFacts, _ *promo.Campaign) { r.GiftID = "mug" }, ""},
		{"exactly at the threshold", func(r *promo.RedeemFacts, _ *promo.Campaign) { r.Total = yuan(50_000) }, ""},
		{"one fen below it", func(r *promo.RedeemFacts, _ *promo.Campaign) { r.Total = cny(4_999_999) }, "invalid_state error.tier_not_reached"},
		{"a tier not reached", func(r *promo.RedeemFacts, _ *promo.Campaign) { r.GiftID = "watch" }, "invalid_state error.tier_not_reached"},
		{"a second gift", func(r *promo.RedeemFacts, _ *promo.Campaign) { r.Redeemed = true }, "conflict error.gift_redeemed"},
		{"the last unit", func(r *promo.RedeemFacts, _ *promo.Campaign) { r.StockLeft = 1 }, ""},
		{"out of stock", func(r *promo.RedeemFacts, _ *promo.Campaign) { r.StockLeft = 0 }, "conflict error.out_of_stock"},
		{"no such gift", func(r *promo.RedeemFacts, _ *promo.Campaign) { r.GiftID = "car" }, "not_found error.gift_unknown"},
		{"after the window, before the deadline", func(r *promo.RedeemFacts, c *promo.Campaign) {
			r.At, c.State = sh("2020-09-30 23:59:59"), promo.Ended
		}, ""},
		{"the deadline passed (in Shanghai)", func(r *promo.RedeemFacts, c *promo.Campaign) {
			r.At, c.State = utc("2020-09-30 16:00:00"), promo.Ended
		}, "invalid_state error.redeem_closed"},
		{"a scheduled campaign", func(_ *promo.RedeemFacts, c *promo.Campaign) { c.State = promo.Scheduled }, "invalid_state error.redeem_closed"},
	}
	for _, tc := range tests {
		r, c := ok, seed()
		if tc.change != nil {
			tc.change(&r, &c)
		}
		red, err := promo.CheckRedeem(c, r)
		if code(err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
			continue
		}
		if err == nil {
			g, tier, _ := c.Gift(r.GiftID)
			if red.GiftID != r.GiftID || red.Tier != tier || red.Threshold != c.Tiers[tier].Threshold || red.Value != g.Value || !red.Deducted.IsZero() {
				t.Errorf("%s: %+v", tc.name, red)
			}
		}
	}
}
