package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func yuan(n int64) money.Amount { return money.New(n*100, money.CNY) }

func day(s string) promo.Date {
	d, err := seller.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// testCampaign is an active campaign with two tiers, a gift of stock 1 in
// each, a pack of one ¥300-off coupon, two packs in all and a ¥500 budget.
func testCampaign() store.Campaign {
	c := promo.Campaign{
		ID: ids.New("cmp"), Name: catalog.Text{EN: "Spend and get", ZH: "消费满送"}, Currency: money.CNY, Zone: "Asia/Shanghai",
		Start: day("2026-11-01"), End: day("2026-11-30"), RedeemBy: day("2026-12-31"),
		Segments: []account.Segment{account.SegmentDirect},
		Tiers: []promo.Tier{
			{Threshold: yuan(1_000), Gifts: []promo.Gift{{ID: "mug", Name: catalog.Text{EN: "Mug", ZH: "杯子"}, Value: yuan(80), Stock: 1}}},
			{Threshold: yuan(5_000), Gifts: []promo.Gift{{ID: "watch", Name: catalog.Text{EN: "Watch", ZH: "手表"}, Value: yuan(800), Stock: 1}}},
		},
		Pack: []promo.Template{{ID: "300off", Name: catalog.Text{EN: "¥300 off", ZH: "减300"}, Kind: promo.AmountOff, Off: yuan(300),
			MinSpend: yuan(1_000), ValidDays: 30}},
		PackLimit: 2, Budget: yuan(500), State: promo.Active,
	}
	return store.Campaign{Campaign: c, CreatedAt: t0, UpdatedAt: t0, Version: 1}
}

func TestCampaignLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := mustServices(t, st)
		_, other := mustUser(t, st, ids.New("other")+"@example.com")
		_, third := mustUser(t, st, ids.New("third")+"@example.com")
		c := testCampaign()
		write := func(fn func(tx *store.Tx) error) error { return st.Write(ctx, fn) }
		if err := write(func(tx *store.Tx) error { return tx.CreateCampaign(ctx, c) }); err != nil {
			t.Fatal(err)
		}
		got, err := st.Campaign(ctx, c.ID)
		if err != nil || got.State != promo.Active || got.Tiers[1].Gifts[0].ID != "watch" || got.BudgetUsed != yuan(0) || got.Version != 1 {
			t.Fatalf("campaign %+v %v", got, err)
		}

		// Packs: a claim number once per customer, two packs in all.
		at := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
		claim := func(org string, no int) error {
			return write(func(tx *store.Tx) error { return tx.ClaimPack(ctx, c.ID, org, no, "", at) })
		}
		if err := claim(s.org.ID, 1); err != nil {
			t.Fatal(err)
		}
		if err := claim(s.org.ID, 1); !isMsg(err, "error.pack_claimed") {
			t.Fatalf("the same claim number twice: %v", err)
		}
		if err := claim(other.ID, 1); err != nil {
			t.Fatal(err)
		}
		if err := claim(third.ID, 1); !isMsg(err, "error.packs_gone") {
			t.Fatalf("a third pack of two: %v", err)
		}
		if n, _ := st.PackClaims(ctx, c.ID, third.ID); n != 0 {
			t.Fatalf("a refused claim was kept: %d", n)
		}

		// A coupon is used once, on one order.
		cp := promo.Issue(c.Campaign, c.Pack[0], ids.New("cpn"), s.org.ID, at)
		if err := write(func(tx *store.Tx) error { return tx.AddCoupons(ctx, 1, []promo.Coupon{cp}) }); err != nil {
			t.Fatal(err)
		}
		paidWith := func(o *order.Order) { o.CouponID = cp.ID } // as PlaceOrder writes an order with a coupon
		o1 := s.order(t, 1, at, paidWith)[0].OrderID
		o2 := s.order(t, 1, at)[0].OrderID
		again := order.Order{ID: ids.New("ord"), BuyerOrgID: s.org.ID, BuyerUserID: s.buyer.ID, Kind: order.New, Channel: "direct",
			State: order.Paid, PlacedAt: at, PaidAt: at, CouponID: cp.ID,
			Quote: order.Quote{Currency: money.CNY, List: yuan(1), Discount: yuan(0), Payable: yuan(1)}}
		if err := write(func(tx *store.Tx) error { return tx.CreateOrder(ctx, again, "", "") }); !isMsg(err, "error.coupon_used") {
			t.Fatalf("a coupon used twice: %v", err)
		}
		if got, gc, err := st.CouponAndCampaign(ctx, cp.ID); err != nil || got.OrderID != o1 || !got.UsedAt.Equal(at) || got.Template.Off != yuan(300) ||
			gc.ID != c.ID || gc.Tiers[1].Gifts[0].ID != "watch" {
			t.Fatalf("coupon and campaign %+v %+v %v", got, gc, err)
		}
		if _, _, err := st.CouponAndCampaign(ctx, "cpn_none"); !isMsg(err, "error.coupon_unknown") {
			t.Fatalf("no such coupon: %v", err)
		}
		if m, err := st.OrderCoupons(ctx, []string{o1, o2}); err != nil || len(m) != 1 || m[o1].ID != cp.ID {
			t.Fatalf("order coupons %+v %v", m, err)
		}

		// The budget: ¥500 covers one ¥300 discount, not a second.
		charge := func(a money.Amount) error {
			return write(func(tx *store.Tx) error { return tx.ChargeBudget(ctx, c.ID, a) })
		}
		if err := charge(yuan(300)); err != nil {
			t.Fatal(err)
		}
		if err := charge(yuan(300)); !isMsg(err, "error.budget_spent") {
			t.Fatalf("over the budget: %v", err)
		}
		if err := charge(yuan(200)); err != nil {
			t.Fatalf("exactly what is left: %v", err)
		}

		// The ledger: a replayed entry adds nothing; the cached total follows.
		entry := promo.Entry{CampaignID: c.ID, CustomerOrgID: s.org.ID, Kind: promo.OrderCounted, Ref: o1, OrderID: o1, Amount: yuan(1_000), At: at}
		for i, want := range []bool{true, false} {
			var added bool
			if err := write(func(tx *store.Tx) (err error) { added, err = tx.AddCampaignEntry(ctx, entry); return err }); err != nil || added != want {
				t.Fatalf("entry %d: added %v, %v", i, added, err)
			}
		}
		if p, found, err := st.Participant(ctx, c.ID, s.org.ID); err != nil || !found || p.Total != yuan(1_000) || p.Redeemed != nil {
			t.Fatalf("participant %+v %v %v", p, found, err)
		}

		// Redemption: the tier must be reached, one gift, stock never below 0.
		red := func(org, gift string, tier int, threshold money.Amount) error {
			r := store.Redemption{ID: ids.New("rdm"), CampaignID: c.ID, CustomerOrgID: org, State: store.AwaitingShipment, RedeemedAt: at,
				Redemption: promo.Redemption{GiftID: gift, Tier: tier, Threshold: threshold, Value: yuan(80)},
				Address:    store.ShippingAddress{Name: "Li Na", Phone: "138", Province: "Guangdong", City: "Guangzhou", Address: "1 Tianhe Rd"}}
			return write(func(tx *store.Tx) error { return tx.Redeem(ctx, r) })
		}
		if err := red(s.org.ID, "watch", 1, yuan(5_000)); !isMsg(err, "error.tier_not_reached") {
			t.Fatalf("above the total: %v", err)
		}
		if err := red(s.org.ID, "mug", 0, yuan(1_000)); err != nil {
			t.Fatal(err)
		}
		if err := red(s.org.ID, "mug", 0, yuan(1_000)); !isMsg(err, "error.gift_redeemed") {
			t.Fatalf("a second gift: %v", err)
		}
		otherEntry := promo.Entry{CampaignID: c.ID, CustomerOrgID: other.ID, Kind: promo.OrderCounted, Ref: o2, OrderID: o2, Amount: yuan(1_000), At: at}
		if err := write(func(tx *store.Tx) error { _, err := tx.AddCampaignEntry(ctx, otherEntry); return err }); err != nil {
			t.Fatal(err)
		}
		if err := red(other.ID, "mug", 0, yuan(1_000)); !isMsg(err, "error.out_of_stock") {
			t.Fatalf("the last mug twice: %v", err)
		}
		if p, _, _ := st.Participant(ctx, c.ID, other.ID); p.Redeemed != nil {
			t.Fatalf("a refused redemption was kept: %+v", p.Redeemed)
		}
		if stock, _ := st.GiftStocks(ctx, c.ID); stock["mug"].Left != 0 || stock["watch"].Left != 1 {
			t.Fatalf("stock %+v", stock)
		}

		// A refund with a gift deduction, within the gift's value only.
		refund := promo.Entry{CampaignID: c.ID, CustomerOrgID: s.org.ID, Kind: promo.OrderRefund, Ref: "rfd1", OrderID: o1, Amount: yuan(-100), At: at}
		err = write(func(tx *store.Tx) error {
			if _, err := tx.AddCampaignEntry(ctx, refund); err != nil {
				return err
			}
			return tx.AddDeducted(ctx, c.ID, s.org.ID, yuan(80), at)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.AddDeducted(ctx, c.ID, s.org.ID, money.New(1, money.CNY), at) }); err == nil {
			t.Fatal("deducted beyond the gift's value")
		}
		p, _, err := st.Participant(ctx, c.ID, s.org.ID)
		if err != nil || p.Total != yuan(900) || p.Redeemed == nil || p.Redeemed.Deducted != yuan(80) || p.Redeemed.Threshold != yuan(1_000) {
			t.Fatalf("after the refund %+v %+v %v", p, p.Redeemed, err)
		}

		// The stock of a redeemed gift cannot fall below what was redeemed.
		c.Tiers[0].Gifts[0].Stock = 0
		c.UpdatedAt = at
		if err := write(func(tx *store.Tx) error { return tx.SaveCampaign(ctx, c, 1) }); !fault.Is(err, fault.Invalid) {
			t.Fatalf("stock below the redeemed: %v", err)
		}
		c.Tiers[0].Gifts[0].Stock = 5
		if err := write(func(tx *store.Tx) error { return tx.SaveCampaign(ctx, c, 1) }); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.SaveCampaign(ctx, c, 1) }); !isMsg(err, "error.changed_meanwhile") {
			t.Fatalf("an edit from an old version: %v", err)
		}
		if stock, _ := st.GiftStocks(ctx, c.ID); stock["mug"].Left != 4 || stock["mug"].Stock != 5 {
			t.Fatalf("more stock %+v", stock)
		}

		// Shipping moves once.
		reds, err := st.Redemptions(ctx, c.ID, "")
		if err != nil || len(reds) != 1 || reds[0].Address.City != "Guangzhou" || reds[0].CustomerName != s.org.Name {
			t.Fatalf("redemptions %+v %v", reds, err)
		}
		r := reds[0]
		r.State, r.Carrier, r.Tracking, r.ShippedAt = store.Shipped, "SF Express", "SF123", at
		if err := write(func(tx *store.Tx) error { return tx.MoveRedemption(ctx, store.AwaitingShipment, r) }); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.MoveRedemption(ctx, store.AwaitingShipment, r) }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("shipped twice: %v", err)
		}

		// Admissions: one in force at a time; revoked, another may follow.
		adm := promo.Admission{CampaignID: c.ID, CustomerOrgID: third.ID, By: s.buyer.ID, Note: "a key account", At: at}
		if err := write(func(tx *store.Tx) error { return tx.AddAdmission(ctx, ids.New("adm"), adm) }); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.AddAdmission(ctx, ids.New("adm"), adm) }); !isMsg(err, "error.admitted_already") {
			t.Fatalf("admitted twice: %v", err)
		}
		later := at.Add(time.Hour)
		if err := write(func(tx *store.Tx) error { return tx.RevokeAdmission(ctx, c.ID, third.ID, s.buyer.ID, "ended", later) }); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.RevokeAdmission(ctx, c.ID, third.ID, s.buyer.ID, "again", later) }); !fault.Is(err, fault.NotFound) {
			t.Fatalf("revoked twice: %v", err)
		}
		if as, err := st.Admissions(ctx, c.ID, third.ID); err != nil || len(as) != 1 || !as[0].RevokedAt.Equal(later) ||
			!promo.Admitted(as, at) || promo.Admitted(as, later) {
			t.Fatalf("admissions %+v %v", as, err)
		}

		// Segment history.
		err = write(func(tx *store.Tx) error {
			if err := tx.AddSegmentChange(ctx, third.ID, account.SegmentDirect, at.Add(-time.Hour), ""); err != nil {
				return err
			}
			return tx.AddSegmentChange(ctx, third.ID, account.SegmentTelesales, later, s.buyer.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		if ch, err := st.SegmentChanges(ctx, third.ID); err != nil || len(ch) != 2 || promo.SegmentAt(ch, later) != account.SegmentTelesales ||
			promo.SegmentAt(ch, at) != account.SegmentDirect {
			t.Fatalf("segments %+v %v", ch, err)
		}

		// The check: the budget used (¥500) is more than the coupon orders'
		// discounts (none recorded on these orders): it says so, and names
		// nothing else.
		chk, err := st.CheckCampaigns(ctx)
		if err != nil || len(chk.Mismatched) != 1 || chk.Participants != 2 || chk.Entries != 3 {
			t.Fatalf("check %+v %v", chk, err)
		}
	})
}

