package order_test

import (
	"errors"
	"testing"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

func offers() map[string]order.Offer {
	saas := catalog.Product{ID: "saas", Type: catalog.TypeSaaS, Regions: []string{"cn-north-4"}, Plans: []catalog.Plan{
		{Code: "monthly", Mode: catalog.Monthly, Price: money.New(9900, money.CNY), TrialDays: 14, Active: true},
		{Code: "yearly", Mode: catalog.Yearly, Price: money.New(99000, money.CNY), Active: true},
		{Code: "old", Mode: catalog.Monthly, Price: money.New(100, money.CNY)},
		{Code: "usd", Mode: catalog.Monthly, Price: money.New(1500, money.USD), Active: true},
		{Code: "usage", Mode: catalog.PayPerUse, Usage: &catalog.UsagePrice{Unit: "GB", Tiers: []catalog.Tier{{UnitPrice: money.New(12, money.CNY)}}}, Active: true},
		{Code: "huge", Mode: catalog.Monthly, Price: money.New(1<<61, money.CNY), Active: true},
	}}
	svc := catalog.Product{ID: "svc", Type: catalog.TypeService, Regions: []string{"cn-north-4", "cn-east-3"}, Plans: []catalog.Plan{
		{Code: "once", Mode: catalog.OneTime, Price: money.New(500000, money.CNY), Active: true}}}
	img := catalog.Product{ID: "img", Type: catalog.TypeImage, Regions: []string{"cn-north-4"},
		Image: &catalog.ImageSpec{Arch: catalog.ArchX86, MinVCPU: 2, MinMemoryMiB: 4096}, Plans: []catalog.Plan{
			{Code: "monthly", Mode: catalog.Monthly, Price: money.New(5000, money.CNY), Active: true}}}
	return map[string]order.Offer{"saas": {Product: saas, Seller: "s1"}, "svc": {Product: svc, Seller: "s2"}, "img": {Product: img, Seller: "s3"}}
}

func TestPrice(t *testing.T) {
	tests := []struct {
		name    string
		lines   []order.LineRequest
		payable int64
		field   string // of the error; "" when priced
	}{
		{"three months of two seats", []order.LineRequest{{ProductID: "saas", Plan: "monthly", Quantity: 2, Periods: 3}}, 59400, ""},
		{"two lines", []order.LineRequest{{ProductID: "saas", Plan: "yearly"}, {ProductID: "svc", Plan: "once", Region: "cn-east-3"}}, 599000, ""},
		{"a trial costs nothing now", []order.LineRequest{{ProductID: "saas", Plan: "monthly", Trial: true}}, 0, ""},
		{"usage is paid later", []order.LineRequest{{ProductID: "saas", Plan: "usage"}}, 0, ""},
		{"empty cart", nil, 0, "lines"},
		{"not on sale", []order.LineRequest{{ProductID: "nope", Plan: "x"}}, 0, "lines[0]"},
		{"inactive plan", []order.LineRequest{{ProductID: "saas", Plan: "old"}}, 0, "lines[0].plan"},
		{"negative quantity", []order.LineRequest{{ProductID: "saas", Plan: "monthly", Quantity: -1}}, 0, "lines[0].quantity"},
		{"too many months", []order.LineRequest{{ProductID: "saas", Plan: "monthly", Periods: 37}}, 0, "lines[0].periods"},
		{"periods on a one-time plan", []order.LineRequest{{ProductID: "svc", Plan: "once", Periods: 2, Region: "cn-north-4"}}, 0, "lines[0].periods"},
		{"region must be chosen among several", []order.LineRequest{{ProductID: "svc", Plan: "once"}}, 0, "lines[0].region"},
		{"region not sold", []order.LineRequest{{ProductID: "saas", Plan: "monthly", Region: "ap-southeast-1"}}, 0, "lines[0].region"},
		{"no trial on the plan", []order.LineRequest{{ProductID: "saas", Plan: "yearly", Trial: true}}, 0, "lines[0].trial"},
		{"mixed currencies", []order.LineRequest{{ProductID: "saas", Plan: "monthly"}, {ProductID: "saas", Plan: "usd"}}, 0, "currency"},
		{"overflow", []order.LineRequest{{ProductID: "saas", Plan: "huge", Quantity: 1000, Periods: 36}}, 0, "lines"},
		{"an image with its flavour", []order.LineRequest{{ProductID: "img", Plan: "monthly", Quantity: 3, Flavor: "c7.large.2"}}, 15000, ""},
		{"a flavour on a SaaS line", []order.LineRequest{{ProductID: "saas", Plan: "monthly"}, {ProductID: "saas", Plan: "yearly", Flavor: "c7.large.2"}}, 0, "lines[1].flavor"},
	}
	for _, tc := range tests {
		q, err := order.Price(tc.lines, offers())
		var fe *fault.Error
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (!errors.As(err, &fe) || fe.Field != tc.field):
			t.Errorf("%s: %v, want an error on %s", tc.name, err, tc.field)
		case tc.field == "" && q.Payable != money.New(tc.payable, money.CNY):
			t.Errorf("%s: payable %v, want %d", tc.name, q.Payable, tc.payable)
		}
	}
}

func TestPriceKeepsTheFlavour(t *testing.T) {
	q, err := order.Price([]order.LineRequest{{ProductID: "img", Plan: "monthly", Flavor: "c7.xlarge.4"}, {ProductID: "saas", Plan: "monthly"}}, offers())
	if err != nil {
		t.Fatal(err)
	}
	if q.Lines[0].Flavor != "c7.xlarge.4" || q.Lines[1].Flavor != "" {
		t.Fatalf("flavours %q, %q", q.Lines[0].Flavor, q.Lines[1].Flavor)
	}
}

func TestPaymentEntriesBalance(t *testing.T) {
	q, err := order.Price([]order.LineRequest{{ProductID: "saas", Plan: "monthly", Quantity: 3}, {ProductID: "svc", Plan: "once", Region: "cn-north-4"}}, offers())
	if err != nil {
		t.Fatal(err)
	}
	o := order.Order{ID: "o", BuyerOrgID: "b", Quote: q}
	entries, err := o.PaymentEntries()
	if err != nil {
		t.Fatal(err)
	}
	if err := (ledger.Posting{Kind: ledger.Payment, Entries: entries}).Validate(); err != nil {
		t.Fatalf("%v: %v", entries, err)
	}
	want := map[ledger.Account]int64{ledger.Customer("b"): -529700, ledger.SellerPayable("s1"): 26730, ledger.SellerPayable("s2"): 450000, ledger.Commission: 52970}
	for _, e := range entries {
		if want[e.Account] != e.Amount.Minor {
			t.Errorf("%s: %d, want %d", e.Account, e.Amount.Minor, want[e.Account])
		}
	}
}
