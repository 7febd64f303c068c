package market_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func yuan(n int64) money.Amount { return money.New(n*100, money.CNY) }

// rules is a campaign around now (the day before to 30 days after, in
// Shanghai) for the segments: tiers at ¥1,000 (a mug, stock 10) and ¥5,000 (a
// watch, stock 5), a pack of one ¥300-off-¥1,000 coupon, 300 packs, a
// ¥100,000 budget.
func rules(now time.Time, segments ...account.Segment) promo.Campaign {
	today := seller.DateOf(now.In(shanghai))
	return promo.Campaign{
		Name: catalog.Text{EN: "Spend and get", ZH: "消费满送"}, Currency: money.CNY, Zone: "Asia/Shanghai",
		Start: today.AddDays(-1), End: today.AddDays(30), RedeemBy: today.AddDays(60), Segments: segments,
		Tiers: []promo.Tier{
			{Threshold: yuan(1_000), Gifts: []promo.Gift{{ID: "mug", Name: catalog.Text{EN: "Mug", ZH: "马克杯"}, Value: yuan(80), Stock: 10}}},
			{Threshold: yuan(5_000), Gifts: []promo.Gift{{ID: "watch", Name: catalog.Text{EN: "Watch", ZH: "手表"}, Value: yuan(800), Stock: 5}}},
		},
		Pack: []promo.Template{{ID: "300off1000", Name: catalog.Text{EN: "¥300 off ¥1,000", ZH: "满1000减300"}, Kind: promo.AmountOff,
			Off: yuan(300), MinSpend: yuan(1_000), ValidDays: 30}},
		PackLimit: 300, Budget: yuan(100_000),
	}
}

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// launch creates the campaign as ops@demo.test, schedules it and has the
// campaign job make it active.
func launch(t *testing.T, w *markettest.World, c promo.Campaign) store.Campaign {
	t.Helper()
	ctx := context.Background()
	ops := w.Actor(t, "ops@demo.test", demo.Password)
	sc, err := w.Svc.CreateCampaign(ctx, ops, c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Svc.MoveCampaign(ctx, ops, sc.ID, promo.Scheduled); err != nil {
		t.Fatal(err)
	}
	if n, err := w.Svc.RunCampaigns(ctx, w.Clock.Now()); err != nil || n < 1 {
		t.Fatalf("the campaign job moved %d: %v", n, err)
	}
	v, err := w.Svc.Campaign(ctx, ops, sc.ID)
	if err != nil || v.State != promo.Active {
		t.Fatalf("launched %+v %v", v.Campaign, err)
	}
	return v.Campaign
}

func msgID(err error) string {
	if e := fault.As(err); e != nil {
		return e.Code + " " + e.MsgID
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestCampaignJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, time.Now().UTC())
		svc := w.Svc
		product := onSale(t, w)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		am := w.Actor(t, "am@demo.test", demo.Password)
		li := w.Actor(t, "telesales@demo.test", demo.Password) // telesales, in the audience
		zhao := w.Actor(t, "direct@demo.test", demo.Password)  // direct, looked after by am@demo.test
		sam := w.Actor(t, "other@demo.test", demo.Password)    // other, no account manager
		liOrg, zhaoOrg, samOrg := orgOf(li), orgOf(zhao), orgOf(sam)
		discountsBefore := sumAccount(t, st, ledger.Discounts) // the demo's campaigns used coupons too

		if _, err := svc.CreateCampaign(ctx, li, rules(w.Clock.Now(), account.SegmentTelesales)); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a buyer made a campaign: %v", err)
		}
		c := launch(t, w, rules(w.Clock.Now(), account.SegmentTelesales))
		channel := promo.Channel(c.ID)

		// The page, and the pack: once per customer, only in the audience.
		page, err := svc.CampaignPage(ctx, li, c.ID, liOrg)
		if err != nil || !page.InAudience || page.ClaimRefusal != nil || page.PacksLeft != 300 || len(page.Gifts) != 2 || page.Standing.Next != 0 {
			t.Fatalf("page %+v %v", page, err)
		}
		coupons, err := svc.ClaimPack(ctx, li, c.ID, liOrg)
		if err != nil || len(coupons) != 1 || coupons[0].Template.Off != yuan(300) {
			t.Fatalf("claim %+v %v", coupons, err)
		}
		if _, err := svc.ClaimPack(ctx, li, c.ID, liOrg); msgID(err) != "conflict error.pack_claimed" {
			t.Fatalf("a second pack: %v", err)
		}
		if _, err := svc.ClaimPack(ctx, zhao, c.ID, zhaoOrg); msgID(err) != "forbidden error.not_in_audience" {
			t.Fatalf("outside the audience: %v", err)
		}
		// Admissions: the account manager, its own customers, with a note.
		if err := svc.Admit(ctx, am, c.ID, samOrg, "a friend"); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("another's customer: %v", err)
		}
		if err := svc.Admit(ctx, ops, c.ID, zhaoOrg, "ops"); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("an operator admitted: %v", err)
		}
		if err := svc.Admit(ctx, am, c.ID, zhaoOrg, " "); msgID(err) != "invalid error.note_required" {
			t.Fatalf("without a note: %v", err)
		}
		if err := svc.Admit(ctx, am, c.ID, zhaoOrg, "key account, agreed with sales"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ClaimPack(ctx, zhao, c.ID, zhaoOrg); err != nil {
			t.Fatalf("admitted, the pack: %v", err)
		}
		if as, err := svc.Admissions(ctx, am, c.ID, zhaoOrg); err != nil || len(as) != 1 || as[0].Note != "key account, agreed with sales" {
			t.Fatalf("admissions %+v %v", as, err)
		}

		// Checkout: 6 months of ¥199 = ¥1,194, less the coupon's ¥300.
		lines := []order.LineRequest{{ProductID: product, Plan: "monthly", Quantity: 6, Region: "cn-north-4"}}
		req := market.OrderRequest{OrgID: liOrg, Lines: lines, CouponID: coupons[0].ID, Channel: channel, IdempotencyKey: "camp-1"}
		co, err := svc.QuoteCheckout(ctx, li, req)
		if err != nil || co.Quote.Payable != yuan(894) || co.Quote.Lines[0].Discount != yuan(300) || !co.Counts ||
			co.After.Total != yuan(894) || co.Before.Total != yuan(0) || co.RefundPolicy != promo.RefuseRefund {
			t.Fatalf("checkout %+v %v", co, err)
		}
		if _, err := svc.QuoteCheckout(ctx, zhao, market.OrderRequest{OrgID: zhaoOrg, Lines: lines, CouponID: coupons[0].ID}); msgID(err) != "not_found error.coupon_unknown" {
			t.Fatalf("another's coupon: %v", err)
		}
		before := balance(t, w, li)
		o, replayed, err := svc.PlaceOrder(ctx, li, req)
		if err != nil || replayed || o.Payable != yuan(894) || o.Discount != yuan(300) || o.Channel != channel {
			t.Fatalf("order %+v %v", o, err)
		}
		if b := balance(t, w, li); b.Minor != before.Minor-yuan(894).Minor {
			t.Fatalf("paid %v of %v", b, before)
		}
		if again, replayed, err := svc.PlaceOrder(ctx, li, req); err != nil || !replayed || again.ID != o.ID {
			t.Fatalf("replay %v %v", replayed, err)
		}
		other := req
		other.CouponID = ""
		if _, _, err := svc.PlaceOrder(ctx, li, other); !fault.Is(err, fault.IdempotencyConflict) {
			t.Fatalf("the key without the coupon: %v", err)
		}
		other.IdempotencyKey = "camp-2"
		other.CouponID = coupons[0].ID
		if _, _, err := svc.PlaceOrder(ctx, li, other); msgID(err) != "conflict error.coupon_used" {
			t.Fatalf("the coupon twice: %v", err)
		}
		if _, _, err := svc.PlaceOrder(ctx, li, market.OrderRequest{OrgID: liOrg, Lines: lines, Channel: "campaign:nope"}); msgID(err) != "invalid error.channel" {
			t.Fatalf("an unknown campaign's page: %v", err)
		}
		// Through the page without a coupon it counts; directly it does not.
		o2, _, err := svc.PlaceOrder(ctx, li, market.OrderRequest{OrgID: liOrg, Lines: lines, Channel: channel})
		if err != nil {
			t.Fatal(err)
		}
		direct, _, err := svc.PlaceOrder(ctx, li, market.OrderRequest{OrgID: liOrg, Lines: lines})
		if err != nil {
			t.Fatal(err)
		}
		page, err = svc.CampaignPage(ctx, li, c.ID, liOrg)
		if err != nil || page.Standing.Total != yuan(894+1194) || page.Standing.Reached != 0 || page.Standing.Missing != yuan(5000-894-1194) ||
			len(page.Coupons) != 1 || page.Coupons[0].OrderID != o.ID {
			t.Fatalf("progress %+v %v", page.Standing, err)
		}
		xs, err := svc.Explain(ctx, li, c.ID, liOrg)
		if err != nil {
			t.Fatal(err)
		}
		why := map[string]string{}
		for _, x := range xs {
			why[x.OrderID] = fmt.Sprint(x.Counted, x.Reasons)
		}
		if why[o.ID] != "true []" || why[o2.ID] != "true []" || why[direct.ID] != "false [not_through]" {
			t.Fatalf("explanations %v", why)
		}
		dry, err := svc.DryRun(ctx, ops, c.ID)
		if err != nil || len(dry) == 0 || dry[0].OrgID != liOrg || dry[0].Standing.Total != yuan(894+1194) {
			t.Fatalf("dry run %+v %v", dry, err)
		}

		// The gift: the tier reached, one per customer, an address.
		addr := store.ShippingAddress{Name: "Li Na", Phone: "13800000000", Province: "Guangdong", City: "Guangzhou", Address: "1 Tianhe Road"}
		if _, err := svc.Redeem(ctx, li, c.ID, liOrg, "watch", addr); msgID(err) != "invalid_state error.tier_not_reached" {
			t.Fatalf("the watch: %v", err)
		}
		if _, err := svc.Redeem(ctx, li, c.ID, liOrg, "mug", store.ShippingAddress{Name: "Li"}); msgID(err) != "invalid error.address_required" {
			t.Fatalf("no address: %v", err)
		}
		r, err := svc.Redeem(ctx, li, c.ID, liOrg, "mug", addr)
		if err != nil || r.State != store.AwaitingShipment {
			t.Fatalf("redeem %+v %v", r, err)
		}
		if _, err := svc.Redeem(ctx, li, c.ID, liOrg, "mug", addr); msgID(err) != "conflict error.gift_redeemed" {
			t.Fatalf("a second gift: %v", err)
		}

		// Refunds after the gift: below the mug's ¥1,000 refused, above allowed.
		if _, err := svc.Refund(ctx, li, market.RefundRequest{OrderID: o2.ID}); msgID(err) != "invalid_state error.refund_below_gift" {
			t.Fatalf("a refund below the gift: %v", err)
		}
		part := yuan(500)
		if _, err := svc.Refund(ctx, li, market.RefundRequest{OrderID: o2.ID, Amount: &part}); err != nil {
			t.Fatalf("a refund above the gift: %v", err)
		}
		page, _ = svc.CampaignPage(ctx, li, c.ID, liOrg)
		if page.Standing.Total != yuan(894+1194-500) || page.Redemption == nil {
			t.Fatalf("after the refund %+v", page.Standing)
		}

		// Fulfilment.
		if _, err := svc.MarkShipped(ctx, li, r.ID, "SF", "1"); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a buyer shipped: %v", err)
		}
		if _, err := svc.MarkDelivered(ctx, ops, r.ID); msgID(err) != "invalid_state error.redemption_state" {
			t.Fatalf("delivered before shipping: %v", err)
		}
		if r, err = svc.MarkShipped(ctx, ops, r.ID, "SF Express", "SF1234567890"); err != nil || r.State != store.Shipped {
			t.Fatalf("shipped %+v %v", r, err)
		}
		if r, err = svc.MarkDelivered(ctx, ops, r.ID); err != nil || r.State != store.Delivered {
			t.Fatalf("delivered %+v %v", r, err)
		}

		// The report, its CSV, and the checks.
		rep, err := svc.Report(ctx, ops, c.ID)
		if err != nil || len(rep.Participants) != 1 || rep.Tiers[1].Customers != 1 || rep.Campaign.BudgetUsed != yuan(300) ||
			rep.Campaign.PacksClaimed != 2 || rep.CouponsUsed != 1 || len(rep.Redemptions) != 1 || rep.Stock[0].Left != 9 {
			t.Fatalf("report %+v %v", rep, err)
		}
		csv, err := svc.ReportCSV(ctx, ops, c.ID)
		if err != nil || !strings.Contains(string(csv), liOrg+",") || !strings.Contains(string(csv), "SF1234567890") {
			t.Fatalf("csv %s %v", csv, err)
		}
		check, err := svc.CheckCampaigns(ctx)
		if err != nil || !check.Sound() {
			t.Fatalf("campaign check %+v %v", check, err)
		}
		if lc, err := st.CheckLedger(ctx); err != nil || !lc.Balanced() {
			t.Fatalf("ledger %+v %v", lc, err)
		}
		spent := sumAccount(t, st, ledger.Discounts) - discountsBefore
		if spent != -yuan(300).Minor { // the coupon's; the refunded order had none
			t.Fatalf("marketplace discounts %d", spent)
		}
	})
}

