package ui

import (
	"net/http"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/order"
)

// testCreditBuy buys one of the company's own products with test credit.
func (s *server) testCreditBuy(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("testbuy", r, "testbuy.offer", "testbuy.key")
	p.Form.alias("lines", "testbuy.offer")
	p.Form.alias("currency", "testbuy.offer")
	parts := strings.SplitN(p.Form.Values["testbuy.offer"], "|", 3)
	var err error
	if len(parts) != 3 {
		err = fault.Field("testbuy.offer", "error.test_order_choose", "choose one of your products")
	} else {
		_, _, err = s.svc.PlaceTestOrder(r.Context(), p.Actor, []order.LineRequest{{ProductID: parts[0], Plan: parts[1], Region: parts[2]}}, p.Form.Values["testbuy.key"])
	}
	if e := fault.As(err); e != nil && (e.Code == fault.InsufficientFunds || e.Code == fault.Forbidden && e.MsgID != "error.forbidden") {
		p.Form.fail("testbuy.offer", p.faultText(e)) // about the product chosen: shown by it
		s.showSellerTestCredit(w, r, p, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showSellerTestCredit(w, r, p, status) })
		return
	}
	redirect(w, r, "/seller/test-credit?done=bought")
}