// TestCampaignEntriesTogether: entries added in one call (as checkout's
// group commit counts its orders) leave out the replayed one, and each
// customer's total adds its own.
func TestCampaignEntriesTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := mustServices(t, st)
		_, other := mustUser(t, st, ids.New("other")+"@example.com")
		c := testCampaign()
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.CreateCampaign(ctx, c) }); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
		var entries []promo.Entry
		for i, org := range []string{s.org.ID, other.ID, s.org.ID} {
			o := s.order(t, 1, at)[0].OrderID
			entries = append(entries, promo.Entry{CampaignID: c.ID, CustomerOrgID: org, Kind: promo.OrderCounted, Ref: o, OrderID: o,
				Amount: yuan(int64(100 * (i + 1))), At: at.Add(time.Duration(i) * time.Minute)})
		}
		add := func(es ...promo.Entry) (added []promo.Entry) {
			t.Helper()
			if err := st.Write(ctx, func(tx *store.Tx) (err error) { added, err = tx.AddCampaignEntries(ctx, es); return err }); err != nil {
				t.Fatal(err)
			}
			return added
		}
		if added := add(entries[0]); len(added) != 1 {
			t.Fatalf("added %+v", added)
		}
		if added := add(entries...); len(added) != 2 || added[0].Ref != entries[1].Ref || added[1].Ref != entries[2].Ref {
			t.Fatalf("with a replay: added %+v", added)
		}
		for org, want := range map[string]money.Amount{s.org.ID: yuan(400), other.ID: yuan(200)} {
			if p, found, err := st.Participant(ctx, c.ID, org); err != nil || !found || p.Total != want {
				t.Fatalf("%s: %+v %v %v, want %s", org, p, found, err, want)
			}
		}
		if chk, err := st.CheckCampaigns(ctx); err != nil || !chk.Sound() || chk.Entries != 3 {
			t.Fatalf("check %+v %v", chk, err)
		}
	})
}

// isMsg reports whether err is a fault with the message id.
func isMsg(err error, msgID string) bool {
	e := fault.As(err)
	return e != nil && e.MsgID == msgID
}
