package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/money"
)

// ratesView is the operators' exchange-rates page: every rate, and a form to
// set one.
type ratesView struct {
	Rates      []rateRow
	Currencies []option
}

type rateRow struct{ Currency, EffectiveFrom, Rate, SetAt string }

// rateCurrencies are the currencies a rate may be set for: those cloudmart
// prices in, but USD.
var rateCurrencies = []option{{Value: "CNY", Label: "CNY"}, {Value: "EUR", Label: "EUR"}, {Value: "HKD", Label: "HKD"},
	{Value: "JPY", Label: "JPY"}, {Value: "SGD", Label: "SGD"}}

// opsRates shows the exchange rates.
func (s *server) opsRates(w http.ResponseWriter, r *http.Request, p *page) {
	if r.URL.Query().Get("done") == "rate_set" {
		p.Notice = p.T("ben.rates.saved")
	}
	s.showRates(w, r, p, http.StatusOK)
}

// showRates renders the rates page around p.Form, which may hold a failed
// form.
func (s *server) showRates(w http.ResponseWriter, r *http.Request, p *page, status int) {
	if !account.Can(p.Actor, account.ManageRates, account.Resource{}) {
		s.fail(w, r, p, forbidden)
		return
	}
	rates, err := s.svc.Rates(r.Context(), p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := ratesView{Currencies: rateCurrencies}
	for _, rt := range rates {
		v.Rates = append(v.Rates, rateRow{Currency: string(rt.Currency), EffectiveFrom: rt.EffectiveFrom.String(), Rate: rt.Decimal(),
			SetAt: rt.SetAt.UTC().Format("2006-01-02 15:04")})
	}
	if p.Form.Values["currency"] == "" {
		p.Form.Values["currency"] = string(money.CNY)
	}
	if p.Form.Values["effective_from"] == "" {
		p.Form.Values["effective_from"] = s.svc.Now().UTC().Format("2006-01-02")
	}
	p.Title, p.Data = "ben.rates.title", v
	s.render(w, r, p, status, "benefits_rates")
}
