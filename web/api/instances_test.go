package api_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/usage"
)

// apiInstance is the part of an instance the tests read.
type apiInstance struct {
	ID            string
	OrderID       string `json:"order_id"`
	UnitNo        int    `json:"unit_no"`
	State         string
	Address       string
	LoginUser     string `json:"login_user"`
	Flavor        string
	PasswordReady bool `json:"password_ready"`
}

// boughtImage has Bluepeak (seller2, which sells images) publish an image
// product, Tianhe's buyer buy units of it with the flavour, and the servers
// boot; it returns the order's id.
func boughtImage(t *testing.T, w *world, buyer, ops string, units int, flavor string) string {
	t.Helper()
	return boughtImagePlan(t, w, buyer, ops, units, flavor, plan("monthly", "monthly", price("50.00", "CNY")))
}

// hourlyPlan is a pay-per-use image plan: ¥2.00 an hour for the first 5
// hours of a month, then ¥1.50.
func hourlyPlan() map[string]any {
	return map[string]any{"code": "hourly", "name": map[string]string{"en": "Hourly", "zh": "按小时"}, "mode": "pay_per_use", "active": true,
		"usage": map[string]any{"unit": "hour", "tiers": []any{map[string]any{"up_to": 5, "unit_price": price("2.00", "CNY")},
			map[string]any{"up_to": 0, "unit_price": price("1.50", "CNY")}}}}
}

// boughtImagePlan is boughtImage of a product with the one plan given.
func boughtImagePlan(t *testing.T, w *world, buyer, ops string, units int, flavor string, pl map[string]any) string {
	t.Helper()
	bluepeak := w.login("seller2@demo.test")
	id, _ := w.create(bluepeak, product("image", "Bluepeak Zephyr Gateway", "蓝峰网关", "security", []string{"cn-north-4"}, pl))
	w.publish(bluepeak, ops, id)
	w.do("POST", "/api/v1/customers/"+w.orgOf(buyer, "customer")+"/top-ups", ops,
		map[string]any{"amount": price("1000.00", "CNY"), "reference": "image-" + flavor + pl["code"].(string)}).must(t, 201, "top-up")
	var o apiOrder
	w.placeOrder(buyer, "", cart(map[string]any{"product_id": id, "plan": pl["code"], "quantity": units, "region": "cn-north-4", "flavor": flavor})).
		must(t, 201, "order").decode(t, &o)
	ctx := context.Background()
	ds, err := w.st.OrderDeliveries(ctx, o.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries %+v %v", ds, err)
	}
	if err := w.svc.Deliver(ctx, ds[0].ID); !errors.Is(err, market.ErrPending) {
		t.Fatalf("first delivery: %v", err)
	}
	w.clock.Advance(ecs.DefaultSimBoot)
	if err := w.svc.Deliver(ctx, ds[0].ID); err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// instancesMatrix is the access matrix of instances: a customer's are
// listed by its buyers and operators; one is read by its buyers, the seller
// of its product (Bluepeak here, so the matrix's seller, Lakeside, gets 404)
// and operators; its buyers alone see its password, once.
func instancesMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	buyer, ops := tokens["buyer"], tokens["operator"]
	boughtImage(t, w, buyer, ops, 1, "")
	var list struct{ Instances []apiInstance }
	w.do("GET", "/api/v1/instances", buyer, nil).must(t, 200, "instances").decode(t, &list)
	if len(list.Instances) != 1 || list.Instances[0].State != "running" {
		t.Fatalf("instances %+v", list.Instances)
	}
	id := list.Instances[0].ID
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
	return []access{
		{"GET", "/api/v1/instances?org_id=" + w.orgOf(buyer, "customer"), nil, tianhes},
		{"GET", "/api/v1/seller/instances", nil, sellers},
		{"GET", "/api/v1/instances/" + id, nil, only(200, "buyer", "operator")},
		{"GET", "/api/v1/instances/ins_nothing", nil, only(404)},
		{"POST", "/api/v1/instances/" + id + "/password", nil, only(200, "buyer")},
		{"GET", "/api/v1/instances/" + id + "/hours", nil, only(200, "buyer", "operator")},
		{"GET", "/api/v1/instances/ins_nothing/hours", nil, only(404)},
		{"GET", "/api/v1/seller/instances/hours?period=2026-11", nil, sellers},
		{"POST", "/api/v1/instances/ins_nothing/release", nil, only(404)},
		{"POST", "/api/v1/instances/" + id + "/release", nil, only(202, "buyer")}, // last: it ends the line
	}
}

