package order_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

func TestRefundable(t *testing.T) {
	paid := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	cny := func(m int64) money.Amount { return money.New(m, money.CNY) }
	sub := order.Line{Type: catalog.TypeSaaS, Mode: catalog.Monthly, Paid: cny(30000), Periods: 3}
	lic := order.Line{Type: catalog.TypeLicense, Mode: catalog.OneTime, Paid: cny(50000)}
	svc := order.Line{Type: catalog.TypeService, Mode: catalog.OneTime, Paid: cny(80000)}
	tests := []struct {
		name     string
		l        order.Line
		days     int
		use      order.Use
		refunded int64
		want     int64
	}{
		{"subscription within 5 days", sub, 2, order.Use{Periods: 3, PeriodsStarted: 1}, 0, 30000},
		{"subscription after: unused whole periods", sub, 20, order.Use{Periods: 3, PeriodsStarted: 1}, 0, 20000},
		{"less what was refunded", sub, 20, order.Use{Periods: 3, PeriodsStarted: 1}, 5000, 15000},
		{"never below zero", sub, 40, order.Use{Periods: 3, PeriodsStarted: 2}, 20000, 0},
		{"licence not activated, in time", lic, 4, order.Use{}, 0, 50000},
		{"licence activated", lic, 1, order.Use{Consumed: true}, 0, 0},
		{"licence after the window", lic, 6, order.Use{}, 0, 0},
		{"service before acceptance, late", svc, 60, order.Use{}, 0, 80000},
		{"service accepted", svc, 1, order.Use{Consumed: true}, 0, 0},
	}
	for _, tc := range tests {
		got := order.Refundable(tc.l, paid, paid.AddDate(0, 0, tc.days), order.DefaultRefundDays, tc.use, cny(tc.refunded))
		if got != cny(tc.want) {
			t.Errorf("%s: %v, want %d", tc.name, got, tc.want)
		}
	}
}

// TestRefundSplitsExactly: any refund split over lines sums exactly, never
// gives back more than a line may, and its entries balance.
func TestRefundSplitsExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + rng.IntN(5)
		var lines []order.Line
		var refundable []money.Amount
		var sum int64
		for i := range n {
			p := 1 + rng.Int64N(1_000_000)
			lines = append(lines, order.Line{No: i + 1, SellerOrgID: "s", Paid: money.New(p, money.CNY)})
			r := rng.Int64N(p + 1)
			refundable = append(refundable, money.New(r, money.CNY))
			sum += r
		}
		if sum == 0 {
			continue
		}
		total := money.New(1+rng.Int64N(sum), money.CNY)
		parts, err := order.SplitRefund(total, refundable)
		if err != nil {
			t.Fatal(err)
		}
		var got int64
		o := order.Order{BuyerOrgID: "b"}
		for i, p := range parts {
			got += p.Minor
			if p.Minor > refundable[i].Minor {
				t.Fatalf("line %d gives back %v of %v", i, p, refundable[i])
			}
			if p.IsZero() {
				continue
			}
			entries, err := order.RefundEntries(o, lines[i], p)
			if err != nil {
				t.Fatal(err)
			}
			if err := (ledger.Posting{Kind: ledger.Refund, Entries: entries}).Validate(); err != nil {
				t.Fatal(err)
			}
		}
		if got != total.Minor {
			t.Fatalf("parts sum to %d, want %d", got, total.Minor)
		}
	}
	if _, err := order.SplitRefund(money.New(5, money.CNY), []money.Amount{money.New(4, money.CNY)}); err == nil {
		t.Error("a refund above what may be refunded was split")
	}
	if _, err := order.SplitRefund(money.New(-5, money.CNY), []money.Amount{money.New(4, money.CNY)}); err == nil {
		t.Error("a negative refund was split")
	}
}
