package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/order"
)

// buyFields are the inputs of a plan's form on a product's page.
var buyFields = []string{"quantity", "periods", "region", "trial", "auto_renew", "flavor"}

// cartAdd takes a plan's form from a product's page: "Add to cart" puts the
// line in the cart (adding to the same line's quantity if it is there);
// "Buy now" goes to the checkout with that line alone, leaving the cart as it
// is. A line that cannot be bought comes back to the product's page with the
// reason by the field at fault.
func (s *server) cartAdd(w http.ResponseWriter, r *http.Request, p *page) {
	productID, plan := r.FormValue("product_id"), r.FormValue("plan")
	p.Form = newForm(buyFormID(plan), r, buyFields...)
	if buyerOrg(p.Actor).OrgID == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	v := p.Form.Values
	req, err := readLine(v["quantity"], v["periods"])
	req.ProductID, req.Plan, req.Region, req.Trial = productID, plan, strings.TrimSpace(v["region"]), v["trial"] == "on"
	req.AutoRenew, req.Flavor = v["auto_renew"] == "on", strings.TrimSpace(v["flavor"])
	if err == nil {
		_, err = s.svc.Quote(r.Context(), []order.LineRequest{req})
		err = lineError(err, 0)
	}
	lines := cart(r)
	buyNow := r.FormValue("action") == "buy"
	if err == nil && !buyNow {
		var at int
		lines, at = addLine(lines, req)
		_, err = s.svc.Quote(r.Context(), lines)
		err = lineError(cartError(err, at), at)
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showProduct(w, r, p, status, productID) })
		return
	}
	if buyNow {
		redirect(w, r, "/checkout?"+url.Values{"lines": {encodeLines([]order.LineRequest{req})}}.Encode())
		return
	}
	setCart(w, r, lines)
	redirect(w, r, "/cart?done=added")
}

// buyFormID names the form of a plan on its product's page.
func buyFormID(plan string) string { return "buy-" + plan }

// readLine reads a line's quantity and periods: whole numbers; empty is 1.
//
// Errors: Invalid on "quantity" or "periods" (error.whole_number).
func readLine(quantity, periods string) (order.LineRequest, error) {
	var req order.LineRequest
	for _, f := range []struct {
		name, value string
		to          *int
	}{{"quantity", quantity, &req.Quantity}, {"periods", periods, &req.Periods}} {
		s := strings.TrimSpace(f.value)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return req, fault.Field(f.name, "error.whole_number", "enter a whole number, such as 12")
		}
		*f.to = n
	}
	return req, nil
}

// addLine adds a line to a cart: to the quantity of the same item, or at the
// end. It returns the cart and where the line is in it.
func addLine(lines []order.LineRequest, l order.LineRequest) ([]order.LineRequest, int) {
	for i, have := range lines {
		if sameItem(have, l) {
			lines[i].Quantity = max(have.Quantity, 1) + max(l.Quantity, 1)
			return lines, i
		}
	}
	return append(lines, l), len(lines)
}

// cartError keeps the errors of pricing a whole cart that are about the line
// at i or the cart as a whole (too many lines, two currencies); other lines'
// errors are the cart page's to show.
func cartError(err error, i int) error {
	e := fault.As(err)
	if e == nil || e.Code == fault.Internal {
		return err
	}
	if strings.HasPrefix(e.Field, "lines[") && !strings.HasPrefix(e.Field, lineField(i)) {
		return nil
	}
	return err
}

// lineError makes an error about line i of a cart one about a line's form:
// "lines[0].quantity" is "quantity"; one about the line or the cart as a
// whole is about no field, for above the form.
func lineError(err error, i int) error {
	e := fault.As(err)
	if e == nil || e.Code == fault.Internal {
		return err
	}
	c := *e
	field, ok := strings.CutPrefix(c.Field, lineField(i)+".")
	if !ok {
		field = ""
	}
	c.Field = field
	return &c
}

func lineField(i int) string { return "lines[" + strconv.Itoa(i) + "]" }
