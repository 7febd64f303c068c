package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// The access matrix: each role against each endpoint, with the status it must
// get. Later issues add their endpoints here. "anon" sends no token.
var roles = []struct{ name, email string }{
	{"anon", ""},
	{"buyer", "telesales@demo.test"},
	{"other buyer", "direct@demo.test"},
	{"seller", "seller1@demo.test"},
	{"operator", "ops@demo.test"},
	{"account manager", "am@demo.test"},
	{"partner", "partner@demo.test"},
	{"applicant", "applicant1@demo.test"}, // submitted, waiting for review
}

// everyone gets the same status.
func everyone(status int) map[string]int {
	want := map[string]int{"anon": 401}
	for _, r := range roles[1:] {
		want[r.name] = status
	}
	return want
}

// onlyOperators: 401 for the anonymous, 403 for everyone but operators.
func onlyOperators(operator int) map[string]int {
	want := everyone(http.StatusForbidden)
	want["operator"] = operator
	return want
}

// without leaves roles out of a row.
func without(want map[string]int, roles ...string) map[string]int {
	for _, r := range roles {
		delete(want, r)
	}
	return want
}

// upload is a body the matrix sends as a multipart document upload.
type upload struct{ kind, filename, data string }

type access struct {
	method, path string
	body         any
	want         map[string]int // role → status
}

func TestAccessMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		tokens := map[string]string{}
		for _, r := range roles {
			if r.email != "" {
				tokens[r.name] = w.login(r.email)
			}
		}
		ids := map[string]string{}
		var list struct{ Customers []struct{ ID, Name string } }
		_ = json.Unmarshal([]byte(w.do("GET", "/api/v1/customers", tokens["operator"], nil).raw), &list)
		for _, c := range list.Customers {
			ids[strings.Fields(c.Name)[0]] = c.ID
		}
		matrix := []access{
			{"GET", "/api/v1/me", nil, map[string]int{"anon": 401, "buyer": 200, "other buyer": 200, "seller": 200, "operator": 200, "account manager": 200, "partner": 200}},
			{"GET", "/api/v1/tokens", nil, map[string]int{"anon": 401, "buyer": 200, "other buyer": 200, "seller": 200, "operator": 200, "account manager": 200, "partner": 200}},
			{"GET", "/api/v1/audit", nil, map[string]int{"anon": 401, "buyer": 403, "other buyer": 403, "seller": 403, "operator": 200, "account manager": 403, "partner": 403}},
			{"GET", "/api/v1/customers", nil, map[string]int{"anon": 401, "buyer": 403, "other buyer": 403, "seller": 403, "operator": 200, "account manager": 200, "partner": 200}},
			{"GET", "/api/v1/customers/" + ids["Tianhe"], nil, map[string]int{"anon": 401, "buyer": 200, "other buyer": 404, "seller": 404, "operator": 200, "account manager": 200, "partner": 404}},
			{"GET", "/api/v1/customers/" + ids["Lakeview"], nil, map[string]int{"anon": 401, "buyer": 404, "other buyer": 404, "seller": 404, "operator": 200, "account manager": 404, "partner": 200}},
			{"GET", "/api/v1/customers/" + ids["Meridian"], nil, map[string]int{"anon": 401, "buyer": 404, "other buyer": 404, "seller": 404, "operator": 200, "account manager": 404, "partner": 404}},
			{"PATCH", "/api/v1/customers/" + ids["Meridian"], map[string]string{"segment": "other"}, map[string]int{"anon": 401, "buyer": 403, "other buyer": 403, "seller": 403, "operator": 200, "account manager": 403, "partner": 403}},
			{"DELETE", "/api/v1/tokens/tok_someone_elses", nil, map[string]int{"anon": 401, "buyer": 404, "seller": 404, "operator": 404}},
		}
		matrix = append(matrix, catalogMatrix(t, w, tokens)...)
		matrix = append(matrix, sellerMatrix(t, w, tokens)...)
		matrix = append(matrix, buyingMatrix(t, w, tokens, st)...)
		matrix = append(matrix, afterBuyingMatrix(t, w, tokens)...)
		matrix = append(matrix, deliveryMatrix(t, w, tokens)...)
		matrix = append(matrix, instancesMatrix(t, w, tokens)...)
		matrix = append(matrix, servicesMatrix(t, w, tokens)...)
		matrix = append(matrix, saasMatrix(t, w, tokens)...)
		matrix = append(matrix, campaignsMatrix(t, w, tokens)...)
		matrix = append(matrix, supportMatrix(t, w, tokens)...)
		matrix = append(matrix, resaleMatrix(t, w, tokens)...)
		matrix = append(matrix, benefitsMatrix(t, w, tokens)...)
		matrix = append(matrix, testCreditMatrix(t, w, tokens)...)
		matrix = append(matrix, programmesMatrix(t, w, tokens)...)
		for _, a := range matrix {
			for _, r := range roles {
				want, ok := a.want[r.name]
				if !ok {
					continue
				}
				var got response
				switch u := a.body.(type) {
				case upload:
					got = w.upload(tokens[r.name], u.kind, u.filename, []byte(u.data))
				case fileUpload:
					body, ct := multipartBody(u.kind, u.filename, []byte(u.data))
					got = w.send(a.method, a.path, tokens[r.name], body, http.Header{"Content-Type": {ct}})
				default:
					got = w.do(a.method, a.path, tokens[r.name], a.body)
				}
				if got.status != want {
					t.Errorf("%s %s as %s: %d, want %d: %s", a.method, a.path, r.name, got.status, want, got.raw)
				}
			}
		}
		// Lists hold only what is in the caller's care.
		care := map[string][]string{
			"operator":        {"Lakeview", "Meridian", "Qingshan", "Tianhe"},
			"account manager": {"Qingshan", "Tianhe"},
			"partner":         {"Lakeview"},
		}
		for role, want := range care {
			var got struct{ Customers []struct{ Name string } }
			_ = json.Unmarshal([]byte(w.do("GET", "/api/v1/customers", tokens[role], nil).raw), &got)
			var names []string
			for _, c := range got.Customers {
				names = append(names, strings.Fields(c.Name)[0])
			}
			sort.Strings(names)
			if strings.Join(names, ",") != strings.Join(want, ",") {
				t.Errorf("%s sees %v, want %v", role, names, want)
			}
		}
	})
}

