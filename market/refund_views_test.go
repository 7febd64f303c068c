package market_test

import (
	"context"
	"testing"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// An order with a line of two sellers, refunded three times: its buyer and
// operators see every refund whole; each seller only the refunds of its
// line, with only its part; nobody else sees any, nor the buyer's name.
func TestRefundsAndBuyerNameOfAnOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w, id, buyer := buying(t, st, 200000)
		svc := w.Svc
		seller1, seller2 := w.Actor(t, "seller1@demo.test", demo.Password), w.Actor(t, "seller2@demo.test", demo.Password)
		seller3, other := w.Actor(t, "seller3@demo.test", demo.Password), w.Actor(t, "direct@demo.test", demo.Password)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		waf := ""
		list, err := svc.SellerProducts(ctx, seller2)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range list {
			if v.Content().Name.EN == "Bluepeak Hardened WAF" {
				waf = v.ID
			}
		}
		o, _, err := svc.PlaceOrder(ctx, buyer, market.OrderRequest{OrgID: orgOf(buyer), Lines: []order.LineRequest{
			{ProductID: id, Plan: "monthly", Periods: 3, Region: "cn-north-4"},  // CNY 597.00, seller1
			{ProductID: waf, Plan: "monthly", Periods: 1, Region: "cn-north-4"}, // CNY 899.00, seller2
		}})
		if err != nil {
			t.Fatal(err)
		}
		hundred := money.New(10000, money.CNY)
		for _, req := range []market.RefundRequest{
			{OrderID: o.ID, Lines: []int{1}, Reason: "not needed"},
			{OrderID: o.ID, Lines: []int{2}, Amount: &hundred, Reason: "one week unused"},
			{OrderID: o.ID, Reason: "the rest"},
		} {
			if _, err := svc.Refund(ctx, buyer, req); err != nil {
				t.Fatal(err)
			}
		}

		check := func(who string, got []store.Refund, err error, amounts []int64, lineNo int) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			if len(got) != len(amounts) {
				t.Fatalf("%s sees %d refunds, want %d: %+v", who, len(got), len(amounts), got)
			}
			for i, r := range got {
				if r.Amount != money.New(amounts[i], money.CNY) || r.OrderID != o.ID {
					t.Errorf("%s: refund %d is %v, want %d", who, i, r.Amount, amounts[i])
				}
				if lineNo == 0 {
					if r.CreatedBy != buyer.UserID || r.PostingID == "" {
						t.Errorf("%s: refund %d without who or its posting: %+v", who, i, r)
					}
					continue
				}
				if r.CreatedBy != "" || r.PostingID != "" || len(r.Lines) != 1 || r.Lines[0].No != lineNo || r.Lines[0].Amount != amounts[i] {
					t.Errorf("%s: refund %d shows more than its line %d: %+v", who, i, lineNo, r)
				}
			}
		}
		got, err := svc.Refunds(ctx, buyer, o.ID)
		check("the buyer", got, err, []int64{59700, 10000, 79900}, 0)
		got, err = svc.Refunds(ctx, ops, o.ID)
		check("an operator", got, err, []int64{59700, 10000, 79900}, 0)
		got, err = svc.Refunds(ctx, seller1, o.ID)
		check("seller1", got, err, []int64{59700}, 1)
		got, err = svc.Refunds(ctx, seller2, o.ID)
		check("seller2", got, err, []int64{10000, 79900}, 2)
		if got[0].Reason != "one week unused" {
			t.Errorf("seller2 reads the reason %q", got[0].Reason)
		}
		if _, err := svc.Refunds(ctx, seller3, o.ID); !fault.Is(err, fault.NotFound) {
			t.Errorf("a seller without lines reads the refunds: %v", err)
		}
		if _, err := svc.Refunds(ctx, other, o.ID); !fault.Is(err, fault.NotFound) {
			t.Errorf("another buyer reads the refunds: %v", err)
		}
		if _, err := svc.Refunds(ctx, buyer, "ord_missing"); !fault.Is(err, fault.NotFound) {
			t.Errorf("refunds of no order: %v", err)
		}

		for who, actor := range map[string]account.Actor{"the buyer": buyer, "an operator": ops, "seller1": seller1, "seller2": seller2} {
			if name, err := svc.OrderBuyerName(ctx, actor, o.ID); err != nil || name != "Subscribing Buyer" {
				t.Errorf("%s reads the buyer's name %q: %v", who, name, err)
			}
		}
		for who, actor := range map[string]account.Actor{"seller3": seller3, "another buyer": other} {
			if name, err := svc.OrderBuyerName(ctx, actor, o.ID); !fault.Is(err, fault.NotFound) || name != "" {
				t.Errorf("%s reads the buyer's name %q: %v", who, name, err)
			}
		}
	})
}
