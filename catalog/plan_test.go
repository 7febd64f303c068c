package catalog_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

func cny(minor int64) money.Amount { return money.New(minor, money.CNY) }

// meteredPlan is a pay-per-use plan: the first 100 GB free, then ¥0.50 a GB
// up to 1,000 GB, then ¥0.30.
func meteredPlan() catalog.Plan {
	return catalog.Plan{
		Code: "metered", Name: catalog.Text{EN: "Pay as you go", ZH: "按量付费"}, Mode: catalog.PayPerUse, Active: true, TrialDays: 14,
		Usage: &catalog.UsagePrice{Unit: "GB", Tiers: []catalog.Tier{
			{UpTo: 100, UnitPrice: cny(0)},
			{UpTo: 1000, UnitPrice: cny(50)},
			{UnitPrice: cny(30)},
		}},
	}
}

func TestAllowedModes(t *testing.T) {
	want := map[catalog.Type][]catalog.BillingMode{
		catalog.TypeImage:   {catalog.Monthly, catalog.Yearly, catalog.PayPerUse},
		catalog.TypeSaaS:    {catalog.OneTime, catalog.Monthly, catalog.Yearly, catalog.PayPerUse},
		catalog.TypeLicense: {catalog.OneTime, catalog.Monthly, catalog.Yearly},
		catalog.TypeService: {catalog.OneTime, catalog.Monthly, catalog.Yearly},
	}
	for typ, modes := range want {
		if got := catalog.AllowedModes(typ); !slices.Equal(got, modes) {
			t.Errorf("AllowedModes(%s) = %v; want %v", typ, got, modes)
		}
		for _, m := range catalog.BillingModes {
			if typ.Allows(m) != slices.Contains(modes, m) {
				t.Errorf("%s.Allows(%s) wrong", typ, m)
			}
		}
	}
	if !catalog.PayPerUse.Valid() || catalog.BillingMode("weekly").Valid() {
		t.Error("BillingMode.Valid wrong")
	}
	if len(catalog.AllowedModes("api")) != 0 {
		t.Error("an unknown type allows modes")
	}
}

