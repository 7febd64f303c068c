package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/web/api"
)

// shop is a world with a product of each of two sellers on sale, a new
// customer (the demo's customers have orders and balances already), and the
// tokens of the people who buy and sell.
type shop struct {
	*world
	buyer, other, seller, seller2, ops string // tokens
	buyerOrg, sellerOrg, seller2Org    string
	lens, shield                       string // Lakeside's CNY 199.00 a month; Bluepeak's CNY 59.00 a month
}

func newShop(t *testing.T, st *store.Store) *shop {
	t.Helper()
	w := newWorld(t, st)
	s := &shop{world: w, buyer: w.signUp("buyer@fresh-bakery.example", "Fresh Bakery 鲜焙"), other: w.login("direct@demo.test"),
		seller: w.login("seller1@demo.test"), seller2: w.login("seller2@demo.test"), ops: w.login("ops@demo.test")}
	s.buyerOrg, s.sellerOrg, s.seller2Org = w.orgOf(s.buyer, "customer"), w.orgOf(s.seller, "seller"), w.orgOf(s.seller2, "seller")
	s.lens, _ = w.create(s.seller, product("saas", "Lakeside Ledger Lens", "湖畔账镜", "storage", []string{"cn-north-4"},
		plan("monthly", "monthly", price("199.00", "CNY"))))
	w.publish(s.seller, s.ops, s.lens)
	s.shield, _ = w.create(s.seller2, product("saas", "Bluepeak Shield", "蓝峰之盾", "security", []string{"cn-north-4"},
		plan("monthly", "monthly", price("59.00", "CNY"))))
	w.publish(s.seller2, s.ops, s.shield)
	return s
}

// signUp makes a new user with its own customer organisation, and returns
// its token.
func (w *world) signUp(email, org string) string {
	w.t.Helper()
	const password = "a long good passphrase"
	w.do("POST", "/api/v1/users", "", map[string]string{"email": email, "password": password, "display_name": "New Buyer", "org_name": org}).must(w.t, 201, "sign up")
	r := w.do("POST", "/api/v1/sessions", "", map[string]string{"email": email, "password": password}).must(w.t, 201, "sign in")
	return r.body["token"].(string)
}

// orgOf returns the caller's organisation of the kind.
func (w *world) orgOf(token, kind string) string {
	w.t.Helper()
	var me struct {
		Memberships []struct {
			OrgID   string `json:"org_id"`
			OrgKind string `json:"org_kind"`
		}
	}
	w.do("GET", "/api/v1/me", token, nil).must(w.t, 200, "me").decode(w.t, &me)
	for _, m := range me.Memberships {
		if m.OrgKind == kind {
			return m.OrgID
		}
	}
	w.t.Fatalf("no %s organisation", kind)
	return ""
}

// placeOrder posts an order with an Idempotency-Key ("" for none).
func (w *world) placeOrder(token, key string, body any) response {
	w.t.Helper()
	j, _ := json.Marshal(body)
	h := http.Header{"Content-Type": {"application/json"}}
	if key != "" {
		h.Set("Idempotency-Key", key)
	}
	return w.send("POST", "/api/v1/orders", token, bytes.NewReader(j), h)
}

func cart(lines ...map[string]any) map[string]any { return map[string]any{"lines": lines} }

func line(productID string, quantity, periods int) map[string]any {
	return map[string]any{"product_id": productID, "plan": "monthly", "quantity": quantity, "periods": periods}
}

// apiOrder is the part of an order the tests read.
type apiOrder struct {
	ID                   string
	BuyerOrgID           string `json:"buyer_org_id"`
	State                string
	Currency             string
	Lines                []orderLine
	List, Discount, Paid struct{ Amount, Currency string }
	PaidAt               *string `json:"paid_at"`
}

type orderLine struct {
	No        int
	ProductID string `json:"product_id"`
	Seller    struct{ ID string }
	Paid      struct{ Amount string }
}

type orderList struct {
	Orders     []apiOrder
	NextBefore string `json:"next_before"`
}

func (l orderList) ids() []string {
	var out []string
	for _, o := range l.Orders {
		out = append(out, o.ID)
	}
	return out
}

