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
			{Account: ledger.Customer("b1"), Amount: cny(-90000)}, {Account: ledger.Discounts, Amount: cny(-30000)},
			{Account: ledger.Commission, Amount: cny(12000)}, {Account: ledger.SellerPayable("s1"), Amount: cny(108000)}}},
		{"no discount: as before", o(line(99900, 0)), []ledger.Entry{
			{Account: ledger.Customer("b1"), Amount: cny(-99900)}, {Account: ledger.Commission, Amount: cny(9990)}, {Account: ledger.SellerPayable("s1"), Amount: cny(89910)}}},
		{"all of it off: the buyer pays nothing, the seller is paid", o(line(50000, 50000)), []ledger.Entry{
			{Account: ledger.Discounts, Amount: cny(-50000)}, {Account: ledger.Commission, Amount: cny(5000)}, {Account: ledger.SellerPayable("s1"), Amount: cny(45000)}}},
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
			{Account: ledger.Customer("b1"), Amount: cny(90000)}, {Account: ledger.SellerPayable("s1"), Amount: cny(-108000)},
			{Account: ledger.Commission, Amount: cny(-12000)}, {Account: ledger.Discounts, Amount: cny(30000)}}},
		{"half", 45000, []ledger.Entry{
			{Account: ledger.Customer("b1"), Amount: cny(45000)}, {Account: ledger.SellerPayable("s1"), Amount: cny(-54000)},
			{Account: ledger.Commission, Amount: cny(-6000)}, {Account: ledger.Discounts, Amount: cny(15000)}}},
		{"one fen: shares rounded half away from zero", 1, []ledger.Entry{
			{Account: ledger.Customer("b1"), Amount: cny(1)}, {Account: ledger.SellerPayable("s1"), Amount: cny(-1)}}},
		{"a third: 30000 × 1/3 = 10000, 12000 × 1/3 = 4000", 30000, []ledger.Entry{
			{Account: ledger.Customer("b1"), Amount: cny(30000)}, {Account: ledger.SellerPayable("s1"), Amount: cny(-36000)},
			{Account: ledger.Commission, Amount: cny(-4000)}, {Account: ledger.Discounts, Amount: cny(10000)}}},
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
