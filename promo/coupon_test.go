package promo_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
)

// ln is a line of a product, its type and billing mode, that costs paid fen.
func ln(product string, ty catalog.Type, mode catalog.BillingMode, paid int64) order.Line {
	return order.Line{ProductID: product, Type: ty, Mode: mode, List: cny(paid), Discount: cny(0), Paid: cny(paid)}
}

var categories = map[string]string{"waf": "security", "db": "database", "crm": "collaboration", "os": "operating_system"}

func amountOff(off, minSpend int64) promo.Template {
	return promo.Template{ID: "t", Name: catalog.Text{EN: "t", ZH: "t"}, Kind: promo.AmountOff, Off: cny(off), MinSpend: cny(minSpend), ValidDays: 30}
}

func percentOff(bps, capFen int64) promo.Template {
	return promo.Template{ID: "t", Name: catalog.Text{EN: "t", ZH: "t"}, Kind: promo.PercentOff, PercentBPS: bps, Cap: cny(capFen), MinSpend: cny(0), ValidDays: 30}
}

func TestApply(t *testing.T) {
	claimed, at := sh("2020-08-12 10:00:00"), sh("2020-08-20 12:00:00")
	saas := func(paid int64) order.Line { return ln("crm", catalog.TypeSaaS, catalog.Monthly, paid) }
	image := func(paid int64) order.Line { return ln("os", catalog.TypeImage, catalog.Yearly, paid) }
	usage := ln("db", catalog.TypeSaaS, catalog.PayPerUse, 0)
	trial := ln("crm", catalog.TypeSaaS, catalog.Monthly, 0)
	trial.Trial = true
	scoped := func(tp promo.Template, s promo.Scope) promo.Template { tp.Scope = s; return tp }
	tests := []struct {
		name  string
		tmpl  promo.Template
		lines []order.Line
		parts []int64 // fen, one per line
		err   string
	}{
		// amount off with a minimum spend: ¥300 off ¥1,000
		{"exactly the minimum spend", amountOff(30000, 100000), []order.Line{image(100000)}, []int64{30000}, ""},
		{"one fen below it", amountOff(30000, 100000), []order.Line{image(99999)}, nil, "invalid error.coupon_min_spend"},
		{"the minimum reached by two lines", amountOff(30000, 100000), []order.Line{image(60000), saas(40000)}, []int64{18000, 12000}, ""},
		{"never more than the base", amountOff(30000, 0), []order.Line{image(20000)}, []int64{20000}, ""},
		// allocation: largest remainders, ties to the earlier line
		{"three equal lines, one fen left over", amountOff(100, 0), []order.Line{image(1000), image(1000), image(1000)}, []int64{34, 33, 33}, ""},
		{"three equal lines, two fen left over", amountOff(200, 0), []order.Line{image(1000), image(1000), image(1000)}, []int64{67, 67, 66}, ""},
		{"the largest remainder wins over the earlier line", amountOff(100, 0), []order.Line{image(100), image(200)}, []int64{33, 67}, ""},
		{"unequal lines", amountOff(30000, 100000), []order.Line{image(33333), saas(33333), image(33334)}, []int64{10000, 10000, 10000}, ""},
		// percent off with a cap
		{"10 % under the cap", percentOff(1000, 50000), []order.Line{saas(300000)}, []int64{30000}, ""},
		{"10 % exactly at the cap", percentOff(1000, 50000), []order.Line{saas(500000)}, []int64{50000}, ""},
		{"10 % over the cap", percentOff(1000, 50000), []order.Line{saas(600000)}, []int64{50000}, ""},
		{"15 % of 5 fen rounds half away from zero", percentOff(1500, 50000), []order.Line{saas(5)}, []int64{1}, ""},
		{"15 % of 3 fen rounds down", percentOff(1500, 50000), []order.Line{saas(3)}, []int64{0}, ""},
		{"the percentage is of the eligible total, then split", percentOff(1000, 50000), []order.Line{saas(15), saas(15)}, []int64{2, 1}, ""},
		// what a coupon never applies to
		{"pay-per-use is left out", amountOff(30000, 100000), []order.Line{usage, image(100000)}, []int64{0, 30000}, ""},
		{"pay-per-use only", amountOff(30000, 0), []order.Line{usage}, nil, "invalid error.coupon_not_applicable"},
		{"pay-per-use does not reach the minimum spend", amountOff(30000, 100000), []order.Line{usage, image(99999)}, nil, "invalid error.coupon_min_spend"},
		{"a free trial is left out", amountOff(300, 0), []order.Line{trial, saas(1000)}, []int64{0, 300}, ""},
		// scope
		{"SaaS only", scoped(amountOff(30000, 100000), promo.Scope{Types: []catalog.Type{catalog.TypeSaaS}}),
			[]order.Line{image(500000), saas(100000)}, []int64{0, 30000}, ""},
		{"SaaS only, the SaaS line below the minimum", scoped(amountOff(30000, 100000), promo.Scope{Types: []catalog.Type{catalog.TypeSaaS}}),
			[]order.Line{image(500000), saas(99999)}, nil, "invalid error.coupon_min_spend"},
		{"a category", scoped(amountOff(1000, 0), promo.Scope{Categories: []string{"security"}}),
			[]order.Line{ln("waf", catalog.TypeImage, catalog.Yearly, 5000), ln("db", catalog.TypeImage, catalog.Yearly, 5000)}, []int64{1000, 0}, ""},
		{"a product", scoped(amountOff(1000, 0), promo.Scope{Products: []string{"db"}}),
			[]order.Line{ln("waf", catalog.TypeImage, catalog.Yearly, 5000), ln("db", catalog.TypeImage, catalog.Yearly, 5000)}, []int64{0, 1000}, ""},
		{"type and category both narrow", scoped(amountOff(1000, 0), promo.Scope{Types: []catalog.Type{catalog.TypeSaaS}, Categories: []string{"security"}}),
			[]order.Line{ln("waf", catalog.TypeImage, catalog.Yearly, 5000)}, nil, "invalid error.coupon_not_applicable"},
		{"lines in another currency", amountOff(1000, 0), []order.Line{{Type: catalog.TypeImage, Mode: catalog.Yearly, Paid: money.New(5000, money.USD)}}, nil, "invalid error.coupon_not_applicable"},
	}
	c := seed()
	for _, tc := range tests {
		cp := promo.Issue(c, tc.tmpl, "k1", "b1", claimed)
		parts, err := promo.Apply(cp, tc.lines, categories, at)
		if code(err) != tc.err {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.err)
			continue
		}
		if err != nil {
			continue
		}
		want := make([]money.Amount, len(tc.parts))
		for i, p := range tc.parts {
			want[i] = cny(p)
		}
		if !slices.Equal(parts, want) {
			t.Errorf("%s: %v, want %v", tc.name, parts, want)
		}
	}
}

