package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
)

// balanceView is a customer's balances and the statement of one currency.
type balanceView struct {
	OrgName   string
	Balances  []balanceRow
	Currency  money.Currency // the statement's
	Statement []statementRow
}

// balanceRow is a balance in one currency.
type balanceRow struct {
	store.Balance
	Available money.Amount // balance + credit limit: what orders may spend
	Href      string       // the address of its statement
	Current   bool         // its statement is the one shown
}

// statementRow is a movement of the balance, with the balance it left.
type statementRow struct {
	store.StatementLine
	Label string       // what it was, translated
	Ref   string       // the top-up's reference, the order's id …
	Href  string       // the order's page, for a payment
	After money.Amount // the balance after it
}

// balance shows the buyer's organisation its balances by currency, with
// credit limits, and the statement of one currency, newest first.
func (s *server) balance(w http.ResponseWriter, r *http.Request, p *page) {
	org := buyerOrg(p.Actor)
	if org.OrgID == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	v, err := s.balanceView(r.Context(), p, org.OrgID, money.Currency(r.URL.Query().Get("currency")), "/account/balance", "/orders/")
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v.OrgName = org.OrgName
	p.Title, p.Data = "balance.title", v
	s.render(w, r, p, http.StatusOK, "balance")
}

// balanceView loads an organisation's balances and the statement of the
// currency (its first balance's when c is none of them); base is the page's
// address and orders the prefix of an order's.
func (s *server) balanceView(ctx context.Context, p *page, orgID string, c money.Currency, base, orders string) (balanceView, error) {
	var v balanceView
	balances, err := s.svc.Balances(ctx, p.Actor, orgID)
	if err != nil {
		return v, err
	}
	v.Currency = money.CNY
	if len(balances) > 0 {
		v.Currency = balances[0].Amount.Currency
	}
	current := money.New(0, v.Currency)
	for _, b := range balances {
		if b.Amount.Currency == c {
			v.Currency = c
		}
	}
	for _, b := range balances {
		row := balanceRow{Balance: b, Href: base + "?" + url.Values{"currency": {string(b.Amount.Currency)}}.Encode(), Current: b.Amount.Currency == v.Currency}
		row.Available, _ = b.Amount.Add(b.CreditLimit) // far from int64's bounds
		if row.Current {
			current = b.Amount
		}
		v.Balances = append(v.Balances, row)
	}
	lines, err := s.svc.Statement(ctx, p.Actor, orgID, v.Currency)
	if err != nil {
		return v, err
	}
	after := current
	for _, l := range lines {
		row := statementRow{StatementLine: l, After: after, Ref: l.Ref, Label: l.Kind}
		if key := "stmt." + l.Kind; p.Has(key) {
			row.Label = p.T(key)
		}
		switch ledger.Kind(l.Kind) {
		case ledger.TopUp:
			// A top-up's posting is referenced "top_up:<org>:<reference>".
			row.Ref = strings.TrimPrefix(l.Ref, "top_up:"+orgID+":")
		case ledger.Payment:
			row.Href = orders + url.PathEscape(l.Ref)
		}
		if a, err := after.Sub(l.Amount); err == nil {
			after = a
		}
		v.Statement = append(v.Statement, row)
	}
	return v, nil
}
