package benefit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/benefit"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
)

var now = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

func usd(minor int64) money.Amount { return money.New(minor, money.USD) }

// approved is a seller with every benefit: above the banner line, a verified
// migration, an authorised product and test credit left.
func approved() benefit.Facts {
	return benefit.Facts{State: seller.Approved, ApprovedAt: now.AddDate(-1, 0, 0), Now: now,
		Transactions: usd(250_000_00), TestCreditHeld: usd(0), VerifiedMigrations: 1, ResaleEligible: 2, ResaleAuthorised: 1}
}

func with(change func(*benefit.Facts)) benefit.Facts {
	f := approved()
	change(&f)
	return f
}

func TestEvaluateEveryBenefit(t *testing.T) {
	got := benefit.Evaluate(approved())
	want := []benefit.ID{benefit.HomepageBanner, benefit.FeaturedZones, benefit.Resale, benefit.JointMarketing,
		benefit.SalesTrainings, benefit.TestCoupons, benefit.TechnicalSupport, benefit.Trainings}
	if len(got) != len(want) {
		t.Fatalf("%d benefits, want %d", len(got), len(want))
	}
	for i, s := range got {
		if s.ID != want[i] || !s.Has || s.Reason.Text.EN == "" || s.Reason.Text.ZH == "" || s.Reason.MsgID == "" ||
			s.Name.EN == "" || s.Name.ZH == "" || !strings.HasPrefix(s.Action.UI, "/") || !strings.HasPrefix(s.Action.API, "/api/v1/") {
			t.Errorf("benefit %d: %+v", i, s)
		}
	}
}

// TestRules: each rule at its edge.
func TestRules(t *testing.T) {
	tests := []struct {
		name   string
		facts  benefit.Facts
		id     benefit.ID
		has    bool
		reason string // in the English reason
	}{
		{"banner at USD 99,999.99", with(func(f *benefit.Facts) { f.Transactions = usd(99_999_99) }), benefit.HomepageBanner, false,
			"USD 0.01 more in transactions to qualify for the homepage banner."},
		{"banner at USD 100,000.00", with(func(f *benefit.Facts) { f.Transactions = usd(100_000_00) }), benefit.HomepageBanner, true,
			"USD 100,000.00 in transactions"},
		{"banner far off", with(func(f *benefit.Facts) { f.Transactions = usd(37_690_00) }), benefit.HomepageBanner, false,
			"USD 62,310.00 more in transactions to qualify for the homepage banner."},
		{"banner with no sales", with(func(f *benefit.Facts) { f.Transactions = money.Amount{} }), benefit.HomepageBanner, false,
			"USD 100,000.00 more"},
		{"banner, sales without a rate", with(func(f *benefit.Facts) {
			f.Transactions, f.Unconverted = usd(1_000_00), []money.Amount{money.New(5_000_00, money.CNY)}
		}), benefit.HomepageBanner, false, "USD 99,000.00 more in transactions to qualify for the homepage banner. Sales of CNY 5,000.00 are not counted"},
		{"featured zones", approved(), benefit.FeaturedZones, true, "featured zones"},
		{"resale: nothing meets the requirements", with(func(f *benefit.Facts) { f.ResaleEligible, f.ResaleAuthorised = 0, 0 }), benefit.Resale, false,
			"None of your products"},
		{"resale: eligible, none authorised", with(func(f *benefit.Facts) { f.ResaleAuthorised = 0 }), benefit.Resale, true, "Products meeting the resale requirements: 2."},
		{"resale: authorised", approved(), benefit.Resale, true, "authorised for resale: 1"},
		{"sales trainings before a migration", with(func(f *benefit.Facts) { f.VerifiedMigrations = 0 }), benefit.SalesTrainings, false,
			"Declare a migration"},
		{"sales trainings after one", approved(), benefit.SalesTrainings, true, "Verified migrations to the cloud: 1."},
		{"test coupons, none requested", approved(), benefit.TestCoupons, true, "USD 1,000.00 more of test credit"},
		{"test coupons, USD 400 held", with(func(f *benefit.Facts) { f.TestCreditHeld = usd(400_00) }), benefit.TestCoupons, true,
			"USD 600.00 more of test credit"},
		{"test coupons, USD 999.99 held", with(func(f *benefit.Facts) { f.TestCreditHeld = usd(999_99) }), benefit.TestCoupons, true,
			"USD 0.01 more"},
		{"test coupons, all held", with(func(f *benefit.Facts) { f.TestCreditHeld = usd(1_000_00) }), benefit.TestCoupons, false,
			"all USD 1,000.00"},
		{"joint marketing", approved(), benefit.JointMarketing, true, "annual conference"},
		{"technical support", approved(), benefit.TechnicalSupport, true, "consulting"},
		{"trainings", approved(), benefit.Trainings, true, "courses"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := benefit.Of(benefit.Evaluate(tt.facts), tt.id)
			if !ok || s.Has != tt.has || !strings.Contains(s.Reason.Text.EN, tt.reason) || s.Reason.Text.ZH == "" {
				t.Fatalf("%s: has %v, %q; want %v, %q", tt.id, s.Has, s.Reason.Text.EN, tt.has, tt.reason)
			}
		})
	}
}

// TestNotSellingHasNone: a suspended seller loses every benefit, however
// much it sold; an applicant has none yet.
func TestNotSellingHasNone(t *testing.T) {
	for _, state := range []seller.State{seller.Suspended, seller.Submitted, seller.Draft, seller.Rejected, ""} {
		f := with(func(f *benefit.Facts) { f.State = state })
		for _, s := range benefit.Evaluate(f) {
			if s.Has {
				t.Errorf("%q has %s", state, s.ID)
			}
			want := "approved"
			if state == seller.Suspended {
				want = "suspended"
			}
			if !strings.Contains(s.Reason.Text.EN, want) {
				t.Errorf("%q, %s: %q", state, s.ID, s.Reason.Text.EN)
			}
		}
		if benefit.Featured(state) || benefit.Banner(f).Has {
			t.Errorf("%q may be placed", state)
		}
		if p := benefit.Banner(f).Progress; p == nil || p.Percent() != 100 {
			t.Errorf("%q: progress %+v (still shown)", state, p)
		}
	}
	if !benefit.Featured(seller.Approved) {
		t.Error("an approved seller may not be featured")
	}
}

func TestProgress(t *testing.T) {
	for _, tt := range []struct {
		have int64
		want int
	}{{0, 0}, {-5_00, 0}, {37_690_00, 37}, {99_999_99, 99}, {100_000_00, 100}, {300_000_00, 100}} {
		if got := (benefit.Progress{Have: usd(tt.have), Target: benefit.BannerThreshold}).Percent(); got != tt.want {
			t.Errorf("%d: %d%%, want %d%%", tt.have, got, tt.want)
		}
	}
}