// of keeps the orders with a line of one of the products (the demo's
// sellers have orders of their demo products).
func (l orderList) of(products ...string) orderList {
	var out orderList
	for _, o := range l.Orders {
		if slices.ContainsFunc(o.Lines, func(x orderLine) bool { return slices.Contains(products, x.ProductID) }) {
			out.Orders = append(out.Orders, o)
		}
	}
	return out
}

func (w *world) orders(path, token string) orderList {
	w.t.Helper()
	var l orderList
	w.do("GET", path, token, nil).must(w.t, 200, path).decode(w.t, &l)
	return l
}

// balanceCNY is the organisation's CNY balance and what is available.
func (w *world) balanceCNY(token, query string) (balance, available string) {
	w.t.Helper()
	var out struct {
		Balances []struct {
			Currency           string
			Balance, Available struct{ Amount string }
			CreditLimit        struct{ Amount string } `json:"credit_limit"`
		}
	}
	w.do("GET", "/api/v1/balances"+query, token, nil).must(w.t, 200, "balances").decode(w.t, &out)
	for _, b := range out.Balances {
		if b.Currency == "CNY" {
			return b.Balance.Amount, b.Available.Amount
		}
	}
	return "none", "none"
}

func TestBuyingOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newShop(t, st)
		// A quote: anyone may ask, and nothing changes.
		r := s.do("POST", "/api/v1/quotes", "", cart(line(s.lens, 2, 3))).must(t, 200, "quote")
		var q struct {
			Currency string
			Lines    []struct {
				No                    int
				Seller                struct{ ID string }
				Mode, Region          string
				Quantity, Periods     int
				UnitPrice, List, Paid struct{ Amount string }
			}
			List, Discount, Payable struct {
				Amount string
				Minor  int64
			}
		}
		r.decode(t, &q)
		if q.Currency != "CNY" || q.Payable.Amount != "1194.00" || q.Payable.Minor != 119400 || q.Discount.Amount != "0.00" ||
			len(q.Lines) != 1 || q.Lines[0].Seller.ID != s.sellerOrg || q.Lines[0].Region != "cn-north-4" || q.Lines[0].Mode != "monthly" {
			t.Fatalf("quote: %s", r.raw)
		}
		bad := cart(map[string]any{"product_id": s.lens, "plan": "yearly"})
		if code, field := s.do("POST", "/api/v1/quotes", "", bad).errCode(t); code != "invalid" || field != "lines[0].plan" {
			t.Fatalf("bad plan: %s %s", code, field)
		}
		// No balance yet: 402, and nothing changes.
		before := s.auditCount()
		order := cart(line(s.lens, 2, 3))
		r = s.placeOrder(s.buyer, "k-1", order)
		if code, _ := r.errCode(t); r.status != 402 || code != "insufficient_funds" {
			t.Fatalf("without a balance: %d %s", r.status, r.raw)
		}
		if l := s.orders("/api/v1/orders", s.buyer); len(l.Orders) != 0 || s.auditCount() != before {
			t.Fatalf("a refused order changed something: %v", l.ids())
		}
		// Operators top up, once per reference.
		topUp := map[string]any{"amount": price("2000.00", "CNY"), "reference": "BANK-2026-0042", "note": "wire"}
		s.do("POST", "/api/v1/customers/"+s.buyerOrg+"/top-ups", s.buyer, topUp).must(t, 403, "a buyer tops itself up")
		r = s.do("POST", "/api/v1/customers/"+s.buyerOrg+"/top-ups", s.ops, topUp).must(t, 201, "top-up")
		if !strings.Contains(r.raw, `"balance":{"amount":"2000.00","currency":"CNY","minor":200000}`) || !strings.Contains(r.raw, `"available":{"amount":"2000.00"`) {
			t.Fatalf("top-up: %s", r.raw)
		}
		if code, field := s.do("POST", "/api/v1/customers/"+s.buyerOrg+"/top-ups", s.ops, topUp).errCode(t); code != "conflict" || field != "reference" {
			t.Fatalf("the same reference twice: %s %s", code, field)
		}
		// The same key now places the order.
		r = s.placeOrder(s.buyer, "k-1", order).must(t, 201, "order")
		var o apiOrder
		r.decode(t, &o)
		if o.State != "paid" || o.Paid.Amount != "1194.00" || o.BuyerOrgID != s.buyerOrg || o.PaidAt == nil ||
			r.header.Get("Location") != "/api/v1/orders/"+o.ID || r.header.Get("Idempotent-Replayed") != "" ||
			!strings.Contains(r.raw, `"refunded":{"amount":"0.00","currency":"CNY","minor":0}`) {
			t.Fatalf("order: %v %s", r.header, r.raw)
		}
		// A replay answers the same order; another body with the key is refused.
		r = s.placeOrder(s.buyer, "k-1", order).must(t, 200, "replay")
		var again apiOrder
		r.decode(t, &again)
		if again.ID != o.ID || r.header.Get("Idempotent-Replayed") != "true" || r.header.Get("Location") != "/api/v1/orders/"+o.ID {
			t.Fatalf("replay: %v %s", r.header, r.raw)
		}
		r = s.placeOrder(s.buyer, "k-1", cart(line(s.lens, 1, 1)))
		if code, _ := r.errCode(t); r.status != 422 || code != "idempotency_conflict" {
			t.Fatalf("same key, other order: %d %s", r.status, r.raw)
		}
		if bal, avail := s.balanceCNY(s.buyer, ""); bal != "806.00" || avail != "806.00" {
			t.Fatalf("balance %s, available %s", bal, avail)
		}
		// 50 requests at once with one key: one order.
		race := cart(line(s.lens, 1, 1), line(s.shield, 1, 2))
		statuses := make([]int, 50)
		ids := make([]string, 50)
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				j, _ := json.Marshal(race)
				req, _ := http.NewRequest("POST", s.url+"/api/v1/orders", bytes.NewReader(j))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+s.buyer)
				req.Header.Set("Idempotency-Key", "k-race")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					return
				}
				defer res.Body.Close()
				var got apiOrder
				_ = json.NewDecoder(res.Body).Decode(&got)
				statuses[i], ids[i] = res.StatusCode, got.ID
			})
		}
		wg.Wait()
		created := 0
		for i := range 50 {
			switch {
			case statuses[i] == 201:
				created++
			case statuses[i] != 200:
				t.Fatalf("request %d: %d", i, statuses[i])
			}
			if ids[i] != ids[0] || ids[i] == "" {
				t.Fatalf("request %d answered order %q, request 0 %q", i, ids[i], ids[0])
			}
		}
		raced := ids[0]
		mine := s.orders("/api/v1/orders", s.buyer)
		if created != 1 || len(mine.Orders) != 2 || !slices.Equal(mine.ids(), []string{raced, o.ID}) {
			t.Fatalf("%d created; the buyer's orders %v", created, mine.ids())
		}
		if bal, _ := s.balanceCNY(s.buyer, ""); bal != "489.00" { // 806.00 − 199.00 − 2 × 59.00
			t.Fatalf("balance after the race: %s", bal)
		}
		// Lists page back; a filter by state.
		if page := s.orders("/api/v1/orders?limit=1", s.buyer); len(page.Orders) != 1 || page.NextBefore != raced {
			t.Fatalf("first page: %v %q", page.ids(), page.NextBefore)
		}
		if page := s.orders("/api/v1/orders?limit=1&before="+raced, s.buyer); !slices.Equal(page.ids(), []string{o.ID}) {
			t.Fatalf("second page: %v", page.ids())
		}
		if l := s.orders("/api/v1/orders?state=refunded", s.buyer); len(l.Orders) != 0 {
			t.Fatalf("refunded: %v", l.ids())
		}
		// The statement: newest first, the payment's posting on the receipt.
		var stmt struct {
			Currency string
			Entries  []struct {
				PostingID string `json:"posting_id"`
				Kind, Ref string
				Amount    struct{ Amount string }
			}
		}
		s.do("GET", "/api/v1/balances/CNY/statement", s.buyer, nil).must(t, 200, "statement").decode(t, &stmt)
		if len(stmt.Entries) != 3 || stmt.Entries[2].Kind != "top_up" || stmt.Entries[2].Amount.Amount != "2000.00" ||
			stmt.Entries[1].Kind != "payment" || stmt.Entries[1].Ref != o.ID || stmt.Entries[1].Amount.Amount != "-1194.00" {
			t.Fatalf("statement: %+v", stmt)
		}
		var rc struct {
			Marketplace   string
			OrderID       string `json:"order_id"`
			BuyerOrgName  string `json:"buyer_org_name"`
			PaymentMethod string `json:"payment_method"`
			PostingID     string `json:"posting_id"`
			PlacedAt      string `json:"placed_at"`
			PaidAt        string `json:"paid_at"`
			Lines         []struct{ Paid struct{ Amount string } }
			Paid          struct{ Amount string }
		}
		s.do("GET", "/api/v1/orders/"+o.ID+"/receipt", s.buyer, nil).must(t, 200, "receipt").decode(t, &rc)
		if rc.Marketplace != "cloudmart" || rc.OrderID != o.ID || rc.BuyerOrgName != "Fresh Bakery 鲜焙" || rc.PaymentMethod != "prepaid balance" ||
			rc.PostingID != stmt.Entries[1].PostingID || rc.PlacedAt == "" || rc.PaidAt == "" || len(rc.Lines) != 1 || rc.Paid.Amount != "1194.00" {
			t.Fatalf("receipt: %+v", rc)
		}
		// Each seller sees only its own lines, and totals of those.
		var seen apiOrder
		s.do("GET", "/api/v1/orders/"+raced, s.seller2, nil).must(t, 200, "seller's view").decode(t, &seen)
		if len(seen.Lines) != 1 || seen.Lines[0].ProductID != s.shield || seen.Paid.Amount != "118.00" {
			t.Fatalf("Bluepeak sees %+v", seen)
		}
		if l := s.orders("/api/v1/seller/orders", s.seller).of(s.lens, s.shield); !slices.Equal(l.ids(), []string{raced, o.ID}) || len(l.Orders[0].Lines) != 1 || l.Orders[0].Paid.Amount != "199.00" {
			t.Fatalf("Lakeside's orders: %+v", l)
		}
		if l := s.orders("/api/v1/seller/orders", s.seller2).of(s.lens, s.shield); !slices.Equal(l.ids(), []string{raced}) {
			t.Fatalf("Bluepeak's orders: %v", l.ids())
		}
		s.do("GET", "/api/v1/orders/"+o.ID+"/receipt", s.seller, nil).must(t, 404, "a seller reads the receipt")
		s.do("GET", "/api/v1/orders/"+o.ID, s.other, nil).must(t, 404, "another customer reads the order")
		s.do("GET", "/api/v1/orders?org_id="+s.buyerOrg, s.other, nil).must(t, 403, "another customer lists the orders")
		// Operators: any organisation's orders, a search, and orders without org_id is a question.
		if l := s.orders("/api/v1/orders?org_id="+s.buyerOrg, s.ops); len(l.Orders) != 2 {
			t.Fatalf("operator: %v", l.ids())
		}
		if l := s.orders("/api/v1/ops/orders?org_id="+s.buyerOrg+"&seller_org_id="+s.seller2Org, s.ops); !slices.Equal(l.ids(), []string{raced}) {
			t.Fatalf("ops search: %v", l.ids())
		}
		if code, field := s.do("GET", "/api/v1/orders", s.ops, nil).errCode(t); code != "invalid" || field != "org_id" {
			t.Fatalf("operator without org_id: %s %s", code, field)
		}
		// A credit limit lets the balance go below zero.
		r = s.do("PUT", "/api/v1/customers/"+s.buyerOrg+"/credit-limits/CNY", s.ops, map[string]string{"amount": "500.00"})
		r.must(t, 200, "credit limit")
		if !strings.Contains(r.raw, `"credit_limit":{"amount":"500.00"`) || !strings.Contains(r.raw, `"available":{"amount":"989.00"`) {
			t.Fatalf("credit limit: %s", r.raw)
		}
		s.placeOrder(s.buyer, "k-credit", cart(line(s.lens, 1, 4))).must(t, 201, "order on credit") // 796.00
		if bal, avail := s.balanceCNY(s.buyer, "?org_id="+s.buyerOrg); bal != "-307.00" || avail != "193.00" {
			t.Fatalf("on credit: balance %s, available %s", bal, avail)
		}
		if code, field := s.do("PUT", "/api/v1/customers/"+s.buyerOrg+"/credit-limits/CNY", s.ops, map[string]string{"amount": "100.00"}).errCode(t); code != "invalid" || field != "amount" {
			t.Fatalf("a limit below the balance: %s %s", code, field)
		}
	})
}

