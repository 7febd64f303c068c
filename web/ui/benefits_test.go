package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestBenefitsThroughTheUI: a seller reads its benefits with the banner's
// progress; an operator sets an exchange rate (a wrong one is refused with
// the form again) and reads the seller's benefits from its application;
// another seller may not. Every page renders in both languages.
func TestBenefitsThroughTheUI(t *testing.T) {
	s := demoSite(t)
	seller := s.demoLogIn(t, "seller1@demo.test")
	ops := s.demoLogIn(t, "ops@demo.test")
	org := s.orgOf(t, "seller1@demo.test")

	home := seller.get("/seller/benefits")
	want(t, home, http.StatusOK, `href="/seller/benefits" aria-current="page"`, `id="ben-bar"`, `id="benefit-homepage_banner" data-has="false"`,
		"more in transactions to qualify for the homepage banner.", `id="benefit-featured_zones" data-has="true"`, `href="/seller/test-credit"`)

	want(t, ops.get("/ops/exchange-rates"), http.StatusOK, `id="rate-form"`, "1 CNY = ")
	r := ops.post("/ops/exchange-rates", url.Values{"currency": {"CNY"}, "effective_from": {"2026-13-01"}, "rate": {"0.14"}})
	want(t, r, http.StatusBadRequest, "Enter the day the rate takes effect")
	want(t, ops.post("/ops/exchange-rates", url.Values{"currency": {"USD"}, "effective_from": {"2026-01-01"}, "rate": {"1"}}),
		http.StatusBadRequest, "USD is the currency rates convert to")
	want(t, ops.post("/ops/exchange-rates", url.Values{"currency": {"CNY"}, "effective_from": {"2026-01-01"}, "rate": {"0,14"}}),
		http.StatusBadRequest, "at most 8 digits after the point")
	r = ops.post("/ops/exchange-rates", url.Values{"currency": {"CNY"}, "effective_from": {"2001-01-01"}, "rate": {"0.12"}})
	wantRedirect(t, r, "/ops/exchange-rates?done=rate_set")
	want(t, ops.get(r.Location), http.StatusOK, "The rate is set.", "2001-01-01", "1 CNY = 0.12 USD")
	want(t, seller.get("/ops/exchange-rates"), http.StatusForbidden)

	opsView := ops.get("/ops/sellers/" + org + "/benefits")
	want(t, opsView, http.StatusOK, "Benefits of Lakeside", `id="ben-bar"`, `id="benefit-homepage_banner" data-has="false"`)
	if a, b := reasons(seller.get("/seller/benefits").Body), reasons(opsView.Body); a != b || !strings.Contains(a, "more in transactions to qualify") || strings.Contains(a, "not counted") {
		t.Errorf("the seller reads\n%s\nthe operator\n%s", a, b)
	}
	want(t, s.demoLogIn(t, "seller2@demo.test").get("/ops/sellers/"+org+"/benefits"), http.StatusForbidden)
	want(t, s.demoLogIn(t, "telesales@demo.test").get("/seller/benefits"), http.StatusForbidden)

	for _, lang := range []string{"en", "zh-CN"} {
		for _, c := range []struct {
			b    *browser
			path string
		}{{seller, "/seller/benefits"}, {ops, "/ops/exchange-rates"}, {ops, "/ops/sellers/" + org + "/benefits"}} {
			c.b.lang = lang
			r := c.b.get(c.path)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: %d", lang, c.path, r.Status)
			}
			for _, prefix := range []string{"ben.", "error."} {
				for _, at := range []string{">" + prefix, "\"" + prefix, " " + prefix} {
					if i := strings.Index(r.Body, at); i >= 0 {
						t.Errorf("%s %s: a message id shows: %s", lang, c.path, r.Body[i:min(len(r.Body), i+60)])
					}
				}
			}
		}
	}
	seller.lang = "zh-CN"
	want(t, seller.get("/seller/benefits"), http.StatusOK, "首页横幅推荐", "美元即可获得首页横幅推荐")
}

// reasons is the reasons column of a benefits page.
func reasons(body string) string {
	var out []string
	for _, row := range strings.Split(body, `<tr id="benefit-`)[1:] {
		cells := strings.Split(row, "<td>")
		if len(cells) > 2 {
			out = append(out, strings.SplitN(cells[2], "</td>", 2)[0])
		}
	}
	return strings.Join(out, "\n")
}