// However the lines are weighted, the parts sum to the discount, none goes
// past its line, and each is within a fen of its exact share.
func TestApplySplitsExactly(t *testing.T) {
	c := seed()
	cp := promo.Issue(c, percentOff(1234, 1<<40), "k1", "b1", sh("2020-08-12 10:00:00"))
	for _, paids := range [][]int64{{1}, {1, 1}, {7, 11, 13}, {99999, 1, 1}, {3, 3, 3, 3, 3, 3, 3}, {123456789, 987654321, 5}} {
		var lines []order.Line
		sum := int64(0)
		for _, p := range paids {
			lines = append(lines, ln("os", catalog.TypeImage, catalog.Yearly, p))
			sum += p
		}
		parts, err := promo.Apply(cp, lines, nil, sh("2020-08-20 00:00:00"))
		if err != nil {
			t.Fatal(err)
		}
		off, _ := cny(sum).Ratio(1234, 10_000)
		total := int64(0)
		for i, p := range parts {
			total += p.Minor
			exact := float64(off.Minor) * float64(paids[i]) / float64(sum) // only to bound the test
			if p.Minor > paids[i] || float64(p.Minor) < exact-1 || float64(p.Minor) > exact+1 {
				t.Errorf("%v: part %d is %d, exact %.2f", paids, i, p.Minor, exact)
			}
		}
		if total != off.Minor {
			t.Errorf("%v: parts sum to %d, want %d", paids, total, off.Minor)
		}
	}
}