// sellerMatrix is the access matrix of seller qualification. Rows that change
// something come after the rows that read, in an order that keeps the later
// rows' expectations true.
func sellerMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	app1 := w.myApp(tokens["applicant"]).ID // Pinecone: submitted
	// Pinecone adds a document when sent back for changes, and submits again.
	w.do("POST", "/api/v1/applications/"+app1+"/request-changes", tokens["operator"], map[string]string{"reason": "Add your licence."}).must(t, 200, "request changes")
	doc1, _ := w.upload(tokens["applicant"], "business_license", "licence.pdf", []byte(samplePDF)).must(t, 201, "upload").body["id"].(string)
	w.do("POST", "/api/v1/seller/application/submit", tokens["applicant"], nil).must(t, 200, "submit")
	other := w.login("applicant2@demo.test")
	app2 := w.myApp(other).ID // Brightside: a draft
	doc2, _ := w.upload(other, "bank_proof", "statement.pdf", []byte(samplePDF)).must(t, 201, "upload").body["id"].(string)
	seller1 := w.myApp(tokens["seller"]).ID
	own := map[string]int{"anon": 401, "buyer": 404, "other buyer": 404, "seller": 200, "operator": 404, "account manager": 404, "partner": 404, "applicant": 200}
	only := func(status int, who ...string) map[string]int {
		want := map[string]int{"anon": 401, "buyer": 404, "other buyer": 404, "seller": 404, "operator": 404, "account manager": 404, "partner": 404, "applicant": 404}
		for _, r := range who {
			want[r] = status
		}
		return want
	}
	taxBank := map[string]string{"tax_id": "91110108MA01LKSD2X", "bank_name": "Bank of Beijing", "account_holder": "Lakeside Data Co., Ltd.", "account_number": "6226 0901 1000 2299"}
	region := map[string]string{"name_en": "Beijing", "name_zh": "北京", "zone": "Asia/Shanghai"}
	application := map[string]any{"legal_name": "Pinecone Analytics"}
	reason := map[string]string{"reason": "access matrix"}
	public := everyone(200)
	public["anon"] = 200
	return []access{
		// Public.
		{"GET", "/api/v1/regions", nil, public},
		{"GET", "/api/v1/agreement", nil, public},
		// The caller's own company: a buyer, an operator, an account manager and a partner have none.
		{"GET", "/api/v1/seller/application", nil, own},
		{"GET", "/api/v1/seller/application/checks", nil, own},
		{"GET", "/api/v1/seller/tax-bank", nil, own},
		{"GET", "/api/v1/seller/application/documents/" + doc1, nil, only(200, "applicant")},
		{"GET", "/api/v1/seller/application/documents/" + doc2, nil, only(404)},
		{"DELETE", "/api/v1/seller/application/documents/" + doc2, nil, only(409, "seller", "applicant")}, // their own are locked
		{"POST", "/api/v1/seller/application/submit", nil, only(409, "seller", "applicant")},              // approved, and under review
		{"POST", "/api/v1/seller/application/documents", upload{"business_license", "licence.pdf", samplePDF}, only(409, "seller", "applicant")},
		{"PUT", "/api/v1/seller/application", application, map[string]int{"anon": 401, "seller": 409, "applicant": 409}}, // anyone else would start one
		// Another company's application, documents and bank details: only operators.
		{"GET", "/api/v1/applications", nil, onlyOperators(200)},
		{"GET", "/api/v1/applications?state=submitted", nil, onlyOperators(200)},
		{"GET", "/api/v1/applications/" + app2, nil, only(200, "operator")},
		{"GET", "/api/v1/applications/" + app1, nil, only(200, "operator", "applicant")},
		{"GET", "/api/v1/applications/" + seller1, nil, only(200, "operator", "seller")},
		{"GET", "/api/v1/applications/" + app1 + "/documents/" + doc1, nil, only(200, "operator", "applicant")},
		{"GET", "/api/v1/applications/" + app2 + "/documents/" + doc2, nil, only(200, "operator")},
		{"GET", "/api/v1/applications/" + app1 + "/documents/" + doc2, nil, only(404)}, // the document is not of that application
		{"GET", "/api/v1/applications/app_nothing", nil, only(404)},                    // an unknown id answers like another company's
		{"POST", "/api/v1/applications/app_nothing/approve", nil, onlyOperators(404)},  // non-operators learn nothing about ids
		// Review: operators only, and never of their own company.
		{"POST", "/api/v1/applications/" + app1 + "/tax-bank/certification", nil, onlyOperators(200)}, // certified already: no change
		{"POST", "/api/v1/applications/" + app1 + "/reject", reason, without(onlyOperators(0), "operator")},
		{"POST", "/api/v1/applications/" + app1 + "/approve", nil, onlyOperators(200)},
		{"POST", "/api/v1/applications/" + app1 + "/request-changes", reason, onlyOperators(409)}, // approved now
		{"POST", "/api/v1/applications/" + app1 + "/suspend", reason, onlyOperators(200)},
		{"POST", "/api/v1/applications/" + app1 + "/reinstate", reason, onlyOperators(200)},
		{"POST", "/api/v1/applications/" + seller1 + "/tax-bank/certification", nil, onlyOperators(200)},
		// The caller's own company, changing it.
		{"POST", "/api/v1/seller/agreement/signature", map[string]string{"version": demo.AgreementVersion}, only(201, "seller", "applicant")},
		{"PUT", "/api/v1/seller/tax-bank", taxBank, only(200, "seller", "applicant")},
		// Notifications: everyone signed in has their own.
		{"GET", "/api/v1/notifications", nil, everyone(200)},
		{"POST", "/api/v1/notifications/ntf_someone_elses/read", nil, everyone(204)},
		{"POST", "/api/v1/notifications/read", nil, everyone(204)},
		// Regions and agreements: operators only.
		{"PUT", "/api/v1/regions/cn-north-4", region, onlyOperators(200)},
		{"POST", "/api/v1/agreements", map[string]string{"version": "2026-07", "title": "Seller Agreement", "body": "The new terms."}, onlyOperators(201)},
	}
}

