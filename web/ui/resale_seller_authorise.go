package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
)

// sellerResaleAuthorise authorises one of the seller's products for a
// partner at a discount typed in percent.
func (s *server) sellerResaleAuthorise(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("authorise", r, "authorise.product", "authorise.partner", "authorise.discount", "authorise.note")
	p.Form.alias("product_id", "authorise.product")
	p.Form.alias("partner_org_id", "authorise.partner")
	p.Form.alias("discount_bps", "authorise.discount")
	p.Form.alias("note", "authorise.note")
	v := p.Form.Values
	bps, err := percentBPS(v["authorise.discount"])
	if err == nil {
		_, err = s.svc.AuthoriseResale(r.Context(), p.Actor, market.AuthoriseResale{ProductID: v["authorise.product"], PartnerOrgID: v["authorise.partner"],
			DiscountBPS: bps, Note: v["authorise.note"]})
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showSellerResale(w, r, p, status) })
		return
	}
	redirect(w, r, "/seller/resale?done=authorised")
}

// percentBPS reads a percentage with at most two decimals ("15", "12.5")
// as basis points.
//
// Errors: Invalid on discount_bps (error.resale_discount).
func percentBPS(s string) (int, error) {
	bad := fault.Field("discount_bps", "error.resale_discount", "a partner discount is 0–90%, with at most two decimals")
	whole, frac, _ := strings.Cut(strings.TrimSuffix(strings.TrimSpace(s), "%"), ".")
	if whole == "" || len(frac) > 2 {
		return 0, bad
	}
	frac += strings.Repeat("0", 2-len(frac))
	n, err := strconv.Atoi(whole + frac)
	if err != nil || n < 0 || strings.ContainsAny(whole+frac, "+-") {
		return 0, bad
	}
	return n, nil
}

// percentText shows basis points as a percentage: 1500 → "15", 1250 → "12.5".
func percentText(bps int) string {
	s := strconv.Itoa(bps/100) + "." + strconv.Itoa(bps%100/10) + strconv.Itoa(bps%10)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// Percent shows basis points as a percentage, for the resale templates.
func (p *page) Percent(bps int) string { return percentText(bps) + "%" }
