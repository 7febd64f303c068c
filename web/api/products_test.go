package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/web/api"
)

// newClockedWorld is newWorld with the clock at hand, so products published
// one after the other have distinct publication times.
func newClockedWorld(t *testing.T, st *store.Store) (*world, *markettest.Clock) {
	t.Helper()
	m := markettest.New(t, st, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if err := demo.Load(context.Background(), m.Svc); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Register(mux, m.Svc, api.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &world{t: t, url: srv.URL, svc: m.Svc, st: st}, m.Clock
}

// price is a JSON amount.
func price(amount, currency string) map[string]any {
	return map[string]any{"amount": amount, "currency": currency}
}

func plan(code, mode string, p map[string]any) map[string]any {
	return map[string]any{"code": code, "name": map[string]string{"en": code, "zh": code + "版"}, "mode": mode, "price": p, "active": true}
}

// product is the content of a product that passes review, of the type, with
// the names and plans given.
func product(typ, nameEN, nameZH, category string, regions []string, plans ...map[string]any) map[string]any {
	b := map[string]any{
		"type":    typ,
		"name":    map[string]string{"en": nameEN, "zh": nameZH},
		"summary": map[string]string{"en": nameEN + " for teams", "zh": nameZH + "，团队之选"},
		// Every product of these tests says "zephyrine 翡翠", which no demo product does.
		"description": map[string]string{"en": "All about " + nameEN + ", of the zephyrine range.", "zh": "关于" + nameZH + "的一切，翡翠系列。"},
		"category":    category,
		"docs_url":    "https://docs.example.com/" + strings.ToLower(strings.Fields(nameEN)[0]),
		"regions":     regions,
		"support":     map[string]string{"email": "support@example.com", "phone": "+86 10 6500 1100"},
		"plans":       plans,
	}
	switch typ {
	case "saas":
		b["saas"] = map[string]any{"endpoint": "https://app.example.com/cloudmart", "deploy_region": regions[0]}
	case "license":
		b["license"] = map[string]any{"category": "database", "grant_unit": "cores", "grant_quantity": 4, "duration_months": 12,
			"terms_url": "https://example.com/terms"}
	case "professional_service":
		b["service"] = map[string]any{"kind": "data_migration", "deliverables": map[string]string{"en": "A migrated database", "zh": "迁移完成的数据库"},
			"expected_days": 5, "no_software_included": true}
	case "image":
		b["image"] = map[string]any{"image_ref": "img-0a1b2c3d", "os_family": "linux", "os_version": "Ubuntu 24.04", "arch": "x86_64",
			"min_vcpu": 2, "min_memory_mib": 4096, "min_disk_gib": 40, "image_regions": regions, "login_user": "ubuntu"}
	}
	return b
}

// vault is a SaaS product of Lakeside Data with a monthly plan; its name's
// words (archive, 归档) are in no demo product.
func vault(monthly string) map[string]any {
	return product("saas", "Lakeside Archive Vault", "湖畔归档库", "storage", []string{"cn-north-4", "cn-east-3"},
		plan("monthly", "monthly", price(monthly, "CNY")))
}

// with returns a deep copy of body with a change.
func with(body map[string]any, change func(b map[string]any)) map[string]any {
	raw, _ := json.Marshal(body)
	b := map[string]any{}
	_ = json.Unmarshal(raw, &b)
	change(b)
	return b
}

// sellerProduct is the part of a product view the tests read.
type sellerProduct struct {
	ID      string
	Version int
	Live    *revision
	Pending *revision
	Changes []struct{ Field, Before, After string }
}

type revision struct {
	Number  int
	State   string
	Reason  string
	Content map[string]any
}

// hits is a page of search results.
type hits struct {
	Products []struct {
		ID     string
		Type   string
		Name   struct{ EN, ZH string }
		Seller struct{ ID, Name string }
		From   *struct {
			Amount, Currency string
			Minor            int64
		} `json:"from_price"`
	}
	NextCursor string `json:"next_cursor"`
}

func (h hits) ids() []string {
	var out []string
	for _, p := range h.Products {
		out = append(out, p.ID)
	}
	return out
}

// search asks the public search.
func (w *world) search(query string) hits {
	w.t.Helper()
	var h hits
	w.do("GET", "/api/v1/products?"+query, "", nil).must(w.t, 200, "search "+query).decode(w.t, &h)
	return h
}

// create makes a product over HTTP and returns its id and signing key.
func (w *world) create(token string, body map[string]any) (string, string) {
	w.t.Helper()
	r := w.do("POST", "/api/v1/seller/products", token, body).must(w.t, 201, "create")
	var out struct {
		Product    sellerProduct
		SigningKey string `json:"signing_key"`
	}
	r.decode(w.t, &out)
	return out.Product.ID, out.SigningKey
}

func (w *world) sellerProduct(token, id string) (sellerProduct, response) {
	w.t.Helper()
	var p sellerProduct
	r := w.do("GET", "/api/v1/seller/products/"+id, token, nil).must(w.t, 200, "seller product")
	r.decode(w.t, &p)
	return p, r
}

// publish takes a product through review over HTTP.
func (w *world) publish(seller, ops, id string) {
	w.t.Helper()
	w.do("POST", "/api/v1/seller/products/"+id+"/submit", seller, nil).must(w.t, 200, "submit")
	w.do("POST", "/api/v1/review/products/"+id+"/approve", ops, nil).must(w.t, 200, "approve")
}

func monthlyPrice(t *testing.T, content map[string]any) string {
	t.Helper()
	plans, _ := content["plans"].([]any)
	if len(plans) == 0 {
		t.Fatalf("no plans: %v", content)
	}
	p, _ := plans[0].(map[string]any)["price"].(map[string]any)
	return p["amount"].(string)
}

func TestProductFlowOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		lakeside, ops := w.login("seller1@demo.test"), w.login("ops@demo.test")
		var keys []string
		gets := []response{} // every answer that must never show a signing key

		// A SaaS product with a monthly plan: the signing key comes once.
		r := w.do("POST", "/api/v1/seller/products", lakeside, vault("199.00")).must(t, 201, "create")
		var created struct {
			Product    sellerProduct
			SigningKey string `json:"signing_key"`
		}
		r.decode(t, &created)
		id := created.Product.ID
		if created.SigningKey == "" || created.Product.Pending == nil || created.Product.Pending.State != "draft" || created.Product.Pending.Number != 1 || created.Product.Live != nil {
			t.Fatalf("created: %s", r.raw)
		}
		if !strings.Contains(r.raw, `"price":{"amount":"199.00","currency":"CNY","minor":19900}`) || !strings.Contains(r.raw, `"id":"pln_`) {
			t.Fatalf("the plan's price: %s", r.raw)
		}
		keys = append(keys, created.SigningKey)

		// The seller edits it, with the version it read; a stale version is refused.
		p, r := w.sellerProduct(lakeside, id)
		gets = append(gets, r)
		edited := with(vault("199.00"), func(b map[string]any) {
			b["summary"] = map[string]string{"en": "Point-in-time backups", "zh": "时间点备份与恢复"}
			b["version"] = p.Version
		})
		w.do("PUT", "/api/v1/seller/products/"+id, lakeside, edited).must(t, 200, "edit")
		if code, _ := w.do("PUT", "/api/v1/seller/products/"+id, lakeside, edited).must(t, 409, "stale edit").errCode(t); code != "conflict" {
			t.Fatalf("stale edit: %s", code)
		}
		r = w.do("POST", "/api/v1/seller/products/"+id+"/submit", lakeside, nil).must(t, 200, "submit")
		if !strings.Contains(r.raw, `"state":"in_review"`) {
			t.Fatalf("submitted: %s", r.raw)
		}
		w.do("GET", "/api/v1/products/"+id, "", nil).must(t, 404, "public while in review")

		// The operators find it in their queue, and approve.
		r = w.do("GET", "/api/v1/review/products", ops, nil).must(t, 200, "queue")
		gets = append(gets, r)
		if !strings.Contains(r.raw, `"id":"`+id+`"`) || !strings.Contains(r.raw, `"pending":{"number":1,"state":"in_review","reason":""}`) {
			t.Fatalf("queue: %s", r.raw)
		}
		w.do("POST", "/api/v1/review/products/"+id+"/approve", ops, nil).must(t, 200, "approve")

		// Anyone finds it by a Chinese word of its name, and opens its page.
		found := w.search("q=" + url.QueryEscape("归档"))
		if len(found.Products) != 1 || found.Products[0].ID != id || found.Products[0].Name.ZH != "湖畔归档库" ||
			found.Products[0].Seller.Name != "Lakeside Data 湖畔数据" || found.Products[0].From == nil ||
			found.Products[0].From.Amount != "199.00" || found.Products[0].From.Minor != 19900 || found.Products[0].From.Currency != "CNY" {
			t.Fatalf("search: %+v", found)
		}
		r = w.do("GET", "/api/v1/products/"+id, "", nil).must(t, 200, "public product")
		gets = append(gets, r)
		if r.body["name"].(map[string]any)["zh"] != "湖畔归档库" || monthlyPrice(t, r.body) != "199.00" ||
			strings.Contains(r.raw, "app.example.com") || !strings.Contains(r.raw, `"saas":{"deploy_region":"cn-north-4","free_trial":false}`) {
			t.Fatalf("public product: %s", r.raw)
		}

		// An edit of the published product is revision 2; revision 1 stays on sale.
		p, r = w.sellerProduct(lakeside, id)
		gets = append(gets, r)
		w.do("PUT", "/api/v1/seller/products/"+id, lakeside, with(vault("249.00"), func(b map[string]any) { b["version"] = p.Version })).must(t, 200, "edit published")
		p, r = w.sellerProduct(lakeside, id)
		gets = append(gets, r)
		if p.Live == nil || p.Live.Number != 1 || p.Live.State != "published" || p.Pending == nil || p.Pending.Number != 2 || p.Pending.State != "draft" {
			t.Fatalf("revision 2: %s", r.raw)
		}
		if got := monthlyPrice(t, w.do("GET", "/api/v1/products/"+id, "", nil).must(t, 200, "public").body); got != "199.00" {
			t.Fatalf("public price while revision 2 is a draft: %s", got)
		}
		w.do("POST", "/api/v1/seller/products/"+id+"/submit", lakeside, nil).must(t, 200, "submit revision 2")

		// The operator sees what changed, and rejects with a reason.
		r = w.do("GET", "/api/v1/review/products/"+id, ops, nil).must(t, 200, "review view")
		gets = append(gets, r)
		r.decode(t, &p)
		if !slices.ContainsFunc(p.Changes, func(c struct{ Field, Before, After string }) bool {
			return c.Field == "plans[monthly].price" && c.Before == "CNY 199.00" && c.After == "CNY 249.00"
		}) {
			t.Fatalf("changes: %s", r.raw)
		}
		w.do("POST", "/api/v1/review/products/"+id+"/reject", ops, map[string]string{"reason": "State the price including VAT."}).must(t, 200, "reject")
		p, r = w.sellerProduct(lakeside, id)
		gets = append(gets, r)
		if p.Pending == nil || p.Pending.State != "rejected" || p.Pending.Reason != "State the price including VAT." || p.Live.State != "published" {
			t.Fatalf("rejected: %s", r.raw)
		}

		// The seller fixes it and submits again; approved, the new price is public.
		w.do("PUT", "/api/v1/seller/products/"+id, lakeside, vault("239.00")).must(t, 200, "fix")
		// The content of a view goes back as it is, with its read-only parts.
		p, _ = w.sellerProduct(lakeside, id)
		again := with(p.Pending.Content, func(b map[string]any) { b["version"] = p.Version })
		r = w.do("PUT", "/api/v1/seller/products/"+id, lakeside, again).must(t, 200, "the view's content sent back")
		var same sellerProduct
		r.decode(t, &same)
		if !reflect.DeepEqual(same.Pending.Content, p.Pending.Content) || same.Version != p.Version+1 {
			t.Fatalf("sent back: %+v, was %+v", same.Pending.Content, p.Pending.Content)
		}
		w.publish(lakeside, ops, id)
		r = w.do("GET", "/api/v1/products/"+id, "", nil).must(t, 200, "public after revision 2")
		if monthlyPrice(t, r.body) != "239.00" {
			t.Fatalf("public after revision 2: %s", r.raw)
		}
		p, _ = w.sellerProduct(lakeside, id)
		if p.Live == nil || p.Live.Number != 2 || p.Pending != nil {
			t.Fatalf("after approving revision 2: %+v", p)
		}

		// The key rotates; neither key ever shows again.
		r = w.do("POST", "/api/v1/seller/products/"+id+"/signing-key", lakeside, nil).must(t, 200, "rotate")
		rotated, _ := r.body["signing_key"].(string)
		if rotated == "" || rotated == created.SigningKey {
			t.Fatalf("rotated: %s", r.raw)
		}
		keys = append(keys, rotated)

		// Delisted: gone from the storefront; relisted through review.
		w.do("POST", "/api/v1/seller/products/"+id+"/delist", lakeside, nil).must(t, 200, "delist")
		w.do("GET", "/api/v1/products/"+id, "", nil).must(t, 404, "public when delisted")
		if h := w.search("q=" + url.QueryEscape("归档")); len(h.Products) != 0 {
			t.Fatalf("found when delisted: %v", h.ids())
		}
		r = w.do("POST", "/api/v1/seller/products/"+id+"/submit", lakeside, nil).must(t, 200, "relist")
		if !strings.Contains(r.raw, `"live":null`) || !strings.Contains(r.raw, `"state":"in_review"`) {
			t.Fatalf("relisting: %s", r.raw)
		}
		w.do("GET", "/api/v1/products/"+id, "", nil).must(t, 404, "public while relisting")
		w.do("POST", "/api/v1/review/products/"+id+"/approve", ops, nil).must(t, 200, "approve relisting")
		w.do("GET", "/api/v1/products/"+id, "", nil).must(t, 200, "public when relisted")
		if h := w.search("q=archive"); len(h.Products) != 1 {
			t.Fatalf("relisted: %v", h.ids())
		}

		r = w.do("GET", "/api/v1/seller/products", lakeside, nil).must(t, 200, "list")
		gets = append(gets, r, w.do("GET", "/api/v1/seller/products/"+id, lakeside, nil), w.do("GET", "/api/v1/review/products/"+id, ops, nil))
		if !strings.Contains(r.raw, `"live":{"number":2,"state":"published","reason":""}`) || !strings.Contains(r.raw, `"zh":"湖畔归档库"`) {
			t.Fatalf("list: %s", r.raw)
		}
		gets = append(gets, w.do("GET", "/api/v1/audit?limit=500", ops, nil))
		for _, g := range gets {
			for _, k := range keys {
				if strings.Contains(g.raw, k) {
					t.Fatalf("a signing key shows: %s", g.raw)
				}
			}
		}
	})
}

