package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// customerView is a customer's page: who it is, its balances and statement
// (for those who may read them), and the operators' top-up and credit-limit
// forms.
type customerView struct {
	Org        account.Org
	Balance    *balanceView // nil when the viewer may not see it
	Manage     bool         // the viewer records top-ups and sets credit limits
	Orders     string       // the address of its orders; "" when the viewer has none
	Currencies []option
}

// customerNotices are the confirmations the page shows after a redirect.
var customerNotices = map[string]string{
	"top_up":       "customer.notice.top_up",
	"credit_limit": "customer.notice.credit_limit",
}

// balanceCurrencies are the currencies a top-up or a credit limit is in.
var balanceCurrencies = []money.Currency{money.CNY, money.USD}

// customer shows a customer organisation to those who look after it.
func (s *server) customer(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := customerNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showCustomer(w, r, p, http.StatusOK)
}

// showCustomer renders the customer's page around p.Form, which may be its
// failed top-up or credit-limit form.
func (s *server) showCustomer(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	if !account.Can(p.Actor, account.ListCustomers, account.Resource{}) {
		s.fail(w, r, p, forbidden)
		return
	}
	org, err := s.svc.Customer(ctx, p.Actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := customerView{Org: org, Manage: account.Can(p.Actor, account.ManageBalances, account.Resource{OrgID: org.ID})}
	base := "/customers/" + url.PathEscape(org.ID)
	if account.Can(p.Actor, account.ReadPurchases, account.Resource{OrgID: org.ID}) {
		orders := "/orders/"
		if account.Can(p.Actor, account.ReadAllOrders, account.Resource{}) {
			orders = "/ops/orders/"
			v.Orders = "/ops/orders?" + url.Values{"buyer": {org.ID}}.Encode()
		}
		bv, err := s.balanceView(ctx, p, org.ID, money.Currency(r.URL.Query().Get("currency")), base, orders)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		v.Balance = &bv
	}
	for _, c := range balanceCurrencies {
		v.Currencies = append(v.Currencies, option{Value: string(c), Label: string(c)})
	}
	for _, id := range []string{"top_up", "credit_limit"} {
		if p.Form.ID != id {
			p.Form.Values[id+".currency"] = string(money.CNY)
		}
	}
	p.Title, p.TitleText, p.Data = "customer.title", org.Name, v
	s.render(w, r, p, status, "customer")
}

// readAmount reads an amount typed in a form in the currency chosen.
//
// Errors: Invalid on field (error.required, error.amount_format) or on its
// currency (error.currency_unsupported).
func readAmount(s, currency, field string) (money.Amount, error) {
	c := money.Currency(currency)
	if !c.Supported() {
		return money.Amount{}, fault.Field(strings.TrimSuffix(field, ".amount")+".currency", "error.currency_unsupported", "choose CNY or USD")
	}
	if err := required(field, s); err != nil {
		return money.Amount{}, err
	}
	a, err := money.Parse(s, c)
	if err != nil {
		return money.Amount{}, fault.Field(field, "error.amount_format", "enter an amount such as 199.00, with at most two decimals and no separators")
	}
	return a, nil
}
