package market_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/usage"
)

// metered buys Cloud Desk's pay-per-use plan, opens its instance, and
// returns the world and the instance.
func metered(t *testing.T, st *store.Store) (desk, market.SaaSInstanceView) {
	t.Helper()
	d := newDesk(t, st, 0)
	o := d.buy(t, "metered", false, false)
	if err := d.deliver(t, o.ID); err != nil {
		t.Fatal(err)
	}
	return d, d.instance(t, o)
}

// hour is a record of the clock hour `ago` hours before now.
func hour(id, instance string, now time.Time, ago int, qty int64) usage.Record {
	begin := now.Truncate(time.Hour).Add(-time.Duration(ago) * time.Hour)
	return usage.Record{ID: id, InstanceID: instance, Unit: "agent-hour", Begin: begin, End: begin.Add(time.Hour), Quantity: qty}
}

// Each kind of record gets its clear answer.
func TestUsageReportAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d, in := metered(t, st)
		now := d.w.Clock.Now()
		basic := d.buy(t, "basic", false, false)
		if err := d.deliver(t, basic.ID); err != nil {
			t.Fatal(err)
		}
		monthly := d.instance(t, basic)
		adjust := hour("r-adj", in.InstanceID, now, 1, -2)
		adjust.Adjusts = "r-1"
		wrongUnit := hour("r-unit", in.InstanceID, now, 1, 1)
		wrongUnit.Unit = "GB"
		report := []usage.Record{
			hour("r-1", in.InstanceID, now, 1, 10),
			hour("r-1", in.InstanceID, now, 1, 10),           // sent again: the same
			hour("r-1", in.InstanceID, now, 1, 11),           // the same id, other usage
			hour("r-late", in.InstanceID, now, 47, 5),        // 47 hours late: accepted
			hour("r-too-late", in.InstanceID, now, 50, 5),    // ended 49 hours ago
			hour("r-neg", in.InstanceID, now, 2, -3),         // negative
			hour("r-other", "desk-404", now, 1, 1),           // no such instance
			hour("r-monthly", monthly.InstanceID, now, 1, 1), // a monthly plan
			hour("r-future", in.InstanceID, now, -2, 1),      // not happened yet
			wrongUnit, //
			adjust,    // corrects r-1
		}
		res, err := d.svc.ReportUsage(ctx, d.seller, report)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			accepted, dup bool
			reason        usage.Reason
		}{
			{true, false, ""}, {true, true, ""}, {false, false, usage.ReasonConflict}, {true, false, ""},
			{false, false, usage.ReasonTooLate}, {false, false, usage.ReasonNegative}, {false, false, usage.ReasonUnknownInstance},
			{false, false, usage.ReasonNotMetered}, {false, false, usage.ReasonFuture}, {false, false, usage.ReasonUnit}, {true, false, ""},
		}
		for i, w := range want {
			r := res[i]
			if r.RecordID != report[i].ID || r.Accepted != w.accepted || r.Duplicate != w.dup || r.Reason != w.reason || (!r.Accepted && r.Message == "") {
				t.Errorf("record %d (%s): %+v, want %+v", i, report[i].ID, r, w)
			}
		}
		// An instance of another seller is unknown to this one.
		seller2 := d.w.Actor(t, "seller2@demo.test", demo.Password)
		res, err = d.svc.ReportUsage(ctx, seller2, []usage.Record{hour("x-1", in.InstanceID, now, 1, 1)})
		if err != nil || res[0].Accepted || res[0].Reason != usage.ReasonUnknownInstance {
			t.Fatalf("another seller's instance: %+v %v", res, err)
		}
		// 1,001 records are refused whole; 1,000 are taken.
		many := make([]usage.Record, 1001)
		for i := range many {
			many[i] = hour(fmt.Sprintf("m-%d", i), in.InstanceID, now, 3, 1)
		}
		_, err = d.svc.ReportUsage(ctx, d.seller, many)
		wantCode(t, err, "invalid", "error.usage_batch")
		res, err = d.svc.ReportUsage(ctx, d.seller, many[:1000])
		if err != nil || len(res) != 1000 || !res[999].Accepted {
			t.Fatalf("1,000 records: %d %v", len(res), err)
		}
		// Buyers do not report usage.
		if _, err := d.svc.ReportUsage(ctx, d.buyer, report[:1]); err == nil {
			t.Fatal("a buyer reported usage")
		}
	})
}

