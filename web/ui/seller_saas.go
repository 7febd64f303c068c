package ui

import (
	"net/http"
	"net/url"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
)

// The seller's production interface messages (/seller/saas): every call
// cloudmart made to its SaaS products' endpoints and the answer, newest
// first, with a retry of the delivery a call belonged to, and a test order
// to send to each product's endpoint.

// saasMessagesView is what the page shows.
type saasMessagesView struct {
	Products  []saasProductRow
	Exchanges []store.SaaSExchange
	Product   string // the product chosen, "" for all
}

type saasProductRow struct {
	ID, Name, Endpoint string
}

var saasNotices = map[string]string{"retried": "saaspage.notice.retried", "tested": "saaspage.notice.tested"}

// sellerSaaS shows the page.
func (s *server) sellerSaaS(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := saasNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showSellerSaaS(w, r, p, http.StatusOK)
}

func (s *server) showSellerSaaS(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	v := saasMessagesView{Product: r.URL.Query().Get("product")}
	products, err := s.svc.SellerProducts(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	for _, pv := range products {
		if c := pv.Content(); c.Type == catalog.TypeSaaS && c.SaaS != nil {
			v.Products = append(v.Products, saasProductRow{ID: pv.ID, Name: p.Choose(c.Name.EN, c.Name.ZH), Endpoint: c.SaaS.Endpoint})
		}
	}
	if v.Exchanges, err = s.svc.SaaSExchanges(ctx, p.Actor, market.ExchangeQuery{ProductID: v.Product, Limit: 200}); err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Title, p.Data = "saaspage.messages.title", v
	s.render(w, r, p, status, "seller_saas")
}

// sellerDeliveryRetry tries a delivery again, by hand.
func (s *server) sellerDeliveryRetry(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("retry", r)
	if _, err := s.svc.RetryDelivery(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showSellerSaaS(w, r, p, status) })
		return
	}
	redirect(w, r, "/seller/saas?"+url.Values{"done": {"retried"}}.Encode())
}

// sellerTestOrder sends a test order to a product's endpoint.
func (s *server) sellerTestOrder(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("test", r)
	id := r.PathValue("id")
	if _, err := s.svc.SendTestOrder(r.Context(), p.Actor, id); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showSellerSaaS(w, r, p, status) })
		return
	}
	redirect(w, r, "/seller/saas?"+url.Values{"done": {"tested"}, "product": {id}}.Encode())
}
