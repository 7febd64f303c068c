package ui

import (
	"net/http"
	"strings"

	"github.com/cloudmart/cloudmart/benefit"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
)

// opsRateSave sets a currency's rate to USD from a day.
func (s *server) opsRateSave(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("rate", r, "currency", "effective_from", "rate")
	v := p.Form.Values
	rt := benefit.Rate{Currency: money.Currency(strings.TrimSpace(v["currency"]))}
	var err error
	if rt.EffectiveFrom, err = seller.ParseDate(strings.TrimSpace(v["effective_from"])); err != nil {
		err = fault.Field("effective_from", "error.rate_date", "enter the day the rate takes effect, as YYYY-MM-DD")
	}
	if err == nil {
		rt.Scaled, err = benefit.ParseRate(v["rate"])
	}
	if err == nil {
		_, err = s.svc.SetRate(r.Context(), p.Actor, rt)
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showRates(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/exchange-rates?done=rate_set")
}