// catalogSnapshot is what a refused request must not change.
func (w *world) catalogSnapshot(tokens ...string) string {
	w.t.Helper()
	s := []string{strconv.Itoa(w.auditCount())}
	for _, tok := range tokens {
		s = append(s, w.do("GET", "/api/v1/seller/products", tok, nil).must(w.t, 200, "list").raw)
	}
	return strings.Join(s, "\n")
}

func TestProductBadInputIsRefusedAndChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		lakeside, yunfan, ops := w.login("seller1@demo.test"), w.login("seller3@demo.test"), w.login("ops@demo.test")
		licence := product("license", "Lakeside DB Licence", "湖畔数据库许可证", "database", []string{"cn-north-4"}, plan("perpetual", "one_time", price("5000.00", "CNY")))
		service := product("professional_service", "Yunfan Migration", "云帆迁移", "migration", []string{"cn-north-4"}, plan("once", "one_time", price("800.00", "CNY")))
		// Drafts that save but cannot be submitted.
		noZH, _ := w.create(lakeside, with(vault("199.00"), func(b map[string]any) { b["description"] = map[string]string{"en": "Backups."} }))
		zero, _ := w.create(lakeside, vault("0.00"))
		noTerms, _ := w.create(lakeside, with(licence, func(b map[string]any) { delete(b["license"].(map[string]any), "terms_url") }))
		software, _ := w.create(yunfan, with(service, func(b map[string]any) { b["service"].(map[string]any)["no_software_included"] = false }))
		inReview, _ := w.create(lakeside, vault("99.00"))
		w.do("POST", "/api/v1/seller/products/"+inReview+"/submit", lakeside, nil).must(t, 200, "submit")

		saas := func(change func(b map[string]any)) map[string]any { return with(vault("199.00"), change) }
		firstPrice := func(p map[string]any) func(b map[string]any) {
			return func(b map[string]any) { b["plans"].([]any)[0].(map[string]any)["price"] = p }
		}
		before := w.catalogSnapshot(lakeside, yunfan)
		tests := []struct {
			name                string
			method, path, token string
			body                any
			status              int
			code, field         string
		}{
			{"SaaS endpoint that is an IP", "POST", "/api/v1/seller/products", lakeside,
				saas(func(b map[string]any) { b["saas"].(map[string]any)["endpoint"] = "https://10.0.0.1/hook" }), 400, "invalid", "saas.endpoint"},
			{"SaaS endpoint over plain http", "POST", "/api/v1/seller/products", lakeside,
				saas(func(b map[string]any) {
					b["saas"].(map[string]any)["endpoint"] = "http://backup.lakeside.example/cloudmart"
				}), 400, "invalid", "saas.endpoint"},
			{"an image product of a seller that declared none", "POST", "/api/v1/seller/products", lakeside,
				product("image", "Lakeside Image", "湖畔镜像", "database", []string{"cn-north-4"}, plan("monthly", "monthly", price("99.00", "CNY"))), 403, "forbidden", ""},
			{"a billing mode the type does not allow", "POST", "/api/v1/seller/products", lakeside,
				with(licence, func(b map[string]any) {
					b["plans"] = []any{plan("perpetual", "one_time", price("5000.00", "CNY")),
						map[string]any{"code": "metered", "name": map[string]string{"en": "Metered", "zh": "按量"}, "mode": "pay_per_use",
							"usage": map[string]any{"unit": "core-hour", "tiers": []any{map[string]any{"up_to": 0, "unit_price": price("0.50", "CNY")}}}}}
				}), 400, "invalid", "plans[1].mode"},
			{"a negative price", "POST", "/api/v1/seller/products", lakeside, saas(firstPrice(price("-5.00", "CNY"))), 400, "invalid", "plans[0].price"},
			{"an unsupported currency", "POST", "/api/v1/seller/products", lakeside, saas(firstPrice(price("199.00", "GBP"))), 400, "invalid", "plans[0].price.currency"},
			{"a price with three decimals", "POST", "/api/v1/seller/products", lakeside, saas(firstPrice(price("199.001", "CNY"))), 400, "invalid", "plans[0].price.amount"},
			{"a price that is not a number", "PUT", "/api/v1/seller/products/" + noZH, lakeside, saas(firstPrice(price("1,999", "CNY"))), 400, "invalid", "plans[0].price.amount"},
			{"a unit price with three decimals", "POST", "/api/v1/seller/products", lakeside, saas(func(b map[string]any) {
				b["plans"] = []any{map[string]any{"code": "metered", "name": map[string]string{"en": "Metered", "zh": "按量"}, "mode": "pay_per_use",
					"usage": map[string]any{"unit": "GB", "tiers": []any{map[string]any{"up_to": 100, "unit_price": price("0", "CNY")}, map[string]any{"unit_price": price("0.125", "CNY")}}}}}
			}), 400, "invalid", "plans[0].usage.tiers[1].unit_price.amount"},
			{"an unknown category", "POST", "/api/v1/seller/products", lakeside, saas(func(b map[string]any) { b["category"] = "gardening" }), 400, "invalid", "category"},
			{"an unknown type", "POST", "/api/v1/seller/products", lakeside, saas(func(b map[string]any) { b["type"] = "api" }), 400, "invalid", "type"},
			{"no type", "POST", "/api/v1/seller/products", lakeside, saas(func(b map[string]any) { delete(b, "type") }), 400, "invalid", "type"},
			{"another type's details", "POST", "/api/v1/seller/products", lakeside, saas(func(b map[string]any) { b["license"] = map[string]any{"grant_quantity": 2} }), 400, "invalid", "license"},
			{"an unknown field", "POST", "/api/v1/seller/products", lakeside, saas(func(b map[string]any) { b["signing_key"] = "mine" }), 400, "invalid", "signing_key"},
			{"a zero price, at submit", "POST", "/api/v1/seller/products/" + zero + "/submit", lakeside, nil, 400, "invalid", "plans[0].price"},
			{"no Chinese description, at submit", "POST", "/api/v1/seller/products/" + noZH + "/submit", lakeside, nil, 400, "invalid", "description.zh"},
			{"a licence without terms, at submit", "POST", "/api/v1/seller/products/" + noTerms + "/submit", lakeside, nil, 400, "invalid", "license.terms"},
			{"a service that includes software, at submit", "POST", "/api/v1/seller/products/" + software + "/submit", yunfan, nil, 400, "invalid", "service.no_software_included"},
			{"an edit while in review", "PUT", "/api/v1/seller/products/" + inReview, lakeside, vault("89.00"), 409, "invalid_state", ""},
			{"a submission while in review", "POST", "/api/v1/seller/products/" + inReview + "/submit", lakeside, nil, 409, "invalid_state", ""},
			{"a signing key of a licence", "POST", "/api/v1/seller/products/" + noTerms + "/signing-key", lakeside, nil, 409, "invalid_state", ""},
			{"a rejection without a reason", "POST", "/api/v1/review/products/" + inReview + "/reject", ops, map[string]string{"reason": " "}, 400, "invalid", "reason"},
			{"an operator's delisting without a reason", "POST", "/api/v1/review/products/" + inReview + "/delist", ops, nil, 400, "invalid", "reason"},
			{"approving a draft", "POST", "/api/v1/review/products/" + zero + "/approve", ops, nil, 409, "invalid_state", ""},
			{"delisting a draft", "POST", "/api/v1/seller/products/" + zero + "/delist", lakeside, nil, 409, "invalid_state", ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := w.do(tc.method, tc.path, tc.token, tc.body)
				if r.status != tc.status {
					t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.raw)
				}
				if code, field := r.errCode(t); code != tc.code || field != tc.field {
					t.Fatalf("code %q field %q, want %q %q: %s", code, field, tc.code, tc.field, r.raw)
				}
				if after := w.catalogSnapshot(lakeside, yunfan); after != before {
					t.Fatalf("changed:\n%s\nthen\n%s", before, after)
				}
			})
		}
	})
}