// catalogMatrix is the access matrix of the catalogue: anyone browses what is
// on sale; a seller's company alone changes its products (anyone else's are
// 404); only operators review and manage the storefront. Rows that change
// something come after the rows that read.
func catalogMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	lakeside, ops, bluepeak := tokens["seller"], tokens["operator"], w.login("seller2@demo.test")
	own, _ := w.create(lakeside, vault("199.00"))
	w.publish(lakeside, ops, own)
	draft, _ := w.create(lakeside, vault("99.00"))
	theirs, _ := w.create(bluepeak, product("saas", "Bluepeak Matrix", "蓝峰矩阵", "security", []string{"cn-north-4"}, plan("monthly", "monthly", price("59.00", "CNY"))))
	w.publish(bluepeak, ops, theirs)
	inReview := func() string {
		id, _ := w.create(bluepeak, product("saas", "Bluepeak Review", "蓝峰审核", "security", []string{"cn-north-4"}, plan("monthly", "monthly", price("69.00", "CNY"))))
		w.do("POST", "/api/v1/seller/products/"+id+"/submit", bluepeak, nil).must(t, 200, "submit")
		return id
	}
	toApprove, toReject := inReview(), inReview()
	message := map[string]any{"title": map[string]string{"en": "Matrix", "zh": "矩阵"}, "text": map[string]string{"en": "A banner.", "zh": "横幅。"},
		"link": "/", "starts_at": time.Now().Add(-time.Hour), "ends_at": time.Now().Add(time.Hour)}
	banner, _ := w.do("POST", "/api/v1/banners", ops, message).must(t, 201, "banner").body["id"].(string)
	var me struct {
		Memberships []struct {
			OrgID   string `json:"org_id"`
			OrgKind string `json:"org_kind"`
		}
	}
	w.do("GET", "/api/v1/me", lakeside, nil).must(t, 200, "me").decode(t, &me)
	var lakesideOrg string
	for _, m := range me.Memberships {
		if m.OrgKind == "seller" {
			lakesideOrg = m.OrgID
		}
	}

	public := everyone(200)
	public["anon"] = 200
	hidden := everyone(404) // not on sale: no one sees it on the storefront, not even its seller
	hidden["anon"] = 404
	// only: 401 for the anonymous, status for who, 404 for everyone else.
	only := func(status int, who ...string) map[string]int {
		want := everyone(404)
		for _, r := range who {
			want[r] = status
		}
		return want
	}
	sellers := everyone(403) // a seller company's members; the applicant's company has no products
	sellers["seller"], sellers["applicant"] = 200, 200
	creators := everyone(403)
	creators["seller"] = 201
	reason := map[string]string{"reason": "access matrix"}
	zone := map[string]any{"name": map[string]string{"en": "Matrix", "zh": "矩阵"}, "position": 9}
	delistOwn := only(200, "seller")
	delistOwn["operator"] = 409 // the seller delisted it first
	eligibility := everyone(403)
	eligibility["seller"], eligibility["operator"] = 200, 200
	// Files: a published product's logo is everyone's; a screenshot uploaded
	// since (in no published revision) is its seller's and the operators'.
	shown, _ := w.create(lakeside, product("saas", "Lakeside Matrix Files", "湖畔矩阵文件", "storage", []string{"cn-north-4"},
		plan("monthly", "monthly", price("9.00", "CNY"))))
	logoKey, logoURL := w.mustUploadFile(lakeside, shown, "logo", "logo.png", []byte(samplePNG))
	w.do("PUT", "/api/v1/seller/products/"+shown, lakeside, with(product("saas", "Lakeside Matrix Files", "湖畔矩阵文件", "storage",
		[]string{"cn-north-4"}, plan("monthly", "monthly", price("9.00", "CNY"))), func(b map[string]any) { b["logo_key"] = logoKey })).must(t, 200, "logo")
	w.publish(lakeside, ops, shown)
	_, unpublishedURL := w.mustUploadFile(lakeside, shown, "screenshot", "shot.png", []byte(samplePNG))
	insiders := only(200, "seller", "operator")
	insiders["anon"] = 404 // a file is read without signing in: not found, like any file not public
	logoUpload := fileUpload{"logo", "logo.png", samplePNG}
	return []access{
		// Product files: read by anyone once published, by the seller and operators before.
		{"GET", logoURL, nil, public},
		{"GET", unpublishedURL, nil, insiders},
		{"GET", "/api/v1/products/" + theirs + "/files/" + logoKey, nil, hidden}, // a key under another product's id
		{"GET", "/api/v1/products/" + draft + "/files/products/none.png", nil, hidden},
		{"POST", "/api/v1/seller/products/" + theirs + "/files", logoUpload, only(404)}, // another company's product
		{"POST", "/api/v1/seller/products/" + shown + "/files", logoUpload, only(201, "seller")},
		// The storefront: public, and only what is on sale.
		{"GET", "/api/v1/categories", nil, public},
		{"GET", "/api/v1/products", nil, public},
		{"GET", "/api/v1/products?q=" + url.QueryEscape("归档"), nil, public},
		{"GET", "/api/v1/products/" + own, nil, public},
		{"GET", "/api/v1/products/" + draft, nil, hidden},
		{"GET", "/api/v1/products/" + toApprove, nil, hidden},
		{"GET", "/api/v1/zones", nil, public},
		{"GET", "/api/v1/banners", nil, public},
		// The seller's own products; operators read any.
		{"GET", "/api/v1/seller/products", nil, sellers},
		{"GET", "/api/v1/seller/products/" + own, nil, only(200, "seller", "operator")},
		{"GET", "/api/v1/seller/products/" + draft, nil, only(200, "seller", "operator")},
		{"GET", "/api/v1/seller/products/" + theirs, nil, only(200, "operator")},
		{"GET", "/api/v1/seller/products/prd_nothing", nil, only(404)},
		{"GET", "/api/v1/review/products", nil, onlyOperators(200)},
		{"GET", "/api/v1/review/products/" + toApprove, nil, onlyOperators(200)},
		{"GET", "/api/v1/review/products/" + own, nil, onlyOperators(200)}, // review pages are the operators', even for the product's seller
		{"GET", "/api/v1/banners/all", nil, onlyOperators(200)},
		{"GET", "/api/v1/sellers/" + lakesideOrg + "/banner-eligibility", nil, eligibility},
		// Another company's product: no one but its seller changes it, and no one learns it exists.
		{"PUT", "/api/v1/seller/products/" + theirs, vault("9.00"), only(404)},
		{"POST", "/api/v1/seller/products/" + theirs + "/submit", nil, only(404)},
		{"POST", "/api/v1/seller/products/" + theirs + "/signing-key", nil, only(404)},
		{"POST", "/api/v1/seller/products/" + toApprove + "/delist", reason, only(409, "operator")}, // operators delist with a reason, once on sale
		// The seller's own.
		{"PUT", "/api/v1/seller/products/" + draft, vault("89.00"), only(200, "seller")},
		{"POST", "/api/v1/seller/products/" + own + "/signing-key", nil, only(200, "seller")},
		{"POST", "/api/v1/seller/products", vault("79.00"), creators}, // an applicant's company is not approved yet
		// Review: operators only.
		{"POST", "/api/v1/review/products/" + toApprove + "/approve", nil, onlyOperators(200)},
		{"POST", "/api/v1/review/products/" + toReject + "/reject", reason, onlyOperators(200)},
		{"POST", "/api/v1/review/products/" + own + "/approve", nil, onlyOperators(409)}, // nothing in review
		{"POST", "/api/v1/review/products/prd_nothing/approve", nil, onlyOperators(404)},
		// The storefront's management: operators only.
		{"PUT", "/api/v1/zones/matrix", zone, onlyOperators(200)},
		{"PUT", "/api/v1/zones/matrix/products", map[string]any{"products": []string{own, theirs}}, onlyOperators(204)},
		{"DELETE", "/api/v1/zones/matrix", nil, onlyOperators(204)},
		{"POST", "/api/v1/banners", message, onlyOperators(201)},
		{"PUT", "/api/v1/banners/" + banner, message, onlyOperators(200)},
		{"DELETE", "/api/v1/banners/" + banner, nil, onlyOperators(204)},
		// Delisting: the seller its own; an operator any, with a reason.
		{"POST", "/api/v1/review/products/" + theirs + "/delist", reason, only(200, "operator")},
		{"POST", "/api/v1/seller/products/" + own + "/delist", reason, delistOwn},
	}
}

