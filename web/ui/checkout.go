package ui

import (
	"crypto/rand"
	"net/http"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// checkoutView is the checkout: the priced lines, the organisation's balance
// in the quote's currency and whether it covers the order, and the form that
// pays.
type checkoutView struct {
	quotedCart
	Lines    string // the lines, encoded, sent back with the form
	Key      string // the form's Idempotency-Key
	FromCart bool   // the cart's lines, not one "Buy now" line
	OrgName  string

	Balance     money.Amount // the organisation's, in the quote's currency
	CreditLimit money.Amount
	Available   money.Amount // balance + credit limit
	After       money.Amount // the balance once paid
	Missing     money.Amount // what the balance lacks; zero when it covers
	Covers      bool

	Campaign checkoutCampaign // coupons, the discount, the campaign's progress
}

// checkout shows the cart's lines (or the one line of a "Buy now", in the
// address) ready to pay from the organisation's balance. Each showing of the
// form carries a new Idempotency-Key, so a form sent twice (a double click, a
// reload) places one order.
func (s *server) checkout(w http.ResponseWriter, r *http.Request, p *page) {
	if buyerOrg(p.Actor).OrgID == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	lines, fromCart := cart(r), true
	if enc := r.URL.Query().Get("lines"); enc != "" {
		var ok bool
		if lines, ok = decodeLines(enc); !ok {
			s.fail(w, r, p, badLines)
			return
		}
		fromCart = false
	}
	if len(lines) == 0 {
		redirect(w, r, "/cart")
		return
	}
	s.showCheckout(w, r, p, http.StatusOK, lines, fromCart, rand.Text())
}

// badLines is the error for lines that were not written by encodeLines.
var badLines = &fault.Error{Code: fault.Invalid, MsgID: "error.checkout_lines", Message: "the order's lines could not be read: start again from the cart"}

// showCheckout renders the checkout of the lines with the key, around
// p.Form (its alert says why paying failed).
func (s *server) showCheckout(w http.ResponseWriter, r *http.Request, p *page, status int, lines []order.LineRequest, fromCart bool, key string) {
	ctx := r.Context()
	org := buyerOrg(p.Actor)
	qc, err := s.quoteCart(ctx, p, lines)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := checkoutView{quotedCart: qc, Lines: encodeLines(lines), Key: key, FromCart: fromCart, OrgName: org.OrgName}
	if qc.Priced {
		if v.Campaign, err = s.campaignCheckout(ctx, p, org.OrgID, lines, r.FormValue("coupon"), channel(r)); err != nil {
			s.fail(w, r, p, err)
			return
		}
		q := v.Campaign.Checkout.Quote
		for i := range v.Rows {
			v.Rows[i].Line = q.Lines[i]
		}
		v.Quote = q
		c := qc.Quote.Currency
		v.Balance, v.CreditLimit = money.New(0, c), money.New(0, c)
		balances, err := s.svc.Balances(ctx, p.Actor, org.OrgID)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		for _, b := range balances {
			if b.Amount.Currency == c {
				v.Balance, v.CreditLimit = b.Amount, b.CreditLimit
			}
		}
		// Balances and limits are far from int64's bounds; pricing checked the quote's.
		v.Available, _ = v.Balance.Add(v.CreditLimit)
		v.After, _ = v.Balance.Sub(q.Payable)
		missing, _ := q.Payable.Sub(v.Available)
		v.Covers = missing.IsNegative() || missing.IsZero()
		if !v.Covers {
			v.Missing = missing
		}
	}
	p.Title, p.Data = "checkout.title", v
	s.render(w, r, p, status, "checkout")
}