func TestValidatePlans(t *testing.T) {
	img, saas := catalog.TypeImage, catalog.TypeSaaS
	plan := func(f func(pl *catalog.Plan)) func(p *catalog.Product) {
		return func(p *catalog.Product) { f(&p.Plans[0]) }
	}
	metered := func(f func(u *catalog.UsagePrice)) func(p *catalog.Product) {
		return func(p *catalog.Product) {
			p.Plans[0] = meteredPlan()
			f(p.Plans[0].Usage)
		}
	}
	tiers := func(ts ...catalog.Tier) func(u *catalog.UsagePrice) {
		return func(u *catalog.UsagePrice) { u.Tiers = ts }
	}
	second := func(pl catalog.Plan) func(p *catalog.Product) {
		return func(p *catalog.Product) { p.Plans = append(p.Plans, pl) }
	}
	usd := catalog.Plan{Code: "basic-usd", Name: catalog.Text{EN: "Basic", ZH: "基础版"}, Mode: catalog.Yearly, Price: money.New(99_00, money.USD), Active: true}
	const p0 = "plans[0]"
	const tier1 = "plans[0].usage.tiers[1]"
	runValidation(t, []validationCase{
		{"one-time plan on an image", img, plan(func(pl *catalog.Plan) { pl.Mode = catalog.OneTime }), p0 + ".mode", "error.billing_mode"},
		{"unknown mode", img, plan(func(pl *catalog.Plan) { pl.Mode = "weekly" }), p0 + ".mode", "error.billing_mode"},
		{"pay-per-use on an image", img, func(p *catalog.Product) { p.Plans[0] = meteredPlan() }, "", ""},
		{"one-time SaaS plan", saas, second(catalog.Plan{Code: "setup", Name: catalog.Text{EN: "Setup", ZH: "开通"}, Mode: catalog.OneTime, Price: cny(500_00)}), "", ""},
		{"a negative price", img, plan(func(pl *catalog.Plan) { pl.Price = cny(-100) }), p0 + ".price", "error.price_positive"},
		{"a zero price", img, plan(func(pl *catalog.Plan) { pl.Price = cny(0) }), p0 + ".price", "error.price_positive"},
		{"a price in an unsupported currency", img, plan(func(pl *catalog.Plan) { pl.Price = money.New(9900, "XXX") }), p0 + ".price", "error.currency_unsupported"},
		{"a price without a currency", img, plan(func(pl *catalog.Plan) { pl.Price = money.Amount{Minor: 9900} }), p0 + ".price", "error.currency_unsupported"},
		{"CNY and USD plans side by side", img, second(usd), "", ""},
		{"duplicate plan codes", img, second(catalog.Plan{Code: "basic", Name: usd.Name, Mode: catalog.Yearly, Price: cny(999_00)}), "plans[1].code", "error.plan_code_taken"},
		{"a plan code with spaces", img, plan(func(pl *catalog.Plan) { pl.Code = "Basic Plan" }), p0 + ".code", "error.plan_code"},
		{"no plan code", img, plan(func(pl *catalog.Plan) { pl.Code = "" }), p0 + ".code", "error.plan_code"},
		{"no Chinese plan name", img, plan(func(pl *catalog.Plan) { pl.Name.ZH = "" }), p0 + ".name.zh", "error.name_length"},
		{"no active plan", img, plan(func(pl *catalog.Plan) { pl.Active = false }), "plans", "error.plans_required"},
		{"no plan", img, func(p *catalog.Product) { p.Plans = nil }, "plans", "error.plans_required"},
		{"21 plans", img, func(p *catalog.Product) { p.Plans = make([]catalog.Plan, 21) }, "plans", "error.plans_many"},
		{"91 trial days", img, plan(func(pl *catalog.Plan) { pl.TrialDays = 91 }), p0 + ".trial_days", "error.trial_days"},
		{"negative trial days", img, plan(func(pl *catalog.Plan) { pl.TrialDays = -1 }), p0 + ".trial_days", "error.trial_days"},
		{"90 trial days", img, plan(func(pl *catalog.Plan) { pl.TrialDays = 90 }), "", ""},
		{"a trial on a one-time purchase", saas, plan(func(pl *catalog.Plan) { pl.Mode = catalog.OneTime }), p0 + ".trial_days", "error.trial_not_allowed"},
		{"usage prices on a monthly plan", img, plan(func(pl *catalog.Plan) { pl.Usage = meteredPlan().Usage }), p0 + ".usage", "error.usage_not_metered"},
		{"pay-per-use without usage prices", saas, plan(func(pl *catalog.Plan) { pl.Mode, pl.Price = catalog.PayPerUse, money.Amount{} }), p0 + ".usage", "error.usage_required"},
		{"pay-per-use with a fixed price", saas, func(p *catalog.Product) { p.Plans[0] = meteredPlan(); p.Plans[0].Price = cny(100) }, p0 + ".price", "error.price_usage"},
		{"no usage unit", saas, metered(func(u *catalog.UsagePrice) { u.Unit = " " }), p0 + ".usage.unit", "error.usage_unit"},
		{"no tiers", saas, metered(tiers()), p0 + ".usage.tiers", "error.tiers_count"},
		{"one tier", saas, metered(tiers(catalog.Tier{UnitPrice: cny(1)})), "", ""},
		{"tier bounds not increasing", saas, metered(tiers(catalog.Tier{UpTo: 100, UnitPrice: cny(5)}, catalog.Tier{UpTo: 50, UnitPrice: cny(4)}, catalog.Tier{UnitPrice: cny(3)})), tier1 + ".up_to", "error.tier_order"},
		{"tier bounds equal", saas, metered(tiers(catalog.Tier{UpTo: 100, UnitPrice: cny(5)}, catalog.Tier{UpTo: 100, UnitPrice: cny(4)}, catalog.Tier{UnitPrice: cny(3)})), tier1 + ".up_to", "error.tier_order"},
		{"an unbounded tier before the last", saas, metered(tiers(catalog.Tier{UpTo: 100, UnitPrice: cny(5)}, catalog.Tier{UnitPrice: cny(4)}, catalog.Tier{UpTo: 500, UnitPrice: cny(3)})), tier1 + ".up_to", "error.tier_order"},
		{"a negative bound", saas, metered(tiers(catalog.Tier{UpTo: -5, UnitPrice: cny(5)}, catalog.Tier{UnitPrice: cny(4)})), p0 + ".usage.tiers[0].up_to", "error.tier_order"},
		{"a bounded last tier", saas, metered(tiers(catalog.Tier{UpTo: 100, UnitPrice: cny(5)}, catalog.Tier{UpTo: 200, UnitPrice: cny(4)})), tier1 + ".up_to", "error.tier_last"},
		{"a free only tier", saas, metered(tiers(catalog.Tier{UnitPrice: cny(0)})), p0 + ".usage.tiers[0].unit_price", "error.tier_price"},
		{"a free second tier", saas, metered(tiers(catalog.Tier{UpTo: 100, UnitPrice: cny(5)}, catalog.Tier{UnitPrice: cny(0)})), tier1 + ".unit_price", "error.tier_price"},
		{"a negative unit price", saas, metered(tiers(catalog.Tier{UpTo: 100, UnitPrice: cny(-5)}, catalog.Tier{UnitPrice: cny(5)})), p0 + ".usage.tiers[0].unit_price", "error.tier_price"},
		{"tiers in two currencies", saas, metered(tiers(catalog.Tier{UpTo: 100, UnitPrice: cny(5)}, catalog.Tier{UnitPrice: money.New(1, money.USD)})), tier1 + ".unit_price", "error.tier_currency"},
		{"a tier in an unsupported currency", saas, metered(tiers(catalog.Tier{UnitPrice: money.New(5, "XXX")})), p0 + ".usage.tiers[0].unit_price", "error.currency_unsupported"},
	}, false)
}