// catalogue is the products of the search tests, by letter.
type catalogue map[string]string

func TestProductSearchOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w, clock := newClockedWorld(t, st)
		ctx := context.Background()
		ops := w.login("ops@demo.test")
		lakeside, bluepeak, yunfan, harbor := w.login("seller1@demo.test"), w.login("seller2@demo.test"), w.login("seller3@demo.test"), w.login("seller4@demo.test")
		c := catalogue{}
		publish := func(letter, token string, body map[string]any) {
			c[letter], _ = w.create(token, body)
			clock.Advance(time.Minute)
			w.publish(token, ops, c[letter])
		}
		// On sale, published in this order.
		publish("A", lakeside, product("saas", "Lakeside Snapshot Backup", "湖畔快照备份", "storage", []string{"cn-north-4", "cn-east-3"},
			plan("monthly", "monthly", price("199.00", "CNY"))))
		publish("B", lakeside, product("license", "Lakeside Database Licence", "湖畔数据库许可证", "database", []string{"cn-north-4"},
			plan("perpetual", "one_time", price("5000.00", "CNY"))))
		publish("C", bluepeak, product("image", "Bluepeak Firewall", "蓝峰防火墙", "security", []string{"ap-southeast-1"},
			plan("yearly", "yearly", price("1200.00", "CNY")),
			map[string]any{"code": "metered", "name": map[string]string{"en": "Metered", "zh": "按量"}, "mode": "pay_per_use", "active": true,
				"usage": map[string]any{"unit": "vCPU-hour", "tiers": []any{map[string]any{"up_to": 0, "unit_price": price("0.50", "CNY")}}}}))
		publish("D", yunfan, product("professional_service", "Yunfan Backup Migration", "云帆备份迁移服务", "migration", []string{"cn-north-4"},
			plan("once", "one_time", price("800.00", "CNY")), plan("once-usd", "one_time", price("120.00", "USD"))))
		// Never found: a suspended seller's, a draft, a rejected one, a delisted one.
		publish("E", harbor, product("saas", "Harbor Backup CI", "港湾备份持续集成", "devops", []string{"eu-west-101"}, plan("monthly", "monthly", price("49.00", "USD"))))
		if h := w.search("q=zephyrine+harbor"); len(h.Products) != 1 {
			t.Fatalf("harbor before suspension: %v", h.ids())
		}
		harborActor, err := w.svc.ActorByEmail(ctx, "seller4@demo.test")
		if err != nil {
			t.Fatal(err)
		}
		app, err := w.svc.MyApplication(ctx, harborActor)
		if err != nil {
			t.Fatal(err)
		}
		opsActor, err := w.svc.ActorByEmail(ctx, "ops@demo.test")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Review(ctx, opsActor, app.ID, seller.Suspend, "Unpaid fees."); err != nil {
			t.Fatal(err)
		}
		c["F"], _ = w.create(lakeside, product("saas", "Lakeside Backup Draft", "湖畔备份草稿", "storage", []string{"cn-north-4"}, plan("monthly", "monthly", price("9.00", "CNY"))))
		c["G"], _ = w.create(bluepeak, product("saas", "Bluepeak Backup Scanner", "蓝峰备份扫描", "security", []string{"cn-north-4"}, plan("monthly", "monthly", price("29.00", "CNY"))))
		w.do("POST", "/api/v1/seller/products/"+c["G"]+"/submit", bluepeak, nil).must(t, 200, "submit G")
		w.do("POST", "/api/v1/review/products/"+c["G"]+"/reject", ops, map[string]string{"reason": "No."}).must(t, 200, "reject G")
		publish("H", yunfan, product("professional_service", "Yunfan Backup Training", "云帆备份培训", "training", []string{"cn-north-4"}, plan("day", "one_time", price("300.00", "CNY"))))
		w.do("POST", "/api/v1/review/products/"+c["H"]+"/delist", ops, map[string]string{"reason": "Trainer left."}).must(t, 200, "delist H")

		letters := func(h hits) string {
			byID := map[string]string{}
			for l, id := range c {
				byID[id] = l
			}
			var out []string
			for _, id := range h.ids() {
				out = append(out, byID[id])
			}
			return strings.Join(out, "")
		}
		set := func(h hits) string {
			s := strings.Split(letters(h), "")
			sort.Strings(s)
			return strings.Join(s, "")
		}
		for _, tc := range []struct {
			query, want string
			ordered     bool
		}{
			{"", "ABCD", false},
			{"q=" + url.QueryEscape("备份 zephyrine"), "AD", false},
			{"q=" + url.QueryEscape("Backup ZEPHYRINE"), "AD", false},
			{"q=" + url.QueryEscape("backup 迁移 翡翠"), "D", false},
			{"q=" + url.QueryEscape("防火墙 翡翠"), "C", false},
			{"q=zephyrine+nothing", "", false},
			{"type=saas", "A", false},
			{"type=image", "C", false},
			{"category=security", "C", false},
			{"region=ap-southeast-1", "C", false},
			{"region=cn-north-4", "ABD", false},
			{"billing=pay_per_use", "C", false},
			{"billing=one_time", "BD", false},
			{"billing=monthly&region=cn-east-3", "A", false},
			{"min_price=100&max_price=1000", "AD", false},
			{"min_price=1000.00", "BC", false},
			{"max_price=0.50", "C", false},
			{"currency=USD&min_price=100", "D", false},
			{"sort=newest", "DCBA", true},
			{"sort=price_asc", "CADB", true},
			{"sort=price_desc", "BDAC", true},
			{"sort=price_asc&currency=USD", "ABCD", false}, // D first: below
		} {
			query := tc.query
			if !strings.HasPrefix(query, "q=") {
				query = "q=zephyrine&" + query
			}
			h := w.search(query)
			got := set(h)
			if tc.ordered {
				got = letters(h)
			}
			if got != tc.want || h.NextCursor != "" {
				t.Errorf("%q: %s (next %q), want %s", tc.query, letters(h), h.NextCursor, tc.want)
			}
		}
		// The seller filter, and prices in the currency asked.
		h := w.search("q=zephyrine+backup&sort=newest")
		if letters(h) != "DA" || h.Products[1].Seller.Name != "Lakeside Data 湖畔数据" {
			t.Fatalf("backup, newest: %+v", h)
		}
		if got := letters(w.search("q=zephyrine&seller=" + h.Products[1].Seller.ID)); len(got) != 2 || !strings.Contains(got, "A") || !strings.Contains(got, "B") {
			t.Errorf("by seller: %s", got)
		}
		usd := w.search("q=zephyrine&currency=USD&sort=price_asc")
		if usd.Products[0].From == nil || usd.Products[0].From.Amount != "120.00" || usd.Products[0].From.Currency != "USD" || usd.Products[1].From != nil {
			t.Errorf("USD prices: %+v", usd.Products)
		}
		// Cursor pagination, in each sort.
		for _, s := range []string{"newest", "price_asc", "price_desc", "relevance"} {
			all := letters(w.search("q=zephyrine&sort=" + s))
			var pages []string
			cursor := ""
			for range 4 {
				h := w.search("q=zephyrine&sort=" + s + "&limit=3&cursor=" + url.QueryEscape(cursor))
				pages = append(pages, letters(h))
				if cursor = h.NextCursor; cursor == "" {
					break
				}
			}
			if strings.Join(pages, "|") != all[:3]+"|"+all[3:] {
				t.Errorf("pages sorted by %s: %v, all %s", s, pages, all)
			}
		}
		// Bad parameters.
		for _, tc := range []struct{ query, field string }{
			{"sort=cheapest", "sort"},
			{"cursor=garbage!", "cursor"},
			{"cursor=" + url.QueryEscape("eyJ4Ijo"), "cursor"},
			{"min_price=1%2C000", "min_price"},
			{"max_price=9.999", "max_price"},
			{"currency=GBP&min_price=10", "currency"},
			{"type=api", "type"},
			{"billing=weekly", "billing"},
			{"limit=500", "limit"},
		} {
			r := w.do("GET", "/api/v1/products?"+tc.query, "", nil)
			if code, field := r.errCode(t); r.status != 400 || code != "invalid" || field != tc.field {
				t.Errorf("%q: %d %s", tc.query, r.status, r.raw)
			}
		}
		// Nothing never published, rejected, delisted or of a suspended seller has a page.
		for _, l := range []string{"E", "F", "G", "H"} {
			w.do("GET", "/api/v1/products/"+c[l], "", nil).must(t, 404, "product "+l)
		}
		w.do("GET", "/api/v1/products/prd_nothing", "", nil).must(t, 404, "unknown product")
		r := w.do("GET", "/api/v1/products/"+c["C"], "", nil).must(t, 200, "product C")
		if !strings.Contains(r.raw, `"image":{"os_family":"linux"`) || strings.Contains(r.raw, "img-0a1b2c3d") ||
			!strings.Contains(r.raw, `"usage":{"unit":"vCPU-hour","tiers":[{"up_to":0,"unit_price":{"amount":"0.50","currency":"CNY","minor":50}}]}`) ||
			!strings.Contains(r.raw, `"mode":"pay_per_use","price":null`) {
			t.Errorf("image product page: %s", r.raw)
		}
		// The categories.
		r = w.do("GET", "/api/v1/categories", "", nil).must(t, 200, "categories")
		if !strings.Contains(r.raw, `{"slug":"security","name":{"en":"Security","zh":"安全"}}`) {
			t.Errorf("categories: %s", r.raw)
		}
	})
}

