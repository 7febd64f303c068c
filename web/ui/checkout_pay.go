package ui

import (
	"crypto/rand"
	"net/http"
	"net/url"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/web/status"
)

// checkoutPay places the order the checkout showed and pays it from the
// balance, then shows the order. What went wrong (a short balance, a product
// no longer on sale, a changed price) comes back on the checkout, and nothing
// is charged.
func (s *server) checkoutPay(w http.ResponseWriter, r *http.Request, p *page) {
	org := buyerOrg(p.Actor)
	if org.OrgID == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	lines, ok := decodeLines(r.FormValue("lines"))
	if !ok || len(lines) == 0 {
		s.fail(w, r, p, badLines)
		return
	}
	key, fromCart := r.FormValue("key"), r.FormValue("from") == "cart"
	if key == "" || len(key) > market.MaxIdempotencyKey {
		key = rand.Text()
	}
	again := func(code, alert string) {
		p.Form.Alert = alert
		s.showCheckout(w, r, p, status.Of(code), lines, fromCart, key)
	}
	req := market.OrderRequest{OrgID: org.OrgID, Lines: lines, IdempotencyKey: key, CouponID: r.FormValue("coupon"), Channel: r.FormValue("channel")}
	c, err := s.svc.QuoteCheckout(r.Context(), p.Actor, req)
	q := c.Quote
	if e := fault.As(err); e != nil && e.Code != fault.Internal {
		again(e.Code, p.faultText(e))
		return
	} else if err != nil {
		s.fail(w, r, p, err)
		return
	}
	if q.Payable.String() != r.FormValue("payable") {
		again(fault.Conflict, p.T("checkout.price_changed", "Payable", p.Money(q.Payable)))
		return
	}
	o, _, err := s.svc.PlaceOrder(r.Context(), p.Actor, req)
	switch e := fault.As(err); {
	case err == nil:
	case e == nil || e.Code == fault.Internal || e.Code == fault.Forbidden:
		s.fail(w, r, p, err)
		return
	case e.Code == fault.InsufficientFunds:
		again(e.Code, p.T("checkout.insufficient"))
		return
	case e.Code == fault.IdempotencyConflict:
		key = rand.Text() // the form was used for another order: this is a new one
		again(e.Code, p.T("checkout.conflict"))
		return
	default:
		again(e.Code, p.faultText(e))
		return
	}
	if fromCart && encodeLines(cart(r)) == encodeLines(lines) {
		setCart(w, r, nil)
	}
	redirect(w, r, "/orders/"+url.PathEscape(o.ID)+"?done=placed")
}
