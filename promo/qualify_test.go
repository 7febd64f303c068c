package promo_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
)

func TestWindow(t *testing.T) {
	c := seed()
	from, until := c.Window()
	if !from.Equal(utc("2020-08-11 16:00:00")) || !until.Equal(utc("2020-09-11 16:00:00")) {
		t.Errorf("window %v – %v", from, until)
	}
	if !c.RedeemUntil().Equal(utc("2020-09-30 16:00:00")) {
		t.Errorf("redeem until %v", c.RedeemUntil())
	}
	// Where the clocks skip midnight, the day begins when they jump: São
	// Paulo went from 00:00 to 01:00 on 2018-11-04.
	sp := promo.Campaign{Zone: "America/Sao_Paulo", Start: date("2018-11-04"), End: date("2018-11-04")}
	if from, until := sp.Window(); !from.Equal(utc("2018-11-04 03:00:00")) || !until.Equal(utc("2018-11-05 02:00:00")) {
		t.Errorf("São Paulo window %v – %v", from, until)
	}
}

// facts is an order that counts toward the seed's campaign.
func facts() promo.OrderFacts {
	return promo.OrderFacts{OrderID: "o1", CustomerOrgID: "b1", Kind: order.New, Channel: promo.Channel("c1"),
		Paid: yuan(10_000), PaidAt: sh("2020-08-20 12:00:00"), Segment: account.SegmentTelesales}
}

func TestQualifies(t *testing.T) {
	tests := []struct {
		name     string
		change   func(*promo.OrderFacts)
		campaign func(*promo.Campaign)
		want     promo.Reason
	}{
		{"through the campaign's page", nil, nil, promo.Counted},
		// the window, in Asia/Shanghai
		{"the first instant of the first day, Shanghai", func(o *promo.OrderFacts) { o.PaidAt = sh("2020-08-12 00:00:00") }, nil, promo.Counted},
		{"a second before, Shanghai", func(o *promo.OrderFacts) { o.PaidAt = sh("2020-08-11 23:59:59") }, nil, promo.BeforeWindow},
		{"08-11 20:00 UTC is 08-12 04:00 in Shanghai", func(o *promo.OrderFacts) { o.PaidAt = utc("2020-08-11 20:00:00") }, nil, promo.Counted},
		{"the last second of the last day, Shanghai", func(o *promo.OrderFacts) { o.PaidAt = sh("2020-09-11 23:59:59") }, nil, promo.Counted},
		{"09-11 15:59:59.999 UTC is still 09-11 in Shanghai", func(o *promo.OrderFacts) { o.PaidAt = utc("2020-09-11 15:59:59").Add(999 * time.Millisecond) }, nil, promo.Counted},
		{"09-11 16:00 UTC is 09-12 00:00 in Shanghai", func(o *promo.OrderFacts) { o.PaidAt = utc("2020-09-11 16:00:00") }, nil, promo.AfterWindow},
		{"09-11 23:00 UTC, still 09-11 in UTC", func(o *promo.OrderFacts) { o.PaidAt = utc("2020-09-11 23:00:00") }, nil, promo.AfterWindow},
		{"not paid", func(o *promo.OrderFacts) { o.PaidAt = time.Time{} }, nil, promo.NotPaid},
		// kinds
		{"a renewal", func(o *promo.OrderFacts) { o.Kind = order.Renewal }, nil, promo.KindExcluded},
		{"an upgrade", func(o *promo.OrderFacts) { o.Kind = order.Upgrade }, nil, promo.KindExcluded},
		{"a renewal the operator lists", func(o *promo.OrderFacts) { o.Kind = order.Renewal },
			func(c *promo.Campaign) { c.CountKinds = []order.Kind{order.New, order.Renewal} }, promo.Counted},
		{"an upgrade when only renewals are listed", func(o *promo.OrderFacts) { o.Kind = order.Upgrade },
			func(c *promo.Campaign) { c.CountKinds = []order.Kind{order.New, order.Renewal} }, promo.KindExcluded},
		// channels and coupons
		{"direct with this campaign's coupon", func(o *promo.OrderFacts) { o.Channel, o.CouponCampaignID = "direct", "c1" }, nil, promo.Counted},
		{"this campaign's page with this campaign's coupon", func(o *promo.OrderFacts) { o.CouponCampaignID = "c1" }, nil, promo.Counted},
		{"this campaign's page with another campaign's coupon", func(o *promo.OrderFacts) { o.CouponCampaignID = "c2" }, nil, promo.OtherCampaign},
		{"another campaign's page", func(o *promo.OrderFacts) { o.Channel = promo.Channel("c2") }, nil, promo.OtherCampaign},
		{"another campaign's page with this campaign's coupon", func(o *promo.OrderFacts) { o.Channel, o.CouponCampaignID = promo.Channel("c2"), "c1" }, nil, promo.Counted},
		{"direct without a coupon", func(o *promo.OrderFacts) { o.Channel = "direct" }, nil, promo.NotThrough},
		{"through a partner without a coupon", func(o *promo.OrderFacts) { o.Channel = "partner:p1" }, nil, promo.NotThrough},
		{"a campaign id that only starts like this one", func(o *promo.OrderFacts) { o.Channel = promo.Channel("c10") }, nil, promo.OtherCampaign},
		// audience
		{"channel partner", func(o *promo.OrderFacts) { o.Segment = account.SegmentChannelPartner }, nil, promo.Counted},
		{"direct customer", func(o *promo.OrderFacts) { o.Segment = account.SegmentDirect }, nil, promo.NotInAudience},
		{"direct customer admitted", func(o *promo.OrderFacts) { o.Segment, o.Admitted = account.SegmentDirect, true }, nil, promo.Counted},
		{"no segment known", func(o *promo.OrderFacts) { o.Segment = "" }, nil, promo.NotInAudience},
		// amounts
		{"in US dollars", func(o *promo.OrderFacts) { o.Paid = money.New(1_000_000, money.USD) }, nil, promo.OtherCurrency},
		{"nothing paid (a free trial)", func(o *promo.OrderFacts) { o.Paid = yuan(0) }, nil, promo.NothingPaid},
		{"one fen", func(o *promo.OrderFacts) { o.Paid = cny(1) }, nil, promo.Counted},
	}
	for _, tc := range tests {
		c, o := seed(), facts()
		if tc.change != nil {
			tc.change(&o)
		}
		if tc.campaign != nil {
			tc.campaign(&c)
		}
		amount, r := promo.Qualifies(c, o)
		if r != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, r, tc.want)
			continue
		}
		want := yuan(0)
		if r == promo.Counted {
			want = o.Paid
		}
		if amount != want {
			t.Errorf("%s: amount %v, want %v", tc.name, amount, want)
		}
		if r.Message() == "" {
			t.Errorf("%s: no message for %s", tc.name, r)
		}
	}
}

