package order_test

import (
	"testing"

	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// partnerOrder is an order Northwind placed for its customer: one line of
// price minor at the partner discount bps.
func partnerOrder(t *testing.T, minor int64, bps int) order.Order {
	t.Helper()
	p := money.New(minor, money.CNY)
	q, err := order.Totalled(money.CNY, []order.Line{{No: 1, ProductID: "db", SellerOrgID: "seller", List: p, Paid: p, Discount: money.New(0, money.CNY)}})
	if err != nil {
		t.Fatal(err)
	}
	if q, err = order.WithPartnerMargins(q, map[string]int{"db": bps}); err != nil {
		t.Fatal(err)
	}
	return order.Order{ID: "o1", BuyerOrgID: "lakeview", Channel: order.PartnerChannel("northwind"), Quote: q}
}

func amounts(entries []ledger.Entry) map[ledger.Account]int64 {
	out := map[ledger.Account]int64{}
	var sum int64
	for _, e := range entries {
		out[e.Account] += e.Amount.Minor
		sum += e.Amount.Minor
	}
	out["sum"] = sum
	return out
}

func TestPartnerPaymentEntries(t *testing.T) {
	tests := []struct {
		name                       string
		price                      int64
		bps                        int
		margin, commission, seller int64
	}{
		// The docs' example: CNY 38,000.00 at 20%: margin 7,600.00,
		// commission 10% of 30,400.00 = 3,040.00, seller 27,360.00.
		{"docs example", 3_800_000, 2000, 760_000, 304_000, 2_736_000},
		// 0.15 × 333 = 49.95 → 50 (half away from zero); commission 10% of
		// 283 = 28.3 → 28; seller 333 − 50 − 28 = 255.
		{"rounding half away from zero", 333, 1500, 50, 28, 255},
		// 0.15 × 3 = 0.45 → 0; commission 0.3 → 0: all to the seller.
		{"margin rounds to nothing", 3, 1500, 0, 0, 3},
		{"no discount", 10_000, 0, 0, 1_000, 9_000},
		{"the most a partner may take", 10_000, 9000, 9_000, 100, 900},
	}
	for _, tc := range tests {
		o := partnerOrder(t, tc.price, tc.bps)
		if o.PartnerOrgID() != "northwind" || o.PartnerMargin().Minor != tc.margin {
			t.Fatalf("%s: partner %q margin %v", tc.name, o.PartnerOrgID(), o.PartnerMargin())
		}
		entries, err := o.PaymentEntries()
		if err != nil {
			t.Fatal(err)
		}
		got := amounts(entries)
		want := map[ledger.Account]int64{ledger.Customer("lakeview"): -tc.price, ledger.PartnerPayable("northwind"): tc.margin,
			ledger.Commission: tc.commission, ledger.SellerPayable("seller"): tc.seller, "sum": 0}
		for a, w := range want {
			if got[a] != w {
				t.Errorf("%s: %s = %d, want %d (%v)", tc.name, a, got[a], w, entries)
			}
		}
		if err := (ledger.Posting{Kind: ledger.Payment, Entries: entries}).Validate(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestPartnerRefundEntries(t *testing.T) {
	o := partnerOrder(t, 3_800_000, 2000)
	pay, _ := o.PaymentEntries()
	tests := []struct {
		name                               string
		amount                             int64
		margin, commission, seller, refund int64 // given back by each
	}{
		{"in full: the payment undone", 3_800_000, 760_000, 304_000, 2_736_000, 3_800_000},
		// A third: margin 7,600.00 × 1/3 = 2,533.33; commission 3,040.00 × 1/3
		// = 1,013.33; the seller the rest: 12,666.67 − 2,533.33 − 1,013.33.
		{"a third", 1_266_667, 253_333, 101_333, 912_001, 1_266_667},
		{"one cent", 1, 0, 0, 1, 1},
	}
	for _, tc := range tests {
		entries, err := order.RefundEntries(o, o.Lines[0], money.New(tc.amount, money.CNY))
		if err != nil {
			t.Fatal(err)
		}
		got := amounts(entries)
		want := map[ledger.Account]int64{ledger.Customer("lakeview"): tc.refund, ledger.PartnerPayable("northwind"): -tc.margin,
			ledger.Commission: -tc.commission, ledger.SellerPayable("seller"): -tc.seller, "sum": 0}
		for a, w := range want {
			if got[a] != w {
				t.Errorf("%s: %s = %d, want %d", tc.name, a, got[a], w)
			}
		}
		if tc.amount == o.Payable.Minor {
			if n := ledger.Net(append(append([]ledger.Entry{}, pay...), entries...)); len(n) != 0 {
				t.Errorf("%s: payment and refund leave %v", tc.name, n)
			}
		}
	}
}

func TestPartnerOrgID(t *testing.T) {
	for channel, want := range map[string]string{"partner:p1": "p1", "direct": "", "campaign:c1": "", "": "", "partner:": ""} {
		if got := (order.Order{Channel: channel}).PartnerOrgID(); got != want {
			t.Errorf("%q: %q, want %q", channel, got, want)
		}
	}
}
