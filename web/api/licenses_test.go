package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/cloudmart/cloudmart/delivery/license"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// deliver carries out the order's waiting deliveries, as the deliver jobs do.
func (s *afterShop) deliver(orderID string) {
	s.t.Helper()
	var l struct{ Deliveries []struct{ ID, State string } }
	s.do("GET", "/api/v1/orders/"+orderID+"/deliveries", s.buyer, nil).must(s.t, 200, "deliveries").decode(s.t, &l)
	for _, d := range l.Deliveries {
		if d.State == "waiting" {
			if err := s.svc.Deliver(context.Background(), d.ID); err != nil {
				s.t.Fatal(err)
			}
		}
	}
}

// A licence over HTTP: bought and delivered, listed for its buyer and its
// seller only, verified with the published keys, activated and checked by
// the seller's software without signing in, released by a refund.
func TestLicensesOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newAfterShop(t, st)
		s.topUp("20000.00", "BANK-LIC")
		id, _ := s.create(s.seller, product("license", "Lakeside Graph", "湖畔图库", "database", []string{"cn-north-4"},
			plan("one-year", "one_time", price("5000.00", "CNY"))))
		s.publish(s.seller, s.ops, id)
		o := s.buy(planLine(id, "one-year", 2, 1))
		s.deliver(o.ID)
		var got apiOrder
		s.do("GET", "/api/v1/orders/"+o.ID, s.buyer, nil).must(t, 200, "order").decode(t, &got)
		if got.State != "delivered" {
			t.Fatalf("order %s", got.State)
		}

		type apiLicense struct {
			ID, Status, Unit, License string
			Quantity                  int
			OrderID                   string `json:"order_id"`
			MachineID                 string `json:"machine_id"`
		}
		var mine struct{ Licenses []apiLicense }
		s.do("GET", "/api/v1/licenses", s.buyer, nil).must(t, 200, "licences").decode(t, &mine)
		if len(mine.Licenses) != 1 || mine.Licenses[0].OrderID != o.ID || mine.Licenses[0].Status != "ALIVE" || mine.Licenses[0].License == "" {
			t.Fatalf("licences %+v", mine)
		}
		lic := mine.Licenses[0]
		sellerHas := func(token string) bool {
			t.Helper()
			var sellers struct{ Licenses []apiLicense }
			s.do("GET", "/api/v1/seller/licenses", token, nil).must(t, 200, "seller licences").decode(t, &sellers)
			for _, l := range sellers.Licenses {
				if l.ID == lic.ID {
					return true
				}
			}
			return false
		}
		if !sellerHas(s.seller) || sellerHas(s.seller2) {
			t.Fatal("the licence is not listed for its seller alone")
		}
		for _, tok := range []string{s.other, s.seller2} {
			s.do("GET", "/api/v1/licenses/"+lic.ID, tok, nil).must(t, 404, "someone else's licence")
		}
		s.do("GET", "/api/v1/licenses?org_id="+s.buyerOrg, s.other, nil).must(t, 403, "another buyer's list")

		// The keys are public; the licence verifies offline with them.
		r := s.do("GET", "/api/v1/license/keys", "", nil).must(t, 200, "keys")
		keys, err := license.ParseKeySet([]byte(r.raw))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := license.Verify(lic.License, keys, s.clock.Now()); err != nil {
			t.Fatal(err)
		}
		s.do("POST", "/api/v1/license/keys", s.buyer, nil).must(t, 403, "a buyer rotates the key")

		check := func(path, token, machine string, status int) response {
			t.Helper()
			return s.do("POST", "/api/v1/licenses/"+path, "", map[string]string{"license": token, "machine_id": machine}).must(t, status, path)
		}
		if r := check("activate", lic.License, "host-1", http.StatusOK); r.body["status"] != "ALIVE" {
			t.Fatalf("activation %s", r.raw)
		}
		r = check("activate", lic.License, "host-2", http.StatusConflict)
		if code, field := r.errCode(t); code != "conflict" || field != "machine_id" {
			t.Fatalf("another machine: %s %s", code, field)
		}
		forged := []byte(lic.License)
		forged[len(forged)-5] ^= 2
		r = check("heartbeat", string(forged), "host-1", http.StatusBadRequest)
		if code, field := r.errCode(t); code != "invalid" || field != "license" {
			t.Fatalf("forged: %s %s", code, field)
		}
		if r := check("heartbeat", lic.License, "host-1", http.StatusOK); r.body["status"] != "ALIVE" {
			t.Fatalf("heartbeat %s", r.raw)
		}
		s.do("POST", "/api/v1/licenses/"+lic.ID+"/reset-machine", s.seller, nil).must(t, 404, "the seller frees it")
		s.do("POST", "/api/v1/licenses/"+lic.ID+"/reset-machine", s.buyer, nil).must(t, 200, "the buyer frees it")

		// Not activated any more: refunded in full within five days, and released.
		s.do("POST", "/api/v1/orders/"+o.ID+"/refunds", s.buyer, map[string]any{"reason": "wrong product"}).must(t, 201, "refund")
		s.deliver(o.ID)
		if r := check("heartbeat", lic.License, "host-1", http.StatusOK); r.body["status"] != "RELEASED" {
			t.Fatalf("heartbeat after refund %s", r.raw)
		}
		check("activate", lic.License, "host-1", http.StatusConflict)
	})
}
