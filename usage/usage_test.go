package usage_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/usage"
)

var now = time.Date(2026, 3, 10, 12, 30, 0, 0, time.UTC)

func TestCheck(t *testing.T) {
	ok := usage.Record{ID: "r1", InstanceID: "i1", Unit: "GB", Begin: now.Add(-90 * time.Minute), End: now.Add(-60 * time.Minute), Quantity: 5}
	tests := []struct {
		name string
		edit func(r *usage.Record)
		want usage.Reason
	}{
		{"valid", func(*usage.Record) {}, ""},
		{"a whole hour", func(r *usage.Record) { r.Begin, r.End = now.Add(-150*time.Minute), now.Add(-90*time.Minute) }, ""},
		{"no id", func(r *usage.Record) { r.ID = " " }, usage.ReasonID},
		{"no instance", func(r *usage.Record) { r.InstanceID = "" }, usage.ReasonInstance},
		{"end before begin", func(r *usage.Record) { r.Begin, r.End = r.End, r.Begin }, usage.ReasonPeriod},
		{"two hours", func(r *usage.Record) { r.Begin = now.Add(-3 * time.Hour) }, usage.ReasonPeriod},
		{"across an hour", func(r *usage.Record) { r.Begin, r.End = now.Add(-40*time.Minute), now.Add(-10*time.Minute) }, usage.ReasonPeriod},
		{"in the future", func(r *usage.Record) { r.Begin, r.End = now.Add(-20*time.Minute), now.Add(20*time.Minute) }, usage.ReasonFuture},
		{"47 hours late", func(r *usage.Record) { r.Begin, r.End = now.Add(-47*time.Hour-30*time.Minute), now.Add(-47*time.Hour) }, ""},
		{"48 hours late to the second", func(r *usage.Record) {
			r.Begin, r.End = now.Add(-48*time.Hour-30*time.Minute), now.Add(-48*time.Hour)
		}, ""},
		{"too late", func(r *usage.Record) { r.Begin, r.End = now.Add(-49*time.Hour-30*time.Minute), now.Add(-49*time.Hour) }, usage.ReasonTooLate},
		{"negative", func(r *usage.Record) { r.Quantity = -1 }, usage.ReasonNegative},
		{"negative adjustment", func(r *usage.Record) { r.Quantity, r.Adjusts = -1, "r0" }, ""},
		{"zero adjustment", func(r *usage.Record) { r.Quantity, r.Adjusts = 0, "r0" }, usage.ReasonZeroAdjustment},
		{"zero usage", func(r *usage.Record) { r.Quantity = 0 }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.edit(&r)
			got := usage.Check(r, now)
			switch {
			case tt.want == "" && got != nil:
				t.Fatalf("rejected: %+v", got)
			case tt.want != "" && (got == nil || got.Reason != tt.want || got.Message == ""):
				t.Fatalf("got %+v, want %s", got, tt.want)
			}
		})
	}
}

// The plan of docs/usage.md: the first 100 units free, then ¥0.50 up to
// 1,000, then ¥0.30.
var plan = catalog.Plan{Code: "metered", Mode: catalog.PayPerUse, Usage: &catalog.UsagePrice{Unit: "GB", Tiers: []catalog.Tier{
	{UpTo: 100, UnitPrice: money.New(0, money.CNY)},
	{UpTo: 1000, UnitPrice: money.New(50, money.CNY)},
	{UnitPrice: money.New(30, money.CNY)},
}}}

func TestCostAndCharge(t *testing.T) {
	costs := []struct {
		units int64
		minor int64
	}{
		{0, 0}, {100, 0}, {101, 50}, {1000, 900 * 50}, {1001, 900*50 + 30}, {2500, 900*50 + 1500*30},
	}
	for _, c := range costs {
		got, err := usage.Cost(plan, c.units)
		if err != nil || got != money.New(c.minor, money.CNY) {
			t.Errorf("cost of %d: %v %v, want %d", c.units, got, err, c.minor)
		}
	}
	charges := []struct {
		before, after, minor int64
	}{
		{0, 60, 0},                   // inside the free tier
		{60, 120, 20 * 50},           // crosses into the second
		{120, 1100, 880*50 + 100*30}, // crosses into the third
		{1100, 1000, -100 * 30},      // an adjustment back down
	}
	var sum int64
	for _, c := range charges {
		got, err := usage.Charge(plan, c.before, c.after)
		if err != nil || got != money.New(c.minor, money.CNY) {
			t.Errorf("charge %d→%d: %v %v, want %d", c.before, c.after, got, err, c.minor)
		}
		sum += got.Minor
	}
	if total, _ := usage.Cost(plan, 1000); sum != total.Minor {
		t.Errorf("the charges add up to %d, the month costs %d", sum, total.Minor)
	}
	if _, err := usage.Cost(catalog.Plan{Mode: catalog.Monthly}, 1); err == nil {
		t.Error("a monthly plan rated usage")
	}
}

func TestPeriodAndSame(t *testing.T) {
	if p := usage.Period(time.Date(2026, 3, 31, 23, 59, 0, 0, time.UTC)); p != "2026-03" {
		t.Errorf("period %s", p)
	}
	a := usage.Record{ID: "r", InstanceID: "i", Unit: "GB", Begin: now, End: now.Add(time.Minute), Quantity: 1}
	b := a
	b.Begin = now.In(time.FixedZone("CST", 8*3600))
	if !a.Same(b) {
		t.Error("the same instant in another zone differs")
	}
	b.Quantity = 2
	if a.Same(b) {
		t.Error("another quantity is the same")
	}
}