// buyingMatrix is the access matrix of buying: anyone prices a cart; a
// customer's buyers (and operators) read its orders, balance and statement;
// a seller reads the orders with a line of its products, and only those
// lines; operators search every order, top up and set credit limits. Rows
// that change something come after the rows that read.
func buyingMatrix(t *testing.T, w *world, tokens map[string]string, st *store.Store) []access {
	t.Helper()
	lakeside, bluepeak, ops, buyer := tokens["seller"], w.login("seller2@demo.test"), tokens["operator"], tokens["buyer"]
	tianhe := w.orgOf(buyer, "customer")
	lens, _ := w.create(lakeside, product("saas", "Lakeside Matrix Lens", "湖畔矩阵镜", "storage", []string{"cn-north-4"},
		plan("monthly", "monthly", price("10.00", "CNY"))))
	w.publish(lakeside, ops, lens)
	shield, _ := w.create(bluepeak, product("saas", "Bluepeak Matrix Shield", "蓝峰矩阵盾", "security", []string{"cn-north-4"},
		plan("monthly", "monthly", price("20.00", "CNY"))))
	w.publish(bluepeak, ops, shield)
	w.do("POST", "/api/v1/customers/"+tianhe+"/top-ups", ops, map[string]any{"amount": price("1000.00", "CNY"), "reference": "matrix"}).must(t, 201, "top-up")
	qingshan := w.orgOf(tokens["other buyer"], "customer")
	w.do("POST", "/api/v1/customers/"+qingshan+"/top-ups", ops, map[string]any{"amount": price("1000.00", "CNY"), "reference": "matrix"}).must(t, 201, "top-up")
	var lakesides, bluepeaks apiOrder // an order of each seller's product
	w.placeOrder(buyer, "", cart(line(lens, 1, 1))).must(t, 201, "order").decode(t, &lakesides)
	w.placeOrder(buyer, "", cart(line(shield, 1, 1))).must(t, 201, "order").decode(t, &bluepeaks)

	public := everyone(200)
	public["anon"] = 200
	// only: 401 for the anonymous, status for who, 404 for everyone else.
	only := func(status int, who ...string) map[string]int {
		want := everyone(404)
		for _, r := range who {
			want[r] = status
		}
		return want
	}
	// Tianhe's orders and balance: its buyer and operators; anyone else is refused.
	tianhes := everyone(403)
	tianhes["buyer"], tianhes["operator"] = 200, 200
	// The caller's own customer organisation: a buyer's; an operator must say which.
	own := everyone(403)
	own["buyer"], own["other buyer"], own["operator"] = 200, 200, 400
	// The caller's own seller company.
	sales := everyone(403)
	sales["seller"], sales["applicant"] = 200, 200
	buy := map[string]any{"org_id": tianhe, "lines": []map[string]any{line(lens, 1, 1)}}
	buyTianhe := everyone(403)
	buyTianhe["buyer"] = 201
	buyOwn := everyone(403)
	buyOwn["buyer"], buyOwn["other buyer"], buyOwn["operator"] = 201, 201, 400
	rows := []access{
		{"POST", "/api/v1/quotes", cart(line(lens, 2, 3)), public},
		{"GET", "/api/v1/orders?org_id=" + tianhe, nil, tianhes},
		{"GET", "/api/v1/orders", nil, own},
		{"GET", "/api/v1/orders/" + lakesides.ID, nil, only(200, "buyer", "seller", "operator")},
		{"GET", "/api/v1/orders/" + bluepeaks.ID, nil, only(200, "buyer", "operator")}, // not Lakeside's product
		{"GET", "/api/v1/orders/ord_nothing", nil, only(404)},
		{"GET", "/api/v1/orders/" + lakesides.ID + "/receipt", nil, only(200, "buyer", "operator")}, // the buyer's document
		{"GET", "/api/v1/orders.csv?org_id=" + tianhe, nil, tianhes},
		{"GET", "/api/v1/orders.csv", nil, own},
		{"GET", "/api/v1/seller/orders", nil, sales},
		{"GET", "/api/v1/seller/orders.csv", nil, sales},
		{"GET", "/api/v1/ops/orders", nil, onlyOperators(200)},
		{"GET", "/api/v1/ops/orders?seller_org_id=" + w.orgOf(lakeside, "seller"), nil, onlyOperators(200)},
		{"GET", "/api/v1/balances?org_id=" + tianhe, nil, tianhes},
		{"GET", "/api/v1/balances", nil, own},
		{"GET", "/api/v1/balances/CNY/statement?org_id=" + tianhe, nil, tianhes},
		{"GET", "/api/v1/balances/CNY/statement", nil, own},
		// Buying for Tianhe: its buyer only.
		{"POST", "/api/v1/orders", buy, buyTianhe},
		{"POST", "/api/v1/orders", cart(line(lens, 1, 1)), buyOwn},
		{"POST", "/api/v1/customers/" + tianhe + "/top-ups", map[string]any{"amount": price("5.00", "CNY"), "reference": "matrix-2"}, onlyOperators(201)},
		{"PUT", "/api/v1/customers/" + tianhe + "/credit-limits/CNY", map[string]string{"amount": "100.00"}, onlyOperators(200)},
	}
	return rows
}