// Rated charges match amounts computed by hand, across tiers, late records
// and an adjustment; the buyer pays them from its balance, the seller gets
// them less commission, and the ledger stays balanced.
func TestUsageRatedExactly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d, in := metered(t, st)
		before := balance(t, d.w, d.buyer)
		report := func(rs ...usage.Record) {
			t.Helper()
			res, err := d.svc.ReportUsage(ctx, d.seller, rs)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if !r.Accepted {
					t.Fatalf("rejected %+v", r)
				}
			}
		}
		rate := func(wantCharged int64) {
			t.Helper()
			d.w.Clock.Advance(time.Hour)
			if _, err := d.svc.RateUsage(ctx); err != nil {
				t.Fatal(err)
			}
			if got := balance(t, d.w, d.buyer); before.Minor-got.Minor != wantCharged {
				t.Fatalf("charged %d in all, want %d", before.Minor-got.Minor, wantCharged)
			}
		}
		now := d.w.Clock.Now()
		// Tiers: 0–99 free, 100–999 at ¥0.50, 1,000 and more at ¥0.30.
		report(hour("h1", in.InstanceID, now, 2, 60))
		rate(0) // 60 units: free
		report(hour("h2", in.InstanceID, now, 1, 60))
		rate(20 * 50)                                   // 120 units: 20 at ¥0.50 = ¥10.00
		report(hour("h0", in.InstanceID, now, 40, 900)) // 40 hours late
		rate(900*50 + 20*30)                            // 1,020 units: 900 at ¥0.50 + 20 at ¥0.30 = ¥456.00
		adj := hour("h2-fix", in.InstanceID, now, 1, -20)
		adj.Adjusts = "h2"
		report(adj)
		rate(900 * 50) // 1,000 units: ¥450.00; the adjustment gave ¥6.00 back
		if n, err := d.svc.RateUsage(ctx); err != nil || n != 0 {
			t.Fatalf("rated again: %d %v", n, err)
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Errorf("ledger %+v %v", check, err)
		}

		// The buyer's days: usage by the day it happened, charges by the day rated.
		unit, days, err := d.svc.InstanceUsage(ctx, d.buyer, in.OrderID, in.LineNo, now.AddDate(0, 0, -3), now.AddDate(0, 0, 1))
		if err != nil || unit != "agent-hour" {
			t.Fatalf("days %v %v", unit, err)
		}
		var qty, charged int64
		for _, day := range days {
			qty += day.Quantity
			charged += day.Charged.Minor
		}
		if qty != 1000 || charged != 45000 || len(days) < 2 {
			t.Fatalf("days %+v", days)
		}
		if _, _, err := d.svc.InstanceUsage(ctx, d.w.Actor(t, "direct@demo.test", demo.Password), in.OrderID, in.LineNo, now, now); err == nil {
			t.Fatal("another buyer reads the usage")
		}

		// The seller's reconciliation of the month.
		rec, err := d.svc.UsageReconciliation(ctx, d.seller, usage.Period(now))
		if err != nil || len(rec) != 1 || rec[0].Records != 4 || rec[0].Reported != 1000 || rec[0].Unrated != 0 ||
			rec[0].Charged != money.New(45000, money.CNY) || rec[0].InstanceID != in.InstanceID {
			t.Fatalf("reconciliation %+v %v", rec, err)
		}
		_, err = d.svc.UsageReconciliation(ctx, d.seller, "March")
		wantCode(t, err, "invalid", "error.usage_period")
	})
}
