package api_test

import (
	"strings"
	"testing"
)

// benefitsMatrix is the access matrix of seller benefits and exchange rates:
// a seller reads its own benefits and an operator any seller's (the same
// answer); anyone signed in reads the rates, operators set them.
func benefitsMatrix(t *testing.T, w *world, tokens map[string]string) []access {
	t.Helper()
	lakeside := w.orgOf(tokens["seller"], "seller")
	bluepeak := w.orgOf(w.login("seller2@demo.test"), "seller")
	customer := w.orgOf(tokens["buyer"], "customer")

	own := w.do("GET", "/api/v1/seller/benefits", tokens["seller"], nil).must(t, 200, "own benefits")
	theirs := w.do("GET", "/api/v1/sellers/"+lakeside+"/benefits", tokens["operator"], nil).must(t, 200, "a seller's benefits")
	if own.raw != theirs.raw || !strings.Contains(own.raw, `"id":"homepage_banner"`) || !strings.Contains(own.raw, "more in transactions to qualify for the homepage banner") {
		t.Errorf("the seller sees\n%s\nthe operator\n%s", own.raw, theirs.raw)
	}

	sellerOnly := everyone(403)
	sellerOnly["seller"], sellerOnly["applicant"] = 200, 200 // an applicant's company is a seller without benefits yet
	sellerOrOps := everyone(403)
	sellerOrOps["seller"], sellerOrOps["operator"] = 200, 200
	readers := everyone(200)
	return []access{
		{"GET", "/api/v1/seller/benefits", nil, sellerOnly},
		{"GET", "/api/v1/sellers/" + lakeside + "/benefits", nil, sellerOrOps},
		{"GET", "/api/v1/sellers/" + bluepeak + "/benefits", nil, onlyOperators(200)},
		{"GET", "/api/v1/sellers/" + customer + "/benefits", nil, without(onlyOperators(404), "buyer")},
		{"GET", "/api/v1/exchange-rates", nil, readers},
		{"PUT", "/api/v1/exchange-rates/CNY/2026-01-01", map[string]string{"rate": "0.14085"}, onlyOperators(200)},
		{"PUT", "/api/v1/exchange-rates/USD/2026-01-01", map[string]string{"rate": "1"}, without(onlyOperators(400), "anon")},
	}
}