func TestApplyUseAndDates(t *testing.T) {
	c := seed()
	lines := []order.Line{ln("os", catalog.TypeImage, catalog.Yearly, 100000)}
	thirty := promo.Issue(c, c.Pack[0], "k1", "b1", sh("2020-08-12 10:00:00"))
	used := thirty
	used.OrderID = "o1"
	fixed := promo.Issue(c, c.Pack[1], "k2", "b1", sh("2020-08-12 10:00:00"))
	saas := []order.Line{ln("crm", catalog.TypeSaaS, catalog.Monthly, 100000)}
	tests := []struct {
		name  string
		cp    promo.Coupon
		lines []order.Line
		at    time.Time
		err   string
	}{
		{"valid", thirty, lines, sh("2020-08-12 10:00:00"), ""},
		{"used", used, lines, sh("2020-08-20 10:00:00"), "conflict error.coupon_used"},
		{"a second before its claim", thirty, lines, sh("2020-08-12 09:59:59"), "invalid_state error.coupon_dates"},
		{"the last second of the 30th day after the claim", thirty, lines, sh("2020-09-11 23:59:59"), ""},
		{"the day after, in Shanghai", thirty, lines, utc("2020-09-11 16:00:00"), "invalid_state error.coupon_dates"},
		{"fixed dates: the last day", fixed, saas, sh("2020-09-30 23:59:59"), ""},
		{"fixed dates: after it", fixed, saas, sh("2020-10-01 00:00:00"), "invalid_state error.coupon_dates"},
		{"fixed dates: before the first", fixed, saas, sh("2020-08-11 23:59:59"), "invalid_state error.coupon_dates"},
	}
	for _, tc := range tests {
		if _, err := promo.Apply(tc.cp, tc.lines, nil, tc.at); code(err) != tc.err {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.err)
		}
	}
	// Claimed at 01:00 in Shanghai on 08-12, which is still 08-11 in UTC:
	// the days are Shanghai's.
	early := promo.Issue(c, c.Pack[0], "k3", "b1", utc("2020-08-11 17:00:00"))
	if !early.ValidUntil.Equal(utc("2020-09-11 16:00:00")) || early.CampaignID != "c1" || early.OwnerOrgID != "b1" || early.Template.ID != "300off1000" {
		t.Errorf("issued %+v", early)
	}
}

func TestDiscounted(t *testing.T) {
	q, err := order.Totalled(money.CNY, []order.Line{ln("os", catalog.TypeImage, catalog.Yearly, 60000),
		ln("db", catalog.TypeSaaS, catalog.PayPerUse, 0), ln("crm", catalog.TypeSaaS, catalog.Monthly, 40000)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := promo.Discounted(q, []money.Amount{cny(18000), cny(0), cny(12000)})
	if err != nil {
		t.Fatal(err)
	}
	if got.List != cny(100000) || got.Discount != cny(30000) || got.Payable != cny(70000) ||
		got.Lines[0].Paid != cny(42000) || got.Lines[0].Discount != cny(18000) || got.Lines[2].Paid != cny(28000) {
		t.Errorf("%+v", got)
	}
	if q.Lines[0].Paid != cny(60000) {
		t.Error("the quote given was changed")
	}
	for _, parts := range [][]money.Amount{{cny(1)}, {cny(60001), cny(0), cny(0)}, {cny(-1), cny(0), cny(0)}, {money.New(1, money.USD), cny(0), cny(0)}} {
		if _, err := promo.Discounted(q, parts); err != promo.ErrParts {
			t.Errorf("%v: %v", parts, err)
		}
	}
}

func TestFitsBudget(t *testing.T) {
	for _, tc := range []struct {
		used, discount int64
		err            string
	}{
		{0, 90_000_00, ""},
		{89_700_00, 300_00, ""},
		{89_700_00, 300_01, "conflict error.budget_spent"},
		{90_000_00, 1, "conflict error.budget_spent"},
	} {
		if err := promo.FitsBudget(yuan(90_000), cny(tc.used), cny(tc.discount)); code(err) != tc.err {
			t.Errorf("used %d + %d: %v, want %q", tc.used, tc.discount, err, tc.err)
		}
	}
	if err := promo.FitsBudget(yuan(90_000), cny(0), money.New(1, money.USD)); err == nil {
		t.Error("a discount in dollars against a budget in yuan")
	}
}