// csvRows reads an export, checking its headers and columns.
func csvRows(t *testing.T, r response) [][]string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Fatalf("content disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(r.raw)).ReadAll()
	if err != nil {
		t.Fatalf("%v: %s", err, r.raw)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], api.CSVColumns) {
		t.Fatalf("header %v", rows)
	}
	return rows[1:]
}

func TestOrdersExportAsCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newShop(t, st)
		s.do("POST", "/api/v1/customers/"+s.buyerOrg+"/top-ups", s.ops, map[string]any{"amount": price("1000.00", "CNY"), "reference": "CSV"}).must(t, 201, "top-up")
		var first, second apiOrder
		s.placeOrder(s.buyer, "csv-1", cart(line(s.lens, 2, 1))).must(t, 201, "order").decode(t, &first)
		s.placeOrder(s.buyer, "csv-2", cart(line(s.shield, 1, 1), line(s.lens, 1, 1))).must(t, 201, "order").decode(t, &second)
		col := func(name string) int { return slices.Index(api.CSVColumns, name) }
		rows := csvRows(t, s.do("GET", "/api/v1/orders.csv", s.buyer, nil).must(t, 200, "export"))
		if len(rows) != 3 {
			t.Fatalf("rows %v", rows)
		}
		// Newest first, a row per line.
		want := [][]string{{second.ID, "1", s.shield, "Bluepeak Shield", "59.00"}, {second.ID, "2", s.lens, "Lakeside Ledger Lens", "199.00"},
			{first.ID, "1", s.lens, "Lakeside Ledger Lens", "398.00"}}
		for i, w := range want {
			got := []string{rows[i][col("order_id")], rows[i][col("line_no")], rows[i][col("product_id")], rows[i][col("product_name_en")], rows[i][col("paid")]}
			if !slices.Equal(got, w) || rows[i][col("currency")] != "CNY" || rows[i][col("state")] != "paid" || rows[i][col("buyer_org_id")] != s.buyerOrg {
				t.Errorf("row %d: %v, want %v", i, rows[i], w)
			}
		}
		// A limit: the rest is named in Next-Before.
		r := s.do("GET", "/api/v1/orders.csv?limit=1", s.buyer, nil).must(t, 200, "first order")
		if rows := csvRows(t, r); len(rows) != 2 || r.header.Get("Next-Before") != second.ID {
			t.Fatalf("limit 1: %v %q", rows, r.header.Get("Next-Before"))
		}
		if r := s.do("GET", "/api/v1/orders.csv?before="+second.ID, s.buyer, nil).must(t, 200, "older"); len(csvRows(t, r)) != 1 || r.header.Get("Next-Before") != "" {
			t.Fatalf("before: %s", r.raw)
		}
		// The seller's export: its lines only.
		rows = slices.DeleteFunc(csvRows(t, s.do("GET", "/api/v1/seller/orders.csv", s.seller2, nil).must(t, 200, "seller export")),
			func(row []string) bool { return row[col("buyer_org_id")] != s.buyerOrg })
		if len(rows) != 1 || rows[0][col("order_id")] != second.ID || rows[0][col("product_id")] != s.shield {
			t.Fatalf("Bluepeak's export: %v", rows)
		}
		// Operators export any customer's.
		if rows := csvRows(t, s.do("GET", "/api/v1/orders.csv?org_id="+s.buyerOrg, s.ops, nil).must(t, 200, "ops export")); len(rows) != 3 {
			t.Fatalf("operator's export: %v", rows)
		}
	})
}

func TestOpenAPIDocumentsBuying(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		r := w.do("GET", "/api/openapi.json", "", nil).must(t, 200, "openapi")
		paths := r.body["paths"].(map[string]any)
		for _, p := range []string{"/api/v1/quotes", "/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/orders/{id}/receipt", "/api/v1/orders.csv",
			"/api/v1/seller/orders", "/api/v1/seller/orders.csv", "/api/v1/ops/orders", "/api/v1/balances", "/api/v1/balances/{currency}/statement",
			"/api/v1/customers/{id}/top-ups", "/api/v1/customers/{id}/credit-limits/{currency}"} {
			if paths[p] == nil {
				t.Errorf("%s is not documented", p)
			}
		}
		for _, s := range []string{`"Idempotency-Key"`, `"Idempotent-Replayed"`, `"text/csv"`} {
			if !strings.Contains(r.raw, s) {
				t.Errorf("%s is not documented", s)
			}
		}
	})
}