func TestZonesAndBanners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		lakeside, ops := w.login("seller1@demo.test"), w.login("ops@demo.test")
		published, _ := w.create(lakeside, vault("199.00"))
		w.publish(lakeside, ops, published)
		draft, _ := w.create(lakeside, product("license", "Lakeside DB Licence", "湖畔数据库许可证", "database", []string{"cn-north-4"}, plan("perpetual", "one_time", price("5000.00", "CNY"))))

		// A zone with a product on sale; a draft cannot be placed.
		r := w.do("PUT", "/api/v1/zones/storage", ops, map[string]any{"name": map[string]string{"en": "Storage", "zh": "存储"}, "position": 3}).must(t, 200, "save zone")
		if strings.TrimSpace(r.raw) != `{"slug":"storage","name":{"en":"Storage","zh":"存储"},"position":3}` {
			t.Fatalf("zone: %s", r.raw)
		}
		before := w.auditCount()
		r = w.do("PUT", "/api/v1/zones/storage/products", ops, map[string]any{"products": []string{published, draft}}).must(t, 400, "place a draft")
		if code, field := r.errCode(t); code != "invalid" || field != "products[1]" || w.auditCount() != before {
			t.Fatalf("place a draft: %s", r.raw)
		}
		w.do("PUT", "/api/v1/zones/storage/products", ops, map[string]any{"products": []string{draft}}).must(t, 400, "place only a draft")
		w.do("PUT", "/api/v1/zones/storage/products", ops, map[string]any{"products": []string{published}}).must(t, 204, "place")
		w.do("PUT", "/api/v1/zones/nowhere/products", ops, map[string]any{"products": []string{published}}).must(t, 404, "place in an unknown zone")
		if code, field := w.do("PUT", "/api/v1/zones/Bad_Slug", ops, map[string]any{"name": map[string]string{"en": "X", "zh": "X"}}).must(t, 400, "bad slug").errCode(t); code != "invalid" || field != "slug" {
			t.Fatalf("bad slug: %s %s", code, field)
		}
		// The demo's zones, security (1) and data (2), come first; then storage.
		shelf := func() string {
			var zones struct {
				Zones []struct {
					Slug     string
					Products []struct {
						ID   string
						From *struct{ Amount string } `json:"from_price"`
					}
				}
			}
			w.do("GET", "/api/v1/zones", "", nil).must(t, 200, "zones").decode(t, &zones)
			var out []string
			for _, z := range zones.Zones {
				var ps []string
				for _, p := range z.Products {
					if p.ID == published {
						ps = append(ps, "vault "+p.From.Amount)
					} else {
						ps = append(ps, "demo")
					}
				}
				out = append(out, z.Slug+":"+strings.Join(ps, ","))
			}
			return strings.Join(out, " ")
		}
		if got := shelf(); got != "security:demo,demo,demo data:demo,demo,demo,demo storage:vault 199.00" {
			t.Fatalf("zones: %s", got)
		}
		// Delisted, it leaves the zone's shelf.
		w.do("POST", "/api/v1/seller/products/"+published+"/delist", lakeside, nil).must(t, 200, "delist")
		if got := shelf(); !strings.HasSuffix(got, " storage:") {
			t.Fatalf("zones after delisting: %s", got)
		}
		w.do("POST", "/api/v1/seller/products/"+published+"/submit", lakeside, nil).must(t, 200, "relist")
		w.do("POST", "/api/v1/review/products/"+published+"/approve", ops, nil).must(t, 200, "approve relisting")

		// A banner of the marketplace's own shows now; one with a product needs an eligible seller.
		now := time.Now().UTC()
		message := map[string]any{"title": map[string]string{"en": "Spring sale", "zh": "春季促销"}, "text": map[string]string{"en": "Up to 30% off.", "zh": "最高七折。"},
			"link": "/campaigns/spring", "starts_at": now.Add(-time.Hour), "ends_at": now.Add(24 * time.Hour)}
		r = w.do("POST", "/api/v1/banners", ops, message).must(t, 201, "banner")
		bannerID, _ := r.body["id"].(string)
		if !strings.HasPrefix(bannerID, "ban_") || r.body["product_id"] != "" {
			t.Fatalf("banner: %s", r.raw)
		}
		later := with(message, func(b map[string]any) {
			b["starts_at"], b["ends_at"] = now.Add(48*time.Hour), now.Add(72*time.Hour)
		})
		w.do("POST", "/api/v1/banners", ops, later).must(t, 201, "a later banner")
		// With the demo's banner, showing since yesterday.
		var banners struct{ Banners []struct{ ID string } }
		w.do("GET", "/api/v1/banners", "", nil).must(t, 200, "home banners").decode(t, &banners)
		if len(banners.Banners) != 2 || banners.Banners[1].ID != bannerID {
			t.Fatalf("showing: %+v", banners)
		}
		w.do("GET", "/api/v1/banners/all", ops, nil).must(t, 200, "all banners").decode(t, &banners)
		if len(banners.Banners) != 3 {
			t.Fatalf("all: %+v", banners)
		}
		before = w.auditCount()
		r = w.do("POST", "/api/v1/banners", ops, with(message, func(b map[string]any) { b["product_id"] = published })).must(t, 422, "a product's banner")
		if code, _ := r.errCode(t); code != "requirements_not_met" || detailIDs(t, r) != "homepage_banner" || !strings.Contains(r.raw, "more in transactions to qualify for the homepage banner") {
			t.Fatalf("a product's banner: %s", r.raw)
		}
		r = w.do("POST", "/api/v1/banners", ops, with(message, func(b map[string]any) { b["ends_at"] = now.Add(-2 * time.Hour) })).must(t, 400, "a banner ending before it starts")
		if _, field := r.errCode(t); field != "ends_at" || w.auditCount() != before {
			t.Fatalf("a banner ending before it starts: %s", r.raw)
		}
		r = w.do("PUT", "/api/v1/banners/"+bannerID, ops, with(message, func(b map[string]any) { b["link"] = "https://example.com/spring" })).must(t, 200, "change banner")
		if r.body["link"] != "https://example.com/spring" || r.body["id"] != bannerID {
			t.Fatalf("changed banner: %s", r.raw)
		}
		w.do("DELETE", "/api/v1/banners/"+bannerID, ops, nil).must(t, 204, "delete banner")
		w.do("DELETE", "/api/v1/banners/"+bannerID, ops, nil).must(t, 404, "delete again")
		if r := w.do("GET", "/api/v1/banners", "", nil); strings.Contains(r.raw, bannerID) || strings.Count(r.raw, `"id":`) != 1 {
			t.Fatalf("after deleting: %s", r.raw)
		}

		// Eligibility: the seller itself and the operators may ask.
		var me struct {
			Memberships []struct {
				OrgID   string `json:"org_id"`
				OrgKind string `json:"org_kind"`
			}
		}
		w.do("GET", "/api/v1/me", lakeside, nil).must(t, 200, "me").decode(t, &me)
		var orgID string
		for _, m := range me.Memberships {
			if m.OrgKind == string(account.KindSeller) {
				orgID = m.OrgID
			}
		}
		for _, tok := range []string{lakeside, ops} {
			r := w.inLanguage("zh-CN", "GET", "/api/v1/sellers/"+orgID+"/banner-eligibility", tok, nil).must(t, 200, "eligibility")
			if r.body["eligible"] != false || !strings.Contains(r.raw, `"zh":"交易额还差 `) || !strings.Contains(r.raw, ` more in transactions to qualify for the homepage banner.`) {
				t.Fatalf("eligibility: %s", r.raw)
			}
		}
		w.do("GET", "/api/v1/sellers/"+orgID+"/banner-eligibility", w.login("seller2@demo.test"), nil).must(t, 403, "another seller's eligibility")

		// The zone goes.
		w.do("DELETE", "/api/v1/zones/storage", ops, nil).must(t, 204, "delete zone")
		w.do("DELETE", "/api/v1/zones/storage", ops, nil).must(t, 404, "delete zone again")
		if got := shelf(); strings.Contains(got, "storage") {
			t.Fatalf("zones at the end: %s", got)
		}
	})
}