// afterBuyingMatrix is the access matrix of subscriptions and refunds: a
// customer's buyers and operators read its subscriptions and what may be
// refunded; its buyers alone change a subscription; its buyers and
// operators refund; a seller reads the refunds of its lines. Rows that change
// something come after the rows that read.
func afterBuyingMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	lakeside, ops, buyer := tokens["seller"], tokens["operator"], tokens["buyer"]
	tianhe := w.orgOf(buyer, "customer")
	suite, _ := w.create(lakeside, product("saas", "Lakeside Matrix Suite", "湖畔矩阵套件", "storage", []string{"cn-north-4"},
		plan("basic", "monthly", price("10.00", "CNY")), plan("pro", "monthly", price("30.00", "CNY"))))
	w.publish(lakeside, ops, suite)
	w.do("POST", "/api/v1/customers/"+tianhe+"/top-ups", ops, map[string]any{"amount": price("1000.00", "CNY"), "reference": "matrix-after-buying"}).must(t, 201, "top-up")
	basic := cart(map[string]any{"product_id": suite, "plan": "basic"})
	var subscribed, refunded apiOrder
	w.placeOrder(buyer, "", basic).must(t, 201, "order").decode(t, &subscribed)
	w.placeOrder(buyer, "", basic).must(t, 201, "order").decode(t, &refunded)
	var subs struct {
		Subscriptions []struct {
			ID      string
			OrderID string `json:"order_id"`
		}
	}
	w.do("GET", "/api/v1/subscriptions", buyer, nil).must(t, 200, "subscriptions").decode(t, &subs)
	var sub string
	for _, s := range subs.Subscriptions {
		if s.OrderID == subscribed.ID {
			sub = s.ID
		}
	}
	if sub == "" {
		t.Fatalf("no subscription of %s in %+v", subscribed.ID, subs)
	}

	// only: 401 for the anonymous, status for who, 404 for everyone else.
	only := func(status int, who ...string) map[string]int {
		want := everyone(404)
		for _, r := range who {
			want[r] = status
		}
		return want
	}
	tianhes := everyone(403)
	tianhes["buyer"], tianhes["operator"] = 200, 200
	own := everyone(403)
	own["buyer"], own["other buyer"], own["operator"] = 200, 200, 400
	refund := map[string]any{"amount": price("1.00", "CNY"), "reason": "access matrix"}
	return []access{
		{"GET", "/api/v1/subscriptions?org_id=" + tianhe, nil, tianhes},
		{"GET", "/api/v1/subscriptions", nil, own},
		{"GET", "/api/v1/orders/" + refunded.ID + "/refundable", nil, only(200, "buyer", "operator")},
		{"GET", "/api/v1/orders/" + refunded.ID + "/refunds", nil, only(200, "buyer", "seller", "operator")}, // Lakeside's product
		{"GET", "/api/v1/orders/ord_nothing/refundable", nil, only(404)},
		{"GET", "/api/v1/orders/ord_nothing/refunds", nil, only(404)},
		// Changing a subscription: the buyer's organisation's buyers alone.
		{"PUT", "/api/v1/subscriptions/" + sub + "/auto-renew", map[string]bool{"auto_renew": true}, only(200, "buyer")},
		{"PUT", "/api/v1/subscriptions/sub_nothing/auto-renew", map[string]bool{"auto_renew": true}, only(404)},
		{"POST", "/api/v1/subscriptions/sub_nothing/upgrade", map[string]string{"plan": "pro"}, only(404)},
		{"POST", "/api/v1/subscriptions/" + sub + "/upgrade", map[string]string{"plan": "pro"}, only(201, "buyer")},
		// Refunds: the buyers and operators.
		{"POST", "/api/v1/orders/ord_nothing/refunds", refund, only(404)},
		{"POST", "/api/v1/orders/" + refunded.ID + "/refunds", refund, only(201, "buyer", "operator")},
	}
}

