package ui

import (
	"net/http"
	"strconv"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/order"
)

// cartLineIndex reads the cart line the address names; ok false when the
// cart has no such line (it changed in another tab, say).
func cartLineIndex(r *http.Request, lines []order.LineRequest) (int, bool) {
	i, err := strconv.Atoi(r.PathValue("n"))
	return i, err == nil && i >= 0 && i < len(lines)
}

// cartLineSave changes a cart line's quantity and periods. A value that
// cannot be bought comes back by the line's field.
func (s *server) cartLineSave(w http.ResponseWriter, r *http.Request, p *page) {
	if buyerOrg(p.Actor).OrgID == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	lines := cart(r)
	i, ok := cartLineIndex(r, lines)
	if !ok {
		redirect(w, r, "/cart")
		return
	}
	p.Form = newForm(lineFormID(i), r, "quantity", "periods", "auto_renew")
	req, err := readLine(p.Form.Values["quantity"], p.Form.Values["periods"])
	l := lines[i]
	_, periodic := r.Form["periods"]
	switch {
	case err != nil:
	case req.Quantity < 1:
		err = fault.Field("quantity", "error.quantity", "buy between 1 and 1,000 units")
	case periodic && req.Periods < 1:
		err = fault.Field("periods", "error.periods", "buy 1–36 months of a monthly plan, 1–5 years of a yearly one")
	default:
		l.Quantity = req.Quantity
		if periodic {
			l.Periods, l.AutoRenew = req.Periods, p.Form.Values["auto_renew"] == "on"
		}
		_, err = s.svc.Quote(r.Context(), []order.LineRequest{l})
		err = lineError(err, 0)
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showCart(w, r, p, status, lines) })
		return
	}
	lines[i] = l
	setCart(w, r, lines)
	redirect(w, r, "/cart?done=updated")
}
