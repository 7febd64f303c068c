package promo_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*promo.Campaign)
		field  string // "" when valid
	}{
		{"the seed's campaign", func(*promo.Campaign) {}, ""},
		{"one day", func(c *promo.Campaign) { c.End, c.RedeemBy = c.Start, c.Start }, ""},
		{"no Chinese name", func(c *promo.Campaign) { c.Name.ZH = " " }, "name.zh"},
		{"an unknown currency", func(c *promo.Campaign) { c.Currency = "XYZ" }, "currency"},
		{"an unknown zone", func(c *promo.Campaign) { c.Zone = "Asia/Beijing" }, "zone"},
		{"no zone", func(c *promo.Campaign) { c.Zone = "" }, "zone"},
		{"ends before it starts", func(c *promo.Campaign) { c.End = date("2020-08-11") }, "end"},
		{"redemption ends before the campaign", func(c *promo.Campaign) { c.RedeemBy = date("2020-09-10") }, "redeem_by"},
		{"no segment", func(c *promo.Campaign) { c.Segments = nil }, "segments"},
		{"an unknown segment", func(c *promo.Campaign) { c.Segments = []account.Segment{"vip"} }, "segments"},
		{"an unknown order kind", func(c *promo.Campaign) { c.CountKinds = []order.Kind{"gift"} }, "count_kinds"},
		{"an unknown refund policy", func(c *promo.Campaign) { c.RefundPolicy = "maybe" }, "refund_policy"},
		{"no tiers", func(c *promo.Campaign) { c.Tiers = nil }, "tiers"},
		{"tiers out of order", func(c *promo.Campaign) { c.Tiers[1].Threshold = yuan(10_000) }, "tiers[1].threshold"},
		{"a threshold in dollars", func(c *promo.Campaign) { c.Tiers[0].Threshold = yuanUSD(10_000) }, "tiers[0].threshold"},
		{"a tier without gifts", func(c *promo.Campaign) { c.Tiers[2].Gifts = nil }, "tiers[2].gifts"},
		{"two gifts with one id", func(c *promo.Campaign) { c.Tiers[3].Gifts[0].ID = "mug" }, "tiers[3].gifts[0].id"},
		{"negative stock", func(c *promo.Campaign) { c.Tiers[0].Gifts[0].Stock = -1 }, "tiers[0].gifts[0].stock"},
		{"a gift's value in dollars", func(c *promo.Campaign) { c.Tiers[0].Gifts[0].Value = yuanUSD(1) }, "tiers[0].gifts[0].value"},
		{"a pack without a limit", func(c *promo.Campaign) { c.PackLimit = 0 }, "pack_limit"},
		{"no pack needs no limit", func(c *promo.Campaign) { c.Pack, c.PackLimit = nil, 0 }, ""},
		{"a budget in dollars", func(c *promo.Campaign) { c.Budget = yuanUSD(1) }, "budget"},
		{"a pack without a budget", func(c *promo.Campaign) { c.Budget = yuan(0) }, "budget"},
		{"no pack needs no budget", func(c *promo.Campaign) { c.Pack, c.PackLimit, c.Budget = nil, 0, money.Amount{} }, ""},
		{"two templates with one id", func(c *promo.Campaign) { c.Pack[1].ID = c.Pack[0].ID }, "pack[1].id"},
		{"amount off of nothing", func(c *promo.Campaign) { c.Pack[0].Off = yuan(0) }, "pack[0].off"},
		{"percent off without a cap", func(c *promo.Campaign) { c.Pack[1].Cap = money.Amount{} }, "pack[1].cap"},
		{"100 % off", func(c *promo.Campaign) { c.Pack[1].PercentBPS = 10_000 }, "pack[1].percent_bps"},
		{"an unknown kind of coupon", func(c *promo.Campaign) { c.Pack[0].Kind = "free" }, "pack[0].kind"},
		{"a minimum spend without a currency", func(c *promo.Campaign) { c.Pack[1].MinSpend = money.Amount{} }, "pack[1].min_spend"},
		{"an unknown category", func(c *promo.Campaign) { c.Pack[0].Scope.Categories = []string{"toys"} }, "pack[0].scope.categories"},
		{"an unknown type", func(c *promo.Campaign) { c.Pack[0].Scope.Types = []catalog.Type{"hardware"} }, "pack[0].scope.types"},
		{"days and dates both", func(c *promo.Campaign) { c.Pack[0].ValidFrom, c.Pack[0].ValidUntil = c.Start, c.End }, "pack[0].valid_days"},
		{"neither days nor dates", func(c *promo.Campaign) { c.Pack[1].ValidFrom, c.Pack[1].ValidUntil = promo.Date{}, promo.Date{} }, "pack[1].valid_days"},
		{"dates the wrong way round", func(c *promo.Campaign) { c.Pack[1].ValidUntil = date("2020-08-01") }, "pack[1].valid_until"},
		{"too many days", func(c *promo.Campaign) { c.Pack[0].ValidDays = 367 }, "pack[0].valid_days"},
	}
	for _, tc := range tests {
		c := seed()
		tc.change(&c)
		err := c.Validate()
		e := fault.As(err)
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (e == nil || e.Field != tc.field):
			t.Errorf("%s: %v, want an error on %s", tc.name, err, tc.field)
		}
	}
}

