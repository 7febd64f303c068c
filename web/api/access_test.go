package api_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

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
}

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
		for _, a := range matrix {
			for _, r := range roles {
				want, ok := a.want[r.name]
				if !ok {
					continue
				}
				if got := w.do(a.method, a.path, tokens[r.name], a.body); got.status != want {
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