func TestOpenAPIDocumentsTheCatalogue(t *testing.T) {
	mux := http.NewServeMux()
	api.Register(mux, market.New(nil, market.Options{}), api.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi.json", nil))
	var doc struct {
		Paths map[string]map[string]struct {
			Tags      []string
			Security  []map[string][]string
			Responses map[string]any
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	ops := []struct {
		method, path, tag, status string
		public                    bool
	}{
		{"get", "/api/v1/categories", "Catalogue", "200", true},
		{"get", "/api/v1/products", "Catalogue", "400", true},
		{"get", "/api/v1/products/{id}", "Catalogue", "404", true},
		{"get", "/api/v1/seller/products", "Seller products", "200", false},
		{"post", "/api/v1/seller/products", "Seller products", "201", false},
		{"get", "/api/v1/seller/products/{id}", "Seller products", "200", false},
		{"put", "/api/v1/seller/products/{id}", "Seller products", "409", false},
		{"post", "/api/v1/seller/products/{id}/submit", "Seller products", "422", false},
		{"post", "/api/v1/seller/products/{id}/delist", "Seller products", "200", false},
		{"post", "/api/v1/seller/products/{id}/signing-key", "Seller products", "200", false},
		{"get", "/api/v1/review/products", "Product review", "200", false},
		{"get", "/api/v1/review/products/{id}", "Product review", "200", false},
		{"post", "/api/v1/review/products/{id}/approve", "Product review", "200", false},
		{"post", "/api/v1/review/products/{id}/reject", "Product review", "200", false},
		{"post", "/api/v1/review/products/{id}/delist", "Product review", "200", false},
		{"get", "/api/v1/zones", "Storefront", "200", true},
		{"put", "/api/v1/zones/{slug}", "Storefront", "200", false},
		{"delete", "/api/v1/zones/{slug}", "Storefront", "204", false},
		{"put", "/api/v1/zones/{slug}/products", "Storefront", "204", false},
		{"get", "/api/v1/banners", "Storefront", "200", true},
		{"get", "/api/v1/banners/all", "Storefront", "200", false},
		{"post", "/api/v1/banners", "Storefront", "422", false},
		{"put", "/api/v1/banners/{id}", "Storefront", "200", false},
		{"delete", "/api/v1/banners/{id}", "Storefront", "204", false},
		{"get", "/api/v1/sellers/{org_id}/banner-eligibility", "Storefront", "200", false},
	}
	for _, o := range ops {
		op, ok := doc.Paths[o.path][o.method]
		if !ok {
			t.Errorf("%s %s is not documented", o.method, o.path)
			continue
		}
		if len(op.Tags) != 1 || op.Tags[0] != o.tag {
			t.Errorf("%s %s: tags %v", o.method, o.path, op.Tags)
		}
		if _, ok := op.Responses[o.status]; !ok {
			t.Errorf("%s %s: no %s response", o.method, o.path, o.status)
		}
		if o.public == (len(op.Security) > 0) {
			t.Errorf("%s %s: security %v", o.method, o.path, op.Security)
		}
	}
}
