// Package ledger holds the marketplace's double-entry bookkeeping rules:
// money moves only as postings whose entries sum to zero in each currency,
// between named accounts. A posting is never changed; a mistake is undone by
// a reversing posting.
package ledger

import (
	"slices"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// Account names a ledger account: a kind, and for the kinds that belong to
// an organisation, ":" and its id.
type Account string

// The accounts. A customer's balance is its prepaid money (positive: the
// marketplace owes it); a seller's payable is what the marketplace owes the
// seller for its sales; commission is the marketplace's revenue; funding is
// money that came in from outside (top-ups) or went out (payouts).
const (
	Commission Account = "platform_commission"
	Funding    Account = "funding"
	Discounts  Account = "marketplace_discounts" // discounts the marketplace pays for
	// TestCreditFunds is the marketplace's account that funds sellers' test
	// credit: it pays each grant and takes back what test purchases spend and
	// what expires, so test credit never becomes money anyone is owed.
	TestCreditFunds Account = "platform_test_credit"
)

// TestCredit is a seller organisation's test balance (USD): credit the
// marketplace granted it for test purchases of its own products. It is not a
// customer balance and never becomes payable to the seller.
func TestCredit(orgID string) Account { return Account("test_credit:" + orgID) }

// Customer is a customer organisation's balance account.
func Customer(orgID string) Account { return Account("customer:" + orgID) }

// SellerPayable is what the marketplace owes a seller organisation.
func SellerPayable(orgID string) Account { return Account("seller_payable:" + orgID) }

// PartnerPayable is what the marketplace owes a channel partner organisation:
// its margins on the sales it made.
func PartnerPayable(orgID string) Account { return Account("partner_payable:" + orgID) }

// Org returns the organisation id of a customer or seller account, "" for
// the marketplace's own.
func (a Account) Org() string {
	if _, id, ok := strings.Cut(string(a), ":"); ok {
		return id
	}
	return ""
}

// Entry is one side of a posting: a signed amount on an account. Credits to
// the account's holder are positive.
type Entry struct {
	Account Account
	Amount  money.Amount
}

// Kind says why money moved.
type Kind string

const (
	TopUp    Kind = "top_up"
	Payment  Kind = "payment"
	Refund   Kind = "refund"
	Reversal Kind = "reversal"
	// TestCreditGrant credits an approved test-credit request to the
	// seller's test balance; TestCreditExpiry takes back its unused rest.
	TestCreditGrant  Kind = "test_credit"
	TestCreditExpiry Kind = "test_credit_expiry"
)

// Posting is a balanced set of entries, made at once for one reason.
type Posting struct {
	ID        string
	Kind      Kind
	Ref       string // what it is for: an order id, a top-up reference
	Memo      string
	Entries   []Entry
	CreatedAt time.Time
	CreatedBy string // user id, "" for the system
}

// Validate checks that the posting can be recorded: a kind, at least two
// entries, every amount non-zero in a supported currency, and the entries of
// each currency summing to zero exactly.
func (p Posting) Validate() error {
	if p.Kind == "" {
		return fault.New(fault.Invalid, "a posting needs a kind")
	}
	if len(p.Entries) < 2 {
		return fault.New(fault.Invalid, "a posting needs at least two entries")
	}
	sums := map[money.Currency]money.Amount{}
	for _, e := range p.Entries {
		if e.Account == "" {
			return fault.New(fault.Invalid, "an entry needs an account")
		}
		if !e.Amount.Currency.Supported() {
			return fault.Field("currency", "error.currency", "cloudmart does not handle "+string(e.Amount.Currency))
		}
		if e.Amount.IsZero() {
			return fault.New(fault.Invalid, "an entry of zero moves nothing")
		}
		sum, ok := sums[e.Amount.Currency]
		if !ok {
			sum = money.New(0, e.Amount.Currency)
		}
		next, err := sum.Add(e.Amount)
		if err != nil {
			return err
		}
		sums[e.Amount.Currency] = next
	}
	for c, s := range sums {
		if !s.IsZero() {
			return fault.New(fault.Invalid, "the entries in %s do not sum to zero: %s", c, s.Decimal())
		}
	}
	return nil
}

// Reverse returns the posting that undoes p: every entry negated.
func (p Posting) Reverse(id string, at time.Time, by, memo string) Posting {
	r := Posting{ID: id, Kind: Reversal, Ref: p.ID, Memo: memo, CreatedAt: at, CreatedBy: by}
	for _, e := range p.Entries {
		r.Entries = append(r.Entries, Entry{Account: e.Account, Amount: e.Amount.Neg()})
	}
	return r
}

// Net sums entries per account and currency, dropping those that cancel out,
// in a stable order: how a set of postings leaves the accounts.
func Net(entries []Entry) []Entry {
	type key struct {
		a Account
		c money.Currency
	}
	sums := map[key]int64{}
	var order []key
	for _, e := range entries {
		k := key{e.Account, e.Amount.Currency}
		if _, ok := sums[k]; !ok {
			order = append(order, k)
		}
		sums[k] += e.Amount.Minor
	}
	var out []Entry
	for _, k := range order {
		if sums[k] != 0 {
			out = append(out, Entry{Account: k.a, Amount: money.New(sums[k], k.c)})
		}
	}
	slices.SortStableFunc(out, func(a, b Entry) int { return strings.Compare(string(a.Account), string(b.Account)) })
	return out
}
