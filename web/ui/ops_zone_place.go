package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/web/status"
)

// opsZonePlace sets the products of a featured zone, in the order of the
// product ids typed, one a line.
func (s *server) opsZonePlace(w http.ResponseWriter, r *http.Request, p *page) {
	slug := r.PathValue("slug")
	p.Form = newForm("place", r, "products")
	ids := strings.Fields(strings.ReplaceAll(p.Form.Values["products"], ",", " "))
	if err := s.svc.PlaceInZone(r.Context(), p.Actor, slug, ids); err != nil {
		show := func(code int) { s.showStorefront(w, r, p, code, slug, "") }
		if e, i := placedAt(err, ids); e != nil {
			// The ids are typed in one text area: say which one is refused.
			p.Form.fail("products", p.T("opsstore.product_at", "Line", i+1, "ID", ids[i], "Reason", p.faultText(e)))
			show(status.Of(e.Code))
			return
		}
		s.refill(w, r, p, err, show)
		return
	}
	redirect(w, r, "/ops/storefront?"+url.Values{"zone": {slug}, "done": {"zone_placed"}}.Encode())
}

// placedAt returns an error about "products[i]" with its i, or nil.
func placedAt(err error, ids []string) (*fault.Error, int) {
	e := fault.As(err)
	if e == nil || e.Code != fault.Invalid {
		return nil, 0
	}
	rest, ok := strings.CutPrefix(e.Field, "products[")
	i, convErr := strconv.Atoi(strings.TrimSuffix(rest, "]"))
	if !ok || convErr != nil || i < 0 || i >= len(ids) {
		return nil, 0
	}
	return e, i
}
