package order_test

import (
	"slices"
	"testing"

	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// A marketplace-funded discount: the seller's share and the commission are
// computed on the price before the coupon; the discounts account pays the
// difference; refunds take back each share in proportion.
func TestDiscountPostings(t *testing.T) {
	cny := func(m int64) money.Amount { return money.New(m, money.CNY) }
	line := func(list, discount int64) order.Line {
		return order.Line{SellerOrgID: "s1", List: cny(list), Discount: cny(discount), Paid: cny(list - discount)}
	}
	o := func(lines ...order.Line) order.Order {
		q, err := order.Totalled(money.CNY, lines)
		if err != nil {
			t.Fatal(err)
		}
		return order.Order{BuyerOrgID: "b1", Quote: q}
	}
	tests := []struct {
		name string
		o    order.Order
		want []ledger.Entry
	}{
		{"¥300 off ¥1,200", o(line(120000, 30000)), []ledger.Entry{
			{ledger.Customer("b1"), cny(-90000)}, {ledger.Discounts, cny(-30000)},
			{ledger.Commission, cny(12000)}, {ledger.SellerPayable("s1"), cny(108000)}}},
		{"no discount: as before", o(line(99900, 0)), []ledger.Entry{
			{ledger.Customer("b1"), cny(-99900)}, {ledger.Commission, cny(9990)}, {ledger.SellerPayable("s1"), cny(89910)}}},
		{"all of it off: the buyer pays nothing, the seller is paid", o(line(50000, 50000)), []ledger.Entry{
			{ledger.Discounts, cny(-50000)}, {ledger.Commission, cny(5000)}, {ledger.SellerPayable("s1"), cny(45000)}}},
	}
	for _, tc := range tests {
		got, err := tc.o.PaymentEntries()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		if err := (ledger.Posting{Kind: ledger.Payment, Entries: got}).Validate(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestDiscountRefunds(t *testing.T) {
	cny := func(m int64) money.Amount { return money.New(m, money.CNY) }
	l := order.Line{SellerOrgID: "s1", List: cny(120000), Discount: cny(30000), Paid: cny(90000)}
	o := order.Order{BuyerOrgID: "b1"}
	tests := []struct {
		name   string
		amount int64
		want   []ledger.Entry
	}{
		{"in full: the payment undone", 90000, []ledger.Entry{
			{ledger.Customer("b1"), cny(90000)}, {ledger.SellerPayable("s1"), cny(-108000)},
			{ledger.Commission, cny(-12000)}, {ledger.Discounts, cny(30000)}}},
		{"half", 45000, []ledger.Entry{
			{ledger.Customer("b1"), cny(45000)}, {ledger.SellerPayable("s1"), cny(-54000)},
			{ledger.Commission, cny(-6000)}, {ledger.Discounts, cny(15000)}}},
		{"one fen: shares rounded half away from zero", 1, []ledger.Entry{
			{ledger.Customer("b1"), cny(1)}, {ledger.SellerPayable("s1"), cny(-1)}}},
		{"a third: 30000 × 1/3 = 10000, 12000 × 1/3 = 4000", 30000, []ledger.Entry{
			{ledger.Customer("b1"), cny(30000)}, {ledger.SellerPayable("s1"), cny(-36000)},
			{ledger.Commission, cny(-4000)}, {ledger.Discounts, cny(10000)}}},
	}
	for _, tc := range tests {
		got, err := order.RefundEntries(o, l, cny(tc.amount))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		if err := (ledger.Posting{Kind: ledger.Refund, Entries: got}).Validate(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