// sumAccount sums an account's entries in CNY.
func sumAccount(t *testing.T, st *store.Store, a ledger.Account) int64 {
	t.Helper()
	var sum int64
	if err := st.DB().QueryRowContext(context.Background(), `SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_entries WHERE account = $1 AND currency = 'CNY'`,
		string(a)).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestRefundDeductsTheGift: under deduct_gift_value, a refund below the
// gift's tier keeps its value back, once; an owed refund is never refused.
func TestRefundDeductsTheGift(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, time.Now().UTC())
		svc := w.Svc
		product := onSale(t, w)
		li := w.Actor(t, "telesales@demo.test", demo.Password)
		liOrg := orgOf(li)
		rc := rules(w.Clock.Now(), account.SegmentTelesales)
		rc.RefundPolicy = promo.DeductGiftValue
		c := launch(t, w, rc)
		lines := []order.LineRequest{{ProductID: product, Plan: "monthly", Quantity: 6, Region: "cn-north-4"}} // ¥1,194
		o, _, err := svc.PlaceOrder(ctx, li, market.OrderRequest{OrgID: liOrg, Lines: lines, Channel: promo.Channel(c.ID)})
		if err != nil {
			t.Fatal(err)
		}
		addr := store.ShippingAddress{Name: "Li Na", Phone: "138", Province: "Guangdong", City: "Guangzhou", Address: "1 Tianhe Road"}
		if _, err := svc.Redeem(ctx, li, c.ID, liOrg, "mug", addr); err != nil {
			t.Fatal(err)
		}
		before := balance(t, w, li)
		part := yuan(300) // leaves ¥894, below ¥1,000: the mug's ¥80 is kept
		if _, err := svc.Refund(ctx, li, market.RefundRequest{OrderID: o.ID, Amount: &part}); err != nil {
			t.Fatal(err)
		}
		if got := balance(t, w, li).Minor - before.Minor; got != yuan(220).Minor {
			t.Fatalf("got back %d, want ¥220", got)
		}
		before = balance(t, w, li)
		part = yuan(100) // the value is deducted once
		if _, err := svc.Refund(ctx, li, market.RefundRequest{OrderID: o.ID, Amount: &part}); err != nil {
			t.Fatal(err)
		}
		if got := balance(t, w, li).Minor - before.Minor; got != yuan(100).Minor {
			t.Fatalf("got back %d, want ¥100", got)
		}
		page, _ := svc.CampaignPage(ctx, li, c.ID, liOrg)
		if page.Standing.Total != yuan(794) {
			t.Fatalf("total %v", page.Standing.Total)
		}
		if check, err := svc.CheckCampaigns(ctx); err != nil || !check.Sound() {
			t.Fatalf("campaign check %+v %v", check, err)
		}
		if lc, err := st.CheckLedger(ctx); err != nil || !lc.Balanced() {
			t.Fatalf("ledger %+v %v", lc, err)
		}
	})
}