func TestDefaults(t *testing.T) {
	c := seed()
	if !c.Counts(order.New) || c.Counts(order.Renewal) || c.Counts(order.Upgrade) {
		t.Error("by default only new purchases count")
	}
	if c.Policy() != promo.RefuseRefund || c.Claims() != 1 {
		t.Error("by default refunds below a gift are refused and a customer claims one pack")
	}
}

func TestMove(t *testing.T) {
	before, opens, closes := sh("2020-08-01 00:00:00"), sh("2020-08-12 00:00:00"), sh("2020-09-12 00:00:00")
	tests := []struct {
		from, to promo.State
		at       time.Time
		ok       bool
	}{
		{promo.Draft, promo.Scheduled, before, true},
		{promo.Draft, promo.Scheduled, opens, true},
		{promo.Draft, promo.Scheduled, closes, false},
		{promo.Draft, promo.Active, opens, false},
		{promo.Scheduled, promo.Draft, before, true},
		{promo.Scheduled, promo.Draft, opens, false},
		{promo.Scheduled, promo.Active, opens.Add(-time.Second), false},
		{promo.Scheduled, promo.Active, opens, true},
		{promo.Scheduled, promo.Active, closes, false},
		{promo.Scheduled, promo.Ended, closes, true},
		{promo.Active, promo.Ended, closes.Add(-time.Second), false},
		{promo.Active, promo.Ended, closes, true},
		{promo.Active, promo.Draft, before, false},
		{promo.Ended, promo.Active, opens, false},
	}
	for _, tc := range tests {
		c := seed()
		c.State = tc.from
		got, err := promo.Move(c, tc.to, tc.at)
		if tc.ok && (err != nil || got != tc.to) || !tc.ok && (code(err) != "invalid_state error.campaign_state" || got != tc.from) {
			t.Errorf("%s → %s at %v: %s %v", tc.from, tc.to, tc.at, got, err)
		}
	}
	c := seed()
	c.State, c.Tiers = promo.Draft, nil
	if _, err := promo.Move(c, promo.Scheduled, before); fault.As(err) == nil || fault.As(err).Field != "tiers" {
		t.Errorf("an invalid campaign was scheduled: %v", err)
	}
}

func TestDue(t *testing.T) {
	tests := []struct {
		state promo.State
		at    time.Time
		want  promo.State
		due   bool
	}{
		{promo.Draft, sh("2020-08-20 00:00:00"), promo.Draft, false},
		{promo.Scheduled, sh("2020-08-11 23:59:59"), promo.Scheduled, false},
		{promo.Scheduled, sh("2020-08-12 00:00:00"), promo.Active, true},
		{promo.Scheduled, sh("2020-09-12 00:00:00"), promo.Ended, true},
		{promo.Active, sh("2020-09-11 23:59:59"), promo.Active, false},
		{promo.Active, utc("2020-09-11 16:00:00"), promo.Ended, true},
		{promo.Ended, sh("2021-01-01 00:00:00"), promo.Ended, false},
	}
	for _, tc := range tests {
		c := seed()
		c.State = tc.state
		if got, due := promo.Due(c, tc.at); got != tc.want || due != tc.due {
			t.Errorf("%s at %v: %s %v, want %s %v", tc.state, tc.at, got, due, tc.want, tc.due)
		}
	}
}