// deliveryMatrix is the access matrix of deliveries and licences: an order's
// deliveries and a licence are read by its buyers, the seller of its product
// and operators; its buyers alone free a licence's machine; the keys are
// public; the seller's software activates and checks a licence without
// signing in; operators alone rotate the signing key.
func deliveryMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	lakeside, ops, buyer := tokens["seller"], tokens["operator"], tokens["buyer"]
	tianhe := w.orgOf(buyer, "customer")
	id, _ := w.create(lakeside, product("license", "Lakeside Matrix Licence", "湖畔矩阵许可", "database", []string{"cn-north-4"},
		plan("one-year", "one_time", price("10.00", "CNY"))))
	w.publish(lakeside, ops, id)
	w.do("POST", "/api/v1/customers/"+tianhe+"/top-ups", ops, map[string]any{"amount": price("100.00", "CNY"), "reference": "matrix-delivery"}).must(t, 201, "top-up")
	var o apiOrder
	w.placeOrder(buyer, "", cart(map[string]any{"product_id": id, "plan": "one-year"})).must(t, 201, "order").decode(t, &o)
	ds, err := w.st.OrderDeliveries(context.Background(), o.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %+v %v", ds, err)
	}
	if err := w.svc.Deliver(context.Background(), ds[0].ID); err != nil {
		t.Fatal(err)
	}
	var lics struct {
		Licenses []struct{ ID, License string }
	}
	w.do("GET", "/api/v1/licenses", buyer, nil).must(t, 200, "licences").decode(t, &lics)
	if len(lics.Licenses) == 0 {
		t.Fatal("no licence issued")
	}
	lic := lics.Licenses[0]
	only := func(status int, who ...string) map[string]int {
		want := everyone(404)
		for _, r := range who {
			want[r] = status
		}
		return want
	}
	tianhes := everyone(403)
	tianhes["buyer"], tianhes["operator"] = 200, 200
	sellers := everyone(403)
	sellers["seller"], sellers["applicant"] = 200, 200
	public := everyone(200)
	public["anon"] = 200
	check := map[string]string{"license": lic.License, "machine_id": "matrix-host"}
	return []access{
		{"GET", "/api/v1/orders/" + o.ID + "/deliveries", nil, only(200, "buyer", "seller", "operator")},
		{"GET", "/api/v1/orders/ord_nothing/deliveries", nil, only(404)},
		{"GET", "/api/v1/license/keys", nil, public},
		{"GET", "/api/v1/licenses?org_id=" + tianhe, nil, tianhes},
		{"GET", "/api/v1/seller/licenses", nil, sellers},
		{"GET", "/api/v1/licenses/" + lic.ID, nil, only(200, "buyer", "seller", "operator")},
		{"GET", "/api/v1/licenses/lic_nothing", nil, only(404)},
		{"POST", "/api/v1/licenses/activate", check, public},
		{"POST", "/api/v1/licenses/heartbeat", check, public},
		{"POST", "/api/v1/licenses/" + lic.ID + "/reset-machine", nil, only(200, "buyer")},
		{"POST", "/api/v1/license/keys", nil, onlyOperators(200)},
	}
}

