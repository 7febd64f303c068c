package promo_test

import (
	"slices"
	"testing"

	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/promo"
)

func TestRefundAllowed(t *testing.T) {
	// The speaker: redeemed from the ¥50,000 tier, declared at ¥800.
	speaker := &promo.Redemption{GiftID: "speaker", Tier: 1, Threshold: yuan(50_000), Value: yuan(800), Deducted: yuan(0)}
	deducted := func(d int64) *promo.Redemption { r := *speaker; r.Deducted = yuan(d); return &r }
	tests := []struct {
		name          string
		total, refund money.Amount
		redeemed      *promo.Redemption
		refuse        string // the error under RefuseRefund
		deduct        int64  // under DeductGiftValue
	}{
		{"partial, before any redemption", yuan(60_000), yuan(20_000), nil, "", 0},
		{"in full, before any redemption", yuan(60_000), yuan(60_000), nil, "", 0},
		{"partial, after: stays above the threshold", yuan(60_000), yuan(5_000), speaker, "", 0},
		{"partial, after: lands exactly on the threshold", yuan(60_000), yuan(10_000), speaker, "", 0},
		{"partial, after: one fen below the threshold", yuan(60_000), cny(1_000_001), speaker, "invalid_state error.refund_below_gift", 800},
		{"in full, after", yuan(60_000), yuan(60_000), speaker, "invalid_state error.refund_below_gift", 800},
		{"a refund smaller than the gift's value", yuan(50_000), yuan(100), speaker, "invalid_state error.refund_below_gift", 100},
		{"the value deducted already", yuan(45_000), yuan(5_000), deducted(800), "invalid_state error.refund_below_gift", 0},
		{"part of the value deducted already", yuan(49_900), yuan(5_000), deducted(100), "invalid_state error.refund_below_gift", 700},
		{"a lower gift's threshold decides, not the highest tier reached", yuan(120_000), yuan(100_000),
			&promo.Redemption{GiftID: "mug", Tier: 0, Threshold: yuan(10_000), Value: yuan(80), Deducted: yuan(0)}, "", 0},
	}
	for _, tc := range tests {
		d, err := promo.RefundAllowed(tc.total, tc.refund, tc.redeemed, promo.RefuseRefund)
		if code(err) != tc.refuse || !d.IsZero() {
			t.Errorf("%s, refuse: %v %v, want %q", tc.name, d, err, tc.refuse)
		}
		d, err = promo.RefundAllowed(tc.total, tc.refund, tc.redeemed, promo.DeductGiftValue)
		if err != nil || d != yuan(tc.deduct) {
			t.Errorf("%s, deduct: %v %v, want %d", tc.name, d, err, tc.deduct)
		}
	}
}

// A refund the marketplace owes (a failed delivery) is never refused.
func TestPolicyFor(t *testing.T) {
	c := seed()
	if promo.PolicyFor(c, false) != promo.RefuseRefund || promo.PolicyFor(c, true) != promo.DeductGiftValue {
		t.Error("the default policy is refuse; an owed refund deducts")
	}
	c.RefundPolicy = promo.DeductGiftValue
	if promo.PolicyFor(c, false) != promo.DeductGiftValue {
		t.Error("the campaign's policy")
	}
}

// A refund of ¥60,000 with the speaker's ¥800 kept back: one posting, the
// buyer gets ¥59,200.
func TestGiftDeduction(t *testing.T) {
	refund := []ledger.Entry{{Account: ledger.Customer("b1"), Amount: yuan(60_000)}, {Account: ledger.SellerPayable("s1"), Amount: yuan(-54_000)}, {Account: ledger.Commission, Amount: yuan(-6_000)}}
	entries := ledger.Net(append(refund, promo.GiftDeduction("b1", yuan(800))...))
	want := []ledger.Entry{{Account: ledger.Customer("b1"), Amount: yuan(59_200)}, {Account: ledger.Discounts, Amount: yuan(800)}, {Account: ledger.Commission, Amount: yuan(-6_000)}, {Account: ledger.SellerPayable("s1"), Amount: yuan(-54_000)}}
	if !slices.Equal(entries, want) {
		t.Errorf("%v, want %v", entries, want)
	}
	if err := (ledger.Posting{Kind: ledger.Refund, Entries: entries}).Validate(); err != nil {
		t.Error(err)
	}
	if promo.GiftDeduction("b1", yuan(0)) != nil {
		t.Error("nothing to deduct makes entries")
	}
}
