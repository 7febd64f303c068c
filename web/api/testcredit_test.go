package api_test

import (
	"testing"
)

// testCreditMatrix is the access matrix of test credit: a seller company's
// admins ask for it and buy their own products with it, its people read it,
// operators list and decide every request; a seller that is not approved
// has none. Rows that change something come after the rows that read.
func testCreditMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	seller := tokens["seller"]
	ask := func(cents string, purpose string) string {
		var r struct{ ID string }
		w.do("POST", "/api/v1/seller/test-credit/requests", seller, map[string]any{"amount": map[string]string{"amount": cents, "currency": "USD"}, "purpose": purpose}).
			must(t, 201, "ask for test credit").decode(t, &r)
		return r.ID
	}
	toApprove, toDecline := ask("100.00", "try the licence delivery"), ask("50.00", "try the backup")
	sellers := func(status int) map[string]int {
		want := everyone(403)
		want["seller"] = status
		return without(want, "applicant") // approved or suspended by the rows before: market tests cover both
	}
	read := everyone(403)
	read["seller"], read["applicant"] = 200, 200
	body := map[string]any{"amount": map[string]string{"amount": "10.00", "currency": "USD"}, "purpose": "matrix"}
	return []access{
		{"GET", "/api/v1/seller/test-credit", nil, read},
		{"GET", "/api/v1/seller/test-credit/requests", nil, read},
		{"GET", "/api/v1/ops/test-credit/requests", nil, onlyOperators(200)},
		{"GET", "/api/v1/ops/test-credit/requests?state=pending", nil, onlyOperators(200)},
		{"POST", "/api/v1/seller/test-credit/requests", body, sellers(201)},
		{"POST", "/api/v1/seller/test-orders", map[string]any{"lines": []any{}}, sellers(400)}, // an empty cart, once allowed
		{"POST", "/api/v1/ops/test-credit/requests/" + toApprove + "/approve", map[string]any{"amount": map[string]string{"amount": "80.00", "currency": "USD"}}, onlyOperators(200)},
		{"POST", "/api/v1/ops/test-credit/requests/" + toDecline + "/decline", map[string]string{"reason": "one at a time"}, onlyOperators(200)},
		{"POST", "/api/v1/ops/test-credit/requests/tcr_none/decline", map[string]string{"reason": "none"}, onlyOperators(404)},
	}
}
