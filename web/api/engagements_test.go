package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// apiServiceOrder is the part of a service order the tests read.
type apiServiceOrder struct {
	ID       string   `json:"id"`
	OrderID  string   `json:"order_id"`
	State    string   `json:"state"`
	YourRole string   `json:"your_role"`
	Actions  []string `json:"actions"`
	Refunded struct {
		Amount string `json:"amount"`
	} `json:"refunded"`
	Messages []struct {
		Author, Action, Body string
		Files                []struct {
			ID, Name, URL string
			ContentType   string `json:"content_type"`
			Deliverable   bool
		}
	} `json:"messages"`
	Deliverables []struct{ Name string } `json:"deliverables"`
}

// serviceForm is a multipart body of text fields and files (name, content).
func serviceForm(fields map[string]string, files ...[2]string) (*bytes.Buffer, http.Header) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="files"; filename="`+f[0]+`"`)
		h.Set("Content-Type", "application/octet-stream")
		part, _ := mw.CreatePart(h)
		_, _ = part.Write([]byte(f[1]))
	}
	_ = mw.Close()
	return &buf, http.Header{"Content-Type": {mw.FormDataContentType()}}
}

// buyService publishes a professional service of the seller (Yunfan, seller3, sells them), has
// Tianhe's buyer buy it, and opens the service order as the delivery job
// would. It returns the service order's id.
func (w *world) buyService(t *testing.T, yunfan, ops, buyer, name string) string {
	t.Helper()
	id, _ := w.create(yunfan, product("professional_service", name, name+"服务", "migration", []string{"cn-north-4"},
		plan("fixed", "one_time", price("2000.00", "CNY"))))
	w.publish(yunfan, ops, id)
	tianhe := w.orgOf(buyer, "customer")
	w.do("POST", "/api/v1/customers/"+tianhe+"/top-ups", ops, map[string]any{"amount": price("2000.00", "CNY"), "reference": "svc-" + id}).must(t, 201, "top-up")
	var o apiOrder
	w.placeOrder(buyer, "", cart(map[string]any{"product_id": id, "plan": "fixed", "region": "cn-north-4"})).must(t, 201, "order").decode(t, &o)
	ds, err := w.st.OrderDeliveries(context.Background(), o.ID)
	if err != nil || len(ds) != 1 || ds[0].Action != delivery.Open {
		t.Fatalf("deliveries %+v %v", ds, err)
	}
	if err := w.svc.Deliver(context.Background(), ds[0].ID); err != nil {
		t.Fatal(err)
	}
	e, ok, err := w.st.EngagementOfLine(context.Background(), o.ID, 1)
	if err != nil || !ok {
		t.Fatalf("no service order: %v", err)
	}
	return e.ID
}

func TestServiceOrdersOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		yunfan, ops, buyer := w.login("seller3@demo.test"), w.login("ops@demo.test"), w.login("telesales@demo.test")
		id := w.buyService(t, yunfan, ops, buyer, "Zephyrine audit")
		path := "/api/v1/service-orders/" + id
		lakeside, other := w.login("seller1@demo.test"), w.login("direct@demo.test")

		var list struct {
			ServiceOrders []apiServiceOrder `json:"service_orders"`
		}
		w.do("GET", "/api/v1/service-orders", buyer, nil).must(t, 200, "the buyer's list").decode(t, &list)
		if len(list.ServiceOrders) == 0 || list.ServiceOrders[0].ID != id || list.ServiceOrders[0].State != "awaiting_acceptance" ||
			strings.Join(list.ServiceOrders[0].Actions, ",") != "cancel" {
			t.Fatalf("the buyer's list, newest first %+v", list)
		}
		// Another buyer, another seller: not in their lists.
		w.do("GET", "/api/v1/service-orders", other, nil).must(t, 200, "another buyer's list").decode(t, &list)
		for _, so := range list.ServiceOrders {
			if so.ID == id {
				t.Fatal("another buyer lists the service order")
			}
		}
		w.do("GET", "/api/v1/seller/service-orders", lakeside, nil).must(t, 200, "another seller's list").decode(t, &list)
		if len(list.ServiceOrders) != 0 {
			t.Fatalf("another seller lists %+v", list)
		}
		w.do("GET", "/api/v1/seller/service-orders?state=awaiting_acceptance", yunfan, nil).must(t, 200, "the seller's list").decode(t, &list)
		if len(list.ServiceOrders) != 1 || list.ServiceOrders[0].YourRole != "seller" ||
			strings.Join(list.ServiceOrders[0].Actions, ",") != "accept,decline" {
			t.Fatalf("the seller's list %+v", list)
		}

		// A message with two files; the seller downloads one.
		body, h := serviceForm(map[string]string{"body": "The schema and the sizes."}, [2]string{"schema.sql", "CREATE TABLE t (id int);"},
			[2]string{"sizes.csv", "table,rows\nt,100\n"})
		r := w.send("POST", path+"/messages", buyer, body, h).must(t, 201, "message")
		files, _ := r.body["files"].([]any)
		if len(files) != 2 || r.body["author"] != "buyer" {
			t.Fatalf("message %s", r.raw)
		}
		url, _ := files[0].(map[string]any)["url"].(string)
		got := w.send("GET", url, yunfan, nil, nil)
		if got.status != 200 || got.raw != "CREATE TABLE t (id int);" || !strings.HasPrefix(got.header.Get("Content-Disposition"), `attachment; filename="schema.sql"`) ||
			got.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("download %d %v %s", got.status, got.header, got.raw)
		}
		body, h = serviceForm(map[string]string{"body": " "})
		r = w.send("POST", path+"/messages", buyer, body, h)
		if code, field := r.errCode(t); r.status != 400 || code != "invalid" || field != "body" {
			t.Fatalf("empty message: %d %s", r.status, r.raw)
		}

		// Accepted, delivered (refused without deliverables), disputed, resolved in part.
		w.do("POST", path+"/accept", yunfan, nil).must(t, 200, "accept")
		w.do("POST", path+"/accept", yunfan, nil).must(t, 409, "accepted twice")
		body, h = serviceForm(map[string]string{"note": "Here it is."})
		r = w.send("POST", path+"/deliver", yunfan, body, h)
		if code, field := r.errCode(t); r.status != 400 || code != "invalid" || field != "files" {
			t.Fatalf("a delivery without deliverables: %d %s", r.status, r.raw)
		}
		body, h = serviceForm(map[string]string{"note": "The audit report."}, [2]string{"report.pdf", "%PDF-1.4 the report"})
		var so apiServiceOrder
		w.send("POST", path+"/deliver", yunfan, body, h).must(t, 200, "deliver").decode(t, &so)
		if so.State != "delivered" {
			t.Fatalf("delivered: %+v", so)
		}
		w.do("POST", path+"/dispute", buyer, map[string]string{}).must(t, 400, "a dispute without a reason")
		w.do("POST", path+"/dispute", buyer, map[string]string{"reason": "Half of it is missing."}).must(t, 200, "dispute")
		w.do("GET", "/api/v1/service-orders?state=disputed", ops, nil).must(t, 200, "the dispute queue").decode(t, &list)
		if len(list.ServiceOrders) == 0 || list.ServiceOrders[0].ID != id || strings.Join(list.ServiceOrders[0].Actions, ",") != "resolve" {
			t.Fatalf("the dispute queue, newest first %+v", list)
		}
		r = w.do("POST", path+"/resolve", ops, map[string]any{"note": "Too much", "refund": price("2000.01", "CNY")})
		if code, field := r.errCode(t); r.status != 400 || code != "invalid" || field != "refund" {
			t.Fatalf("a refund over what was paid: %d %s", r.status, r.raw)
		}
		w.do("POST", path+"/resolve", ops, map[string]any{"note": "Half was done.", "refund": price("1000.00", "CNY")}).must(t, 200, "resolve").decode(t, &so)
		if so.State != "partially_refunded" || so.Refunded.Amount != "1000.00" {
			t.Fatalf("resolved: %+v", so)
		}
		w.do("GET", path, buyer, nil).must(t, 200, "the service order").decode(t, &so)
		if len(so.Messages) != 4 || so.Messages[1].Action != "deliver" || !so.Messages[1].Files[0].Deliverable ||
			so.Messages[1].Files[0].ContentType != "application/pdf" || so.Messages[3].Author != "operator" || so.Messages[3].Action != "resolve" ||
			len(so.Deliverables) != 1 || len(so.Actions) != 0 {
			t.Fatalf("the thread %+v", so)
		}
	})
}

// servicesMatrix is the access matrix of service orders: a buyer sees only
// its organisation's, a seller only those of its products (the matrix's
// seller, Lakeside, does not sell this one: it finds nothing), operators
// all; each step is its part's alone.
func servicesMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	ops, buyer := tokens["operator"], tokens["buyer"]
	id := w.buyService(t, w.login("seller3@demo.test"), ops, buyer, "Matrix migration")
	body, h := serviceForm(map[string]string{"body": "hello"}, [2]string{"note.txt", "a file"})
	r := w.send("POST", "/api/v1/service-orders/"+id+"/messages", buyer, body, h).must(t, 201, "message")
	if r.body["body"] != "hello" { // the text arrives with the file
		t.Fatalf("the message's text: %v", r.body["body"])
	}
	file := r.body["files"].([]any)[0].(map[string]any)["url"].(string)
	tianhe := w.orgOf(buyer, "customer")
	// only: 404 for all but the roles given, which get status.
	only := func(status int, who ...string) map[string]int {
		want := everyone(404)
		for _, r := range who {
			want[r] = status
		}
		return want
	}
	set := func(want map[string]int, role string, status int) map[string]int {
		want[role] = status
		return want
	}
	path := "/api/v1/service-orders/" + id
	lists := set(set(set(everyone(403), "buyer", 200), "other buyer", 200), "operator", 200)
	return []access{
		{"GET", "/api/v1/service-orders", nil, lists},
		{"GET", "/api/v1/service-orders?org_id=" + tianhe, nil, set(set(everyone(403), "buyer", 200), "operator", 200)},
		{"GET", "/api/v1/service-orders?state=disputed", nil, lists},
		{"GET", "/api/v1/seller/service-orders", nil, set(set(everyone(403), "seller", 200), "applicant", 200)},
		{"GET", path, nil, only(200, "buyer", "operator")},
		{"GET", file, nil, only(200, "buyer", "operator")},
		{"POST", path + "/messages", fileUpload{"", "x.txt", "x"}, without(everyone(404), "anon", "buyer", "operator")},
		{"POST", path + "/accept", nil, only(403, "buyer", "operator")},
		{"POST", path + "/decline", map[string]string{"reason": "no"}, only(403, "buyer", "operator")},
		{"POST", path + "/confirm", nil, set(only(403, "operator"), "buyer", 409)},
		{"POST", path + "/dispute", map[string]string{"reason": "r"}, set(only(403, "operator"), "buyer", 409)},
		{"POST", path + "/resolve", map[string]any{"note": "n", "refund": price("0.00", "CNY")}, set(only(403, "buyer"), "operator", 409)},
		{"POST", path + "/cancel", nil, set(only(200, "buyer"), "operator", 409)},
	}
}
