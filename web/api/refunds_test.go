package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

type apiRefundable struct {
	OrderID  string `json:"order_id"`
	Currency string
	Lines    []struct {
		No                         int
		ProductID                  string `json:"product_id"`
		Type, Mode                 string
		Paid, Refunded, Refundable apiMoney
		RefundDays                 int        `json:"refund_days"`
		FullRefundUntil            *time.Time `json:"full_refund_until"`
	}
	Total apiMoney
}

type apiRefund struct {
	ID      string
	OrderID string `json:"order_id"`
	Amount  apiMoney
	Lines   []struct {
		No     int
		Amount apiMoney
	}
	Reason    string
	PostingID string    `json:"posting_id"`
	CreatedAt time.Time `json:"created_at"`
}

// parts are a refund's lines as "no:amount".
func (r apiRefund) parts() []string {
	var out []string
	for _, l := range r.Lines {
		out = append(out, strconv.Itoa(l.No)+":"+l.Amount.Amount)
	}
	return out
}

func (s *afterShop) refundable(token, orderID string) apiRefundable {
	s.t.Helper()
	var q apiRefundable
	s.do("GET", "/api/v1/orders/"+orderID+"/refundable", token, nil).must(s.t, 200, "refundable").decode(s.t, &q)
	return q
}

func (q apiRefundable) amounts() []string {
	out := []string{}
	for _, l := range q.Lines {
		out = append(out, l.Refundable.Amount)
	}
	return append(out, q.Total.Amount)
}

func (s *afterShop) refunds(token, orderID string) []apiRefund {
	s.t.Helper()
	var l struct{ Refunds []apiRefund }
	s.do("GET", "/api/v1/orders/"+orderID+"/refunds", token, nil).must(s.t, 200, "refunds").decode(s.t, &l)
	return l.Refunds
}

// orderState is an order's state and what was refunded of it.
func (s *afterShop) orderState(orderID string) (state, refunded string) {
	s.t.Helper()
	var o struct {
		State    string
		Refunded apiMoney
	}
	s.do("GET", "/api/v1/orders/"+orderID, s.buyer, nil).must(s.t, 200, "order").decode(s.t, &o)
	return o.State, o.Refunded.Amount
}

func TestRefundsOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newAfterShop(t, st)
		s.topUp("1000.00", "REFUNDS-1")
		o := s.buy(planLine(s.suite, "basic", 1, 2), planLine(s.shield, "monthly", 1, 1)) // 200.00 + 59.00
		// What may be refunded: everything, within the default 5 days.
		q := s.refundable(s.buyer, o.ID)
		paidAt, _ := time.Parse(time.RFC3339Nano, *o.PaidAt)
		if q.OrderID != o.ID || q.Currency != "CNY" || !slices.Equal(q.amounts(), []string{"200.00", "59.00", "259.00"}) || len(q.Lines) != 2 ||
			q.Lines[0].No != 1 || q.Lines[0].ProductID != s.suite || q.Lines[0].Mode != "monthly" || q.Lines[0].Paid.Amount != "200.00" ||
			q.Lines[0].Refunded.Amount != "0.00" || q.Lines[0].RefundDays != 5 || q.Lines[0].FullRefundUntil == nil ||
			!q.Lines[0].FullRefundUntil.Equal(paidAt.AddDate(0, 0, 5)) || q.Total.Minor != 25900 {
			t.Fatalf("refundable: %+v", q)
		}
		if q := s.refundable(s.ops, o.ID); q.Total.Amount != "259.00" {
			t.Fatalf("operator's refundable: %+v", q)
		}
		for _, who := range []string{s.other, s.seller, s.seller2} {
			s.do("GET", "/api/v1/orders/"+o.ID+"/refundable", who, nil).must(t, 404, "someone else's refundable")
			s.do("POST", "/api/v1/orders/"+o.ID+"/refunds", who, map[string]any{}).must(t, 404, "someone else's refund")
		}
		s.do("GET", "/api/v1/orders/ord_nothing/refundable", s.buyer, nil).must(t, 404, "no such order")
		s.do("POST", "/api/v1/orders/"+o.ID+"/refunds", "", map[string]any{}).must(t, 401, "anonymous refund")

		// Bad requests change nothing.
		before := s.auditCount()
		bad := []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"amount": price("259.01", "CNY")}, "amount"}, // more than may be refunded
			{map[string]any{"amount": price("10.00", "USD")}, "amount"},  // another currency
			{map[string]any{"amount": price("0.00", "CNY")}, "amount"},
			{map[string]any{"amount": price("-1.00", "CNY")}, "amount"},
			{map[string]any{"amount": price("1.001", "CNY")}, "amount.amount"},
			{map[string]any{"amount": price("1.00", "XYZ")}, "amount.currency"},
			{map[string]any{"lines": []int{3}}, "lines"},
			{map[string]any{"lines": []int{0}}, "lines"},
			{map[string]any{"reason": strings.Repeat("x", 501)}, "reason"},
			{map[string]any{"lines": "all"}, "lines"},
		}
		for _, b := range bad {
			if code, field := s.do("POST", "/api/v1/orders/"+o.ID+"/refunds", s.buyer, b.body).errCode(t); code != "invalid" || field != b.field {
				t.Errorf("%v: %s %s, want invalid %s", b.body, code, field, b.field)
			}
		}
		if bal, _ := s.balanceCNY(s.buyer, ""); bal != "741.00" || s.auditCount() != before || len(s.refunds(s.buyer, o.ID)) != 0 {
			t.Fatalf("refused refunds changed something: balance %s", bal)
		}

		// A part of the order: split over the lines in proportion, exactly.
		var first apiRefund
		s.do("POST", "/api/v1/orders/"+o.ID+"/refunds", s.buyer, map[string]any{"amount": price("100.00", "CNY"), "reason": "  wrong plan "}).
			must(t, 201, "partial refund").decode(t, &first)
		if first.ID == "" || first.OrderID != o.ID || first.Amount.Amount != "100.00" || first.Amount.Currency != "CNY" ||
			!slices.Equal(first.parts(), []string{"1:77.22", "2:22.78"}) || first.Reason != "wrong plan" || first.PostingID == "" || first.CreatedAt.IsZero() {
			t.Fatalf("refund: %+v", first)
		}
		// One line: what it may still give back.
		var second apiRefund
		s.do("POST", "/api/v1/orders/"+o.ID+"/refunds", s.buyer, map[string]any{"lines": []int{2}}).must(t, 201, "a line's refund").decode(t, &second)
		if second.Amount.Amount != "36.22" || !slices.Equal(second.parts(), []string{"2:36.22"}) || second.Reason != "" {
			t.Fatalf("line 2: %+v", second)
		}
		if q := s.refundable(s.buyer, o.ID); !slices.Equal(q.amounts(), []string{"122.78", "0.00", "122.78"}) || q.Lines[1].Refunded.Amount != "59.00" {
			t.Fatalf("refundable after two refunds: %+v", q)
		}
		if code, field := s.do("POST", "/api/v1/orders/"+o.ID+"/refunds", s.buyer, map[string]any{"lines": []int{2}}).errCode(t); code != "invalid" || field != "lines" {
			t.Fatalf("a line refunded in full: %s %s", code, field)
		}
		if bal, _ := s.balanceCNY(s.buyer, ""); bal != "877.22" {
			t.Fatalf("balance after two refunds %s", bal)
		}
		// Who sees them: the buyer and operators whole, each seller its lines' parts.
		if l := s.refunds(s.buyer, o.ID); len(l) != 2 || l[0].ID != first.ID || l[1].ID != second.ID || l[0].PostingID == "" {
			t.Fatalf("the buyer's refunds: %+v", l)
		}
		if l := s.refunds(s.ops, o.ID); len(l) != 2 {
			t.Fatalf("the operator's refunds: %+v", l)
		}
		if l := s.refunds(s.seller, o.ID); len(l) != 1 || l[0].ID != first.ID || l[0].Amount.Amount != "77.22" || !slices.Equal(l[0].parts(), []string{"1:77.22"}) || l[0].PostingID != "" {
			t.Fatalf("Lakeside's refunds: %+v", l)
		}
		if l := s.refunds(s.seller2, o.ID); len(l) != 2 || l[0].Amount.Amount != "22.78" || l[1].Amount.Amount != "36.22" || l[0].PostingID != "" {
			t.Fatalf("Bluepeak's refunds: %+v", l)
		}
		s.do("GET", "/api/v1/orders/"+o.ID+"/refunds", s.other, nil).must(t, 404, "another customer's refunds")
		s.do("GET", "/api/v1/orders/"+o.ID+"/refunds", "", nil).must(t, 401, "anonymous")
		// The Bluepeak line was refunded in full: its subscription is released.
		if sub := s.subscriptionOf(o.ID, 2); sub.State != "released" {
			t.Fatalf("line 2's subscription: %+v", sub)
		}

		// Six days on, the monthly line gives back its unused whole month.
		s.clock.Advance(6 * 24 * time.Hour)
		q = s.refundable(s.buyer, o.ID)
		if !slices.Equal(q.amounts(), []string{"22.78", "0.00", "22.78"}) { // 200.00 × 1/2 − 77.22
			t.Fatalf("refundable after the window: %+v", q)
		}
		if code, field := s.do("POST", "/api/v1/orders/"+o.ID+"/refunds", s.buyer, map[string]any{"amount": price("22.79", "CNY")}).errCode(t); code != "invalid" || field != "amount" {
			t.Fatalf("more than the unused month: %s %s", code, field)
		}
		var third apiRefund
		s.do("POST", "/api/v1/orders/"+o.ID+"/refunds", s.ops, map[string]any{"reason": "goodwill"}).must(t, 201, "operator's refund").decode(t, &third)
		if third.Amount.Amount != "22.78" || !slices.Equal(third.parts(), []string{"1:22.78"}) {
			t.Fatalf("the rest: %+v", third)
		}
		r := s.do("POST", "/api/v1/orders/"+o.ID+"/refunds", s.buyer, nil)
		if code, field := r.errCode(t); r.status != 400 || code != "invalid" || field != "lines" {
			t.Fatalf("nothing left: %d %s", r.status, r.raw)
		}
		if state, refunded := s.orderState(o.ID); state != "partially_refunded" || refunded != "159.00" {
			t.Fatalf("order after refunds: %s, %s refunded", state, refunded)
		}
		if sub := s.subscriptionOf(o.ID, 1); sub.State != "active" {
			t.Fatalf("line 1's subscription (its second month is paid for): %+v", sub)
		}
		var stmt struct {
			Entries []struct {
				PostingID string `json:"posting_id"`
				Kind, Ref string
				Amount    apiMoney
			}
		}
		s.do("GET", "/api/v1/balances/CNY/statement", s.buyer, nil).must(t, 200, "statement").decode(t, &stmt)
		var back []string
		for _, e := range stmt.Entries {
			if e.Kind == "refund" && e.Ref == o.ID {
				back = append(back, e.PostingID+" "+e.Amount.Amount)
			}
		}
		if !slices.Equal(back, []string{third.PostingID + " 22.78", second.PostingID + " 36.22", first.PostingID + " 100.00"}) {
			t.Fatalf("refunds in the statement: %v", back)
		}

		// Refunds of one order at once give the money back once. Ten of everything: one.
		whole := s.buy(planLine(s.suite, "basic", 1, 1)) // 100.00
		created, refused := s.raceRefunds(whole.ID, `{"reason":"at once"}`)
		if len(created) != 1 || created[0].Amount.Amount != "100.00" || len(refused) != 9 || slices.ContainsFunc(refused, func(r string) bool { return r != "400 invalid lines" }) {
			t.Fatalf("created %+v, refused %v", created, refused)
		}
		if bal, _ := s.balanceCNY(s.buyer, ""); bal != "900.00" {
			t.Fatalf("balance after ten refunds of one order: %s", bal)
		}
		if state, refunded := s.orderState(whole.ID); state != "refunded" || refunded != "100.00" || len(s.refunds(s.buyer, whole.ID)) != 1 {
			t.Fatalf("order: %s, %s refunded", state, refunded)
		}
		if sub := s.subscriptionOf(whole.ID, 1); sub.State != "released" {
			t.Fatalf("a subscription refunded in full: %+v", sub)
		}
		// Ten of 30.00 of a 100.00 order: three.
		part := s.buy(planLine(s.suite, "basic", 1, 1))
		created, refused = s.raceRefunds(part.ID, `{"amount":{"amount":"30.00","currency":"CNY"}}`)
		if len(created) != 3 || len(refused) != 7 || slices.ContainsFunc(refused, func(r string) bool { return r != "400 invalid amount" }) {
			t.Fatalf("created %+v, refused %v", created, refused)
		}
		if bal, _ := s.balanceCNY(s.buyer, ""); bal != "890.00" {
			t.Fatalf("balance after three refunds of 30.00: %s", bal)
		}
		if q := s.refundable(s.buyer, part.ID); q.Total.Amount != "10.00" {
			t.Fatalf("left: %+v", q)
		}
		// The OpenAPI document has the operations.
		r = s.do("GET", "/api/openapi.json", "", nil).must(t, 200, "openapi")
		paths := r.body["paths"].(map[string]any)
		for _, p := range []string{"/api/v1/subscriptions", "/api/v1/subscriptions/{id}/auto-renew", "/api/v1/subscriptions/{id}/upgrade",
			"/api/v1/orders/{id}/refundable", "/api/v1/orders/{id}/refunds"} {
			if paths[p] == nil {
				t.Errorf("%s is not documented", p)
			}
		}
		if refunds, _ := paths["/api/v1/orders/{id}/refunds"].(map[string]any); refunds["get"] == nil || refunds["post"] == nil {
			t.Errorf("refunds: %v", refunds)
		}
	})
}

// raceRefunds sends ten refunds of the order at once.
func (s *afterShop) raceRefunds(orderID string, body string) (created []apiRefund, refused []string) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", s.url+"/api/v1/orders/"+orderID+"/refunds", bytes.NewReader([]byte(body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+s.buyer)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				s.t.Error(err)
				return
			}
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			mu.Lock()
			defer mu.Unlock()
			if res.StatusCode == 201 {
				var r apiRefund
				_ = json.Unmarshal(raw, &r)
				created = append(created, r)
				return
			}
			var e struct{ Error struct{ Code, Field string } }
			_ = json.Unmarshal(raw, &e)
			refused = append(refused, strconv.Itoa(res.StatusCode)+" "+e.Error.Code+" "+e.Error.Field)
		})
	}
	wg.Wait()
	return created, refused
}