// bulkBuyers makes n customers (segment direct) with a buyer each and a
// ¥1,000,000 balance, and returns their buyers.
func bulkBuyers(t *testing.T, st *store.Store, prefix string, n int) []account.Actor {
	t.Helper()
	bs := make([]store.BulkBuyer, n)
	out := make([]account.Actor, n)
	for i := range bs {
		bs[i] = store.BulkBuyer{OrgID: fmt.Sprintf("org_%s%04d", prefix, i), Name: fmt.Sprintf("%s %d", prefix, i),
			UserID: fmt.Sprintf("usr_%s%04d", prefix, i), Email: fmt.Sprintf("%s%04d@example.test", prefix, i), Balance: yuan(1_000_000)}
		out[i] = account.Actor{UserID: bs[i].UserID, Email: bs[i].Email, Memberships: []account.Membership{{OrgID: bs[i].OrgID, Role: account.RoleBuyer}}}
	}
	if _, err := st.BulkBuyers(context.Background(), bs); err != nil {
		t.Fatal(err)
	}
	return out
}

// race runs fn for each i in [0, n) at once and returns the errors.
func race(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// tally counts the errors by msgID ("" for success).
func tally(errs []error) map[string]int {
	m := map[string]int{}
	for _, err := range errs {
		m[msgID(err)]++
	}
	return m
}

// TestCampaignRaces: the limits hold whatever arrives at once (issue 8's
// "done when").
func TestCampaignRaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, time.Now().UTC().Add(time.Minute)) // after the bulk buyers' creation
		svc := w.Svc
		product := onSale(t, w)
		lines := []order.LineRequest{{ProductID: product, Plan: "monthly", Quantity: 6, Region: "cn-north-4"}} // ¥1,194

		// 100 customers at the mug's tier, 10 mugs left.
		rc := rules(w.Clock.Now(), account.SegmentDirect)
		rc.PackLimit = 300
		c := launch(t, w, rc)
		buyers := bulkBuyers(t, st, "racer", 100)
		for _, b := range buyers {
			if _, _, err := svc.PlaceOrder(ctx, b, market.OrderRequest{OrgID: orgOf(b), Lines: lines, Channel: promo.Channel(c.ID)}); err != nil {
				t.Fatal(err)
			}
		}
		addr := store.ShippingAddress{Name: "N", Phone: "1", Province: "P", City: "C", Address: "A"}
		got := tally(race(100, func(i int) error {
			_, err := svc.Redeem(ctx, buyers[i], c.ID, orgOf(buyers[i]), "mug", addr)
			return err
		}))
		if got[""] != 10 || got["conflict error.out_of_stock"] != 90 {
			t.Fatalf("100 customers, 10 mugs: %v", got)
		}
		// One customer twice at once (both gifts' tiers reached): one gift.
		big := buyers[0]
		if _, _, err := svc.PlaceOrder(ctx, big, market.OrderRequest{OrgID: orgOf(big), Channel: promo.Channel(c.ID),
			Lines: []order.LineRequest{{ProductID: product, Plan: "monthly", Quantity: 30, Region: "cn-north-4"}}}); err != nil {
			t.Fatal(err)
		}
		lone := bulkBuyers(t, st, "lone", 1)[0]
		if _, _, err := svc.PlaceOrder(ctx, lone, market.OrderRequest{OrgID: orgOf(lone), Channel: promo.Channel(c.ID),
			Lines: []order.LineRequest{{ProductID: product, Plan: "monthly", Quantity: 30, Region: "cn-north-4"}}}); err != nil {
			t.Fatal(err)
		}
		got = tally(race(10, func(i int) error {
			_, err := svc.Redeem(ctx, lone, c.ID, orgOf(lone), "watch", addr)
			return err
		}))
		if got[""] != 1 || got["conflict error.gift_redeemed"] != 9 {
			t.Fatalf("one customer, ten redemptions: %v", got)
		}

		// 500 claims at once against 300 packs.
		claimers := bulkBuyers(t, st, "claimer", 500)
		got = tally(race(500, func(i int) error {
			_, err := svc.ClaimPack(ctx, claimers[i], c.ID, orgOf(claimers[i]))
			return err
		}))
		if got[""] != 300 || got["conflict error.packs_gone"] != 200 {
			t.Fatalf("500 claims, 300 packs: %v", got)
		}

		// A budget of exactly 5 discounts, 20 orders with coupons at once.
		rb := rules(w.Clock.Now(), account.SegmentDirect)
		rb.Budget = yuan(5 * 300)
		cb := launch(t, w, rb)
		spenders := claimers[:20]
		coupon := make([]string, len(spenders))
		for i, b := range spenders {
			cps, err := svc.ClaimPack(ctx, b, cb.ID, orgOf(b))
			if err != nil {
				t.Fatal(err)
			}
			coupon[i] = cps[0].ID
		}
		got = tally(race(len(spenders), func(i int) error {
			_, _, err := svc.PlaceOrder(ctx, spenders[i], market.OrderRequest{OrgID: orgOf(spenders[i]), Lines: lines, CouponID: coupon[i]})
			return err
		}))
		if got[""] != 5 || got["conflict error.budget_spent"] != 15 {
			t.Fatalf("a budget of 5 discounts, 20 orders: %v", got)
		}
		if v, _ := svc.Campaign(ctx, w.Actor(t, "ops@demo.test", demo.Password), cb.ID); v.BudgetUsed != yuan(1500) {
			t.Fatalf("budget used %v", v.BudgetUsed)
		}
		if check, err := svc.CheckCampaigns(ctx); err != nil || !check.Sound() {
			t.Fatalf("campaign check %+v %v", check, err)
		}
	})
}
