package order_test

import (
	"testing"

	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// A test order is paid from the buyer's test balance to the marketplace's
// test-credit account, and refunded back the same way: no payable, no
// commission.
func TestTestOrderEntries(t *testing.T) {
	paid := money.New(120_00, money.USD)
	o := order.Order{ID: "ord_1", BuyerOrgID: "org_s", Channel: order.TestChannel,
		Quote: order.Quote{Currency: money.USD, Payable: paid, Lines: []order.Line{{No: 1, SellerOrgID: "org_s", Paid: paid, Discount: money.New(0, money.USD)}}}}
	pay, err := o.PaymentEntries()
	want := []ledger.Entry{{Account: ledger.TestCredit("org_s"), Amount: paid.Neg()}, {Account: ledger.TestCreditFunds, Amount: paid}}
	if err != nil || len(pay) != 2 || pay[0] != want[0] || pay[1] != want[1] {
		t.Fatalf("payment %v %v", pay, err)
	}
	back, err := order.RefundEntries(o, o.Lines[0], money.New(20_00, money.USD))
	if err != nil || len(back) != 2 || back[0] != (ledger.Entry{Account: ledger.TestCredit("org_s"), Amount: money.New(20_00, money.USD)}) ||
		back[1] != (ledger.Entry{Account: ledger.TestCreditFunds, Amount: money.New(-20_00, money.USD)}) {
		t.Fatalf("refund %v %v", back, err)
	}
	o.Channel = "direct"
	if pay, _ := o.PaymentEntries(); len(pay) != 3 {
		t.Fatalf("a direct order %v", pay)
	}
}