func TestCheckAdmit(t *testing.T) {
	mine := account.Org{ID: "b1", Kind: account.KindCustomer, Segment: account.SegmentDirect, AccountManagerID: "am1"}
	tests := []struct {
		name    string
		org     account.Org
		manager string
		note    string
		state   promo.State
		want    string
	}{
		{"its own customer", mine, "am1", "key account", promo.Active, ""},
		{"before the campaign starts", mine, "am1", "key account", promo.Scheduled, ""},
		{"another manager's customer", mine, "am2", "key account", promo.Active, "forbidden error.not_your_customer"},
		{"a customer without a manager", account.Org{ID: "b2", Kind: account.KindCustomer}, "", "x", promo.Active, "forbidden error.not_your_customer"},
		{"no note", mine, "am1", "  ", promo.Active, "invalid error.note_required"},
		{"an ended campaign", mine, "am1", "key account", promo.Ended, "invalid_state error.campaign_state"},
	}
	for _, tc := range tests {
		c := seed()
		c.State = tc.state
		if err := promo.CheckAdmit(c, tc.org, tc.manager, tc.note); code(err) != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestClaim(t *testing.T) {
	ok := promo.ClaimFacts{Segment: account.SegmentTelesales, Mine: 0, All: 299, At: sh("2020-08-12 00:00:00")}
	tests := []struct {
		name   string
		change func(*promo.ClaimFacts, *promo.Campaign)
		want   string
	}{
		{"the last pack", nil, ""},
		{"none left", func(f *promo.ClaimFacts, _ *promo.Campaign) { f.All = 300 }, "conflict error.packs_gone"},
		{"a second pack", func(f *promo.ClaimFacts, _ *promo.Campaign) { f.Mine = 1 }, "conflict error.pack_claimed"},
		{"a second pack when two are allowed", func(f *promo.ClaimFacts, c *promo.Campaign) { f.Mine, c.ClaimsPerCustomer = 1, 2 }, ""},
		{"a direct customer", func(f *promo.ClaimFacts, _ *promo.Campaign) { f.Segment = account.SegmentDirect }, "forbidden error.not_in_audience"},
		{"a direct customer admitted", func(f *promo.ClaimFacts, _ *promo.Campaign) { f.Segment, f.Admitted = account.SegmentDirect, true }, ""},
		{"after the window", func(f *promo.ClaimFacts, _ *promo.Campaign) { f.At = utc("2020-09-11 16:00:00") }, "invalid_state error.claim_closed"},
		{"a scheduled campaign", func(_ *promo.ClaimFacts, c *promo.Campaign) { c.State = promo.Scheduled }, "invalid_state error.claim_closed"},
		{"no pack", func(_ *promo.ClaimFacts, c *promo.Campaign) { c.Pack = nil }, "not_found error.no_pack"},
	}
	for _, tc := range tests {
		f, c := ok, seed()
		if tc.change != nil {
			tc.change(&f, &c)
		}
		if err := promo.CheckClaim(c, f); code(err) != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}

	n := 0
	newID := func() string { n++; return "k" + strconv.Itoa(n) }
	c := seed()
	pack := promo.IssuePack(c, "b1", sh("2020-08-12 10:00:00"), newID)
	if len(pack) != 2 || pack[0].ID != "k1" || pack[1].ID != "k2" || pack[1].Template.ID != "saas10" {
		t.Errorf("pack %+v", pack)
	}
	// The fixed-date coupon has expired by then: it is not issued.
	c.Pack[1].ValidUntil = date("2020-08-20")
	if pack := promo.IssuePack(c, "b1", sh("2020-08-21 00:00:00"), newID); len(pack) != 1 || pack[0].Template.ID != "300off1000" {
		t.Errorf("pack %+v", pack)
	}
}

func TestCheckEdit(t *testing.T) {
	tests := []struct {
		name   string
		state  promo.State
		change func(*promo.Campaign)
		ok     bool
	}{
		{"a draft: new tiers", promo.Draft, func(c *promo.Campaign) { c.Tiers = c.Tiers[:2] }, true},
		{"scheduled: a later start", promo.Scheduled, func(c *promo.Campaign) { c.Start = date("2020-08-13") }, true},
		{"a draft: still validated", promo.Draft, func(c *promo.Campaign) { c.Tiers = nil }, false},
		{"active: nothing changed", promo.Active, func(*promo.Campaign) {}, true},
		{"active: more stock, budget, packs, days to redeem, a new name", promo.Active, func(c *promo.Campaign) {
			c.Tiers[1].Gifts[0].Stock++
			c.Tiers[1].Gifts[0].Name.EN = "Smart speaker"
			c.Budget, c.PackLimit, c.RedeemBy, c.Name.EN = yuan(100_000), 400, date("2020-10-31"), "Spend more, get more"
		}, true},
		{"active: less stock", promo.Active, func(c *promo.Campaign) { c.Tiers[0].Gifts[0].Stock-- }, false},
		{"active: a smaller budget", promo.Active, func(c *promo.Campaign) { c.Budget = yuan(80_000) }, false},
		{"active: fewer packs", promo.Active, func(c *promo.Campaign) { c.PackLimit = 299 }, false},
		{"active: an earlier deadline", promo.Active, func(c *promo.Campaign) { c.RedeemBy = date("2020-09-29") }, false},
		{"active: a lower threshold", promo.Active, func(c *promo.Campaign) { c.Tiers[0].Threshold = yuan(9_000) }, false},
		{"active: a gift's value", promo.Active, func(c *promo.Campaign) { c.Tiers[0].Gifts[0].Value = yuan(10) }, false},
		{"active: another gift", promo.Active, func(c *promo.Campaign) { c.Tiers[0].Gifts = append(c.Tiers[0].Gifts, gift("pen", 5, 10)) }, false},
		{"active: a longer window", promo.Active, func(c *promo.Campaign) { c.End = date("2020-09-20") }, false},
		{"active: another segment", promo.Active, func(c *promo.Campaign) { c.Segments = append(c.Segments, account.SegmentDirect) }, false},
		{"active: the refund policy", promo.Active, func(c *promo.Campaign) { c.RefundPolicy = promo.DeductGiftValue }, false},
		{"active: a coupon's terms", promo.Active, func(c *promo.Campaign) { c.Pack[0].Off = yuan(400) }, false},
		{"ended: more stock", promo.Ended, func(c *promo.Campaign) { c.Tiers[4].Gifts[0].Stock = 20 }, true},
		{"ended: more packs", promo.Ended, func(c *promo.Campaign) { c.PackLimit = 400 }, false},
	}
	for _, tc := range tests {
		old := seed()
		old.State = tc.state
		edited := seed()
		edited.State = tc.state
		tc.change(&edited)
		if err := promo.CheckEdit(old, edited); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
