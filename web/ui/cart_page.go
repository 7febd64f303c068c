package ui

import (
	"net/http"
	"strconv"

	"github.com/cloudmart/cloudmart/order"
)

// cartView is the cart page.
type cartView struct {
	quotedCart
	Lines   []cartFormRow // the rows with their forms
	OrgName string
}

// cartFormRow is a line of the cart with its form's values and messages.
type cartFormRow struct {
	cartRow
	Quantity, Periods           string // what the form shows
	PeriodsLabel                string // "Months", "Years"
	AutoRenew                   bool   // the renewal box is ticked
	QuantityError, PeriodsError string
	Alert                       string // about the line's form as a whole
}

// cartNotices are the confirmations the cart page shows after a redirect.
var cartNotices = map[string]string{
	"added":   "cart.notice.added",
	"updated": "cart.notice.updated",
	"removed": "cart.notice.removed",
}

// cartPage shows the buyer's cart priced now: each line, what cannot be
// bought and why, and the totals.
func (s *server) cartPage(w http.ResponseWriter, r *http.Request, p *page) {
	if buyerOrg(p.Actor).OrgID == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	if key, ok := cartNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showCart(w, r, p, http.StatusOK, cart(r))
}

// showCart renders the cart of the lines around p.Form, which may be a line's
// failed form ("line-<n>").
func (s *server) showCart(w http.ResponseWriter, r *http.Request, p *page, status int, lines []order.LineRequest) {
	qc, err := s.quoteCart(r.Context(), p, lines)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := cartView{quotedCart: qc, OrgName: buyerOrg(p.Actor).OrgName}
	for _, row := range qc.Rows {
		fr := cartFormRow{cartRow: row, Quantity: strconv.Itoa(max(row.Req.Quantity, 1)), Periods: strconv.Itoa(max(row.Req.Periods, 1)),
			AutoRenew: row.Req.AutoRenew}
		fr.PeriodsLabel = p.T("cart.months")
		if row.Yearly {
			fr.PeriodsLabel = p.T("cart.years")
		}
		if p.Form.ID == lineFormID(row.Index) {
			fr.Quantity, fr.Periods, fr.AutoRenew = p.Form.Values["quantity"], p.Form.Values["periods"], p.Form.Values["auto_renew"] == "on"
			fr.QuantityError, fr.PeriodsError, fr.Alert = p.Form.Errors["quantity"], p.Form.Errors["periods"], p.Form.Alert
		}
		v.Lines = append(v.Lines, fr)
	}
	p.Title, p.Data = "cart.title", v
	s.render(w, r, p, status, "cart")
}

// lineFormID names the form of the cart's line i.
func lineFormID(i int) string { return "line-" + strconv.Itoa(i) }