// An instance of a pay-per-use image: its hours and charges once the job
// ran, for its buyer and its seller; a monthly one is not metered.
func TestInstanceHoursAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		buyer, ops := w.login("telesales@demo.test"), w.login("ops@demo.test")
		orderID := boughtImagePlan(t, w, buyer, ops, 1, "", hourlyPlan())
		var list struct{ Instances []apiInstance }
		w.do("GET", "/api/v1/instances", buyer, nil).must(t, 200, "instances").decode(t, &list)
		var in apiInstance
		for _, x := range list.Instances {
			if x.OrderID == orderID {
				in = x
			}
		}
		running := w.clock.Now().UTC().Truncate(time.Second)
		w.clock.Advance(2*time.Hour + 10*time.Minute)
		if _, err := w.svc.MeterImageHours(ctx, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		secs := int64(usage.HourOf(w.clock.Now()).Sub(running) / time.Second) // the hours that ended
		hours := usage.BilledHours(secs)
		var v struct {
			Metered bool
			Period  string
			Unit    string
			Seconds int64
			Hours   int64
			Charged apiMoney
			Days    []struct {
				Day     string
				Seconds int64
			}
		}
		w.do("GET", "/api/v1/instances/"+in.ID+"/hours", buyer, nil).must(t, 200, "hours").decode(t, &v)
		if !v.Metered || v.Unit != "hour" || v.Period != usage.Period(w.clock.Now()) || v.Seconds != secs || v.Hours != hours ||
			v.Charged.Minor != hours*200 || len(v.Days) == 0 {
			t.Fatalf("hours %+v; want %d s, %d h", v, secs, hours)
		}
		w.do("GET", "/api/v1/instances/"+in.ID+"/hours?period=2026-13", buyer, nil).must(t, 400, "a month that is none")

		var rec struct {
			Instances []struct {
				InstanceID string `json:"instance_id"`
				Hours      int64
				Charged    *apiMoney
			}
		}
		bluepeak := w.login("seller2@demo.test")
		w.do("GET", "/api/v1/seller/instances/hours?period="+v.Period, bluepeak, nil).must(t, 200, "reconciliation").decode(t, &rec)
		if len(rec.Instances) != 1 || rec.Instances[0].InstanceID != in.ID || rec.Instances[0].Hours != hours || rec.Instances[0].Charged == nil {
			t.Fatalf("reconciliation %+v", rec)
		}

		monthly := boughtImage(t, w, buyer, ops, 1, "")
		w.do("GET", "/api/v1/instances", buyer, nil).must(t, 200, "instances").decode(t, &list)
		for _, x := range list.Instances {
			if x.OrderID == monthly {
				r := w.do("GET", "/api/v1/instances/"+x.ID+"/hours", buyer, nil).must(t, 200, "a monthly instance's hours")
				if r.body["metered"] != false {
					t.Fatalf("a monthly instance: %s", r.raw)
				}
			}
		}
	})
}

// Buying an image with a flavour through the API; the instances as the
// buyer and the seller see them; the password shown once.
func TestInstancesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		buyer, ops := w.login("telesales@demo.test"), w.login("ops@demo.test")
		orderID := boughtImage(t, w, buyer, ops, 2, "c7.xlarge.4")

		var o struct {
			Lines []struct{ Flavor string }
		}
		w.do("GET", "/api/v1/orders/"+orderID, buyer, nil).must(t, 200, "order").decode(t, &o)
		if len(o.Lines) != 1 || o.Lines[0].Flavor != "c7.xlarge.4" {
			t.Fatalf("order lines %+v", o.Lines)
		}
		var list struct{ Instances []apiInstance }
		w.do("GET", "/api/v1/instances", buyer, nil).must(t, 200, "instances").decode(t, &list)
		ins := list.Instances
		if len(ins) != 2 || ins[0].Address == ins[1].Address {
			t.Fatalf("instances %+v", ins)
		}
		for _, in := range ins {
			if in.State != "running" || in.Address == "" || in.LoginUser != "ubuntu" || in.Flavor != "c7.xlarge.4" || !in.PasswordReady || in.OrderID != orderID {
				t.Fatalf("instance %+v", in)
			}
		}

		bluepeak := w.login("seller2@demo.test")
		r := w.do("GET", "/api/v1/seller/instances", bluepeak, nil).must(t, 200, "seller instances")
		// Its two, and the demo's history (the outage's, released).
		if strings.Count(r.raw, `"order_id":"`+orderID+`"`) != 2 || strings.Contains(r.raw, `"password":`) {
			t.Fatalf("the seller's instances: %s", r.raw)
		}
		w.do("GET", "/api/v1/instances/"+ins[0].ID, bluepeak, nil).must(t, 200, "the seller reads one")
		w.do("POST", "/api/v1/instances/"+ins[0].ID+"/password", bluepeak, nil).must(t, 404, "the seller asks for the password")

		shown := w.do("POST", "/api/v1/instances/"+ins[0].ID+"/password", buyer, nil).must(t, 200, "password")
		if pw, _ := shown.body["password"].(string); ecs.CheckPassword(pw) != nil || shown.body["login_user"] != "ubuntu" ||
			shown.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("password answer %s %v", shown.raw, shown.header)
		}
		again := w.do("POST", "/api/v1/instances/"+ins[0].ID+"/password", buyer, nil).must(t, 409, "password again")
		if code, _ := again.errCode(t); code != "invalid_state" {
			t.Fatalf("asked again: %s", again.raw)
		}

		image := productOfOrder(t, w, orderID, buyer)
		for flavor, want := range map[string]int{"kc1.large.2": 400, "s6.small.1": 400, "c7.large.2": 200} {
			q := w.do("POST", "/api/v1/quotes", buyer, cart(map[string]any{"product_id": image, "plan": "monthly", "flavor": flavor}))
			if q.status != want {
				t.Errorf("quote with %s: %d, want %d: %s", flavor, q.status, want, q.raw)
			}
			if want == 400 {
				if _, field := q.errCode(t); field != "lines[0].flavor" {
					t.Errorf("quote with %s: error on %q", flavor, field)
				}
			}
		}
	})
}

// productOfOrder is the product of the order's first line.
func productOfOrder(t *testing.T, w *world, orderID, buyer string) string {
	t.Helper()
	var o apiOrder
	w.do("GET", "/api/v1/orders/"+orderID, buyer, nil).must(t, 200, "order").decode(t, &o)
	return o.Lines[0].ProductID
}
