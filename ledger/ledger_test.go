package ledger_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
)

func TestPostingValidate(t *testing.T) {
	cny := func(m int64) money.Amount { return money.New(m, money.CNY) }
	tests := []struct {
		name    string
		entries []ledger.Entry
		ok      bool
	}{
		{"balanced", []ledger.Entry{{ledger.Funding, cny(-500)}, {ledger.Customer("o1"), cny(500)}}, true},
		{"two currencies, each balanced", []ledger.Entry{{ledger.Funding, cny(-5)}, {ledger.Customer("o1"), cny(5)},
			{ledger.Funding, money.New(-7, money.USD)}, {ledger.Customer("o1"), money.New(7, money.USD)}}, true},
		{"unbalanced by a cent", []ledger.Entry{{ledger.Funding, cny(-500)}, {ledger.Customer("o1"), cny(499)}}, false},
		{"balanced across currencies only", []ledger.Entry{{ledger.Funding, cny(-5)}, {ledger.Customer("o1"), money.New(5, money.USD)}}, false},
		{"one entry", []ledger.Entry{{ledger.Funding, cny(0)}}, false},
		{"a zero entry", []ledger.Entry{{ledger.Funding, cny(0)}, {ledger.Customer("o1"), cny(0)}}, false},
		{"an unsupported currency", []ledger.Entry{{ledger.Funding, money.New(-5, "XYZ")}, {ledger.Customer("o1"), money.New(5, "XYZ")}}, false},
		{"overflowing", []ledger.Entry{{ledger.Funding, cny(1 << 62)}, {ledger.Funding, cny(1 << 62)}, {ledger.Customer("o1"), cny(-(1 << 62))}}, false},
	}
	for _, tc := range tests {
		err := ledger.Posting{Kind: ledger.TopUp, Entries: tc.entries}.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestReverseUndoes(t *testing.T) {
	p := ledger.Posting{ID: "p1", Kind: ledger.Payment, Entries: []ledger.Entry{
		{ledger.Customer("b"), money.New(-1000, money.CNY)}, {ledger.SellerPayable("s"), money.New(900, money.CNY)}, {ledger.Commission, money.New(100, money.CNY)}}}
	r := p.Reverse("p2", time.Now(), "", "mistake")
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if net := ledger.Net(append(p.Entries, r.Entries...)); len(net) != 0 {
		t.Errorf("a posting and its reversal leave %v", net)
	}
	if ledger.Customer("org_1").Org() != "org_1" || ledger.Commission.Org() != "" {
		t.Error("Org")
	}
}