// Every reason is given, so a customer is told all that kept an order out.
func TestReasons(t *testing.T) {
	o := facts()
	o.Channel, o.Kind, o.PaidAt, o.Segment, o.Paid = "direct", order.Renewal, sh("2020-09-12 00:00:00"), account.SegmentOther, money.New(5, money.USD)
	got := promo.Reasons(seed(), o)
	want := []promo.Reason{promo.AfterWindow, promo.NotThrough, promo.KindExcluded, promo.OtherCurrency, promo.NotInAudience}
	if !slices.Equal(got, want) {
		t.Errorf("%v, want %v", got, want)
	}
}

// An order counts toward at most one campaign, whatever its page and coupon.
func TestAtMostOneCampaign(t *testing.T) {
	c1, c2 := seed(), seed()
	c2.ID = "c2"
	for _, ch := range []string{"direct", promo.Channel("c1"), promo.Channel("c2"), "partner:p"} {
		for _, coupon := range []string{"", "c1", "c2"} {
			o := facts()
			o.Channel, o.CouponCampaignID = ch, coupon
			_, r1 := promo.Qualifies(c1, o)
			_, r2 := promo.Qualifies(c2, o)
			if r1 == promo.Counted && r2 == promo.Counted {
				t.Errorf("channel %s, coupon %q counts toward both", ch, coupon)
			}
			if want := promo.CampaignOf(o); (want == "c1") != (r1 == promo.Counted) || (want == "c2") != (r2 == promo.Counted) {
				t.Errorf("channel %s, coupon %q: campaign %q, c1 %s, c2 %s", ch, coupon, want, r1, r2)
			}
		}
	}
}