func TestUsageCost(t *testing.T) {
	plan := meteredPlan()
	tests := []struct {
		units int64
		want  int64 // fen
	}{
		{0, 0},
		{99, 0},
		{100, 0}, // exactly at the first bound: all 100 units are free
		{101, 50},
		{999, 899 * 50},
		{1000, 900 * 50}, // exactly at the second bound
		{1001, 900*50 + 30},
		{2500, 900*50 + 1500*30},
	}
	for _, tc := range tests {
		got, err := plan.UsageCost(tc.units)
		if err != nil || got != cny(tc.want) {
			t.Errorf("UsageCost(%d) = %v, %v; want %v", tc.units, got, err, cny(tc.want))
		}
	}

	one := catalog.Plan{Mode: catalog.PayPerUse, Usage: &catalog.UsagePrice{Unit: "API call", Tiers: []catalog.Tier{{UnitPrice: cny(math.MaxInt64 / 2)}}}}
	if _, err := one.UsageCost(3); !errors.Is(err, money.ErrOverflow) {
		t.Errorf("units × price beyond int64: %v; want ErrOverflow", err)
	}
	// Each tier's cost fits, their sum does not.
	two := catalog.Plan{Mode: catalog.PayPerUse, Usage: &catalog.UsagePrice{Unit: "GB", Tiers: []catalog.Tier{
		{UpTo: 1, UnitPrice: cny(math.MaxInt64)}, {UnitPrice: cny(1)},
	}}}
	if _, err := two.UsageCost(2); !errors.Is(err, money.ErrOverflow) {
		t.Errorf("sum beyond int64: %v; want ErrOverflow", err)
	}
	if got, err := two.UsageCost(1); err != nil || got != cny(math.MaxInt64) {
		t.Errorf("UsageCost(1) = %v, %v", got, err)
	}

	refused := []struct {
		name  string
		plan  catalog.Plan
		units int64
		field string
	}{
		{"negative usage", plan, -1, "units"},
		{"a monthly plan", product(catalog.TypeImage).Plans[0], 1, "mode"},
		{"bad tiers", catalog.Plan{Mode: catalog.PayPerUse, Usage: &catalog.UsagePrice{Unit: "GB", Tiers: []catalog.Tier{
			{UpTo: 100, UnitPrice: cny(5)}, {UpTo: 100, UnitPrice: cny(4)}, {UnitPrice: cny(3)},
		}}}, 10, "usage.tiers[1].up_to"},
	}
	for _, tc := range refused {
		_, err := tc.plan.UsageCost(tc.units)
		if e := fault.As(err); e == nil || e.Code != fault.Invalid || e.Field != tc.field {
			t.Errorf("%s: %v; want Invalid on %s", tc.name, err, tc.field)
		}
	}
}

func TestYearlySaving(t *testing.T) {
	plan := func(mode catalog.BillingMode, price money.Amount) catalog.Plan {
		return catalog.Plan{Mode: mode, Price: price}
	}
	month := plan(catalog.Monthly, cny(100_00))
	tests := []struct {
		name    string
		yearly  catalog.Plan
		monthly catalog.Plan
		want    int
		ok      bool
	}{
		{"ten months for twelve", plan(catalog.Yearly, cny(1000_00)), month, 17, true},
		{"half price", plan(catalog.Yearly, cny(600_00)), month, 50, true},
		{"0.5% rounds up to 1%", plan(catalog.Yearly, cny(1194_00)), month, 1, true},
		{"under 0.5%", plan(catalog.Yearly, cny(1199_00)), month, 0, false},
		{"no saving", plan(catalog.Yearly, cny(1200_00)), month, 0, false},
		{"dearer", plan(catalog.Yearly, cny(1300_00)), month, 0, false},
		{"currencies differ", plan(catalog.Yearly, money.New(1000_00, money.USD)), month, 0, false},
		{"modes swapped", month, plan(catalog.Yearly, cny(1000_00)), 0, false},
		{"free month", plan(catalog.Yearly, cny(1000_00)), plan(catalog.Monthly, cny(0)), 0, false},
		{"twelve months beyond int64", plan(catalog.Yearly, cny(math.MaxInt64)), plan(catalog.Monthly, cny(math.MaxInt64)), 92, true},
	}
	for _, tc := range tests {
		got, ok := tc.yearly.YearlySaving(tc.monthly)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: YearlySaving = %d, %v; want %d, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPlanCurrency(t *testing.T) {
	if c := meteredPlan().Currency(); c != money.CNY {
		t.Errorf("metered plan currency %q", c)
	}
	if c := (catalog.Plan{Mode: catalog.Yearly, Price: money.New(1, money.USD)}).Currency(); c != money.USD {
		t.Errorf("yearly plan currency %q", c)
	}
}
