package ui

import (
	"net/http"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/testcredit"
)

// sellerTestCreditView is the seller's test-credit page: the allowance, the
// requests, the test balance with its statement, and the company's own
// products it can buy with it.
type sellerTestCreditView struct {
	market.TestCreditView
	Allowance string   // "USD 400.00 of USD 1,000.00 left"
	CanAsk    bool     // an admin: may ask and buy
	Buyable   []option // "product|plan|region" of the prepaid USD plans on sale
	Rows      []testCreditRow
	// Keys are the forms' Idempotency-Keys: a form sent twice (a double
	// click, a reload) asks or buys once.
	RequestKey, BuyKey string
}

// testCreditRow is a request as the pages show it.
type testCreditRow struct {
	testcredit.Request
	OrgName string
	State   string // translated
	Expires string // when approved: the instant it expires, UTC
	Default string // the expiry an approval gets when left as it is (yyyy-mm-dd)
}

var testCreditNotices = map[string]string{
	"requested": "tc.done.requested", "bought": "tc.done.bought", "approved": "tc.done.approved", "declined": "tc.done.declined",
}

func testCreditRowOf(p *page, r testcredit.Request, org string, now time.Time) testCreditRow {
	row := testCreditRow{Request: r, OrgName: org, State: p.T("tc.state." + string(r.State)),
		Default: now.Add(testcredit.DefaultValidity).UTC().Format(time.DateOnly)}
	if !r.ExpiresAt.IsZero() {
		row.Expires = r.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	return row
}

// Coded writes an amount with its currency's code and grouped digits, as
// test credit is told in: "USD 1,000.00".
func (p *page) Coded(a money.Amount) string { return string(a.Currency) + " " + a.Grouped() }

// formKey is the key a failed form was sent with (nothing was done with it,
// so sending it again is safe), or a new one.
func formKey(p *page, field string) string {
	if k := p.Form.Values[field]; k != "" {
		return k
	}
	return ids.New("key")
}

// sellerTestCredit shows the seller its test credit.
func (s *server) sellerTestCredit(w http.ResponseWriter, r *http.Request, p *page) {
	if p.Form == nil {
		p.Form = emptyForm("")
	}
	s.showSellerTestCredit(w, r, p, http.StatusOK)
}

func (s *server) showSellerTestCredit(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	tc, err := s.svc.TestCredit(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := sellerTestCreditView{TestCreditView: tc, CanAsk: account.Can(p.Actor, account.UseTestCredit, account.Resource{OrgID: tc.OrgID}),
		Allowance: p.T("tc.allowance", "Left", p.Coded(tc.Left), "Cap", p.Coded(tc.Cap))}
	now := s.svc.Now()
	for _, req := range tc.Requests {
		v.Rows = append(v.Rows, testCreditRowOf(p, req, "", now))
	}
	v.RequestKey, v.BuyKey = formKey(p, "request.key"), formKey(p, "testbuy.key")
	if v.CanAsk {
		products, err := s.svc.SellerProducts(ctx, p.Actor)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		for _, pv := range products {
			if !pv.Listing.OnSale() || len(pv.Live.Content.Regions) == 0 {
				continue
			}
			c := pv.Live.Content
			for _, pl := range c.Plans {
				price, _ := pl.ListPrice()
				if !pl.Active || pl.Mode == catalog.PayPerUse || price.Currency != testcredit.Currency || price.IsZero() {
					continue
				}
				v.Buyable = append(v.Buyable, option{Value: pv.ID + "|" + pl.Code + "|" + c.Regions[0],
					Label: p.Choose(c.Name.EN, c.Name.ZH) + " · " + p.Choose(pl.Name.EN, pl.Name.ZH), Hint: p.PlanPrice(pl)})
			}
		}
	}
	if key, ok := testCreditNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	p.Title, p.Data = "tc.title", v
	s.render(w, r, p, status, "testcredit_seller")
}