// The segment and the admission that decide are those in force when the
// order was paid.
func TestFactsAtPayment(t *testing.T) {
	paid := sh("2020-08-20 12:00:00")
	before, after := paid.Add(-time.Second), paid.Add(time.Second)
	seg := func(s account.Segment, at time.Time) promo.SegmentChange {
		return promo.SegmentChange{Segment: s, At: at}
	}
	created := sh("2019-01-01 00:00:00")
	adm := func(campaign, customer string, at, revoked time.Time) promo.Admission {
		return promo.Admission{CampaignID: campaign, CustomerOrgID: customer, By: "am1", Note: "key account", At: at, RevokedAt: revoked}
	}
	tests := []struct {
		name       string
		segments   []promo.SegmentChange
		admissions []promo.Admission
		want       promo.Reason
	}{
		{"telesales all along", []promo.SegmentChange{seg(account.SegmentTelesales, created)}, nil, promo.Counted},
		{"became telesales a second after paying", []promo.SegmentChange{seg(account.SegmentDirect, created), seg(account.SegmentTelesales, after)}, nil, promo.NotInAudience},
		{"became telesales as it paid", []promo.SegmentChange{seg(account.SegmentTelesales, paid), seg(account.SegmentDirect, created)}, nil, promo.Counted},
		{"left telesales after paying", []promo.SegmentChange{seg(account.SegmentTelesales, created), seg(account.SegmentDirect, after)}, nil, promo.Counted},
		{"left telesales before paying", []promo.SegmentChange{seg(account.SegmentTelesales, created), seg(account.SegmentDirect, before)}, nil, promo.NotInAudience},
		{"admitted before paying", []promo.SegmentChange{seg(account.SegmentDirect, created)}, []promo.Admission{adm("c1", "b1", before, time.Time{})}, promo.Counted},
		{"admitted as it paid", []promo.SegmentChange{seg(account.SegmentDirect, created)}, []promo.Admission{adm("c1", "b1", paid, time.Time{})}, promo.Counted},
		{"admitted after paying", []promo.SegmentChange{seg(account.SegmentDirect, created)}, []promo.Admission{adm("c1", "b1", after, time.Time{})}, promo.NotInAudience},
		{"admission revoked before paying", []promo.SegmentChange{seg(account.SegmentDirect, created)}, []promo.Admission{adm("c1", "b1", created, before)}, promo.NotInAudience},
		{"admission revoked as it paid", []promo.SegmentChange{seg(account.SegmentDirect, created)}, []promo.Admission{adm("c1", "b1", created, paid)}, promo.NotInAudience},
		{"admission revoked after paying", []promo.SegmentChange{seg(account.SegmentDirect, created)}, []promo.Admission{adm("c1", "b1", created, after)}, promo.Counted},
		{"readmitted after a revocation", []promo.SegmentChange{seg(account.SegmentDirect, created)},
			[]promo.Admission{adm("c1", "b1", created, before.Add(-time.Hour)), adm("c1", "b1", before, time.Time{})}, promo.Counted},
		{"admitted to another campaign", []promo.SegmentChange{seg(account.SegmentDirect, created)}, []promo.Admission{adm("c2", "b1", before, time.Time{})}, promo.NotInAudience},
		{"another customer admitted", []promo.SegmentChange{seg(account.SegmentDirect, created)}, []promo.Admission{adm("c1", "b2", before, time.Time{})}, promo.NotInAudience},
	}
	c := seed()
	o := order.Order{ID: "o1", BuyerOrgID: "b1", Kind: order.New, Channel: promo.Channel("c1"),
		Quote: order.Quote{Currency: money.CNY, Payable: yuan(10_000)}, PaidAt: paid}
	for _, tc := range tests {
		f := promo.Facts(c, o, "", tc.segments, tc.admissions)
		if _, r := promo.Qualifies(c, f); r != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, r, tc.want)
		}
	}
}

func TestSegmentAt(t *testing.T) {
	changes := []promo.SegmentChange{{Segment: account.SegmentDirect, At: utc("2020-01-01 00:00:00")}, {Segment: account.SegmentTelesales, At: utc("2020-06-01 00:00:00")}}
	for _, tc := range []struct {
		at   time.Time
		want account.Segment
	}{
		{utc("2019-12-31 23:59:59"), ""},
		{utc("2020-01-01 00:00:00"), account.SegmentDirect},
		{utc("2020-05-31 23:59:59"), account.SegmentDirect},
		{utc("2020-06-01 00:00:00"), account.SegmentTelesales},
	} {
		if got := promo.SegmentAt(changes, tc.at); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.at, got, tc.want)
		}
	}
}
