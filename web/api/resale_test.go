package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// resaleMatrix is the access matrix of resale: operators set the
// requirements and decide; sellers see and authorise their own products;
// partners see what is authorised to them and sell only to their own
// customers.
func resaleMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	lakeview := w.orgOf(w.login("partner-customer@demo.test"), "customer")
	tianhe := w.orgOf(tokens["buyer"], "customer")
	db, mq := w.demoProductID("Lakeside DB Enterprise"), w.demoProductID("Lakeside MQ")
	only := func(role string, status, others int) map[string]int {
		want := everyone(others)
		want[role] = status
		return want
	}
	sellers := func(status int) map[string]int {
		want := only("seller", status, http.StatusForbidden)
		want["applicant"] = status // a company that applied has products, if none on sale
		return want
	}
	authorise := map[string]any{"product_id": mq, "partner_org_id": w.orgOf(tokens["partner"], "partner"), "discount_bps": 1000}
	order := func(customer, product string) map[string]any {
		return map[string]any{"customer_org_id": customer, "lines": []map[string]any{{"product_id": product, "plan": "year-8-cores", "region": "cn-north-4"}}}
	}
	requirements := map[string]any{"min_approved_days": 0, "refund_policy": true, "max_failed_deliveries": 3, "standard_discount_bps": 1500}
	authorising := sellers(http.StatusUnprocessableEntity) // MQ has no refund policy
	authorising["applicant"] = http.StatusNotFound         // not its product
	return []access{
		{"GET", "/api/v1/resale/requirements", nil, everyone(200)},
		{"PUT", "/api/v1/resale/requirements", requirements, onlyOperators(200)},
		{"GET", "/api/v1/resale/authorisations/pending", nil, onlyOperators(200)},
		{"POST", "/api/v1/resale/authorisations/rsa_none/approve", map[string]string{}, onlyOperators(404)},
		{"POST", "/api/v1/resale/authorisations/rsa_none/decline", map[string]string{}, onlyOperators(404)},
		{"GET", "/api/v1/resale/partners", nil, everyone(200)},
		{"GET", "/api/v1/seller/resale", nil, sellers(200)},
		{"GET", "/api/v1/seller/resale/sales", nil, sellers(200)},
		{"POST", "/api/v1/seller/resale/authorisations", authorise, authorising},
		{"POST", "/api/v1/seller/resale/authorisations/rsa_none/revoke", map[string]string{}, without(everyone(404), "anon")},
		{"GET", "/api/v1/partner/products", nil, only("partner", 200, 403)},
		{"GET", "/api/v1/partner/sales", nil, only("partner", 200, 403)},
		{"POST", "/api/v1/partner/orders", order(lakeview, db), only("partner", 201, 403)},
		{"POST", "/api/v1/partner/orders", order(tianhe, db), only("partner", 403, 403)},
		{"POST", "/api/v1/partner/orders", order(lakeview, mq), only("partner", 403, 403)},
	}
}

// TestResaleVisibility: a partner sees only the products authorised to it
// and its own customers' orders; a seller only its own products and
// authorisations.
func TestResaleVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		partner, seller1, seller4 := w.login("partner@demo.test"), w.login("seller1@demo.test"), w.login("seller4@demo.test")
		lakeview := w.orgOf(w.login("partner-customer@demo.test"), "customer")

		var products struct {
			Products []struct{ Name struct{ EN string } }
		}
		w.do("GET", "/api/v1/partner/products", partner, nil).must(t, 200, "partner products").decode(t, &products)
		if len(products.Products) != 1 || products.Products[0].Name.EN != "Lakeside DB Enterprise" {
			t.Errorf("the partner sees %+v", products.Products)
		}
		var sales struct {
			Totals []struct {
				Currency string
				Orders   int
			}
			Sales []struct {
				Order struct {
					BuyerOrgID string `json:"buyer_org_id"`
				}
			}
			CustomerOrders []struct {
				BuyerOrgID string `json:"buyer_org_id"`
			} `json:"customer_orders"`
		}
		w.do("GET", "/api/v1/partner/sales", partner, nil).must(t, 200, "partner sales").decode(t, &sales)
		if len(sales.Sales) != 2 || len(sales.Totals) != 1 || sales.Totals[0].Orders != 2 || len(sales.CustomerOrders) < 2 {
			t.Errorf("partner sales %+v", sales)
		}
		for _, o := range sales.CustomerOrders {
			if o.BuyerOrgID != lakeview {
				t.Errorf("the partner sees an order of %s", o.BuyerOrgID)
			}
		}

		type standing struct {
			Products []struct {
				Name           struct{ EN string }
				Eligible       bool
				Missing        []struct{ ID string }
				Authorisations []struct {
					SellerName string `json:"seller_name"`
					State      string
				}
			}
		}
		names := func(token string) (all []string, auths []string) {
			var s standing
			w.do("GET", "/api/v1/seller/resale", token, nil).must(t, 200, "standing").decode(t, &s)
			for _, p := range s.Products {
				all = append(all, p.Name.EN)
				for _, a := range p.Authorisations {
					auths = append(auths, a.SellerName+" "+a.State)
				}
			}
			return all, auths
		}
		products1, auths1 := names(seller1)
		products4, auths4 := names(seller4)
		if !slices.Contains(products1, "Lakeside DB Enterprise") || slices.Contains(products1, "Harbor CI") || !slices.Equal(auths1, []string{"Lakeside Data 湖畔数据 active"}) {
			t.Errorf("seller1 sees %v, %v", products1, auths1)
		}
		if !slices.Contains(products4, "Harbor CI") || slices.Contains(products4, "Lakeside DB Enterprise") || !slices.Equal(auths4, []string{"Harbor DevTools pending"}) {
			t.Errorf("seller4 sees %v, %v", products4, auths4)
		}
	})
}