// saasMatrix is the access matrix of SaaS delivery: an instance is read by
// its order's buyers, the line's seller and operators, its password revealed
// by its buyers alone; the production interface messages, retries and test
// orders are the seller's.
func saasMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	ctx := context.Background()
	lakeside, ops, buyer := tokens["seller"], tokens["operator"], tokens["buyer"]
	tianhe := w.orgOf(buyer, "customer")
	id, _ := w.create(lakeside, product("saas", "Lakeside Matrix Desk", "湖畔矩阵服务台", "storage", []string{"cn-north-4"},
		plan("monthly", "monthly", price("10.00", "CNY"))))
	w.publish(lakeside, ops, id)
	w.do("POST", "/api/v1/customers/"+tianhe+"/top-ups", ops, map[string]any{"amount": price("100.00", "CNY"), "reference": "matrix-saas"}).must(t, 201, "top-up")
	var o apiOrder
	w.placeOrder(buyer, "", cart(map[string]any{"product_id": id, "plan": "monthly"})).must(t, 201, "order").decode(t, &o)
	ds, err := w.st.OrderDeliveries(ctx, o.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %+v %v", ds, err)
	}
	// The seller's answer, as the deliverer would store it (no password given).
	now := time.Now().UTC()
	err = w.st.Write(ctx, func(tx *store.Tx) error {
		return tx.SaveSaaSInstance(ctx, store.SaaSInstance{OrderID: o.ID, LineNo: 1, ProductID: id, BuyerOrgID: tianhe, SellerOrgID: ds[0].SellerOrgID,
			InstanceID: "matrix-1", Plan: "monthly", FrontEndURL: "https://app.example.com/t/1", State: store.SaaSNormal, CreatedAt: now, UpdatedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	only := func(status int, who ...string) map[string]int {
		want := everyone(404)
		for _, r := range who {
			want[r] = status
		}
		return want
	}
	tianhes := everyone(403)
	tianhes["buyer"], tianhes["operator"] = 200, 200
	sellers := everyone(403)
	sellers["seller"], sellers["applicant"] = 200, 200
	line := "/api/v1/orders/" + o.ID + "/lines/1/instance"
	reporters := everyone(403)
	reporters["seller"], reporters["applicant"] = 200, 200
	return []access{
		{"GET", "/api/v1/saas/instances?org_id=" + tianhe, nil, tianhes},
		{"GET", line, nil, only(200, "buyer", "seller", "operator")},
		{"GET", "/api/v1/orders/ord_nothing/lines/1/instance", nil, only(404)},
		{"POST", line + "/password", nil, only(409, "buyer")},
		{"GET", "/api/v1/seller/saas/exchanges", nil, sellers},
		{"POST", "/api/v1/seller/products/" + id + "/test-order", nil, only(200, "seller")},
		{"POST", "/api/v1/seller/deliveries/" + ds[0].ID + "/retry", nil, only(200, "seller")},
		{"POST", "/api/v1/seller/deliveries/dlv_nothing/retry", nil, only(404)},
		// Usage: reported by sellers, read per instance like the instance, reconciled by the seller.
		{"POST", "/api/v1/usage", map[string]any{"records": []any{}}, reporters},
		{"GET", line[:len(line)-len("instance")] + "usage", nil, only(200, "buyer", "seller", "operator")},
		{"GET", "/api/v1/seller/usage/reconciliation?period=2026-03", nil, sellers},
	}
}
