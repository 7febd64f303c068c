package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
)

var refundChanged = &fault.Error{Code: fault.Conflict, MsgID: "error.refund_changed", Message: "the order was refunded since its page was shown: check what may still be refunded"}

// orderRefund gives money back on an order to its buyer's balance, as its
// page's form asks (the lines checked, an amount or all they may give back,
// a reason), for its buyers and operators; then the order's page shows the
// refund and the order's new state. What is refused comes back on the form.
func (s *server) orderRefund(scope string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		ctx := r.Context()
		id := r.PathValue("id")
		p.Form = newForm("refund", r, "amount", "reason", "seen")
		checked := p.Form.readList(r, "lines")
		again := func(err error) {
			s.refill(w, r, p, err, func(status int) { s.showOrder(w, r, p, scope, id, status) })
		}
		o, err := s.svc.Order(ctx, p.Actor, id)
		if err == nil && !mayRefund(p, o.BuyerOrgID) {
			err = fault.New(fault.NotFound, "no such order") // a seller's
		}
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		req := market.RefundRequest{OrderID: o.ID, Reason: p.Form.Values["reason"]}
		for _, c := range checked {
			n, err := strconv.Atoi(c)
			if err != nil {
				again(fault.Field("lines", "error.refund_line", "choose lines of the order"))
				return
			}
			req.Lines = append(req.Lines, n)
		}
		if len(req.Lines) == 0 { // none checked is not "all lines" here
			again(fault.Field("lines", "error.refund_choose", "choose at least one line to refund"))
			return
		}
		if a := strings.TrimSpace(p.Form.Values["amount"]); a != "" {
			amount, err := money.Parse(a, o.Currency)
			if err != nil {
				again(fault.Field("amount", "error.amount_format", "enter an amount such as 199.00, with at most two decimals and no separators"))
				return
			}
			req.Amount = &amount
		}
		// The page's form is keyed by what the order had refunded when it was
		// shown: sent twice (a double click, on any server), it refunds once;
		// sent from a page shown before another refund, it is refused.
		req.IdempotencyKey = "form:" + p.Form.Values["seen"]
		if strconv.FormatInt(o.Refunded.Minor, 10) != p.Form.Values["seen"] {
			if _, err := strconv.ParseInt(p.Form.Values["seen"], 10, 64); err != nil {
				again(refundChanged)
				return
			}
		}
		rf, err := s.svc.Refund(ctx, p.Actor, req)
		if fault.Is(err, fault.IdempotencyConflict) {
			err = refundChanged
		}
		if err != nil {
			again(err)
			return
		}
		base := map[string]string{"buyer": "/orders/", "ops": "/ops/orders/"}[scope]
		redirect(w, r, base+url.PathEscape(o.ID)+"?"+url.Values{"done": {"refunded"}, "refund": {rf.ID}}.Encode()+"#refunds")
	}
}
